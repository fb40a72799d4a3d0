/**
 * Node group replacement as offline plan diffs: a surge replacement creates the new group beside the
 * old one before anything is removed (blue untouched), promotion removes the old group, settings EKS
 * cannot change in place get a new EKS name (no collision on create-before-delete), and an
 * autoscaler's desired size is not reset unless the config's value changed.
 */
import { loadEnvironmentConfig } from "../../src/config";
import { AddonCrdDeps } from "../../src/addons/crd-gate";
import { diffPlans, PlanDiff } from "../../src/plan/diff";
import { Plan } from "../../src/plan/model";
import { OFFLINE_CRD_DEPS, planEnvironment } from "../../src/plan/stack-plan";
import { deployEnvironment } from "../../components/environment";
import { clusterSpec, nodeGroup, rawConfig, RUNNER_ENDPOINT } from "../helpers/raw-config";
import { resourceNamed } from "../helpers/plan";

const NG = "aws:eks/nodeGroup:NodeGroup";

async function plan(green: Record<string, unknown>, recorded?: Record<string, number>): Promise<Plan> {
    const config = loadEnvironmentConfig(rawConfig({ clusters: { blue: clusterSpec("1.33"), green: { version: "1.34", endpoint: RUNNER_ENDPOINT, ...green } } }));
    const deps: AddonCrdDeps = { ...OFFLINE_CRD_DEPS, previousDeployment: async () => (recorded ? { clusters: { green: { nodeGroupDesiredSizes: recorded } } } : undefined) };
    return planEnvironment({ config, environment: "dev", region: "eu-west-1" }, "dev", deployEnvironment, deps);
}

const group = (extra: Record<string, unknown> = {}) => ({ nodeGroups: [nodeGroup({ labels: { workload: "system" }, taints: [{ key: "CriticalAddonsOnly", value: "true", effect: "NO_SCHEDULE" }], version: "1.33", ...extra })] });
const changed = (diff: PlanDiff) => diff.steps.filter((s) => s.op !== "same").map((s) => `${s.op} ${s.name}`);

let before: Plan;
let surge: Plan;
beforeAll(async () => {
    before = await plan(group());
    surge = await plan(group({ replacement: { version: "1.34" } }));
});

test("a replacement block creates the new group beside the old one, same labels and taints, nothing removed, blue untouched", () => {
    const diff = diffPlans(before, surge);
    expect(changed(diff)).toEqual(["create dev-green-system-g1"]);
    const old = resourceNamed(surge, NG, "dev-green-system").inputs;
    const next = resourceNamed(surge, NG, "dev-green-system-g1").inputs;
    expect(next).toMatchObject({ version: "1.34", labels: old.labels, taints: old.taints, instanceTypes: old.instanceTypes, scalingConfig: old.scalingConfig });
    expect(old.version).toBe("1.33");
    expect(next.nodeGroupName).not.toBe(old.nodeGroupName);
    expect(diff.steps.filter((s) => s.name.startsWith("dev-blue")).every((s) => s.op === "same")).toBe(true);
});

test("promoting the replacement (its settings, generation + 1, no block) removes only the old group", async () => {
    const promoted = await plan(group({ version: "1.34", generation: 1 }));
    const diff = diffPlans(surge, promoted);
    expect(changed(diff)).toEqual(["delete dev-green-system"]);
    expect(resourceNamed(promoted, NG, "dev-green-system-g1").inputs.nodeGroupName).toBe(resourceNamed(surge, NG, "dev-green-system-g1").inputs.nodeGroupName);
});

test.each([
    ["instanceTypes", ["m7i.large"]],
    ["diskSize", 100],
    ["amiType", "BOTTLEROCKET_x86_64"],
    ["capacityType", "SPOT"],
])("changing %s replaces the group under a new EKS name (create-before-delete cannot collide)", async (key, value) => {
    const after = await plan(group({ [key]: value }));
    const step = diffPlans(before, after).steps.find((s) => s.name === "dev-green-system")!;
    expect(step.op).toBe("replace");
    expect(step.replaceReasons).toContain("nodeGroupName");
    expect(resourceNamed(after, NG, "dev-green-system").inputs.nodeGroupName).not.toBe(resourceNamed(before, NG, "dev-green-system").inputs.nodeGroupName);
});

test("a version or size change keeps the EKS name (updated in place)", async () => {
    const after = await plan(group({ version: "1.34", maxSize: 6 }));
    const step = diffPlans(before, after).steps.find((s) => s.name === "dev-green-system")!;
    expect(step.op).toBe("update");
});

describe("desired size belongs to the autoscaler after creation", () => {
    const drifted = (p: Plan, size: number): Plan => ({
        ...p,
        resources: p.resources.map((r) => (r.type === NG && r.name === "dev-green-system" ? { ...r, inputs: { ...r.inputs, scalingConfig: { ...(r.inputs.scalingConfig as object), desiredSize: size } } } : r)),
    });

    test("an autoscaler's desired size (5, config still 2) is not reset", async () => {
        const name = String(resourceNamed(before, NG, "dev-green-system").inputs.nodeGroupName);
        const after = await plan(group(), { [name]: 2 });
        expect(changed(diffPlans(drifted(before, 5), after))).toEqual([]);
    });

    test("without a record (a stack deployed before the record existed) it is not reset either", async () => {
        expect(changed(diffPlans(drifted(before, 5), await plan(group())))).toEqual([]);
    });

    test("a changed config value (2 → 3) is applied", async () => {
        const name = String(resourceNamed(before, NG, "dev-green-system").inputs.nodeGroupName);
        const after = await plan(group({ desiredSize: 3 }), { [name]: 2 });
        const step = diffPlans(drifted(before, 5), after).steps.find((s) => s.name === "dev-green-system")!;
        expect(step.op).toBe("update");
        expect(step.changes).toEqual([{ path: "scalingConfig.desiredSize", before: 5, after: 3 }]);
    });

});
