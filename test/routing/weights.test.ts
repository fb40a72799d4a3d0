import fc from "fast-check";
import { loadEnvironmentConfig } from "../../src/config";
import { egressPorts, hostnameForName, targetGroupPortOf, targetPortOf, verificationUrlOf } from "../../src/routing/targets";
import { dnsRecordWeights, forwardTargets, verificationColor } from "../../src/routing/weights";
import { clusterSpec, rawConfig } from "../helpers/raw-config";

const service = (port: number, targetPort?: number | string) => ({ service: { name: "web", port, ...(targetPort === undefined ? {} : { targetPort }) } });

describe("forward targets", () => {
    test.each([
        [{ blue: 100, green: 0 }, ["blue", "green"], [{ color: "blue", weight: 100 }, { color: "green", weight: 0 }]],
        [{ blue: 90, green: 10 }, ["blue", "green"], [{ color: "blue", weight: 90 }, { color: "green", weight: 10 }]],
        [{ blue: 0, green: 100 }, ["blue", "green"], [{ color: "blue", weight: 0 }, { color: "green", weight: 100 }]],
        [{ blue: 100, green: 0 }, ["blue"], [{ color: "blue", weight: 100 }]],
    ] as const)("weights %j over %j", (weights, colors, expected) => {
        expect(forwardTargets({ ...weights }, [...colors])).toEqual(expected);
    });

    test("every present color stays in the action whatever the weights, so a weight change never adds or drops a target group", () => {
        fc.assert(fc.property(fc.integer({ min: 0, max: 100 }), (green) => {
            const targets = forwardTargets({ blue: 100 - green, green }, ["blue", "green"]);
            expect(targets).toEqual([{ color: "blue", weight: 100 - green }, { color: "green", weight: green }]);
        }));
    });
});

describe("the verification color", () => {
    const config = (weights: Record<string, number>, extra: Record<string, unknown> = {}, clusters = { blue: clusterSpec("1.32"), green: clusterSpec("1.33") }) =>
        loadEnvironmentConfig(rawConfig({ clusters, routing: { weights, verification: { enabled: false, ...extra } } }));

    test.each([
        [{ blue: 100, green: 0 }, "green", "the color without traffic"],
        [{ blue: 90, green: 10 }, "green", "the color with the lower weight"],
        [{ blue: 50, green: 50 }, "green", "on equal weights, the newer version"],
        [{ blue: 0, green: 100 }, "blue", "after the cutover, the old color (the rollback target)"],
    ])("%j → %s (%s)", (weights, expected) => {
        expect(verificationColor(config(weights))).toBe(expected);
    });

    test("verification.color wins", () => {
        expect(verificationColor(config({ blue: 90, green: 10 }, { color: "blue" }))).toBe("blue");
    });

    test("a single color is its own candidate", () => {
        expect(verificationColor(config({ blue: 100 }, {}, { blue: clusterSpec("1.32") } as never))).toBe("blue");
    });

    test("equal weights on equal versions: green", () => {
        expect(verificationColor(config({ blue: 50, green: 50 }, {}, { blue: clusterSpec("1.33"), green: clusterSpec("1.33") }))).toBe("green");
    });
});

describe("dns record weights", () => {
    const lb = (name: string) => ({ dnsName: `${name}.eu-west-1.elb.amazonaws.com`, zoneId: "Z32O12XQLNTSW2" });
    const config = (weights: Record<string, number>, loadBalancers: Record<string, unknown>) =>
        loadEnvironmentConfig(rawConfig({ routing: { mode: "dns", weights, hostedZoneId: "Z0123456789ABC", dns: { loadBalancers } } }));

    test("a color at 0 keeps its record at weight 0 while the other has 100", () => {
        expect(dnsRecordWeights(config({ blue: 100, green: 0 }, { blue: lb("blue"), green: lb("green") }))).toEqual([
            { color: "blue", weight: 100 },
            { color: "green", weight: 0 },
        ]);
    });

    test("a color without a load balancer (allowed only at weight 0) gets no record", () => {
        expect(dnsRecordWeights(config({ blue: 100, green: 0 }, { blue: lb("blue") }))).toEqual([{ color: "blue", weight: 100 }]);
    });

    test("never 0/0: the weights of the records always add up to 100", () => {
        fc.assert(fc.property(fc.integer({ min: 0, max: 100 }), (green) => {
            const records = dnsRecordWeights(config({ blue: 100 - green, green }, { blue: lb("blue"), green: lb("green") }));
            expect(records.reduce((sum, r) => sum + r.weight, 0)).toBe(100);
        }));
    });
});

describe("targets inside the cluster", () => {
    test("the target port is service.targetPort, else the Service port; a named port leaves the group on the Service port", () => {
        expect(targetPortOf(service(80))).toBe(80);
        expect(targetPortOf(service(80, 8080))).toBe(8080);
        expect(targetPortOf(service(80, "http"))).toBe("http");
        expect(targetGroupPortOf(service(80, 8080))).toBe(8080);
        expect(targetGroupPortOf(service(80, "http"))).toBe(80);
    });

    test("egress: the distinct numeric target ports, or every TCP port once a port is named", () => {
        expect(egressPorts([service(80), service(8080), service(80, 8080), service(443, 9000)])).toEqual({ ports: [80, 8080, 9000], allPorts: false });
        expect(egressPorts([service(80), service(80, "http")])).toEqual({ ports: [], allPorts: true });
        expect(egressPorts([])).toEqual({ ports: [], allPorts: false });
    });

    test.each([
        [["shop.example.com"], [], "https://shop.example.com:8443/"],
        [["*.example.com", "api.example.com"], ["/v1/*"], "https://api.example.com:8443/v1/"],
        [["api.example.com"], ["/v1/orders*"], "https://api.example.com:8443/v1/"],
        [["api.example.com"], ["/status"], "https://api.example.com:8443/status"],
        [["*.example.com"], [], undefined],
    ])("verification URL of %j %j", (hostnames, paths, expected) => {
        expect(verificationUrlOf({ hostnames, paths }, 8443)).toBe(expected);
    });

    test("hostnames in resource names spell out the wildcard", () => {
        expect(hostnameForName("*.example.com")).toBe("wildcard.example.com");
        expect(hostnameForName("www.example.com")).toBe("www.example.com");
    });
});
