import { Gate } from "../../src/cutover/model";
import { runCutover, runRollback, CutoverOptions } from "../../src/cutover/run";
import { CutoverInputError, parseDuration, remainingSteps, formatDuration } from "../../src/cutover/steps";
import { FakeClock, FakeStack, scriptedGate, stackView } from "./fakes";
import fc from "fast-check";

const MINUTE = 60_000;
const options = (overrides: Partial<CutoverOptions> = {}): CutoverOptions => ({ target: "green", steps: [10, 50, 100], bakeMs: 10 * MINUTE, intervalMs: MINUTE / 2, onFailure: "previous-step", ...overrides });

function harness(viewOverrides = {}) {
    const stack = new FakeStack(stackView(viewOverrides));
    const clock = new FakeClock();
    const log: string[] = [];
    const deps = (gates: Gate[] = [scriptedGate("health", () => true)], signal?: AbortSignal) => ({ stack, clock, gates, signal, log: (l: string) => log.push(l) });
    return { stack, clock, log, deps };
}

describe("cutover", () => {
    test("a clean 10 → 50 → 100: each step sets both weights, updates only the routing resources, bakes with gate checks", async () => {
        const h = harness();
        const gate = scriptedGate("health", () => true);
        const outcome = await runCutover(options(), h.deps([gate]));
        expect(outcome.status).toBe("completed");
        expect(outcome.weights).toEqual({ blue: 0, green: 100 });
        expect(h.stack.events).toEqual([
            "set blue=90 green=10 previous=blue", "up --target 1 → blue=90 green=10",
            "set blue=50 green=50 previous=blue", "up --target 1 → blue=50 green=50",
            "set blue=0 green=100 previous=blue", "up --target 1 → blue=0 green=100",
        ]);
        // pre-check + (10 min / 30 s + 1) checks per step
        expect(gate.calls).toBe(1 + 3 * 21);
        expect(h.clock.time).toBe(30 * MINUTE);
        expect(h.log.some((l) => /^Step 2\/3: blue 50% \/ green 50% applied \(1 updated, 0 created, 0 deleted, 0 replaced\)/.test(l))).toBe(true);
        expect(h.log[h.log.length - 1]).toMatch(/Cutover complete: blue 0% \/ green 100%.*blue stays intact for rollback/);
    });

    test("a gate failing at 50 sets the weights back to the last good step (10) and reports the figures", async () => {
        const h = harness();
        const gate = scriptedGate("5xx rate", () => h.stack.view.weights.green === 50 ? { gate: "5xx rate", ok: false, details: ["app shop: 40 5xx of 1000 requests (4.00%, limit 1.00%)  ✗"] } : true);
        const outcome = await runCutover(options(), h.deps([gate]));
        expect(outcome.status).toBe("rolled-back");
        expect(outcome.weights).toEqual({ blue: 90, green: 10 });
        expect(outcome.failures[0].details[0]).toContain("4.00%");
        expect(h.stack.events.slice(-2)).toEqual(["set blue=90 green=10 previous=blue", "up --target 1 → blue=90 green=10"]);
        expect(h.log.join("\n")).toMatch(/✗ 5xx rate\n\s+app shop: 40 5xx of 1000 requests/);
        expect(h.log.join("\n")).toMatch(/Gate failed at 50% .*setting weights back to blue 90% \/ green 10%/);
    });

    test("with --on-failure previous-color a failing gate gives 100% back to the previous color", async () => {
        const h = harness();
        const gate = scriptedGate("workloads", () => h.stack.view.weights.green !== 50);
        const outcome = await runCutover(options({ onFailure: "previous-color" }), h.deps([gate]));
        expect(outcome.weights).toEqual({ blue: 100, green: 0 });
        expect(h.stack.view.weights).toEqual({ blue: 100, green: 0 });
    });

    test("gates that fail before any traffic moved change nothing", async () => {
        const h = harness();
        const outcome = await runCutover(options(), h.deps([scriptedGate("target health", () => false)]));
        expect(outcome.status).toBe("precheck-failed");
        expect(h.stack.events).toEqual([]);
    });

    test("a gate that throws counts as failing, with the reason", async () => {
        const h = harness();
        const broken = { name: "workloads", check: async () => { throw new Error("connect ECONNREFUSED 10.0.0.1:443"); } };
        const outcome = await runCutover(options(), h.deps([broken]));
        expect(outcome.failures[0].details[0]).toMatch(/could not be checked: connect ECONNREFUSED/);
    });

    test("running again resumes from the stack's current weights", async () => {
        const h = harness({ weights: { blue: 50, green: 50 }, previousColor: "blue" });
        const outcome = await runCutover(options(), h.deps());
        expect(outcome.steps.map((s) => s.percent)).toEqual([100]);
        expect(h.stack.events).toEqual(["set blue=0 green=100 previous=blue", "up --target 1 → blue=0 green=100"]);
        expect(h.log[0]).toMatch(/^Resuming cutover to green: now blue 50% \/ green 50%/);
    });

    test("nothing to do when the target already carries 100%", async () => {
        const h = harness({ weights: { blue: 0, green: 100 } });
        expect((await runCutover(options(), h.deps())).status).toBe("nothing-to-do");
        expect(h.stack.events).toEqual([]);
    });

    test("Ctrl-C during a bake leaves the last applied weights and says so", async () => {
        const h = harness();
        const controller = new AbortController();
        h.clock.onSleep = (t) => { if (t >= 12 * MINUTE) controller.abort(); };
        const outcome = await runCutover(options(), h.deps(undefined, controller.signal));
        expect(outcome.status).toBe("interrupted");
        expect(outcome.weights).toEqual({ blue: 50, green: 50 });
        expect(h.stack.view.weights).toEqual({ blue: 50, green: 50 });
        expect(h.log[h.log.length - 1]).toMatch(/Interrupted: the last applied weights stay in place: blue 50% \/ green 50%\. Run `bluegreen cutover --to green` again to resume/);
    });

    test("a target color without a cluster or without bindings is refused before anything changes", async () => {
        const h = harness({ clusters: { blue: { name: "prod-blue" } } });
        await expect(runCutover(options(), h.deps())).rejects.toThrow(/no green cluster/);
        const unbound = harness({ apps: { shop: { hostnames: ["a.example.com"], targetGroupArns: { blue: "arn:x" } } } });
        await expect(runCutover(options(), unbound.deps())).rejects.toThrow(/green binds no target group for app\(s\) shop/);
        expect(h.stack.events).toEqual([]);
    });
});

