/**
 * The offline plan names what a value refers to: ids and ARNs the mocks give are realistic and
 * deterministic, and a value one resource gets from another is printed as `<producer.property>`,
 * so a reviewer (and these tests) can see which target group each rule forwards to, and with what weight.
 */
import { diffPlans } from "../../src/plan/diff";
import { formatPlanHuman, planToJson } from "../../src/plan/format";
import { planMocks } from "../../src/plan/mocks";
import { Plan, PlannedResource } from "../../src/plan/model";
import { rawConfig } from "../helpers/raw-config";
import { planFor, resourcesOfType } from "../helpers/plan";
import { albRouting, routedApp } from "../routing/fixtures";

const RULE = "aws:lb/listenerRule:ListenerRule";
const TARGET_GROUP = "aws:lb/targetGroup:TargetGroup";
const BINDING = "kubernetes:elbv2.k8s.aws/v1beta1:TargetGroupBinding";

/** The apps of the test config, by hostname: the test's own view of who serves what. */
const APPS = [
    routedApp("shop", { hostnames: ["shop.example.com", "www.shop.example.com", "m.shop.example.com", "old.shop.example.com", "*.shop.example.com"] }),
    routedApp("api", { hostnames: ["api.example.com"], paths: ["/v1/*", "/v2/*"] }),
    routedApp("admin", { hostnames: ["admin.example.com"] }),
];
const APP_OF_HOST = new Map(APPS.flatMap((app) => (app.hostnames as string[]).map((h) => [h, app.name] as const)));

type Forward = { type: string; targetGroupArn?: string; forward?: { targetGroups: { arn: string; weight: number }[] } };

