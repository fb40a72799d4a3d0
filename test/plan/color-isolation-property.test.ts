/**
 * Color isolation as a property: any change to green's spec the config accepts leaves every blue
 * resource unchanged (a file of its own: a dozen full plans, the heaviest test of the suite after the
 * 50-app weight shift).
 */
import fc from "fast-check";
import { diffPlans } from "../../src/plan/diff";
import { Plan } from "../../src/plan/model";
import { nodeGroup } from "../helpers/raw-config";
import { planFor } from "../helpers/plan";
import { baseRaw, blueUrns, greenSpec } from "./color-isolation-helpers";

describe("color isolation", () => {
    let before: Plan;
    beforeAll(async () => {
        before = await planFor(baseRaw());
    });

    test("property: any change to green's spec leaves every blue resource unchanged", async () => {
        const blue = blueUrns(before);
        await fc.assert(
            fc.asyncProperty(greenSpec, async (spec) => {
                const raw = baseRaw();
                (raw.clusters as Record<string, unknown>).green = {
                    ...spec,
                    nodeGroups: spec.nodeGroups.map((g) => nodeGroup({ ...g, minSize: 1, desiredSize: 2 })),
                };
                const diff = diffPlans(before, await planFor(raw));
                const touched = diff.steps.filter((s) => s.op !== "same" && blue.has(s.urn));
                expect(touched).toEqual([]);
            }),
            { numRuns: 12 },
        );
    });

});
