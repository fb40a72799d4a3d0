import fc from "fast-check";
import { diffPlans } from "../../src/plan/diff";
import { Plan } from "../../src/plan/model";
import { clusterSpec, nodeGroup, rawConfig } from "../helpers/raw-config";
import { descendantsOf, planFor, resourceNamed } from "../helpers/plan";

/** Blue's own resources: its provider, and everything below its components. */
function blueUrns(plan: Plan): Set<string> {
    const roots = plan.resources.filter((r) => r.type.startsWith("bluegreen:") && /-blue(-|$)/.test(r.name));
    const urns = new Set<string>(roots.map((r) => r.urn));
    for (const root of roots) for (const r of descendantsOf(plan, root.urn)) urns.add(r.urn);
    urns.add(resourceNamed(plan, "pulumi:providers:aws", "dev-blue-aws").urn);
    return urns;
}

const baseRaw = () => rawConfig({ routing: { weights: { blue: 100, green: 0 }, verification: { enabled: false } } });

const greenSpec = fc.record({
    version: fc.constantFrom("1.31", "1.33", "1.34", "1.35"),
    nodeGroups: fc.uniqueArray(
        fc
            .record({
                name: fc.constantFrom("system", "apps", "batch", "gpu"),
                // Graviton types with an arm64 AMI: the config refuses an architecture mismatch.
                hardware: fc.constantFrom(
                    { instanceTypes: ["m6i.large"] },
                    { instanceTypes: ["m7i.xlarge", "m7a.xlarge"] },
                    { instanceTypes: ["c7g.large"], amiType: "AL2023_ARM_64_STANDARD" },
                ),
                capacityType: fc.constantFrom("ON_DEMAND", "SPOT"),
                maxSize: fc.integer({ min: 3, max: 20 }),
                diskSize: fc.integer({ min: 20, max: 200 }),
                maxUnavailable: fc.constantFrom(1, 2, "25%"),
            })
            .map(({ hardware, ...group }) => ({ ...group, ...hardware })),
        { minLength: 1, maxLength: 3, selector: (g) => g.name },
    ),
    endpoint: fc.constantFrom({ publicAccessCidrs: ["203.0.113.0/24"] }, { publicAccessCidrs: ["198.51.100.0/24"], apiAccessSecurityGroupIds: ["sg-0123456789abcdef0"], apiAccessCidrs: ["10.0.0.0/16"] }),
    logging: fc.constantFrom(["api", "audit"], ["api", "audit", "authenticator", "controllerManager", "scheduler"]),
    deletionProtection: fc.boolean(),
    managedAddons: fc.constantFrom({}, { coredns: "v1.12.1-eksbuild.2", "vpc-cni": "v1.20.0-eksbuild.1" }),
});

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