describe("references in the plan", () => {
    let plan: Plan;
    /** The target group a reference label resolves to, as the plan's reference table says. */
    const groupOf = (label: string): PlannedResource => {
        const ref = plan.references![label];
        expect(ref).toMatchObject({ type: TARGET_GROUP, property: "arn" });
        return plan.resources.find((r) => r.urn === ref.urn)!;
    };
    const tags = (group: PlannedResource) => group.inputs.tags as Record<string, string>;
    const appOf = (rule: PlannedResource) => {
        const hosts = (rule.inputs.conditions as { hostHeader?: { values: string[] } }[]).find((c) => c.hostHeader)!.hostHeader!.values;
        const apps = new Set(hosts.map((h) => APP_OF_HOST.get(h)));
        expect(apps.size).toBe(1);
        return [...apps][0]!;
    };
    const headerColorOf = (rule: PlannedResource) =>
        (rule.inputs.conditions as { httpHeader?: { values: string[] } }[]).find((c) => c.httpHeader)?.httpHeader?.values[0];
    const listenerOf = (rule: PlannedResource) => plan.references![rule.inputs.listenerArn as string]?.name;

    beforeAll(async () => {
        plan = await planFor(rawConfig({
            routing: albRouting({ weights: { blue: 90, green: 10 }, verification: { allowedCidrs: ["198.51.100.0/24"], headerRule: true }, apps: APPS }),
        }), "prod");
    });

    test("at 90/10 every weighted rule gives 90 to its app's blue target group and 10 to its green one", () => {
        const weighted = resourcesOfType(plan, RULE).filter((r) => listenerOf(r) === "prod-https" && headerColorOf(r) === undefined);
        expect(weighted.length).toBe(3 + 2 + 1); // shop: 3 host chunks (3 exact, 1 exact, 1 wildcard); api: 2 paths; admin: 1
        for (const rule of weighted) {
            const app = appOf(rule);
            const [action] = rule.inputs.actions as Forward[];
            const byColor = Object.fromEntries(action.forward!.targetGroups.map((t) => {
                const group = groupOf(t.arn);
                expect(tags(group)["bluegreen:app"]).toBe(app);
                return [tags(group)["bluegreen:color"], t.weight];
            }));
            expect(byColor).toEqual({ blue: 90, green: 10 });
        }
    });

    test("verification rules forward to the candidate's (green's) target group of their app; header rules to the color they name", () => {
        const rules = resourcesOfType(plan, RULE);
        const verification = rules.filter((r) => listenerOf(r) === "prod-verification");
        const header = rules.filter((r) => headerColorOf(r) !== undefined);
        expect(verification).toHaveLength(6);
        expect(header).toHaveLength(12);
        for (const rule of [...verification, ...header]) {
            const [action] = rule.inputs.actions as Forward[];
            const group = groupOf(action.targetGroupArn!);
            expect(tags(group)).toMatchObject({ "bluegreen:app": appOf(rule), "bluegreen:color": headerColorOf(rule) ?? "green" });
        }
    });

    test("each binding names its own color's target group of its app", () => {
        for (const binding of resourcesOfType(plan, BINDING)) {
            const spec = binding.inputs.spec as { targetGroupARN: string; serviceRef: { name: string } };
            const group = groupOf(spec.targetGroupARN);
            expect(tags(group)["bluegreen:app"]).toBe(spec.serviceRef.name);
            expect(binding.provider).toMatch(new RegExp(`::prod-${tags(group)["bluegreen:color"]}-k8s$`));
        }
    });

    test("text and --json show the references, and --json says what each resolves to", () => {
        const text = formatPlanHuman(plan);
        expect(text).toMatch(/targetGroupARN.*<prod-shop-blue\.arn>|"arn":"<prod-shop-blue\.arn>","weight":90/);
        const json = planToJson(plan) as { references: Record<string, { urn: string; name: string; property: string }> };
        const ref = json.references["<prod-shop-blue.arn>"];
        expect(ref).toMatchObject({ name: "prod-shop-blue", property: "arn", type: TARGET_GROUP });
        expect(plan.resources.find((r) => r.urn === ref.urn)!.name).toBe("prod-shop-blue");
    });

    test("a value inside a string (a policy document) is a reference too", () => {
        const policies = plan.resources.filter((r) => typeof r.inputs.policy === "string" && (r.inputs.policy as string).includes("<prod-"));
        expect(policies.length).toBeGreaterThan(0);
        for (const policy of policies) expect(policy.inputs.policy).not.toMatch(/arn:aws:kms:[^"]*key\/[0-9a-f-]{36}/);
    });
});

describe("ids and ARNs the mocks give", () => {
    const make = (type: string, name: string, inputs: Record<string, unknown> = {}, region = "eu-west-1") =>
        planMocks({ region }).newResource({ type, name, inputs, custom: true } as never);

    test.each([
        ["aws:lb/targetGroup:TargetGroup", "prod-api-blue", {}, "state.arn", /^arn:aws:elasticloadbalancing:eu-west-1:123456789012:targetgroup\/prod-api-blue-[0-9a-f]{7}\/[0-9a-f]{16}$/],
        ["aws:lb/targetGroup:TargetGroup", "prod-api-blue", { name: "prod-api-blue-1234abcd" }, "state.arnSuffix", /^targetgroup\/prod-api-blue-1234abcd\/[0-9a-f]{16}$/],
        ["aws:lb/loadBalancer:LoadBalancer", "prod-alb", {}, "state.arn", /^arn:aws:elasticloadbalancing:eu-west-1:123456789012:loadbalancer\/app\/prod-alb-[0-9a-f]{7}\/[0-9a-f]{16}$/],
        ["aws:lb/loadBalancer:LoadBalancer", "prod-alb", {}, "state.dnsName", /^prod-alb-[0-9a-f]{7}-\d+\.eu-west-1\.elb\.amazonaws\.com$/],
        ["aws:lb/loadBalancer:LoadBalancer", "prod-alb", {}, "state.zoneId", /^Z32O12XQLNTSW2$/],
        ["aws:ec2/securityGroup:SecurityGroup", "prod-alb", {}, "id", /^sg-[0-9a-f]{17}$/],
        ["aws:ec2/vpc:Vpc", "prod-network-vpc", {}, "id", /^vpc-[0-9a-f]{17}$/],
        ["aws:kms/key:Key", "prod-blue-secrets", {}, "state.arn", /^arn:aws:kms:eu-west-1:123456789012:key\/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/],
        ["aws:iam/role:Role", "prod-blue-node", { name: "prod-blue-node" }, "state.arn", /^arn:aws:iam::123456789012:role\/prod-blue-node$/],
        ["aws:lb/listener:Listener", "prod-https", { loadBalancerArn: "arn:aws:elasticloadbalancing:eu-west-1:123456789012:loadbalancer/app/prod-alb-1a2b3c4/0123456789abcdef" }, "state.arn",
            /^arn:aws:elasticloadbalancing:eu-west-1:123456789012:listener\/app\/prod-alb-1a2b3c4\/0123456789abcdef\/[0-9a-f]{16}$/],
    ] as [string, string, Record<string, unknown>, string, RegExp][])("%s %s %j: %s", (type, name, inputs, path, pattern) => {
        const made = make(type, name, inputs) as unknown as Record<string, unknown>;
        const value = path.split(".").reduce<unknown>((v, k) => (v as Record<string, unknown>)[k], made);
        expect(value).toMatch(pattern);
        expect(make(type, name, inputs)).toEqual(made);
    });

    test("distinct per resource, and in the partition of the region", () => {
        expect(make("aws:ec2/securityGroup:SecurityGroup", "a").id).not.toBe(make("aws:ec2/securityGroup:SecurityGroup", "b").id);
        expect(make("aws:lb/targetGroup:TargetGroup", "x", {}, "cn-north-1").state.arn).toMatch(/^arn:aws-cn:elasticloadbalancing:cn-north-1:/);
    });
});

describe("the plan diff with references", () => {
    const config = (port: number) => rawConfig({ routing: albRouting({ weights: { blue: 100, green: 0 }, apps: [routedApp("shop", { service: { name: "shop", port } })] }) });
    let before: Plan;
    let after: Plan;
    beforeAll(async () => {
        before = await planFor(config(80));
        after = await planFor(config(8080));
    });

    test("a reference whose producer is unchanged is no change", () => {
        expect(diffPlans(before, before).summary).toMatchObject({ update: 0, replace: 0, create: 0, delete: 0 });
    });

    test("a new target group (port change) replaces its binding beside the old one, and the rules that forward to it are updated", () => {
        const diff = diffPlans(before, after);
        const step = (name: string) => diff.steps.find((s) => s.name === name)!;
        expect(step("dev-shop-green").op).toBe("replace");
        const binding = step("dev-green-shop-binding");
        expect(binding.op).toBe("replace");
        expect(binding.replaceReasons).toContain("metadata.name");
        const resource = (plan: Plan, name: string) => plan.resources.find((r) => r.name === name)!;
        // Fields the controller's webhook makes immutable replace the binding whatever else changes.
        expect(resource(after, "dev-green-shop-binding").replaceOnChanges).toEqual(expect.arrayContaining(["spec.targetGroupARN", "spec.targetType"]));
        // A new object name: the new binding is created before the old one is deleted, never two bindings on one group.
        expect((resource(after, "dev-green-shop-binding").inputs.metadata as { name: string }).name)
            .not.toBe((resource(before, "dev-green-shop-binding").inputs.metadata as { name: string }).name);
        expect(resource(after, "dev-green-shop-binding").deleteBeforeReplace).toBe(false);
        const rule = step("dev-shop");
        expect(rule.op).toBe("update");
        expect(rule.changes.map((c) => c.path)).toEqual(expect.arrayContaining(["actions[0].forward.targetGroups[1].arn"]));
        expect(step("dev-shop-verify").op).toBe("update");
    });
});
