import * as fs from "fs";
import * as path from "path";
import { runCutoverCommand, CutoverCommandOptions } from "../../src/cli/commands/cutover";
import { operatorSettings, OperatorDeps } from "../../src/cli/commands/operator";
import { runRehearseCommand } from "../../src/cli/commands/rehearse";
import { runRollbackCommand } from "../../src/cli/commands/rollback";
import { runStatusCommand } from "../../src/cli/commands/status";
import { stackView as viewFromOutputs } from "../../src/cutover/automation";
import { rehearsalGates } from "../../src/cutover/rehearsal/rehearse";
import { parseScenario } from "../../src/cutover/rehearsal/scenario";
import { SimulatedWorld } from "../../src/cutover/rehearsal/world";
import { tempDir } from "../helpers/temp-dir";

const projectDir = path.join(__dirname, "..", "..");

function io() {
    const out = { stdout: "", stderr: "" };
    return { out, io: { stdout: (t: string) => (out.stdout += t), stderr: (t: string) => (out.stderr += t) } };
}

function worldDeps(yaml = "command: cutover\nto: green\nstart: { weights: { blue: 100, green: 0 } }\napps: [shop]") {
    const scenario = parseScenario(yaml);
    const world = new SimulatedWorld(scenario);
    let thresholds: unknown;
    const deps: OperatorDeps = {
        stack: world.stack(), live: world.live(), store: world.store, clock: world.clock, signal: world.interrupt.signal,
        identity: { owner: "ops", host: "ci" }, runId: "run-1", targetHealth: world.targetHealth(),
        gates: (_v, _c, t) => { thresholds = t; return rehearsalGates(world, scenario); },
    };
    return { world, deps, thresholds: () => thresholds };
}

const cutoverOptions = (overrides: Partial<CutoverCommandOptions> = {}): CutoverCommandOptions => ({ stack: "prod", to: "green", cwd: projectDir, json: false, bake: "10m", interval: "1m", ...overrides });

