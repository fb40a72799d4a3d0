import * as path from "path";
import { runCutoverCommand, CutoverCommandOptions, cutoverSettings } from "../../src/cli/commands/cutover";
import { runRollbackCommand } from "../../src/cli/commands/rollback";
import { runStatusCommand } from "../../src/cli/commands/status";
import { stackView as viewFromOutputs } from "../../src/cutover/automation";
import { FakeClock, FakeStack, scriptedGate, stackView } from "./fakes";

const projectDir = path.join(__dirname, "..", "..");

function io() {
    const out = { stdout: "", stderr: "" };
    return { out, io: { stdout: (t: string) => (out.stdout += t), stderr: (t: string) => (out.stderr += t) } };
}

const cutoverOptions = (overrides: Partial<CutoverCommandOptions> = {}): CutoverCommandOptions => ({ stack: "prod", to: "green", onFailure: "previous-step", cwd: projectDir, json: false, bake: "1m", interval: "30s", ...overrides });

describe("bluegreen cutover / rollback / status commands", () => {
    test("exit 0 on a completed cutover, with thresholds from the stack file and flags", async () => {
        const stack = new FakeStack(stackView());
        let thresholds: unknown;
        const { out, io: commandIO } = io();
        const code = await runCutoverCommand(cutoverOptions({ minHealthyTargets: "2" }), commandIO, {
            stack,
            clock: new FakeClock(),
            gates: (_view, _candidate, t) => { thresholds = t; return [scriptedGate("health", () => true)]; },
        });
        expect(code).toBe(0);
        // prod's stack file sets max5xxRate 0.005; the flag sets minHealthyTargets.
        expect(thresholds).toEqual({ steps: [10, 50, 100], bakeMs: 60_000, intervalMs: 30_000, minHealthyTargets: 2, max5xxRate: 0.005 });
        expect(out.stdout).toMatch(/Cutover complete/);
    });

    test("exit 1 when a gate fails and the weights were set back; --json reports it", async () => {
        const stack = new FakeStack(stackView());
        const { out, io: commandIO } = io();
        const code = await runCutoverCommand(cutoverOptions({ json: true }), commandIO, { stack, clock: new FakeClock(), gates: () => [scriptedGate("workloads", (n) => n < 2)] });
        expect(code).toBe(1);
        const report = JSON.parse(out.stdout);
        expect(report).toMatchObject({ status: "rolled-back", weights: { blue: 100, green: 0 } });
        expect(report.failures[0].gate).toBe("workloads");
    });

    test("exit 130 when interrupted, exit 2 on bad input", async () => {
        const controller = new AbortController();
        controller.abort();
        const stack = new FakeStack(stackView());
        expect(await runCutoverCommand(cutoverOptions(), io().io, { stack, clock: new FakeClock(), gates: () => [], signal: controller.signal })).toBe(130);
        const bad = io();
        expect(await runCutoverCommand(cutoverOptions({ bake: "ten minutes" }), bad.io, { stack, clock: new FakeClock(), gates: () => [] })).toBe(2);
        expect(bad.out.stderr).toMatch(/"ten minutes" is not a duration/);
    });

    test("rollback prints the weights before and after", async () => {
        const stack = new FakeStack(stackView({ weights: { blue: 10, green: 90 }, previousColor: "blue" }));
        const { out, io: commandIO } = io();
        expect(await runRollbackCommand({ json: false }, commandIO, { stack })).toBe(0);
        expect(out.stdout).toMatch(/Rolling back to blue: blue 10% \/ green 90% → blue 100% \/ green 0%/);
        expect(stack.view.weights).toEqual({ blue: 100, green: 0 });
    });

    test("status shows each color's cluster, weight and live target health, degrading when AWS cannot be read", async () => {
        const stack = new FakeStack(stackView({ weights: { blue: 90, green: 10 } }));
        stack.view.clusters.green!.addons = { argocd: { version: "8.5.0" } };
        stack.view.clusters.green!.nodeGroups = ["system", "apps"];
        const { out, io: commandIO } = io();
        const code = await runStatusCommand({ stack: "prod", json: false }, commandIO, {
            stack,
            targetHealth: async (arn) => { if (arn.includes("blue")) throw new Error("ExpiredToken: the security token expired"); return { healthy: 3 }; },
        });
        expect(code).toBe(0);
        expect(out.stdout).toMatch(/green {2}10% {2}cluster prod-green on 1\.34/);
        expect(out.stdout).toMatch(/node groups: system, apps/);
        expect(out.stdout).toMatch(/add-ons: {5}argocd 8\.5\.0/);
        expect(out.stdout).toMatch(/shop: 3 healthy/);
        expect(out.stdout).toMatch(/shop: unknown \(ExpiredToken: the security token expired\)/);
    });

    test("the Automation API view reads weights from config and the rest from outputs", () => {
        const view = viewFromOutputs(
            { "bluegreen:routing": { value: JSON.stringify({ weights: { blue: 90, green: 10 }, mode: "alb" }) }, "bluegreen:cutover": { value: JSON.stringify({ previousColor: "blue" }) } },
            { clusters: { value: { green: { name: "prod-green" } } }, routing: { value: { apps: { shop: { hostnames: [], targetGroupArns: {} } }, weightedResourceUrns: ["urn:a"] } } },
        );
        expect(view).toMatchObject({ weights: { blue: 90, green: 10 }, previousColor: "blue", mode: "alb", weightedResourceUrns: ["urn:a"] });
    });

    test("settings fall back to the schema defaults for a stack without a file here", () => {
        expect(cutoverSettings({ stack: "no-such-stack", cwd: projectDir })).toEqual({ steps: [10, 50, 100], bakeMs: 600_000, intervalMs: 60_000, minHealthyTargets: 1, max5xxRate: 0.01 });
    });
});
