/**
 * The staged cutover as the plan diff sees it: every change of weights, forward and back, updates
 * only the resources carrying the weights, in place. Protect flags follow the weights too; they are
 * resource options (no update of the resource) and shown apart.
 */
import { diffPlans, PlanDiff } from "../../src/plan/diff";
import { Plan } from "../../src/plan/model";
import { rawConfig } from "../helpers/raw-config";
import { planFor } from "../helpers/plan";
import { albRouting, routedApp, ZONE } from "./fixtures";

type Weights = { blue: number; green: number };
const STAGES: Weights[] = [
    { blue: 100, green: 0 },
    { blue: 90, green: 10 },
    { blue: 50, green: 50 },
    { blue: 0, green: 100 },
];
/** Forward through every stage, then back (the rollback) one stage at a time, plus the one-step rollback. */
const TRANSITIONS: [number, number][] = [[0, 1], [1, 2], [2, 3], [3, 2], [2, 1], [1, 0], [3, 0], [0, 3]];

/** Types whose `protect` follows the weights: the target groups and the clusters (with their secrets key). */
const PROTECT_FOLLOWS_WEIGHTS = new Set(["aws:lb/targetGroup:TargetGroup", "eks:index:Cluster", "aws:kms/key:Key"]);

function appsOf(count: number, withPaths: boolean) {
    return Array.from({ length: count }, (_, i) => routedApp(`app-${String(i).padStart(2, "0")}`, withPaths && i % 5 === 0 ? { paths: ["/api/*"] } : {}));
}

function expectOnlyWeightedUpdates(diff: PlanDiff, after: Plan, routingType: string, weightPath: RegExp, candidatePath?: RegExp): void {
    expect(diff.summary).toMatchObject({ create: 0, delete: 0, replace: 0 });
    expect(diff.summary.update).toBeGreaterThan(0);
    const weighted = new Set((after.outputs.routing as { weightedResourceUrns: string[] }).weightedResourceUrns);
    for (const step of diff.steps) {
        if (step.op === "update") {
            expect(step.type).toBe(routingType);
            expect(weighted.has(step.urn)).toBe(true);
            // Weighted rules change their weights; verification rules (when the candidate flips) their one target group.
            const path = step.name.endsWith("-verify") && candidatePath ? candidatePath : weightPath;
            for (const change of step.changes) expect(change.path).toMatch(path);
        } else {
            expect(step.op).toBe("same");
        }
        if (step.protectChange) expect(PROTECT_FOLLOWS_WEIGHTS.has(step.type)).toBe(true);
    }
}

const label = ([from, to]: [number, number]) => `${STAGES[from].blue}/${STAGES[from].green} → ${STAGES[to].blue}/${STAGES[to].green}`;

describe.each([
    [1, false],
    [50, true],
])("alb mode, %i app(s): a change of weights updates only the weighted listener rules, in place", (count, withPaths) => {
    const plans: Plan[] = [];
    // One plan per stage, computed once and shared by every test; one hook each, so no hook's
    // time limit depends on how busy the machine is for all four.
    for (const weights of STAGES) {
        beforeAll(async () => {
            plans.push(await planFor(rawConfig({ routing: albRouting({ weights, stickiness: { enabled: true }, apps: appsOf(count, withPaths) }) }), "prod"));
        });
    }

    test.each(TRANSITIONS.map((t) => [label(t), t] as const))("%s", (_name, [from, to]) => {
        const diff = diffPlans(plans[from], plans[to]);
        expectOnlyWeightedUpdates(diff, plans[to], "aws:lb/listenerRule:ListenerRule", /^actions\[0\]\.forward\.targetGroups\[[01]\]\.weight$/, /^actions\[0\]\.targetGroupArn$/);
        // One weighted rule per app (each has one host and at most one path), and its verification rule when the candidate changes.
        const candidateFlips = (STAGES[from].green === 100) !== (STAGES[to].green === 100);
        expect(diff.summary.update).toBe(candidateFlips ? 2 * count : count);
    });

    test("the target groups and bindings of both colors exist at every stage", () => {
        for (const plan of plans) {
            const groups = plan.resources.filter((r) => r.type === "aws:lb/targetGroup:TargetGroup");
            expect(groups).toHaveLength(count * 2);
            expect(plan.resources.filter((r) => r.type.endsWith(":TargetGroupBinding"))).toHaveLength(count * 2);
        }
    });

    test("protect follows the weights: a color's target groups are protected exactly while it has traffic", () => {
        plans.forEach((plan, stage) => {
            for (const group of plan.resources.filter((r) => r.type === "aws:lb/targetGroup:TargetGroup")) {
                const color = group.name.endsWith("-blue") ? "blue" : "green";
                expect(group.protect).toBe(STAGES[stage][color] > 0);
            }
        });
    });

    test("the verification rules follow the candidate color and are among the URNs to target", () => {
        const verifyOf = (plan: Plan) => plan.resources.find((r) => r.name === "prod-app-00-verify")!;
        const groupOf = (plan: Plan, color: string) => plan.resources.find((r) => r.name === `prod-app-00-${color}`)!.urn;
        expect(verifyOf(plans[1]).dependencies).toContain(groupOf(plans[1], "green"));
        expect(verifyOf(plans[3]).dependencies).toContain(groupOf(plans[3], "blue"));
        expect(verifyOf(plans[1]).inputs.actions).toEqual([{ type: "forward", targetGroupArn: "<prod-app-00-green.arn>" }]);
        expect(verifyOf(plans[3]).inputs.actions).toEqual([{ type: "forward", targetGroupArn: "<prod-app-00-blue.arn>" }]);
        expect((plans[3].outputs.routing as { weightedResourceUrns: string[] }).weightedResourceUrns).toContain(verifyOf(plans[3]).urn);
    });
});

describe("dns mode: a change of weights updates only the weighted records, in place", () => {
    const loadBalancers = {
        blue: { dnsName: "k8s-blue-1111.eu-west-1.elb.amazonaws.com", zoneId: "Z32O12XQLNTSW2" },
        green: { dnsName: "k8s-green-2222.eu-west-1.elb.amazonaws.com", zoneId: "Z32O12XQLNTSW2" },
    };
    const plans: Plan[] = [];
    for (const weights of STAGES) {
        beforeAll(async () => {
            plans.push(await planFor(rawConfig({ routing: { mode: "dns", weights, hostedZoneId: ZONE, dns: { loadBalancers }, apps: appsOf(50, false) } }), "prod"));
        });
    }

    test.each(TRANSITIONS.map((t) => [label(t), t] as const))("%s", (_name, [from, to]) => {
        const diff = diffPlans(plans[from], plans[to]);
        expectOnlyWeightedUpdates(diff, plans[to], "aws:route53/record:Record", /^weightedRoutingPolicies\[0\]\.weight$/);
        expect(diff.summary.update).toBe(100);
    });
});
