import fc from "fast-check";
import { buildReportModel, chartOfGate, chartPoints, ENVIRONMENT_ROW, GatePoint, MAX_CHECKS_PER_DECISION, weightSteps } from "../../src/report/model";
import { syntheticCutover } from "../../src/report/synthetic";

import { at, FELL_BACK, w } from "./fixtures";

describe("the report model", () => {
    const model = buildReportModel(FELL_BACK, "run.ndjson");

    it("draws the weights as a step function: a point per change, held to the last event", () => {
        const green = model.weights.filter((p) => p.color === "green").map((p) => [p.ts, p.weight]);
        expect(green).toEqual([[at(0), 0], [at(2), 10], [at(11), 50], [at(15), 0], [at(16), 0]]);
        const blue = model.weights.filter((p) => p.color === "blue").map((p) => p.weight);
        expect(blue).toEqual([100, 90, 50, 100, 100]);
    });

    it("marks each step, the pause, the fallback and the end", () => {
        expect(model.markers.map((m) => [m.ts, m.kind, m.label])).toEqual([
            [at(3), "step", "step 1: 90/10"],
            [at(11), "step", "step 2: 50/50"],
            [at(12), "pause", "pause"],
            [at(15), "fallback", "fallback"],
            [at(16), "done", "done"],
        ]);
    });

    it("groups the figures per app and gate, known gates in table order, unknown gates as a generic series, environment-wide gates last; a check that measured nothing draws nothing", () => {
        expect(model.apps.map((a) => [a.app, a.gates.map((g) => g.gate)])).toEqual([
            ["api", ["queue-depth"]],
            ["shop", ["target-5xx-rate", "p99-latency"]],
            [ENVIRONMENT_ROW, ["node-pressure"]],
        ]);
        const rate = model.apps[1].gates[0];
        expect(rate.chart.title).toBe("Target 5xx rate");
        expect(rate.points.map((p) => [p.color, p.value, p.threshold, p.result])).toEqual([
            ["green", 0, 0.01, "inconclusive"],
            ["green", 0.002, 0.01, "pass"],
            ["green", 0.034, 0.01, "fail"],
        ]);
        expect(model.apps[0].gates[0].chart).toMatchObject({ title: "queue-depth", order: 100 });
    });

    it("lists the decisions with the checks behind them: the failure first, nothing from an earlier step", () => {
        expect(model.decisions.map((d) => d.type)).toEqual(["start", "precheck", "update-done", "step-baked", "update-done", "pause", "fallback", "done"]);
        const fallback = model.decisions.find((d) => d.type === "fallback")!;
        expect(fallback.weights).toBe("blue 100% / green 0%");
        expect(fallback.checks.map((c) => [c.gate, c.app, c.color, c.result, c.value, c.threshold])).toEqual([
            ["target-5xx-rate", "shop", "green", "fail", 0.034, 0.01],
            ["requests", "shop", "blue", "error", undefined, undefined],
        ]);
        const baked = model.decisions.find((d) => d.type === "step-baked")!;
        expect(baked.checks.map((c) => c.result)).toEqual(["inconclusive"]);
        expect(model.decisions.find((d) => d.type === "done")!.checks).toEqual([]);
    });

    it("tallies the checks and says how the run ended", () => {
        expect(model.tally).toEqual({ pass: 5, fail: 1, inconclusive: 1, error: 1 });
        expect(model.outcome).toBe("done: fell back");
        expect([model.start, model.end]).toEqual([at(0), at(16)]);
    });

    it("orders events by time, keeping the engine's order within the same instant", () => {
        const shuffled = [FELL_BACK[16], ...FELL_BACK.slice(0, 16).reverse()];
        const again = buildReportModel(shuffled, "x");
        expect(again.decisions.map((d) => d.type)).toEqual(model.decisions.map((d) => d.type));
        expect(again.weights).toEqual(model.weights);
    });

    it("keeps a long list of checks short, failures first", () => {
        const many = syntheticCutover({ apps: 20, steps: [10, 100], bakeMs: 60_000, intervalMs: 30_000, failAtStep: 1 });
        const fallback = buildReportModel(many, "x").decisions.find((d) => d.type === "fallback")!;
        expect(fallback.checks).toHaveLength(MAX_CHECKS_PER_DECISION);
        expect(fallback.checks[0]).toMatchObject({ gate: "target-5xx-rate", app: "app-01", color: "green", result: "fail" });
        expect(fallback.moreChecks).toBeGreaterThan(0);
    });

    it("gives unknown gates a generic chart and known ones their unit", () => {
        expect(chartOfGate("p99-latency")).toMatchObject({ unit: "ms", scale: 1 });
        expect(chartOfGate("target-5xx-rate")).toMatchObject({ unit: "%", scale: 100 });
        expect(chartOfGate("made-up")).toMatchObject({ title: "made-up", scale: 1, order: 100 });
    });
});

