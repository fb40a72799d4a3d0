import fc from "fast-check";
import { Color } from "../../src/config/colors";
import { GateCheck, GateContext } from "../../src/cutover/contract";
import { LoadBalancerMinute, TrafficMinute, TrafficSource } from "../../src/cutover/sources";
import {
    colorComparisonGate,
    connectionErrorGate,
    judgeElb5xx,
    judgeP99,
    judgeRate,
    judgeRelative5xx,
    judgeRelativeP99,
    loadBalancer5xxGate,
    p99LatencyGate,
    sharedTrafficSource,
    target5xxGate,
    TrafficSettings,
    trafficTotals,
} from "../../src/cutover/gates/traffic";
import { completeMinutes, lastMinutesCheckedAt } from "../../src/cutover/gates/window";

const MIN = 60_000;
const T0 = Date.parse("2026-11-27T10:00:00Z");
const at = (minutes: number) => new Date(T0 + minutes * MIN);

const settings: TrafficSettings = {
    minRequests: 50,
    settleDelayMs: 2 * MIN,
    max5xxRate: 0.01,
    maxConnectionErrorRate: 0.001,
    maxP99Ms: 500,
    maxElb5xxIncrease: 0.005,
    baselineMs: 30 * MIN,
    maxRelative5xx: 2,
    maxRelativeP99: 1.5,
};

type Profile = (minute: number) => Omit<TrafficMinute, "minute"> | undefined;

/** A world of per-minute traffic per app and color; records what was asked. */
class FakeTraffic implements TrafficSource {
    asked: Array<{ app: string; color: Color; start: Date; end: Date }> = [];
    lbAsked: Array<{ start: Date; end: Date }> = [];
    failing = new Set<string>();
    constructor(public profiles: Record<string, Profile>, public lb: (minute: number) => Omit<LoadBalancerMinute, "minute"> = () => ({ requests: 1000, elb5xx: 0 })) {}
    async appMinutes(app: string, color: Color, start: Date, end: Date): Promise<TrafficMinute[]> {
        this.asked.push({ app, color, start, end });
        if (this.failing.has(`${app}/${color}`)) throw new Error("Rate exceeded (ThrottlingException)");
        const out: TrafficMinute[] = [];
        for (let t = start.getTime(); t < end.getTime(); t += MIN) {
            const m = this.profiles[`${app}/${color}`]?.((t - T0) / MIN);
            if (m) out.push({ minute: new Date(t), ...m });
        }
        return out;
    }
    async loadBalancerMinutes(start: Date, end: Date): Promise<LoadBalancerMinute[]> {
        this.lbAsked.push({ start, end });
        const out: LoadBalancerMinute[] = [];
        for (let t = start.getTime(); t < end.getTime(); t += MIN) out.push({ minute: new Date(t), ...this.lb((t - T0) / MIN) });
        return out;
    }
}

const steady = (requests: number, target5xx = 0, p99Ms = 120, connectionErrors = 0): Profile => () => ({ requests, target5xx, connectionErrors, p99Ms });

const context = (start: number, end: number, weights = { blue: 90, green: 10 }): GateContext => ({
    candidate: "green",
    current: "blue",
    weights,
    window: { start: at(start), end: at(end) },
    phase: "bake",
});

const summary = (checks: GateCheck[]) => checks.map((c) => `${c.app ?? "lb"}/${c.color ?? "-"}:${c.result}${c.warning ? "(warning)" : ""}`).sort();