describe("rollback", () => {
    test("puts 100% on the color that carried traffic before the cutover, in one targeted update", async () => {
        const h = harness({ weights: { blue: 50, green: 50 }, previousColor: "blue" });
        const outcome = await runRollback({ stack: h.stack, log: (l) => h.log.push(l) });
        expect(outcome).toEqual({ before: { blue: 50, green: 50 }, after: { blue: 100, green: 0 }, color: "blue" });
        expect(h.stack.events).toEqual(["set blue=100 green=0 previous=blue", "up --target 1 → blue=100 green=0"]);
        expect(h.log[0]).toBe("Rolling back to blue: blue 50% / green 50% → blue 100% / green 0%");
    });

    test("without a recorded cutover it says what to do", async () => {
        const h = harness();
        await expect(runRollback({ stack: h.stack, log: () => undefined })).rejects.toThrow(CutoverInputError);
        await expect(runRollback({ stack: h.stack, log: () => undefined })).rejects.toThrow(/nothing to roll back/);
    });
});

describe("step planning", () => {
    test("remaining steps skip those at or below the current weight and always end at 100", () => {
        expect(remainingSteps({ blue: 100, green: 0 }, "green", [10, 50])).toEqual([10, 50, 100]);
        expect(remainingSteps({ blue: 50, green: 50 }, "green", [50, 10, 100])).toEqual([100]);
        expect(() => remainingSteps({ blue: 100, green: 0 }, "green", [0, 150])).toThrow(/whole percentages from 1 to 100/);
    });

    test("property: remaining steps are increasing, above the current weight, and end at 100", () => {
        fc.assert(fc.property(fc.integer({ min: 0, max: 100 }), fc.array(fc.integer({ min: 1, max: 100 }), { minLength: 1, maxLength: 6 }), (current, steps) => {
            const remaining = remainingSteps({ blue: 100 - current, green: current }, "green", steps);
            if (current === 100) expect(remaining).toEqual([]);
            else expect(remaining[remaining.length - 1]).toBe(100);
            remaining.forEach((s, i) => {
                expect(s).toBeGreaterThan(current);
                if (i > 0) expect(s).toBeGreaterThan(remaining[i - 1]);
            });
        }));
    });

    test("durations", () => {
        expect(parseDuration("10m")).toBe(600_000);
        expect(parseDuration("1h30m")).toBe(5_400_000);
        expect(parseDuration("45s")).toBe(45_000);
        expect(() => parseDuration("10 minutes")).toThrow(/not a duration like "10m"/);
        expect(formatDuration(5_400_000)).toBe("1h30m");
        expect(formatDuration(0)).toBe("0s");
    });
});
