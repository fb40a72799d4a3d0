/**
 * Manual gates end to end on the real engine: `--pause-before` scenarios (promote, abort, a gate
 * failing during the pause, Ctrl-C during the pause) on the simulated world, the pause record another
 * operator sees, and `bluegreen promote` / `cutover --pause-before` with injected deps.
 */
import * as path from "path";
import { formatWeights } from "../../src/config/colors";
import type { CutoverEvent } from "../../src/cutover/contract";
import { runCutoverCommand, CutoverCommandOptions } from "../../src/cli/commands/cutover";
import { OperatorDeps } from "../../src/cli/commands/operator";
import { runPromoteCommand } from "../../src/cli/commands/promote";
import { buildProgram } from "../../src/cli/main";
import { parseEvents } from "../../src/report/events";
import { markersOf } from "../../src/report/model";
import { rehearsalGates, rehearse, RehearsalResult } from "../../src/cutover/rehearsal/rehearse";
import { parseScenario } from "../../src/cutover/rehearsal/scenario";
import { expectEnd, runScenario } from "./scenario-runner";
import { REHEARSAL_EPOCH, SimulatedWorld } from "../../src/cutover/rehearsal/world";

const run = runScenario;
const at = (minutes: number) => new Date(REHEARSAL_EPOCH + minutes * 60_000).toISOString();
const ofType = (r: RehearsalResult, type: string) => r.events.filter((e) => e.type === type);
/** When the load balancer was seen at a weight on green (the verify events). */
const verifiedAt = (r: RehearsalResult, green: number) => r.events.find((e) => e.type === "verify" && e.result === "pass" && e.weights?.green === green)?.ts;

function io() {
    const out = { stdout: "", stderr: "" };
    return { out, io: { stdout: (t: string) => (out.stdout += t), stderr: (t: string) => (out.stderr += t) } };
}