describe("windows: aligned, complete, published minutes", () => {
    test.each([
        // step began, now, settle → judged minutes
        ["step on a boundary", "10:00:00", "10:10:00", 2, "10:00", "10:08", 8],
        ["first bucket skipped: it holds traffic from before the step", "10:00:30", "10:10:00", 2, "10:01", "10:08", 7],
        ["a minute still being published is not judged", "10:00:00", "10:10:59", 2, "10:00", "10:08", 8],
        ["nothing complete yet", "10:00:30", "10:02:30", 2, "10:01", "10:01", 0],
        ["no settle delay", "10:00:00", "10:05:00", 0, "10:00", "10:05", 5],
    ])("%s", (_name, from, now, settle, start, end, minutes) => {
        const w = completeMinutes(new Date(`2026-11-27T${from}Z`), new Date(`2026-11-27T${now}Z`), settle * MIN);
        expect([w.start.toISOString().slice(11, 16), w.end.toISOString().slice(11, 16), w.minutes]).toEqual([start, end, minutes]);
    });

    test("the last check of a step, at lastMinutesCheckedAt, covers the step's last minute", () => {
        const stepStart = new Date("2026-11-27T10:00:20Z");
        const stepEnd = new Date("2026-11-27T10:10:20Z");
        const check = lastMinutesCheckedAt(stepEnd, 2 * MIN);
        const w = completeMinutes(stepStart, check, 2 * MIN);
        expect(w.end.getTime()).toBeGreaterThanOrEqual(stepEnd.getTime());
        expect(w.start.getTime()).toBeGreaterThanOrEqual(stepStart.getTime());
    });

    test("property: a window is aligned, starts no earlier than the step and ends no later than now minus the settle delay", () => {
        fc.assert(
            fc.property(fc.integer({ min: 0, max: 10 ** 7 }), fc.integer({ min: 0, max: 10 ** 7 }), fc.integer({ min: 0, max: 600 }), (from, length, settleS) => {
                const w = completeMinutes(new Date(T0 + from), new Date(T0 + from + length), settleS * 1000);
                expect(w.start.getTime() % MIN).toBe(0);
                expect(w.end.getTime() % MIN).toBe(0);
                expect(w.start.getTime()).toBeGreaterThanOrEqual(T0 + from);
                expect(w.minutes).toBeGreaterThanOrEqual(0);
                if (w.minutes > 0) expect(w.end.getTime()).toBeLessThanOrEqual(T0 + from + length - settleS * 1000);
            }),
        );
    });
});