describe("weightSteps (property)", () => {
    it("ends at the last weights, at the last event's time, and never repeats a value", () => {
        const weightsArb = fc.integer({ min: 0, max: 100 }).map((g) => w(100 - g, g));
        const eventsArb = fc.array(fc.record({ weights: fc.option(weightsArb, { nil: undefined }) }), { minLength: 1, maxLength: 30 });
        fc.assert(fc.property(eventsArb, (list) => {
            const events = list.map((e, i) => ({ ts: at(0, i), run: "r", type: "verify", ...(e.weights ? { weights: e.weights } : {}) }));
            const points = weightSteps(events);
            const withWeights = events.filter((e) => e.weights);
            if (!withWeights.length) return points.length === 0;
            const last = withWeights[withWeights.length - 1].weights!;
            const green = points.filter((p) => p.color === "green");
            const endOk = green[green.length - 1].ts === events[events.length - 1].ts && green[green.length - 1].weight === last.green;
            const changes = green.slice(0, -1).every((p, i) => i === 0 || p.weight !== green[i - 1].weight || p.ts === green[green.length - 1].ts);
            return endOk && changes;
        }));
    });
});

describe("the points the charts draw: one per color and minute, the most telling check of it", () => {
    const check = (seconds: number, color: "blue" | "green", value: number, threshold: number, result: GatePoint["result"] = "pass"): GatePoint => ({ ts: at(1, seconds), color, value, threshold, result });
    it.each<[string, GatePoint[], [string, number, string][]]>([
        ["an error rate under a maximum: the highest of the minute", [check(0, "green", 0.002, 0.01), check(30, "green", 0.008, 0.01)], [["green", 0.008, "pass"]]],
        ["requests over a minimum: the fewest of the minute", [check(0, "green", 900, 50), check(30, "green", 60, 50)], [["green", 60, "pass"]]],
        ["a failed check over a pass nearer its threshold", [check(10, "green", 0.05, 0.01, "fail"), check(40, "green", 0.0099, 0.01)], [["green", 0.05, "fail"]]],
        ["an inconclusive check over a pass", [check(0, "green", 0.009, 0.01), check(30, "green", 0, 0.01, "inconclusive")], [["green", 0, "inconclusive"]]],
        ["each color on its own", [check(0, "blue", 0.001, 0.01), check(0, "green", 0.009, 0.01), check(30, "blue", 0.003, 0.01)], [["blue", 0.003, "pass"], ["green", 0.009, "pass"]]],
        ["a threshold that moved: the check's own, not an average", [check(0, "green", 300, 1000), check(30, "green", 300, 400)], [["green", 300, "pass"]]],
    ])("%s", (_, points, expected) => {
        const charted = chartPoints(points);
        expect(charted.map((p) => [p.color, p.value, p.result])).toEqual(expected);
        // what is charted is one of the checks, figures and threshold unchanged
        for (const p of charted) expect(points).toContain(p);
    });

    it("keeps one point per minute and color of a 30-s cadence, in time order, and every check stays in the tally", () => {
        const events = syntheticCutover({ apps: 2, steps: [50, 100], bakeMs: 10 * 60_000, intervalMs: 30_000 });
        const model = buildReportModel(events, "s.ndjson");
        const checks = events.filter((e) => e.type === "gate" && e.app === "app-01" && e.gate === "target-5xx-rate" && e.color === "green");
        const points = model.apps[0].gates.find((g) => g.gate === "target-5xx-rate")!.points.filter((p) => p.color === "green");
        const minutes = new Set(checks.map((e) => e.ts.slice(0, 16)));
        expect(points).toHaveLength(minutes.size);
        expect(points.length).toBeLessThan(checks.length);
        expect(points.map((p) => p.ts)).toEqual([...points.map((p) => p.ts)].sort());
        const t = model.tally;
        expect(t.pass + t.fail + t.inconclusive + t.error).toBe(events.filter((e) => e.type === "gate").length);
    });
});