describe("--pause-before on the engine (rehearsal scenarios)", () => {
    test.each([
        ["pause-promote", "completed", 0, { blue: 0, green: 100 }],
        ["pause-abort", "fell-back", 1, { blue: 100, green: 0 }],
        ["pause-gate-fails", "fell-back", 1, { blue: 100, green: 0 }],
        ["pause-interrupt", "interrupted", 130, { blue: 90, green: 10 }],
    ])("%s ends %s (exit %i) at known weights", async (name, status, exitCode, weights) => {
        const result = await run(name);
        expectEnd(result, status, exitCode, weights);
    });

    test("promote: waits at 10% after its bake, moves to 50% only after the promote at 30m; an early promote decides nothing", async () => {
        const result = await run("pause-promote");
        expect(result.world.decided).toEqual([
            { at: at(5), action: "promote", by: "early@laptop", result: "no cutover of stack rehearsal is paused" },
            { at: at(30), action: "promote", by: "ana@laptop", result: "promoted before 50%" },
        ]);
        const [pause] = ofType(result, "pause");
        expect(pause).toMatchObject({ step: 2, weights: { blue: 90, green: 10 } });
        expect(pause.message).toContain("`bluegreen promote --stack rehearsal`");
        expect(pause.message).toContain("`bluegreen promote --stack rehearsal --abort`");
        expect(Date.parse(pause.ts)).toBeGreaterThanOrEqual(Date.parse(ofType(result, "step-baked")[0].ts));
        // not one weight change between the pause and the promote
        const fiftyAt = Date.parse(verifiedAt(result, 50)!);
        expect(fiftyAt).toBeGreaterThan(Date.parse(at(30)));
        expect(fiftyAt - Date.parse(at(30))).toBeLessThanOrEqual(2 * 60_000); // picked up at the next check
        expect(ofType(result, "promoted")[0].message).toBe(`promoted by ana@laptop at ${at(30)}: moving to 50%`);
        // the gates were checked all through the pause, not just once
        const gatesWhilePaused = result.events.filter((e) => e.type === "gate" && e.step === 2 && Date.parse(e.ts) < Date.parse(at(30)) && Date.parse(e.ts) > Date.parse(pause.ts));
        expect(new Set(gatesWhilePaused.map((e) => e.ts)).size).toBeGreaterThanOrEqual(15);
        expect(await result.world.pauses.read("rehearsal")).toMatchObject({ state: "promoted", by: "ana@laptop", percent: 50, runId: "rehearsal", waiter: "rehearsal@simulated" });
        // A promote is refused once the waiting run's lease (4 intervals) has expired: the one at 30m
        // was accepted, so the lease was renewed all through the 20-minute pause.
        expect(result.world.store.lease).toBeUndefined(); // released at the end
    });

    test("the event stream is one the report reads: the pause is a pause marker at the time the run began to wait", async () => {
        const result = await run("pause-promote");
        const ndjson = result.events.map((e) => JSON.stringify(e)).join("\n");
        const markers = markersOf(parseEvents(ndjson, "pause.ndjson"));
        const pauses = markers.filter((m) => m.kind === "pause");
        expect(pauses).toHaveLength(1);
        expect(pauses[0].ts).toBe(ofType(result, "pause")[0].ts);
        expect(Date.parse(pauses[0].ts)).toBeLessThan(Date.parse(at(30)));
    });

    test("abort: the abort path (all back to blue) even with previous-step; the reason names who aborted", async () => {
        const result = await run("pause-abort");
        const fallback = ofType(result, "fallback")[0];
        expect(fallback).toMatchObject({ weights: { blue: 100, green: 0 } });
        expect(fallback.message).toMatch(/^aborted by bo@ci while paused before 50%: back to/);
        expect(result.events.some((e) => e.type === "verify" && e.weights?.green === 50)).toBe(false);
        expect(result.world.store.record).toMatchObject({ phase: "fell-back", verifiedWeights: { blue: 100, green: 0 } });
        const done = result.events[result.events.length - 1];
        expect(done).toMatchObject({ type: "done", result: "fail" });
    });

    test("a gate failing during the pause takes the failure policy without waiting for an operator; the pause is ended", async () => {
        const result = await run("pause-gate-fails");
        const fallback = ofType(result, "fallback")[0];
        expect(Date.parse(fallback.ts)).toBeLessThan(Date.parse(at(20)));
        expect(fallback.message).toMatch(/^while paused before 50%: target-5xx shop/);
        expect(result.world.decided).toEqual([]); // the run was over before the promote at 40m
        expect(await result.world.pauses.read("rehearsal")).toMatchObject({ state: "ended", note: expect.stringMatching(/^a gate failed while paused/) });
    });

    test("Ctrl-C during the pause: stops, weights where they are, pause marked interrupted, lease released; a later promote exits 1", async () => {
        const result = await run("pause-interrupt");
        expect(result.world.lb.shop).toEqual({ blue: 90, green: 10 });
        expect(ofType(result, "interrupted")).toHaveLength(1);
        expect(result.world.store.record).toMatchObject({ phase: "interrupted", verifiedWeights: { blue: 90, green: 10 } });
        expect(await result.world.pauses.read("rehearsal")).toMatchObject({ state: "interrupted" });
        expect(result.world.store.lease).toBeUndefined();
        const { out, io: commandIO } = io();
        expect(await runPromoteCommand({ stack: "rehearsal", abort: false, json: false, cwd: "." }, commandIO, { store: result.world.pauses, who: "ana@laptop", now: () => new Date(at(25)) })).toBe(1);
        expect(out.stderr).toMatch(/^bluegreen promote: no cutover of stack rehearsal is paused \(the last pause \(before 50%, run rehearsal of rehearsal@simulated, since .*\) was interrupted: .*\): nothing to promote\n$/);
    });

    test("a pause before the first step waits at 0% (nothing moved); an abort there leaves the weights alone", async () => {
        const result = await rehearse(parseScenario(`
command: cutover
to: green
start: { weights: { blue: 100, green: 0 } }
apps: [shop]
settings: { steps: [10, 50, 100], bake: 10m, interval: 1m }
pauseBefore: [10]
decisions: [{ at: 3m, action: abort, by: bo@ci }]
`));
        expectEnd(result, "fell-back", 1, { blue: 100, green: 0 });
        expect(result.world.calls.update).toBeUndefined();
        expect(ofType(result, "fallback")[0].message).toBe(`aborted by bo@ci: no traffic had moved, weights stay at ${formatWeights({ blue: 100, green: 0 })}`);
    });

    test("a scenario's pauseBefore must be one of its steps", () => {
        expect(() => parseScenario("command: cutover\nto: green\nstart: { weights: { blue: 100, green: 0 } }\npauseBefore: [30]\ndecisions: [{ at: 1m, action: promote }]", "s.yaml")).toThrow(/s\.yaml: pauseBefore\[0\]: 30 is not one of settings\.steps \(10, 50, 100\)/);
    });
});

