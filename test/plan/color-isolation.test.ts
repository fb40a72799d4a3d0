/**
 * Color isolation: a change to green's spec, or removing green, leaves every blue resource as it is.
 * The property over any green spec is in color-isolation-property.test.ts.
 */
import { diffPlans } from "../../src/plan/diff";
import { Plan } from "../../src/plan/model";
import { clusterSpec, nodeGroup } from "../helpers/raw-config";
import { planFor } from "../helpers/plan";
import { baseRaw, blueUrns } from "./color-isolation-helpers";

describe("color isolation", () => {
    let before: Plan;
    beforeAll(async () => {
        before = await planFor(baseRaw());
    });

    test("changing green's version and node groups changes green only, every blue resource stays the same", async () => {
        const raw = baseRaw();
        (raw.clusters as Record<string, unknown>).green = clusterSpec("1.34", {
            nodeGroups: [nodeGroup({ maxSize: 10 }), nodeGroup({ name: "apps", instanceTypes: ["m7i.xlarge"] })],
        });
        const diff = diffPlans(before, await planFor(raw));
        const blue = blueUrns(before);
        const changed = diff.steps.filter((s) => s.op !== "same");
        expect(changed.length).toBeGreaterThan(0);
        expect(changed.filter((s) => blue.has(s.urn))).toEqual([]);
        expect(diff.steps.filter((s) => blue.has(s.urn)).every((s) => s.op === "same")).toBe(true);
        expect(changed.map((s) => s.name)).toEqual(expect.arrayContaining(["dev-green-eks", "dev-green-apps"]));
    });

    test("removing green (at weight 0) deletes green's resources and nothing of blue", async () => {
        const raw = baseRaw();
        delete (raw.clusters as Record<string, unknown>).green;
        const diff = diffPlans(before, await planFor(raw));
        const blue = blueUrns(before);
        const deleted = diff.steps.filter((s) => s.op === "delete");
        expect(deleted.length).toBeGreaterThan(5);
        expect(deleted.every((s) => /green/.test(s.name))).toBe(true);
        expect(diff.steps.filter((s) => blue.has(s.urn) && s.op !== "same")).toEqual([]);
    });
});