describe("bluegreen cutover / rollback / status / rehearse commands", () => {
    test("bad flags are refused before the stack is touched", async () => {
        for (const flags of [{ steps: "10,abc" }, { bake: "forever" }, { steps: "50,10,100" }, { interval: "0s" }, { onFailure: "sideways" }]) {
            let touched = false;
            const { out, io: commandIO } = io();
            const code = await runCutoverCommand(cutoverOptions(flags), commandIO, async () => { touched = true; throw new Error("spawn pulumi ENOENT"); });
            expect({ flags, code, touched }).toEqual({ flags, code: 2, touched: false });
            expect(out.stderr).toMatch(/^bluegreen cutover: --?\S*/);
        }
    });

    test("thresholds come from the stack's own file, also for org/project/stack names", () => {
        expect(operatorSettings({ stack: "acme/bluegreen/prod", cwd: projectDir }).max5xxRate).toBe(0.005);
        expect(operatorSettings({ stack: "prod", cwd: projectDir, max5xxRate: "0.02" }).max5xxRate).toBe(0.02);
        expect(operatorSettings({ stack: "no-such-stack", cwd: projectDir })).toMatchObject({ steps: [10, 50, 100], bakeMs: 600_000, intervalMs: 60_000, onFailure: "abort", consecutiveErrorLimit: 4, failureLimit: 0 });
    });

    test("exit 0 on a completed cutover; human output has one time-stamped line per event, including gate checks", async () => {
        const w = worldDeps();
        const { out, io: commandIO } = io();
        expect(await runCutoverCommand(cutoverOptions({ stack: "acme/bluegreen/prod" }), commandIO, w.deps)).toBe(0);
        expect(w.world.lb.shop).toEqual({ blue: 0, green: 100 });
        expect(out.stdout).toMatch(/^00:00:00 start /m);
        expect(out.stdout).toMatch(/^\d\d:\d\d:\d\d {3}✓ target-health shop green: shop on green: 3 healthy of 3 targets/m);
        expect(out.stdout).toMatch(/^\d\d:\d\d:\d\d done .*completed$/m);
        expect(w.thresholds()).toMatchObject({ max5xxRate: 0.005 });
    });

    test("--json prints status, exit code, final weights and the events; --events - writes NDJSON", async () => {
        const w = worldDeps("command: cutover\nto: green\nstart: { weights: { blue: 100, green: 0 } }\napps: [shop]\nworld: [{ at: 1m, color: green, errorRate5xx: 0.5 }]");
        const { out, io: commandIO } = io();
        expect(await runCutoverCommand(cutoverOptions({ json: true }), commandIO, w.deps)).toBe(1);
        const report = JSON.parse(out.stdout);
        expect(report).toMatchObject({ status: "fell-back", exitCode: 1, finalWeights: { blue: 100, green: 0 } });
        expect(report.events.map((e: { type: string }) => e.type)).toEqual(expect.arrayContaining(["start", "precheck", "update-begin", "update-done", "verify", "gate", "fallback", "done"]));
        const w2 = worldDeps();
        const ndjson = io();
        await runCutoverCommand(cutoverOptions({ events: "-" }), ndjson.io, w2.deps);
        const lines = ndjson.out.stdout.trim().split("\n").map((l) => JSON.parse(l));
        expect(lines[0]).toMatchObject({ run: "run-1", type: "start" });
        expect(lines.every((l) => typeof l.ts === "string")).toBe(true);
    });

    test("a targeted update whose preview would create or replace anything is refused; nothing updated", async () => {
        const w = worldDeps();
        let updates = 0;
        const stack = w.deps.stack;
        w.deps.stack = { ...stack, previewRouting: async () => ({ update: 1, replace: 1 }), updateRouting: async (urns) => { updates++; return stack.updateRouting(urns); } };
        const { out, io: commandIO } = io();
        expect(await runCutoverCommand(cutoverOptions(), commandIO, w.deps)).toBe(1);
        expect(updates).toBe(0);
        expect(out.stdout).toMatch(/refused: the preview of the targeted update would replace 1 \(only in-place updates of the weighted resources are allowed\)/);
        expect(w.world.lb.shop).toEqual({ blue: 100, green: 0 });
        expect(w.world.config.weights).toEqual({ blue: 100, green: 0 }); // config put back
    });

    test("a second run while the lease is held exits 3 and names the holder", async () => {
        const w = worldDeps("command: cutover\nto: green\nstart: { weights: { blue: 100, green: 0 } }\nfaults: [{ at: 0m, kind: lease-held, owner: alice, host: laptop-42 }]");
        const { out, io: commandIO } = io();
        expect(await runCutoverCommand(cutoverOptions(), commandIO, w.deps)).toBe(3);
        expect(out.stdout).toMatch(/alice@laptop-42 holds the cutover lease since 2026-01-01T00:00:00.000Z/);
    });

    test("rollback exits 0 and clears previousColor; exit 1 with the numbers when the receiving color is too small", async () => {
        const w = worldDeps("command: rollback\nstart: { weights: { blue: 10, green: 90 }, previousColor: blue }\napps: [shop]");
        const { io: commandIO } = io();
        expect(await runRollbackCommand({ stack: "prod", cwd: projectDir, json: false, watch: "1m" }, commandIO, w.deps)).toBe(0);
        expect(w.world.config).toEqual({ weights: { blue: 100, green: 0 }, previousColor: undefined });
        const small = worldDeps("command: rollback\nstart: { weights: { blue: 0, green: 100 }, previousColor: blue }\napps: [shop]\nworld: [{ at: 0m, color: blue, healthyTargets: 1 }]");
        const refused = io();
        expect(await runRollbackCommand({ stack: "prod", cwd: projectDir, json: false }, refused.io, small.deps)).toBe(1);
        expect(refused.out.stdout).toMatch(/app shop: 1 healthy on blue, 3 on green/);
        expect(small.world.lb.shop).toEqual({ blue: 0, green: 100 });
    });

    test("status shows live weights beside config and record, with drift flagged", async () => {
        const w = worldDeps("command: cutover\nto: green\nstart: { weights: { blue: 90, green: 10 }, config: { blue: 50, green: 50 } }\napps: [shop]");
        const { out, io: commandIO } = io();
        const code = await runStatusCommand({ stack: "prod", json: false }, commandIO, { stack: w.deps.stack, live: w.deps.live, record: async () => undefined, targetHealth: async () => ({ healthy: 3 }) });
        expect(code).toBe(0);
        expect(out.stdout).toMatch(/live: blue 90% \/ green 10%/);
        expect(out.stdout).toMatch(/DRIFT: the load balancer applies blue 90% \/ green 10% but the stack config says blue 50% \/ green 50%/);
    });

    test("rehearse: --json report, exit code of the run, exit 2 with the path of a mistake", async () => {
        const dir = tempDir("rehearse-");
        const good = path.join(dir, "good.yaml");
        fs.writeFileSync(good, "command: cutover\nto: green\nstart: { weights: { blue: 100, green: 0 } }\n");
        const ok = io();
        expect(await runRehearseCommand(good, { json: true }, ok.io)).toBe(0);
        expect(JSON.parse(ok.out.stdout)).toMatchObject({ status: "completed", exitCode: 0, finalWeights: { blue: 0, green: 100 } });
        const bad = path.join(dir, "bad.yaml");
        fs.writeFileSync(bad, "command: cutover\nto: green\nstart: { weights: { blue: 100, green: 0 } }\nfaults: [{ at: 1m, kind: api-errors, api: cloudwatch, count: 0 }]\n");
        const refused = io();
        expect(await runRehearseCommand(bad, { json: false }, refused.io)).toBe(2);
        expect(refused.out.stderr).toContain(`${bad}: faults[0].count`);
    });

    test("the Automation API view reads weights from config and the rest from outputs", () => {
        const view = viewFromOutputs(
            { "bluegreen:routing": { value: JSON.stringify({ weights: { blue: 90, green: 10 }, mode: "alb" }) }, "bluegreen:cutover": { value: JSON.stringify({ previousColor: "blue" }) } },
            { clusters: { value: { green: { name: "prod-green" } } }, routing: { value: { apps: { shop: { hostnames: [], targetGroupArns: {} } }, weightedResourceUrns: ["urn:a"] } } },
        );
        expect(view).toMatchObject({ weights: { blue: 90, green: 10 }, previousColor: "blue", mode: "alb", weightedResourceUrns: ["urn:a"] });
    });
});

