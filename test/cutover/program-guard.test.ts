import { deployEnvironment } from "../../components/environment";
import { loadEnvironmentConfig } from "../../src/config";
import { configDigest, CutoverProgramDeps } from "../../src/cutover/program-guard";
import type { CutoverRecord } from "../../src/cutover/record";
import { OFFLINE_CRD_DEPS, planEnvironment } from "../../src/plan/stack-plan";
import { nodeGroup, rawConfig, withValue } from "../helpers/raw-config";
import { albRouting } from "../routing/fixtures";

const raw = (weights: { blue: number; green: number }) => rawConfig({ routing: albRouting({ weights, verification: { enabled: false } }) });

async function plan(config: Record<string, unknown>, deps: CutoverProgramDeps, crdDeps = OFFLINE_CRD_DEPS) {
    const parsed = loadEnvironmentConfig(config);
    return planEnvironment({ config: parsed, environment: "prod", region: "eu-west-1" }, "prod", (inputs, crd) => deployEnvironment(inputs, crd, { cutover: deps }), crdDeps);
}

const record = (overrides: Partial<CutoverRecord> = {}): CutoverRecord => ({
    runId: "20261127T2300-ab12", command: "cutover", from: "blue", to: "green", phase: "completed", stepIndex: 3,
    verifiedWeights: { blue: 0, green: 100 }, bakedPercents: [10, 50, 100], rules: [], updatedAt: "2026-11-27T23:40:00Z", ...overrides,
});

describe("the program and the cutover", () => {
    test("the environment gets an on-demand cutover table, named in the stack outputs; weights that agree with the record pass the guard", async () => {
        const p = await plan(raw({ blue: 0, green: 100 }), { weightsOnly: false, cutoverState: async () => ({ record: record(), live: { blue: 0, green: 100 } }) });
        const tables = p.resources.filter((r) => r.type === "aws:dynamodb/table:Table");
        expect(tables.map((t) => [t.name, t.inputs.billingMode, t.inputs.hashKey, t.inputs.rangeKey])).toEqual([["prod-cutover", "PAY_PER_REQUEST", "pk", "sk"]]);
        expect(p.outputs.cutoverState).toEqual({ tableName: "prod-bluegreen-cutover" });
    });

    test("drift guard: an old checkout's weights against a finished cutover stop before any change, naming live, record and what to do", async () => {
        const deps = { weightsOnly: false, cutoverState: async () => ({ record: record(), live: { blue: 0, green: 100 } }) };
        await expect(plan(raw({ blue: 100, green: 0 }), deps)).rejects.toThrow(/stack config's weights \(blue 100% \/ green 0%\) disagree with the last cutover[\s\S]*live on the load balancer: blue 0% \/ green 100%[\s\S]*cutover 20261127T2300-ab12 \(blue → green\), completed at step 3[\s\S]*pull the committed stack file/);
    });

    test("drift guard against a running cutover says to resume it", async () => {
        const deps = { weightsOnly: false, cutoverState: async () => ({ record: record({ phase: "interrupted", stepIndex: 2, verifiedWeights: { blue: 50, green: 50 } }) }) };
        await expect(plan(raw({ blue: 100, green: 0 }), deps)).rejects.toThrow(/running cutover[\s\S]*live on the load balancer: not read[\s\S]*resume it with `bluegreen cutover`/);
    });

    test("weights-only mode runs no CRD gate and refuses config changes beyond the weights", async () => {
        const before = configDigest(loadEnvironmentConfig(raw({ blue: 100, green: 0 })));
        const crdDepsThatFail = { ...OFFLINE_CRD_DEPS, loadAddonCrds: () => { throw new Error("CRD gate ran"); }, readLiveCrds: () => { throw new Error("cluster read"); } };
        const weightsOnly = { weightsOnly: true, previousConfigDigest: async () => before, cutoverState: async () => { throw new Error("not read in weights-only mode"); } };
        // only weights changed: accepted, without the CRD gate or the record
        await expect(plan(raw({ blue: 90, green: 10 }), weightsOnly, crdDepsThatFail)).resolves.toBeDefined();
        // a node group change (or any other change) in the same stack file: refused
        const bumped = withValue(raw({ blue: 90, green: 10 }), "clusters.green.nodeGroups", [nodeGroup({ instanceTypes: ["m7i.large"] })]);
        await expect(plan(bumped, weightsOnly, crdDepsThatFail)).rejects.toThrow(/targeted cutover update was refused: the stack config changes more than the weights/);
    });
});