describe("cutover --pause-before and bluegreen promote (commands, injected deps)", () => {
    function worldDeps(yaml: string) {
        const scenario = parseScenario(yaml);
        const world = new SimulatedWorld(scenario);
        const deps: OperatorDeps = {
            stack: world.stack(), live: world.live(), store: world.store, clock: world.clock, signal: world.interrupt.signal,
            identity: { owner: "ops", host: "ci" }, runId: "run-1", pause: world.pauses,
            gates: () => rehearsalGates(world, scenario),
        };
        return { world, deps };
    }
    const base = "command: cutover\nto: green\nstart: { weights: { blue: 100, green: 0 } }\napps: [shop]\n";
    const options = (o: Partial<CutoverCommandOptions> = {}): CutoverCommandOptions => ({ stack: "prod", to: "green", cwd: path.join(__dirname, "..", ".."), json: false, bake: "10m", interval: "1m", steps: "10,50,100", ...o });

    test("--pause-before that is not a step: exit 2 with the steps, before the stack is touched", async () => {
        for (const value of ["30", "fifty", "0"]) {
            let touched = false;
            const { out, io: commandIO } = io();
            const code = await runCutoverCommand(options({ pauseBefore: [value] }), commandIO, async () => { touched = true; throw new Error("should not be called"); });
            expect({ value, code, touched }).toEqual({ value, code: 2, touched: false });
            expect(out.stderr).toBe(`bluegreen cutover: --pause-before "${value}" is not one of the steps 10, 50, 100: name the percentage the cutover should pause before\n`);
        }
    });

    test("without a pause store (no cutover table) a paused cutover is refused with exit 2 and nothing moves", async () => {
        const w = worldDeps(base);
        delete w.deps.pause;
        const { out, io: commandIO } = io();
        expect(await runCutoverCommand(options({ pauseBefore: ["50"] }), commandIO, w.deps)).toBe(2);
        expect(out.stderr).toMatch(/--pause-before needs the environment's cutover table/);
        expect(w.world.lb.shop).toEqual({ blue: 100, green: 0 });
        expect(w.world.store.lease).toBeUndefined();
    });

    test("the human output tells the operator the exact promote and abort commands for the stack; --pause-before 100% is a step", async () => {
        const w = worldDeps(`${base}decisions: [{ at: 15m, action: promote, by: ana@laptop }, { at: 40m, action: promote, by: ana@laptop }]`);
        const { out, io: commandIO } = io();
        expect(await runCutoverCommand(options({ pauseBefore: ["50", "100%"] }), commandIO, w.deps)).toBe(0);
        expect(out.stdout).toMatch(/^\d\d:\d\d:\d\d pause \[step 2\] .* paused before 50% since .* \(run run-1, ops@ci\); the gates are still watched\. To go on: `bluegreen promote --stack prod`; to fall back: `bluegreen promote --stack prod --abort`$/m);
        expect(out.stdout).toMatch(/^\d\d:\d\d:\d\d pause \[step 3\] .* paused before 100% /m);
        expect(out.stdout).toMatch(/^\d\d:\d\d:\d\d promoted \[step 3\] .* promoted by ana@laptop at /m);
        expect(w.world.lb.shop).toEqual({ blue: 0, green: 100 });
    });

    test("while paused the run renews its lease every check, so a promote 25 minutes later is still accepted", async () => {
        const w = worldDeps(`${base}decisions: [{ at: 35m, action: promote, by: ana@laptop }]`);
        const renewals: number[] = [];
        const renew = w.world.store.renewLease.bind(w.world.store);
        w.world.store.renewLease = async (runId, expiresAt) => {
            renewals.push(w.world.clock.now());
            return renew(runId, expiresAt);
        };
        expect(await runCutoverCommand(options({ pauseBefore: ["50"] }), io().io, w.deps)).toBe(0);
        const duringPause = renewals.filter((t) => t > Date.parse(at(11)) && t < Date.parse(at(35)));
        expect(duringPause.length).toBeGreaterThanOrEqual(20);
    });

    test("--json events carry the pause for the report", async () => {
        const w = worldDeps(`${base}decisions: [{ at: 15m, action: abort, by: bo@ci }]`);
        const { out, io: commandIO } = io();
        expect(await runCutoverCommand(options({ pauseBefore: ["50"], json: true }), commandIO, w.deps)).toBe(1);
        const report = JSON.parse(out.stdout) as { status: string; failures: Array<{ gate: string; message: string }>; events: CutoverEvent[] };
        expect(report.status).toBe("fell-back");
        expect(report.failures).toEqual([{ gate: "manual", result: "fail", message: expect.stringMatching(/^aborted by bo@ci at /) }]);
        expect(report.events.find((e) => e.type === "pause")).toMatchObject({ run: "run-1", step: 2, weights: { blue: 90, green: 10 } });
    });

    test("bluegreen promote is registered with --stack, --abort and --json; cutover takes --pause-before", () => {
        const program = buildProgram({ loadProgram: async () => { throw new Error("not used"); } });
        const promote = program.commands.find((c) => c.name() === "promote")!;
        expect(promote).toBeDefined();
        expect(promote.options.map((o) => o.long)).toEqual(expect.arrayContaining(["--stack", "--abort", "--json"]));
        expect(promote.options.find((o) => o.long === "--stack")!.mandatory).toBe(true);
        const cutover = program.commands.find((c) => c.name() === "cutover")!;
        expect(cutover.options.find((o) => o.long === "--pause-before")!.variadic).toBe(true);
    });
});
