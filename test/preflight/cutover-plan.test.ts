/**
 * The plan preflight shows is the cutover the engine runs: each scenario (steps, bake, the weights the
 * load balancer applies, the record of an unfinished cutover) is driven through the real engine on
 * fakes and through `preflight --live` on the same fakes, and both are compared with expectations
 * written out by hand here: which weights are baked, in order, and for how long.
 */
import fc from "fast-check";
import { Color, formatWeights, Weights } from "../../src/config/colors";
import type { Gate } from "../../src/cutover/contract";
import { eventSink } from "../../src/cutover/events";
import type { Clock, StackOperations } from "../../src/cutover/model";
import { CutoverRecord, MemoryCutoverStore } from "../../src/cutover/record";
import { runCutover } from "../../src/cutover/run";
import { LiveReaders, PreflightReport, runPreflight } from "../../src/preflight";
import { planSettingsFor } from "./plan-settings";
import { stackView } from "../cutover/fakes";
import { albRouting } from "../routing/fixtures";
import { rawConfig } from "../helpers/raw-config";

const MIN = 60_000;
const T0 = Date.parse("2026-11-28T02:00:00Z");

interface Scenario {
    name: string;
    steps: number[];
    bakeMin: number;
    /** The stack config's weights, and what the load balancer applies. */
    config: Weights;
    live: Weights;
    record?: Partial<CutoverRecord>;
    /** Written by hand: each bake of the run, "blue x% / green y%" for that many minutes. */
    expected: Array<[string, number]>;
}

const g = (green: number): Weights => ({ blue: 100 - green, green });
const w = (green: number) => formatWeights(g(green));

function record(partial: Partial<CutoverRecord>): CutoverRecord {
    return { runId: "earlier", command: "cutover", from: "blue", to: "green", phase: "interrupted", stepIndex: 1, verifiedWeights: g(0), bakedPercents: [], rules: [], updatedAt: new Date(T0 - 30 * MIN).toISOString(), ...partial };
}

const SCENARIOS: Scenario[] = [
    { name: "a first cutover from blue", steps: [10, 50, 100], bakeMin: 10, config: g(0), live: g(0), expected: [[w(10), 10], [w(50), 10], [w(100), 10]] },
    { name: "the config says 0% but the load balancer applies 10%: the live 10% is baked first", steps: [25, 50, 100], bakeMin: 5, config: g(0), live: g(10), expected: [[w(10), 5], [w(25), 5], [w(50), 5], [w(100), 5]] },
    {
        name: "an interrupted cutover at 50%, 4 of 10 minutes baked: 6 more, then 100%",
        steps: [10, 50, 100], bakeMin: 10, config: g(50), live: g(50),
        record: { verifiedWeights: g(50), bakedPercents: [10], stepIndex: 2, bakeStartedAt: new Date(T0 - 10 * MIN).toISOString(), bakedMs: 4 * MIN },
        expected: [[w(50), 6], [w(100), 10]],
    },
    { name: "50% already baked in the record: only 100% is left", steps: [10, 50, 100], bakeMin: 10, config: g(50), live: g(50), record: { verifiedWeights: g(50), bakedPercents: [10, 50], stepIndex: 2 }, expected: [[w(100), 10]] },
    { name: "green carries 100% and nothing is recorded: nothing to do", steps: [10, 50, 100], bakeMin: 10, config: g(100), live: g(100), expected: [] },
    {
        name: "green at 100% but its bake was cut short: the rest of it",
        steps: [10, 50, 100], bakeMin: 10, config: g(100), live: g(100),
        record: { verifiedWeights: g(100), bakedPercents: [10, 50], stepIndex: 3, bakeStartedAt: new Date(T0 - 5 * MIN).toISOString(), bakedMs: 2 * MIN },
        expected: [[w(100), 8]],
    },
    { name: "a record of a cutover to blue does not count for green", steps: [20, 100], bakeMin: 5, config: g(0), live: g(0), record: { to: "blue", from: "green", verifiedWeights: g(0), bakedPercents: [20] }, expected: [[w(20), 5], [w(100), 5]] },
];

const passing: Gate = { name: "ok", kind: "health", describe: () => "always passes", check: async () => [{ gate: "ok", result: "pass", message: "ok" }] };

