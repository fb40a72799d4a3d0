/**
 * Traffic gates: what users of each routed app feel on each color, read as complete CloudWatch
 * minutes through a `TrafficSource`. Each gate judges every app on the candidate (a hard check) and
 * on the current color (a warning: a failing current color is reported, never a reason to push
 * traffic on). Too few requests is inconclusive, never a pass; a color without weight is not judged.
 * The judgements are pure functions over totals, so they are table-tested without a source.
 */
import { COLORS, Color } from "../../config/colors";
import type { Gate, GateCheck, GateContext } from "../contract";
import type { LoadBalancerMinute, TrafficMinute, TrafficSource } from "../sources";
import { completeMinutes, formatWindow, MinuteWindow } from "./window";

export interface TrafficSettings {
    minRequests: number;
    settleDelayMs: number;
    max5xxRate: number;
    maxConnectionErrorRate: number;
    maxP99Ms: number;
    maxElb5xxIncrease: number;
    baselineMs: number;
    maxRelative5xx: number;
    maxRelativeP99: number;
}

/** Absolute slack of the relative 5xx comparison: 0.1 percentage point, so 0.01 % vs 0.03 % is not a failure. */
export const RELATIVE_5XX_SLACK = 0.001;

/** One app's traffic on one color summed over a window. */
export interface TrafficTotals {
    requests: number;
    target5xx: number;
    connectionErrors: number;
    /** Request-weighted mean of the minutes' p99 (percentiles cannot be summed); undefined without requests. */
    p99Ms?: number;
}

export function trafficTotals(minutes: TrafficMinute[]): TrafficTotals {
    let requests = 0, target5xx = 0, connectionErrors = 0, weighted = 0, weightedRequests = 0;
    for (const m of minutes) {
        requests += m.requests;
        target5xx += m.target5xx;
        connectionErrors += m.connectionErrors;
        if (m.p99Ms !== undefined && m.requests > 0) {
            weighted += m.p99Ms * m.requests;
            weightedRequests += m.requests;
        }
    }
    return { requests, target5xx, connectionErrors, p99Ms: weightedRequests > 0 ? weighted / weightedRequests : undefined };
}

export type Judgement = Pick<GateCheck, "result" | "value" | "threshold" | "message">;

const pct = (r: number) => `${(r * 100).toFixed(2)}%`;
const counts = new Intl.NumberFormat("en-US"); // one formatter: toLocaleString builds one per call (slow over 50 apps × 2 colors a round)
const n = (x: number) => counts.format(x);

function tooFew(requests: number, minRequests: number): Judgement | undefined {
    if (requests >= minRequests) return undefined;
    return { result: "inconclusive", value: requests, threshold: minRequests, message: `${n(requests)} requests, fewer than minRequests ${n(minRequests)}: too little traffic to judge` };
}

/** A share of requests (5xx, connection errors) against its highest tolerated value. */
export function judgeRate(what: string, count: number, requests: number, max: number, minRequests: number): Judgement {
    const few = tooFew(requests, minRequests);
    if (few) return few;
    const rate = count / requests;
    const ok = rate <= max;
    return { result: ok ? "pass" : "fail", value: rate, threshold: max, message: `${n(count)} ${what} of ${n(requests)} requests = ${pct(rate)} ${ok ? "≤" : ">"} ${pct(max)}` };
}

export function judgeP99(totals: TrafficTotals, maxMs: number, minRequests: number): Judgement {
    const few = tooFew(totals.requests, minRequests);
    if (few) return few;
    if (totals.p99Ms === undefined) return { result: "inconclusive", threshold: maxMs, message: "no p99 TargetResponseTime published for the window" };
    const ok = totals.p99Ms <= maxMs;
    return { result: ok ? "pass" : "fail", value: totals.p99Ms, threshold: maxMs, message: `p99 ${Math.round(totals.p99Ms)} ms ${ok ? "≤" : ">"} ${maxMs} ms over ${n(totals.requests)} requests` };
}

/** The load balancer's own 5xx rate against its pre-cutover baseline plus the tolerated increase. */
export function judgeElb5xx(window: { requests: number; elb5xx: number }, baselineRate: number, maxIncrease: number, minRequests: number): Judgement {
    const few = tooFew(window.requests, minRequests);
    if (few) return few;
    const rate = window.elb5xx / window.requests;
    const limit = baselineRate + maxIncrease;
    const ok = rate <= limit;
    return { result: ok ? "pass" : "fail", value: rate, threshold: limit, message: `${n(window.elb5xx)} load balancer 5xx of ${n(window.requests)} requests = ${pct(rate)} ${ok ? "≤" : ">"} baseline ${pct(baselineRate)} + ${pct(maxIncrease)}` };
}

