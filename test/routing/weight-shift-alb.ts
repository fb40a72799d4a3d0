/**
 * The alb-mode weight-shift checks, for one app and for 50 (each in a file of its own, so that no
 * file carries the 50-app plans and the one-app plans at once): every change of weights, forward and
 * back, updates only the weighted listener rules, in place.
 */
import { Plan } from "../../src/plan/model";
import { diffPlans } from "../../src/plan/diff";
import { rawConfig } from "../helpers/raw-config";
import { planFor } from "../helpers/plan";
import { albRouting } from "./fixtures";
import { appsOf, expectOnlyWeightedUpdates, label, Weights } from "./weight-shift-helpers";

/**
 * `stages` in cutover order (the first all blue, the last all green), `transitions` pairs of their
 * indexes; the verification tests use the first stage with both colors and the last.
 */
export function describeAlbWeightShift(count: number, withPaths: boolean, stages: Weights[], transitions: [number, number][]): void {
    describe(`alb mode, ${count} app(s): a change of weights updates only the weighted listener rules, in place`, () => {
        const plans: Plan[] = [];
        const mixed = stages.findIndex((w) => w.blue > 0 && w.green > 0);
        const last = stages.length - 1;
        // One plan per stage, computed once and shared by every test; one hook each, so no hook's
        // time limit depends on how busy the machine is for all four.
        for (const weights of stages) {
            beforeAll(async () => {
                plans.push(await planFor(rawConfig({ routing: albRouting({ weights, stickiness: { enabled: true }, apps: appsOf(count, withPaths) }) }), "prod"));
            });
        }

        test.each(transitions.map((t) => [label(t, stages), t] as const))("%s", (_name, [from, to]) => {
            const diff = diffPlans(plans[from], plans[to]);
            expectOnlyWeightedUpdates(diff, plans[to], "aws:lb/listenerRule:ListenerRule", /^actions\[0\]\.forward\.targetGroups\[[01]\]\.weight$/, /^actions\[0\]\.targetGroupArn$/);
            // One weighted rule per app (each has one host and at most one path), and its verification rule when the candidate changes.
            const candidateFlips = (stages[from].green === 100) !== (stages[to].green === 100);
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
                .filter((group) => group.protect !== stages[stage][group.name.endsWith("-blue") ? "blue" : "green"] > 0)
                .map((group) => `stage ${stage}: ${group.name} protect=${group.protect}`));
            expect(wrong).toEqual([]);
            expect(plans.flatMap((plan) => plan.resources.filter((r) => r.type === "aws:lb/targetGroup:TargetGroup"))).toHaveLength(stages.length * count * 2);
        });

        test("the verification rules follow the candidate color and are among the URNs to target", () => {
            const verifyOf = (plan: Plan) => plan.resources.find((r) => r.name === "prod-app-00-verify")!;
            const groupOf = (plan: Plan, color: string) => plan.resources.find((r) => r.name === `prod-app-00-${color}`)!.urn;
            expect(verifyOf(plans[mixed]).dependencies).toContain(groupOf(plans[mixed], "green"));
            expect(verifyOf(plans[last]).dependencies).toContain(groupOf(plans[last], "blue"));
            expect(verifyOf(plans[mixed]).inputs.actions).toEqual([{ type: "forward", targetGroupArn: "<prod-app-00-green.arn>" }]);
            expect(verifyOf(plans[last]).inputs.actions).toEqual([{ type: "forward", targetGroupArn: "<prod-app-00-blue.arn>" }]);
            expect((plans[last].outputs.routing as { weightedResourceUrns: string[] }).weightedResourceUrns).toContain(verifyOf(plans[last]).urn);
        });
    });
}
