/**
 * The staged cutover as the plan diff sees it: every change of weights, forward and back, updates
 * only the resources carrying the weights, in place. Protect flags follow the weights too; they are
 * resource options (no update of the resource) and shown apart.
 */
import { Plan } from "../../src/plan/model";
import { rawConfig } from "../helpers/raw-config";
import { planFor } from "../helpers/plan";
import { albRouting } from "./fixtures";
import { appsOf, expectOnlyWeightedUpdates, label, STAGES, TRANSITIONS } from "./weight-shift-helpers";
import { diffPlans } from "../../src/plan/diff";

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
        const wrong = plans.flatMap((plan, stage) => plan.resources
            .filter((r) => r.type === "aws:lb/targetGroup:TargetGroup")
            .filter((group) => group.protect !== STAGES[stage][group.name.endsWith("-blue") ? "blue" : "green"] > 0)
            .map((group) => `stage ${stage}: ${group.name} protect=${group.protect}`));
        expect(wrong).toEqual([]);
        expect(plans.flatMap((plan) => plan.resources.filter((r) => r.type === "aws:lb/targetGroup:TargetGroup"))).toHaveLength(STAGES.length * count * 2);
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