/** The candidate's 5xx rate against the current color's over the same window. */
export function judgeRelative5xx(candidate: TrafficTotals, current: TrafficTotals, maxRatio: number, minRequests: number): Judgement & { warning?: boolean } {
    const few = tooFew(candidate.requests, minRequests);
    if (few) return few;
    if (current.requests < minRequests) return { result: "inconclusive", warning: true, message: `the current color served ${n(current.requests)} requests (< ${n(minRequests)}): nothing to compare with` };
    const rate = candidate.target5xx / candidate.requests;
    const baseline = current.target5xx / current.requests;
    const limit = baseline * maxRatio + RELATIVE_5XX_SLACK;
    const ok = rate <= limit;
    return { result: ok ? "pass" : "fail", value: rate, threshold: limit, message: `5xx ${pct(rate)} ${ok ? "≤" : ">"} ${maxRatio} × current ${pct(baseline)} + ${pct(RELATIVE_5XX_SLACK)}` };
}

export function judgeRelativeP99(candidate: TrafficTotals, current: TrafficTotals, maxRatio: number, minRequests: number): Judgement & { warning?: boolean } {
    const few = tooFew(candidate.requests, minRequests);
    if (few) return few;
    if (current.requests < minRequests || current.p99Ms === undefined) return { result: "inconclusive", warning: true, message: `the current color served ${n(current.requests)} requests (< ${n(minRequests)}) or no p99: nothing to compare with` };
    if (candidate.p99Ms === undefined) return { result: "inconclusive", message: "no p99 TargetResponseTime published for the window" };
    const limit = current.p99Ms * maxRatio;
    const ok = candidate.p99Ms <= limit;
    return { result: ok ? "pass" : "fail", value: candidate.p99Ms, threshold: limit, message: `p99 ${Math.round(candidate.p99Ms)} ms ${ok ? "≤" : ">"} ${maxRatio} × current ${Math.round(current.p99Ms)} ms` };
}

/** Where a threshold came from, for `describe()`. */
export type Origin = "flag" | "stack config" | "default";
export type Origins = Partial<Record<keyof TrafficSettings, Origin>>;

export interface TrafficGateDeps {
    apps: string[];
    source: TrafficSource;
    settings: TrafficSettings;
    origins?: Origins;
}

const errorText = (err: unknown) => (err instanceof Error ? err.message : String(err)).split("\n")[0];

/** The colors a check judges: the candidate (hard), the current color (a warning) while it carries traffic. */
function judgedColors(context: GateContext): Array<{ color: Color; warning: boolean }> {
    return COLORS.filter((c) => c === context.candidate || c === context.current).map((color) => ({ color, warning: color !== context.candidate }));
}

function notJudged(gate: string, app: string | undefined, color: Color, weight: number): GateCheck {
    return { gate, app, color, result: "inconclusive", warning: true, message: `${color} carries ${weight}% of the traffic: not judged` };
}

/**
 * Nothing complete to judge yet. In the pre-check (whose window is empty) that is a warning: a
 * resumed cutover's candidate already carries traffic, and its bake judges it from the first minute.
 */
function noMinuteYet(gate: string, window: MinuteWindow, settleDelayMs: number, phase?: GateContext["phase"]): Judgement & { warning?: boolean } {
    const message = `no complete, published minute since the step began yet (window ${formatWindow(window)}, settle delay ${Math.round(settleDelayMs / 1000)} s)`;
    if (phase === "precheck") return { result: "inconclusive", warning: true, message: `${message}: judged from the bake on` };
    return { result: "inconclusive", message };
}

type PerColor = (totals: TrafficTotals, s: TrafficSettings) => Judgement;