/** The engine on fakes: each bake it did, with the engine clock's minutes between its start and step-baked. */
async function engineBakes(s: Scenario, target: Color = "green"): Promise<Array<[string, number]>> {
    let t = T0;
    let live = { ...s.live };
    let pending = live;
    const clock: Clock = { now: () => t, sleep: async (ms) => void (t += ms) };
    const view = stackView({ weights: s.config });
    const stack: StackOperations = {
        read: async () => view,
        setRouting: async ({ weights }) => void (pending = { ...weights }),
        previewRouting: async () => ({ update: 1 }),
        updateRouting: async () => {
            live = pending;
            return { updated: 1, created: 0, deleted: 0, replaced: 0 };
        },
    };
    const store = new MemoryCutoverStore();
    if (s.record) store.record = record(s.record);
    const events = eventSink({ run: "now", now: () => t });
    const outcome = await runCutover(
        { target },
        { steps: s.steps, bakeMs: s.bakeMin * MIN, intervalMs: MIN, onFailure: "abort", consecutiveErrorLimit: 3, failureLimit: 1 },
        { stack, live: { read: async () => ({ shop: { ...live } }) }, gates: [passing], clock, store, events, runId: "now", identity: { owner: "test", host: "here" } },
    );
    expect(outcome.status).toBe(s.expected.length ? "completed" : "nothing-to-do");
    const bakes: Array<[string, number]> = [];
    let started = T0;
    for (const e of events.events) {
        if ((e.type === "verify" && e.result === "pass") || e.type === "resume") started = Date.parse(e.ts);
        if (e.type === "step-baked") bakes.push([formatWeights(e.weights!), (Date.parse(e.ts) - started) / MIN]);
    }
    return bakes;
}

function liveReaders(s: Scenario): LiveReaders {
    const view = stackView({ weights: s.config });
    return {
        view,
        shell: {},
        credentials: async () => undefined,
        routing: { read: async () => ({ shop: { ...s.live } }) },
        targets: { targets: async () => [{ id: "10.0.0.1", state: "healthy" }] },
        lease: async () => undefined,
        record: async () => (s.record ? record(s.record) : undefined),
        stickiness: async () => [],
        requests: async () => 10,
        git: async () => ({ code: 0, stdout: "true\n", stderr: "" }),
        now: () => new Date(T0),
    };
}

async function preflight(s: Scenario, live = true): Promise<PreflightReport> {
    const values = rawConfig({ routing: albRouting({ weights: s.config }), cutover: { steps: s.steps, bake: `${s.bakeMin}m` } });
    return runPreflight(
        { stack: "prod", stackFile: "stacks/Pulumi.prod.yaml", values, secretPaths: [], today: "2026-11-28", projectDir: "/project", cutover: planSettingsFor(s.steps, `${s.bakeMin}m`, "green") },
        { scanManifests: async () => ({ findings: [], files: 1, documents: 1, skipped: [], errors: [] }), ...(live ? { live: async () => liveReaders(s) } : {}) },
    );
}

const planned = (report: PreflightReport): Array<[string, number]> => report.plan!.steps.map((p) => [formatWeights(p.weights), p.bakeMs / MIN]);

describe("the preflight plan is the cutover the engine runs", () => {
    test.each(SCENARIOS.map((s) => [s.name, s] as const))("%s", async (_name, s) => {
        const report = await preflight(s);
        expect(planned(report)).toEqual(s.expected);
        expect(await engineBakes(s)).toEqual(s.expected);
        // each step: its bake, then the settle delay (2m) until its last minutes are published
        expect(report.plan!.minimumDurationMs).toBe(s.expected.reduce((sum, [, m]) => sum + m + 2, 0) * MIN);
        expect(report.plan!.startFrom).toBe("load balancer");
    });

    test("property: for any steps, live weight and record, preflight plans exactly the engine's bakes", async () => {
        await fc.assert(
            fc.asyncProperty(
                fc.uniqueArray(fc.integer({ min: 1, max: 99 }), { minLength: 0, maxLength: 4 }).map((a) => [...a.sort((x, y) => x - y), 100]),
                fc.integer({ min: 0, max: 100 }),
                fc.option(fc.record({ baked: fc.subarray([5, 10, 25, 50, 75, 100]), bakedMin: fc.integer({ min: 0, max: 9 }), same: fc.boolean() }), { nil: undefined }),
                async (steps, green, rec) => {
                    const s: Scenario = {
                        name: "generated", steps, bakeMin: 3, config: g(0), live: g(green), expected: [],
                        ...(rec ? { record: { verifiedWeights: rec.same ? g(green) : g(0), bakedPercents: rec.baked, bakeStartedAt: new Date(T0 - MIN).toISOString(), bakedMs: rec.bakedMin * MIN } } : {}),
                    };
                    const report = await preflight(s);
                    const plan = planned(report);
                    expect(await engineBakes({ ...s, expected: plan })).toEqual(plan);
                },
            ),
            { numRuns: 25 },
        );
    });

    test("offline, the plan starts from the stack config's weights", async () => {
        const report = await preflight(SCENARIOS[1], false);
        expect(report.plan!.startFrom).toBe("stack config");
        expect(planned(report)).toEqual([[w(25), 5], [w(50), 5], [w(100), 5]]);
    });
});