describe("judgements (pure)", () => {
    test.each([
        ["within the threshold", 5, 1000, "pass"],
        ["exactly at the threshold", 10, 1000, "pass"],
        ["above the threshold", 11, 1000, "fail"],
        ["no requests is not a pass", 0, 0, "inconclusive"],
        ["fewer than minRequests, even with errors", 40, 49, "inconclusive"],
        ["exactly minRequests is judged", 1, 50, "fail"],
    ])("rate: %s", (_n, count, requests, result) => {
        expect(judgeRate("5xx", count, requests, 0.01, 50).result).toBe(result);
    });

    test("property: a rate is never a pass below minRequests, and more errors never turn a fail into a pass", () => {
        fc.assert(
            fc.property(fc.nat(10_000), fc.nat(10_000), fc.nat(100), fc.integer({ min: 1, max: 500 }), fc.double({ min: 0, max: 1, noNaN: true }), (requests, errors, extra, minRequests, max) => {
                const count = Math.min(errors, requests);
                const j = judgeRate("5xx", count, requests, max, minRequests);
                if (requests < minRequests) expect(j.result).toBe("inconclusive");
                if (j.result === "fail") expect(judgeRate("5xx", Math.min(count + extra, requests), requests, max, minRequests).result).toBe("fail");
            }),
        );
    });

    test("a failing rate says what was measured against what", () => {
        expect(judgeRate("target 5xx", 30, 1000, 0.01, 50)).toEqual({ result: "fail", value: 0.03, threshold: 0.01, message: "30 target 5xx of 1,000 requests = 3.00% > 1.00%" });
    });

    test.each([
        ["fast", { requests: 1000, target5xx: 0, connectionErrors: 0, p99Ms: 300 }, "pass"],
        ["slow", { requests: 1000, target5xx: 0, connectionErrors: 0, p99Ms: 800 }, "fail"],
        ["no p99 published", { requests: 1000, target5xx: 0, connectionErrors: 0 }, "inconclusive"],
        ["too few requests", { requests: 10, target5xx: 0, connectionErrors: 0, p99Ms: 9000 }, "inconclusive"],
    ])("p99: %s", (_n, totals, result) => {
        expect(judgeP99(totals, 500, 50).result).toBe(result);
    });

    test.each([
        ["at the baseline", 10, 1000, 0.01, "pass"],
        ["baseline plus the tolerated increase", 15, 1000, 0.01, "pass"],
        ["above baseline plus increase", 16, 1000, 0.01, "fail"],
        ["ELB 503s with no baseline", 10, 1000, 0, "fail"],
        ["too few requests", 10, 20, 0, "inconclusive"],
    ])("load balancer 5xx: %s", (_n, elb5xx, requests, baseline, result) => {
        expect(judgeElb5xx({ requests, elb5xx }, baseline, 0.005, 50).result).toBe(result);
    });

    const t = (requests: number, target5xx: number, p99Ms?: number) => ({ requests, target5xx, connectionErrors: 0, p99Ms });
    test.each([
        ["candidate as good as current", t(1000, 5), t(1000, 5), "pass", undefined],
        ["candidate within ratio + slack of a noisy current", t(1000, 50), t(1000, 30), "pass", undefined],
        ["candidate much worse than current", t(1000, 50), t(1000, 5), "fail", undefined],
        ["tiny rates within the slack", t(10000, 3), t(10000, 1), "pass", undefined],
        ["current served too little: warning only", t(1000, 50), t(10, 0), "inconclusive", true],
        ["candidate served too little", t(10, 5), t(1000, 0), "inconclusive", undefined],
    ])("relative 5xx: %s", (_n, cand, cur, result, warning) => {
        const j = judgeRelative5xx(cand, cur, 2, 50);
        expect([j.result, j.warning]).toEqual([result, warning]);
    });

    test.each([
        ["latency regression without errors", t(1000, 0, 400), t(1000, 0, 200), "fail"],
        ["within 1.5×", t(1000, 0, 290), t(1000, 0, 200), "pass"],
        ["current has no p99", t(1000, 0, 290), t(1000, 0), "inconclusive"],
    ])("relative p99: %s", (_n, cand, cur, result) => {
        expect(judgeRelativeP99(cand, cur, 1.5, 50).result).toBe(result);
    });

    test("totals weight each minute's p99 by its requests and skip minutes without requests", () => {
        expect(trafficTotals([
            { minute: at(0), requests: 100, target5xx: 1, connectionErrors: 0, p99Ms: 100 },
            { minute: at(1), requests: 300, target5xx: 2, connectionErrors: 1, p99Ms: 200 },
            { minute: at(2), requests: 0, target5xx: 0, connectionErrors: 0 },
        ])).toEqual({ requests: 400, target5xx: 3, connectionErrors: 1, p99Ms: 175 });
    });
});