/** A gate that judges every app on both colors with `judge` over the window's complete minutes. */
function perAppGate(name: string, describe: string, deps: TrafficGateDeps, judge: PerColor): Gate {
    return {
        name,
        kind: "traffic",
        describe: () => describe,
        async check(context) {
            const window = completeMinutes(context.window.start, context.window.end, deps.settings.settleDelayMs);
            const label = formatWindow(window); // once per round, not per app and color
            const checks = await Promise.all(
                deps.apps.flatMap((app) =>
                    judgedColors(context).map(async ({ color, warning }): Promise<GateCheck> => {
                        const weight = context.weights[color];
                        if (weight === 0) return notJudged(name, app, color, weight);
                        const base = { gate: name, app, color, ...(warning ? { warning } : {}) };
                        if (window.minutes === 0) return { ...base, ...noMinuteYet(name, window, deps.settings.settleDelayMs, context.phase) };
                        try {
                            const totals = trafficTotals(await deps.source.appMinutes(app, color, window.start, window.end));
                            const j = judge(totals, deps.settings);
                            return { ...base, ...j, message: `${app} on ${color}: ${j.message} (${label})` };
                        } catch (err) {
                            return { ...base, result: "error", message: `${app} on ${color}: could not read the metrics: ${errorText(err)}` };
                        }
                    }),
                ),
            );
            return checks;
        },
    };
}

const from = (deps: TrafficGateDeps, key: keyof TrafficSettings) => deps.origins?.[key] ?? "default";

export function target5xxGate(deps: TrafficGateDeps): Gate {
    const s = deps.settings;
    return perAppGate("target-5xx", `HTTPCode_Target_5XX_Count / RequestCount per app ≤ ${pct(s.max5xxRate)} (max5xxRate, ${from(deps, "max5xxRate")}); at least ${s.minRequests} requests (minRequests, ${from(deps, "minRequests")})`, deps, (t, st) =>
        judgeRate("target 5xx", t.target5xx, t.requests, st.max5xxRate, st.minRequests),
    );
}

export function connectionErrorGate(deps: TrafficGateDeps): Gate {
    const s = deps.settings;
    return perAppGate("connection-errors", `TargetConnectionErrorCount / RequestCount per app ≤ ${pct(s.maxConnectionErrorRate)} (maxConnectionErrorRate, ${from(deps, "maxConnectionErrorRate")})`, deps, (t, st) =>
        judgeRate("connection errors", t.connectionErrors, t.requests, st.maxConnectionErrorRate, st.minRequests),
    );
}

export function p99LatencyGate(deps: TrafficGateDeps): Gate {
    const s = deps.settings;
    return perAppGate("p99-latency", `TargetResponseTime p99 per app ≤ ${s.maxP99Ms} ms (maxP99Ms, ${from(deps, "maxP99Ms")})`, deps, (t, st) => judgeP99(t, st.maxP99Ms, st.minRequests));
}

const COMPARED = ["5xx", "p99"] as const;

/** Both colors of each app over the same minutes: the candidate may not be much worse than the current color. */
export function colorComparisonGate(deps: TrafficGateDeps): Gate {
    const s = deps.settings;
    const name = "compare-colors";
    return {
        name,
        kind: "traffic",
        describe: () =>
            `candidate vs current over the same minutes: 5xx ≤ ${s.maxRelative5xx} × current + ${pct(RELATIVE_5XX_SLACK)} (maxRelative5xx, ${from(deps, "maxRelative5xx")}), p99 ≤ ${s.maxRelativeP99} × current (maxRelativeP99, ${from(deps, "maxRelativeP99")})`,
        async check(context) {
            const { candidate, current } = context;
            const window = completeMinutes(context.window.start, context.window.end, s.settleDelayMs);
            const label = formatWindow(window);
            const perApp = await Promise.all(
                deps.apps.map(async (app): Promise<GateCheck[]> => {
                    const base = { gate: name, app, color: candidate };
                    if (context.weights[candidate] === 0) return [notJudged(name, app, candidate, 0)];
                    if (context.weights[current] === 0 || candidate === current) return [{ ...base, result: "inconclusive", warning: true, message: `${app}: ${current} carries no traffic, nothing to compare ${candidate} with` }];
                    // Each measure is judged apart (StepJudge keys on it), so each gets its own check.
                    const perMeasure = (c: GateCheck): GateCheck[] => COMPARED.map((measure) => ({ ...c, measure }));
                    if (window.minutes === 0) return perMeasure({ ...base, ...noMinuteYet(name, window, s.settleDelayMs, context.phase) });
                    try {
                        const [cand, cur] = await Promise.all([candidate, current].map(async (c) => trafficTotals(await deps.source.appMinutes(app, c, window.start, window.end))));
                        const judged = [{ measure: "5xx", ...judgeRelative5xx(cand, cur, s.maxRelative5xx, s.minRequests) }, { measure: "p99", ...judgeRelativeP99(cand, cur, s.maxRelativeP99, s.minRequests) }];
                        return judged.map((j) => ({
                            ...base,
                            ...j,
                            message: `${app} ${candidate} vs ${current}: ${j.message} (${label})`,
                        }));
                    } catch (err) {
                        return perMeasure({ ...base, result: "error", message: `${app}: could not read the metrics: ${errorText(err)}` });
                    }
                }),
            );
            return perApp.flat();
        },
    };
}

