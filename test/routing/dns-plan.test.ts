import { Plan } from "../../src/plan/model";
import { rawConfig } from "../helpers/raw-config";
import { planFor, resourcesOfType } from "../helpers/plan";
import { routedApp, ZONE } from "./fixtures";

const blueLb = { dnsName: "k8s-blue-1111.eu-west-1.elb.amazonaws.com", zoneId: "Z32O12XQLNTSW2" };
const greenLb = { dnsName: "k8s-green-2222.eu-west-1.elb.amazonaws.com", zoneId: "Z32O12XQLNTSW2" };
const dnsRouting = (extra: Record<string, unknown> = {}) => ({
    mode: "dns",
    weights: { blue: 90, green: 10 },
    hostedZoneId: ZONE,
    dns: { loadBalancers: { blue: blueLb, green: greenLb } },
    apps: [routedApp("shop", { hostnames: ["shop.example.com", "*.shop.example.com"] })],
    ...extra,
});

describe("dns mode", () => {
    let plan: Plan;
    beforeAll(async () => {
        plan = await planFor(rawConfig({ routing: dnsRouting() }));
    });

    test("weighted alias records per hostname and color, set identifier = color, target health evaluated", () => {
        const records = resourcesOfType(plan, "aws:route53/record:Record");
        expect(records.map((r) => r.name).sort()).toEqual(["dev-shop.example.com-blue", "dev-shop.example.com-green", "dev-wildcard.shop.example.com-blue", "dev-wildcard.shop.example.com-green"]);
        const green = records.find((r) => r.name === "dev-shop.example.com-green")!;
        expect(green.inputs).toEqual(expect.objectContaining({
            zoneId: ZONE,
            name: "shop.example.com",
            type: "A",
            setIdentifier: "green",
            weightedRoutingPolicies: [{ weight: 10 }],
            aliases: [{ name: greenLb.dnsName, zoneId: greenLb.zoneId, evaluateTargetHealth: true }],
        }));
        expect(green.inputs.ttl).toBeUndefined();
        expect(records.find((r) => r.name === "dev-wildcard.shop.example.com-blue")!.inputs).toMatchObject({ name: "*.shop.example.com", setIdentifier: "blue", weightedRoutingPolicies: [{ weight: 90 }] });
    });

    test("no load balancer, listener or target group of its own", () => {
        expect(plan.resources.filter((r) => r.type.startsWith("aws:lb/"))).toEqual([]);
        expect(plan.resources.filter((r) => r.type.endsWith(":TargetGroupBinding"))).toEqual([]);
    });

    test("the routing output: the records are the weighted resources; no target groups", () => {
        const routing = plan.outputs.routing as { mode: string; weights: unknown; apps: Record<string, unknown>; weightedResourceUrns: string[] };
        expect(routing).toMatchObject({ mode: "dns", weights: { blue: 90, green: 10 }, apps: { shop: { hostnames: ["shop.example.com", "*.shop.example.com"], targetGroupArns: {} } } });
        expect([...routing.weightedResourceUrns].sort()).toEqual(resourcesOfType(plan, "aws:route53/record:Record").map((r) => r.urn).sort());
    });

    test("a color at 0 keeps its record at weight 0; the other carries 100", async () => {
        const cut = await planFor(rawConfig({ routing: dnsRouting({ weights: { blue: 0, green: 100 } }) }));
        const weights = Object.fromEntries(resourcesOfType(cut, "aws:route53/record:Record").filter((r) => r.inputs.name === "shop.example.com").map((r) => [r.inputs.setIdentifier, r.inputs.weightedRoutingPolicies]));
        expect(weights).toEqual({ blue: [{ weight: 0 }], green: [{ weight: 100 }] });
    });

    test("cname records carry the configured TTL", async () => {
        const cname = await planFor(rawConfig({ routing: dnsRouting({ dns: { recordType: "cname", ttl: 30, loadBalancers: { blue: { dnsName: blueLb.dnsName }, green: { dnsName: greenLb.dnsName } } } }) }));
        const record = resourcesOfType(cname, "aws:route53/record:Record").find((r) => r.name === "dev-shop.example.com-blue")!;
        expect(record.inputs).toMatchObject({ type: "CNAME", records: [blueLb.dnsName], ttl: 30, setIdentifier: "blue" });
        expect(record.inputs.aliases).toBeUndefined();
    });
});