describe("traffic gates over a source", () => {
    const deps = (source: TrafficSource, apps = ["shop", "api"]) => ({ apps, source, settings });

    test("target 5xx: both apps on both colors judged; the candidate's checks are hard, the current color's warnings", async () => {
        const source = new FakeTraffic({ "shop/green": steady(100, 0), "shop/blue": steady(900, 90), "api/green": steady(100, 5), "api/blue": steady(900, 0) });
        const checks = await target5xxGate(deps(source)).check(context(0, 12));
        expect(summary(checks)).toEqual(["api/blue:pass(warning)", "api/green:fail", "shop/blue:fail(warning)", "shop/green:pass"]);
        const apiGreen = checks.find((c) => c.app === "api" && c.color === "green")!;
        expect(apiGreen).toMatchObject({ gate: "target-5xx", value: 0.05, threshold: 0.01 });
        expect(apiGreen.message).toBe("api on green: 50 target 5xx of 1,000 requests = 5.00% > 1.00% (10:00–10:10 UTC (10 min))");
    });

    test("zero traffic on the candidate is inconclusive, never a pass (ALB publishes nothing without requests)", async () => {
        const source = new FakeTraffic({ "shop/blue": steady(1000) });
        const checks = await target5xxGate(deps(source, ["shop"])).check(context(0, 12));
        expect(checks.find((c) => c.color === "green")).toMatchObject({ result: "inconclusive", value: 0, threshold: 50 });
        expect(checks.find((c) => c.color === "green")!.warning).toBeUndefined();
    });

    test("a color without weight is not judged (warning), so the pre-check at 0% is not failed by the candidate's silence", async () => {
        const source = new FakeTraffic({ "shop/blue": steady(1000) });
        const checks = await target5xxGate(deps(source, ["shop"])).check({ ...context(0, 12, { blue: 100, green: 0 }), phase: "precheck" });
        expect(summary(checks)).toEqual(["shop/blue:pass(warning)", "shop/green:inconclusive(warning)"]);
        expect(source.asked.map((a) => a.color)).toEqual(["blue"]);
    });

    test("early in a step nothing complete is published yet: inconclusive without asking CloudWatch", async () => {
        const source = new FakeTraffic({ "shop/green": steady(1000), "shop/blue": steady(1000) });
        const checks = await target5xxGate(deps(source, ["shop"])).check(context(0, 2.5));
        expect(checks.every((c) => c.result === "inconclusive")).toBe(true);
        expect(checks[0].message).toMatch(/settle delay 120 s/);
        expect(source.asked).toEqual([]);
    });

    test("the window asks for aligned complete minutes from the step's first whole minute to now minus the settle delay", async () => {
        const source = new FakeTraffic({ "shop/green": steady(1000) });
        await target5xxGate(deps(source, ["shop"])).check({ ...context(0.5, 10.75), current: "green", weights: { blue: 0, green: 100 } });
        expect(source.asked).toEqual([{ app: "shop", color: "green", start: at(1), end: at(8) }]);
    });

    test("a slow-burning error rate that only the full window sees fails at the step's last check", async () => {
        // 0.5 % for 8 minutes, then 4 % for the last 2 minutes of a 10-minute step
        const burn: Profile = (m) => ({ requests: 1000, target5xx: m >= 8 ? 40 : 5, connectionErrors: 0, p99Ms: 100 });
        const source = new FakeTraffic({ "shop/green": burn, "shop/blue": steady(1000) });
        const gate = target5xxGate(deps(source, ["shop"]));
        const during = await gate.check(context(0, 9)); // minutes 0–6
        expect(during.find((c) => c.color === "green")!.result).toBe("pass");
        const last = lastMinutesCheckedAt(at(10), settings.settleDelayMs);
        const final = await gate.check({ ...context(0, 0), window: { start: at(0), end: last } });
        expect(final.find((c) => c.color === "green")).toMatchObject({ result: "fail", value: 0.012 });
    });

    test("a source error is an error check for that app and color, not a throw and not a pass", async () => {
        const source = new FakeTraffic({ "shop/green": steady(1000), "shop/blue": steady(1000) });
        source.failing.add("shop/green");
        const checks = await p99LatencyGate(deps(source, ["shop"])).check(context(0, 12));
        expect(summary(checks)).toEqual(["shop/blue:pass(warning)", "shop/green:error"]);
        expect(checks.find((c) => c.result === "error")!.message).toMatch(/ThrottlingException/);
    });

    test("connection errors and p99 each judge their own figure", async () => {
        const source = new FakeTraffic({ "shop/green": steady(1000, 0, 900, 5), "shop/blue": steady(1000, 0, 100, 0) });
        const conn = await connectionErrorGate(deps(source, ["shop"])).check(context(0, 12));
        const p99 = await p99LatencyGate(deps(source, ["shop"])).check(context(0, 12));
        expect(conn.find((c) => c.color === "green")).toMatchObject({ result: "fail", value: 0.005, threshold: 0.001 });
        expect(p99.find((c) => c.color === "green")).toMatchObject({ result: "fail", value: 900, threshold: 500 });
        expect(p99.find((c) => c.color === "blue")).toMatchObject({ result: "pass", warning: true });
    });

    test("comparison: a latency regression without errors fails against the current color over the same minutes", async () => {
        const source = new FakeTraffic({ "shop/green": steady(100, 0, 400), "shop/blue": steady(900, 0, 200) });
        const checks = await colorComparisonGate({ ...deps(source, ["shop"]), settings: { ...settings, maxP99Ms: 5000 } }).check(context(0, 12));
        expect(checks.map((c) => c.result)).toEqual(["pass", "fail"]);
        expect(checks[1]).toMatchObject({ value: 400, threshold: 300, color: "green" });
        const windows = new Set(source.asked.map((a) => `${a.start.toISOString()}-${a.end.toISOString()}`));
        expect(windows.size).toBe(1);
    });

    test("comparison at 100%: nothing to compare with is a warning, not a failure", async () => {
        const source = new FakeTraffic({ "shop/green": steady(1000) });
        const checks = await colorComparisonGate(deps(source, ["shop"])).check(context(0, 12, { blue: 0, green: 100 }));
        expect(summary(checks)).toEqual(["shop/green:inconclusive(warning)"]);
    });

    test("load balancer 5xx: ALB-generated 503s with healthy targets fail against the pre-cutover baseline", async () => {
        const source = new FakeTraffic({}, (m) => ({ requests: 1000, elb5xx: m < 0 ? 1 : 20 }));
        const gate = loadBalancer5xxGate(deps(source));
        const checks = await gate.check(context(0, 12));
        expect(checks).toHaveLength(1);
        expect(checks[0]).toMatchObject({ gate: "elb-5xx", result: "fail", value: 0.02, threshold: 0.006 });
        expect(source.lbAsked[0]).toEqual({ start: at(-30), end: at(0) });
        await gate.check(context(0, 13));
        expect(source.lbAsked.filter((a) => a.end.getTime() === T0)).toHaveLength(1); // baseline taken once per run
    });

    test("load balancer 5xx at the pre-check: the baseline is taken and reported, nothing judged yet", async () => {
        const source = new FakeTraffic({}, () => ({ requests: 1000, elb5xx: 2 }));
        const gate = loadBalancer5xxGate(deps(source));
        const [pre] = await gate.check({ ...context(0, 0), phase: "precheck", weights: { blue: 100, green: 0 } });
        expect(pre).toMatchObject({ result: "pass", warning: true, value: 0.002 });
        expect(pre.message).toBe("load balancer: 5xx 0.20% over the baseline 09:30–10:00 UTC (30 min); judged from the first step on");
        source.lb = () => ({ requests: 1000, elb5xx: 9 });
        expect((await gate.check(context(0, 12)))[0]).toMatchObject({ result: "fail", threshold: 0.007 }); // against the pre-check's baseline
    });

    test("load balancer 5xx at the baseline passes; too few requests is inconclusive", async () => {
        const steadyLb = new FakeTraffic({}, () => ({ requests: 1000, elb5xx: 3 }));
        expect((await loadBalancer5xxGate(deps(steadyLb)).check(context(0, 12)))[0].result).toBe("pass");
        const quiet = new FakeTraffic({}, () => ({ requests: 2, elb5xx: 0 }));
        expect((await loadBalancer5xxGate(deps(quiet)).check(context(0, 12)))[0].result).toBe("inconclusive");
    });

    test("gates of one check share one read per app, color and window", async () => {
        const source = new FakeTraffic({ "shop/green": steady(1000), "shop/blue": steady(1000) });
        const shared = sharedTrafficSource(source);
        const d = deps(shared, ["shop"]);
        for (const gate of [target5xxGate(d), connectionErrorGate(d), p99LatencyGate(d), colorComparisonGate(d)]) await gate.check(context(0, 12));
        expect(source.asked).toHaveLength(2);
    });
});