function sumLoadBalancer(minutes: LoadBalancerMinute[]): { requests: number; elb5xx: number } {
    return minutes.reduce((a, m) => ({ requests: a.requests + m.requests, elb5xx: a.elb5xx + m.elb5xx }), { requests: 0, elb5xx: 0 });
}

/**
 * HTTPCode_ELB_5XX_Count: the 502/503/504 the load balancer answers itself (connection resets, no
 * healthy target, timeouts). Per load balancer, so both colors' share is in it: it is judged against
 * the rate of the `baseline` before the first check of the run (taken once, kept for the run).
 */
export function loadBalancer5xxGate(deps: TrafficGateDeps): Gate {
    const s = deps.settings;
    const name = "elb-5xx";
    let baseline: { rate: number; note: string } | undefined;
    const takeBaseline = async (before: Date) => {
        const window = completeMinutes(new Date(before.getTime() - s.baselineMs), before, 0);
        const totals = sumLoadBalancer(await deps.source.loadBalancerMinutes(window.start, window.end));
        if (totals.requests < s.minRequests) return { rate: 0, note: `no baseline (${n(totals.requests)} requests in ${formatWindow(window)}): judged against 0%` };
        return { rate: totals.elb5xx / totals.requests, note: `baseline ${formatWindow(window)}` };
    };
    return {
        name,
        kind: "traffic",
        describe: () => `HTTPCode_ELB_5XX_Count / RequestCount of the load balancer ≤ pre-cutover baseline (${Math.round(s.baselineMs / 60000)} min, baseline, ${from(deps, "baselineMs")}) + ${pct(s.maxElb5xxIncrease)} (maxElb5xxIncrease, ${from(deps, "maxElb5xxIncrease")})`,
        async check(context) {
            const base = { gate: name };
            try {
                baseline ??= await takeBaseline(context.window.start);
                if (context.phase === "precheck") {
                    // Before traffic moves there is nothing to judge against the baseline: report it.
                    return [{ ...base, result: "pass", warning: true, value: baseline.rate, message: `load balancer: ${baseline.note.startsWith("no baseline") ? baseline.note : `5xx ${pct(baseline.rate)} over the ${baseline.note}`}; judged from the first step on` }];
                }
                const window = completeMinutes(context.window.start, context.window.end, s.settleDelayMs);
                if (window.minutes === 0) return [{ ...base, ...noMinuteYet(name, window, s.settleDelayMs) }];
                const j = judgeElb5xx(sumLoadBalancer(await deps.source.loadBalancerMinutes(window.start, window.end)), baseline.rate, s.maxElb5xxIncrease, s.minRequests);
                return [{ ...base, ...j, message: `load balancer: ${j.message} (${formatWindow(window)}; ${baseline.note})` }];
            } catch (err) {
                return [{ ...base, result: "error", message: `load balancer: could not read the metrics: ${errorText(err)}` }];
            }
        },
    };
}

/**
 * One read per app, color and window however many gates ask: the gates of one check share the
 * minutes (and CloudWatch is asked once). Keeps only the latest window per app and color.
 */
export function sharedTrafficSource(source: TrafficSource): TrafficSource {
    const apps = new Map<string, { key: string; value: Promise<TrafficMinute[]> }>();
    let lb: { key: string; value: Promise<LoadBalancerMinute[]> } | undefined;
    return {
        appMinutes(app, color, start, end) {
            const id = `${app}\u0000${color}`;
            const key = `${start.getTime()}-${end.getTime()}`;
            const hit = apps.get(id);
            if (hit?.key === key) return hit.value;
            const entry = { key, value: source.appMinutes(app, color, start, end) };
            apps.set(id, entry);
            entry.value.catch(() => apps.get(id) === entry && apps.delete(id)); // a failed read is retried next time
            return entry.value;
        },
        loadBalancerMinutes(start, end) {
            const key = `${start.getTime()}-${end.getTime()}`;
            if (lb?.key === key) return lb.value;
            const entry = { key, value: source.loadBalancerMinutes(start, end) };
            lb = entry;
            entry.value.catch(() => lb === entry && (lb = undefined));
            return entry.value;
        },
    };
}
