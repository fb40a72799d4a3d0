/**
 * The decommission sequence of docs/clusters.md, run as the plan: what is protected while a color
 * carries traffic, and that turning deletion protection off (one `pulumi up`) leaves nothing
 * protected, so removing a color or `pulumi destroy` needs no `pulumi state unprotect`.
 */
import { diffPlans } from "../../src/plan/diff";
import { Plan } from "../../src/plan/model";
import { rawConfig, withValue } from "../helpers/raw-config";
import { planFor, resourceNamed, resourcesOfType } from "../helpers/plan";
import { albRouting } from "../routing/fixtures";

const protectedNames = (plan: Plan) => plan.resources.filter((r) => r.protect).map((r) => r.name).sort();

describe("decommission", () => {
    const live = rawConfig({ routing: albRouting() });
    let before: Plan;
    beforeAll(async () => {
        before = await planFor(live);
    });

    test("while blue carries the traffic, exactly its cluster, secrets key and target group are protected", () => {
        expect(protectedNames(before)).toEqual(["dev-blue-eks", "dev-blue-secrets", "dev-shop-blue"]);
    });

    test("removing green (weight 0): deletionProtection false and pulumi up lifts EKS's protection, then removing it deletes only green", async () => {
        const unprotected = withValue(live, "clusters.green.deletionProtection", false);
        const step1 = await planFor(unprotected);
        const eks = diffPlans(before, step1).steps.find((s) => s.name === "dev-green-eks")!;
        expect(eks.op).toBe("update");
        expect(eks.changes).toEqual([{ path: "deletionProtection", before: true, after: false }]);
        expect(protectedNames(step1)).toEqual(protectedNames(before));

        const removed = structuredClone(unprotected);
        delete (removed.clusters as Record<string, unknown>).green;
        const diff = diffPlans(step1, await planFor(removed));
        const deleted = diff.steps.filter((s) => s.op === "delete");
        expect(deleted.map((s) => s.name)).toContain("dev-green-eks");
        expect(deleted.every((s) => s.name.includes("green"))).toBe(true);
        // Only the shared listener rules and the environment's dashboard stop naming green's target groups; nothing is replaced or created.
        expect(diff.summary).toMatchObject({ replace: 0, create: 0 });
        expect([...new Set(diff.steps.filter((s) => s.op === "update").map((s) => s.type))].sort()).toEqual(["aws:cloudwatch/dashboard:Dashboard", "aws:lb/listenerRule:ListenerRule"]);
    });

    test("tearing the environment down: with deletion protection off everywhere, nothing is protected and the load balancer may be deleted", async () => {
        let teardown = withValue(live, "clusters.blue.deletionProtection", false);
        teardown = withValue(teardown, "clusters.green.deletionProtection", false);
        teardown = withValue(teardown, "routing", albRouting({ loadBalancer: { deletionProtection: false } }));
        const plan = await planFor(teardown);
        expect(protectedNames(plan)).toEqual([]);
        expect(resourceNamed(plan, "eks:index:Cluster", "dev-blue-eks").inputs.deletionProtection).toBe(false);
        expect(resourcesOfType(plan, "aws:lb/loadBalancer:LoadBalancer").map((r) => r.inputs.enableDeletionProtection)).toEqual([false]);
        const diff = diffPlans(before, plan);
        expect(diff.steps.filter((s) => s.op === "replace" || s.op === "delete")).toEqual([]);
        expect(diff.steps.filter((s) => s.protectChange).map((s) => s.name).sort()).toEqual(["dev-blue-eks", "dev-blue-secrets", "dev-shop-blue"]);
    });
});