describe("signals and missing tools", () => {
    test("first Ctrl-C aborts after the current operation; a second says what it leaves behind and exits 130", async () => {
        const { withInterrupt } = await import("../../src/cli/commands/operator");
        const { out, io: commandIO } = io();
        const exits: number[] = [];
        let release!: () => void;
        const finished = withInterrupt(async (signal) => {
            await new Promise<void>((r) => (release = r));
            return signal.aborted;
        }, commandIO, (code) => exits.push(code));
        process.emit("SIGINT");
        expect(out.stderr).toMatch(/SIGINT: finishing the current operation \(an update in flight completes\)/);
        expect(exits).toEqual([]);
        process.emit("SIGTERM");
        expect(exits).toEqual([130]);
        expect(out.stderr).toMatch(/SIGTERM again: leaving now\. An update in flight goes on in Pulumi and its weights are NOT read back/);
        release();
        expect(await finished).toBe(true);
        expect(process.listenerCount("SIGINT")).toBe(0);
    });

    test("without the Pulumi CLI: a plain message, exit 2, and --json still prints JSON", async () => {
        const { PulumiMissingError } = await import("../../src/cutover/automation");
        const { out, io: commandIO } = io();
        const code = await runCutoverCommand(cutoverOptions({ json: true }), commandIO, async () => { throw new PulumiMissingError("the Pulumi CLI (`pulumi`) is not on PATH: install it"); });
        expect(code).toBe(2);
        expect(out.stderr).toBe("bluegreen cutover: the Pulumi CLI (`pulumi`) is not on PATH: install it\n");
        expect(JSON.parse(out.stdout)).toEqual({ status: "error", exitCode: 2, message: "the Pulumi CLI (`pulumi`) is not on PATH: install it" });
    });
});
