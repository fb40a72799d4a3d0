/** The dns-mode planner on its own: one weighted record per hostname and color with a load balancer. */
import fc from "fast-check";
import { loadEnvironmentConfig } from "../../src/config";
import { planDnsRouting } from "../../src/routing/dns-plan";
import { rawConfig } from "../helpers/raw-config";
import { routedApp, ZONE } from "./fixtures";

const lb = (color: string) => ({ dnsName: `k8s-${color}.eu-west-1.elb.amazonaws.com`, zoneId: "Z32O12XQLNTSW2" });
const plan = (weights: Record<string, number>, dns: Record<string, unknown> = { loadBalancers: { blue: lb("blue"), green: lb("green") } }) =>
    planDnsRouting({
        config: loadEnvironmentConfig(rawConfig({ routing: { mode: "dns", weights, hostedZoneId: ZONE, dns, apps: [routedApp("shop", { hostnames: ["shop.example.com", "*.shop.example.com"] })] } })),
        environment: "prod",
    });

describe("dns routing plan", () => {
    test.each([
        [{ blue: 100, green: 0 }, { blue: 100, green: 0 }],
        [{ blue: 90, green: 10 }, { blue: 90, green: 10 }],
        [{ green: 100 }, { blue: 0, green: 100 }],
    ])("weights %j: each hostname has a record per color with %j", (weights, expected) => {
        const p = plan(weights);
        for (const hostname of ["shop.example.com", "*.shop.example.com"]) {
            const records = p.records.filter((r) => r.hostname === hostname);
            expect(Object.fromEntries(records.map((r) => [r.color, r.weight]))).toEqual(expected);
        }
        expect(p.weightedRecords).toEqual(p.records.map((r) => r.name));
    });

    test("alias records evaluate target health and point at the color's own load balancer; cname records carry the TTL", () => {
        const alias = plan({ blue: 90, green: 10 }).records.find((r) => r.name === "prod-wildcard.shop.example.com-green")!;
        expect(alias).toMatchObject({ hostname: "*.shop.example.com", zoneId: ZONE, target: { type: "A", aliases: [{ name: lb("green").dnsName, zoneId: "Z32O12XQLNTSW2", evaluateTargetHealth: true }] } });
        const cname = plan({ blue: 100 }, { recordType: "cname", loadBalancers: { blue: { dnsName: "b.example.net" }, green: { dnsName: "g.example.net" } } }).records[0];
        expect(cname.target).toEqual({ type: "CNAME", records: ["b.example.net"], ttl: 60 });
    });

    test("a color without a load balancer (weight 0) gets no record", () => {
        expect(plan({ blue: 100 }, { loadBalancers: { blue: lb("blue") } }).records.map((r) => r.color)).toEqual(["blue", "blue"]);
    });

    test("property: the records of a hostname always add up to 100 and a weight change changes only weights", () => {
        fc.assert(fc.property(fc.integer({ min: 0, max: 100 }), fc.integer({ min: 0, max: 100 }), (g1, g2) => {
            const a = plan({ blue: 100 - g1, green: g1 });
            const b = plan({ blue: 100 - g2, green: g2 });
            expect(a.records.filter((r) => r.hostname === "shop.example.com").reduce((s, r) => s + r.weight, 0)).toBe(100);
            expect(b.records.map((r) => ({ ...r, weight: 0 }))).toEqual(a.records.map((r) => ({ ...r, weight: 0 })));
        }), { numRuns: 30 });
    });
});
