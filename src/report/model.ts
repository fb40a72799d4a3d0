/**
 * What the report shows, computed from a run's events and nothing else: the weights over time, the
 * measured figures per gate, app and color with their thresholds, the moments that matter (steps,
 * fallbacks, pauses, interrupts) and the decisions with the figures behind them. Pure: the charts
 * and the HTML are drawn from this model, so what they say is tested here.
 */
import { COLORS, Color, formatWeights } from "../config/colors";
import type { CheckResult, CutoverEvent } from "../cutover/contract";

/** How a gate's figures are charted. Add a row here for a new gate; unknown gates get `genericGateChart`. */
export interface GateChart {
    title: string;
    /** What the charted number is, shown in the column header. */
    unit: string;
    /** Charted value = measured value × scale (a rate of 0.01 is charted as 1 %). */
    scale: number;
    /** d3-format of the measured value in the tables. */
    format: string;
    /** Charts are shown in this order (unknown gates last, by name). */
    order: number;
}

export const GATE_CHARTS: Record<string, GateChart> = {
    "target-5xx-rate": { title: "Target 5xx rate", unit: "%", scale: 100, format: ".2%", order: 1 },
    "elb-5xx-rate": { title: "Load balancer 5xx rate", unit: "%", scale: 100, format: ".2%", order: 2 },
    "target-connection-errors": { title: "Target connection errors", unit: "errors", scale: 1, format: ",.0f", order: 3 },
    "p99-latency": { title: "p99 latency", unit: "ms", scale: 1, format: ",.0f", order: 4 },
    requests: { title: "Requests", unit: "per check", scale: 1, format: ",.0f", order: 5 },
    "target-health": { title: "Healthy targets", unit: "targets", scale: 1, format: ",.0f", order: 6 },
};

export function chartOfGate(gate: string): GateChart {
    return GATE_CHARTS[gate] ?? { title: gate, unit: "value", scale: 1, format: ",.4~g", order: 100 };
}

/** Marker kinds drawn as vertical rules on every chart. */
export type MarkerKind = "step" | "fallback" | "pause" | "interrupted" | "error" | "done";

export interface Marker {
    ts: string;
    kind: MarkerKind;
    label: string;
}

export interface WeightPoint {
    ts: string;
    color: Color;
    weight: number;
}

export interface GatePoint {
    ts: string;
    color: Color | "-";
    value?: number;
    threshold?: number;
    result?: CheckResult;
}

export interface GateSeries {
    gate: string;
    chart: GateChart;
    points: GatePoint[];
}

export interface AppFigures {
    /** The routed app, or "(environment)" for gates that are not per app. */
    app: string;
    gates: GateSeries[];
}

/** A gate check that was not a pass, shown beside the decision it led to. */
export type CheckFigure = Pick<CutoverEvent, "ts" | "app" | "color" | "value" | "threshold" | "message"> & {
    gate: string;
    result: CheckResult;
    /** How the gate's value reads (from its chart). */
    format: string;
};

export interface Decision {
    ts: string;
    type: string;
    step?: number;
    weights?: string;
    message?: string;
    durationMs?: number;
    /** Checks of this step that did not pass, up to this decision: failures and errors first, at most MAX_CHECKS_PER_DECISION. */
    checks: CheckFigure[];
    /** How many more such checks there were than `checks` lists. */
    moreChecks: number;
}

export interface CheckTally {
    pass: number;
    fail: number;
    inconclusive: number;
    error: number;
}

export interface ReportModel {
    run: string;
    source: string;
    start: string;
    end: string;
    /** The last event's type and message: how the run ended. */
    outcome: string;
    weights: WeightPoint[];
    markers: Marker[];
    apps: AppFigures[];
    decisions: Decision[];
    tally: CheckTally;
}

export const ENVIRONMENT_ROW = "(environment)";

const MARKER_OF: Record<string, MarkerKind> = {
    "update-done": "step",
    fallback: "fallback",
    pause: "pause",
    interrupted: "interrupted",
    error: "error",
    done: "done",
};

/** Decisions are every event but the individual checks and the update bookkeeping. */
const NOT_DECISIONS = new Set(["gate", "update-begin"]);
/** Decisions that list the failing checks behind them. */
const WITH_CHECKS = new Set(["fallback", "error", "interrupted", "step-baked", "done", "precheck", "pause"]);
export const MAX_CHECKS_PER_DECISION = 12;
const CHECK_WEIGHT: Record<CheckResult, number> = { fail: 0, error: 1, inconclusive: 2, pass: 3 };

/** The checks behind a decision, most telling first: failures, errors, then inconclusive; latest first within each. */
function tellingChecks(pending: CheckFigure[]): { checks: CheckFigure[]; moreChecks: number } {
    const sorted = pending.map((c, i) => ({ c, i })).sort((a, b) => CHECK_WEIGHT[a.c.result] - CHECK_WEIGHT[b.c.result] || b.i - a.i).map((x) => x.c);
    return { checks: sorted.slice(0, MAX_CHECKS_PER_DECISION), moreChecks: Math.max(0, sorted.length - MAX_CHECKS_PER_DECISION) };
}

function byTime(events: CutoverEvent[]): CutoverEvent[] {
    // Stable: events of the same millisecond keep the order the engine wrote them in.
    return events.map((e, i) => ({ e, i, t: Date.parse(e.ts) })).sort((a, b) => a.t - b.t || a.i - b.i).map((x) => x.e);
}

/** The weights as a step function: a point per event that carries weights, held to the end. */
export function weightSteps(events: CutoverEvent[]): WeightPoint[] {
    const points: WeightPoint[] = [];
    let last: CutoverEvent["weights"];
    for (const e of events) {
        if (!e.weights) continue;
        if (last && COLORS.every((c) => last![c] === e.weights![c])) continue;
        last = e.weights;
        for (const color of COLORS) points.push({ ts: e.ts, color, weight: e.weights[color] });
    }
    const end = events[events.length - 1]?.ts;
    if (last && end && points[points.length - 1].ts !== end) {
        for (const color of COLORS) points.push({ ts: end, color, weight: last[color] });
    }
    return points;
}

function markerLabel(e: CutoverEvent): string {
    switch (e.type) {
        case "update-done":
            return `step ${e.step ?? "?"}${e.weights ? `: ${e.weights.blue}/${e.weights.green}` : ""}`;
        default:
            return e.type;
    }
}

export function markersOf(events: CutoverEvent[]): Marker[] {
    return events.filter((e) => MARKER_OF[e.type]).map((e) => ({ ts: e.ts, kind: MARKER_OF[e.type], label: markerLabel(e) }));
}

/**
 * The charts draw a point per app, gate, color and minute: the traffic gates read one-minute
 * CloudWatch periods, so checks every 30 s (or 10 s) mostly repeat the same minute's figure, and a
 * 3-hour run of 50 apps would otherwise give vega 110,000 points (its cost is per point; see
 * docs/report.md). Every check stays in the tally and, when it did not pass, in the decisions table.
 */
export const CHART_PERIOD_MS = 60_000;

/** How far a check is from its threshold; a check without both numbers is never the nearest. */
function margin(p: GatePoint): number {
    return p.value === undefined || p.threshold === undefined ? Infinity : Math.abs(p.value - p.threshold);
}

/** Of two checks of the same color and minute, the one to chart: the worse result, then the nearer to its threshold, then the later. */
function moreTelling(a: GatePoint, b: GatePoint): GatePoint {
    const byResult = CHECK_WEIGHT[a.result ?? "pass"] - CHECK_WEIGHT[b.result ?? "pass"];
    if (byResult) return byResult < 0 ? a : b;
    return margin(a) < margin(b) ? a : b;
}

/**
 * One point per color and `CHART_PERIOD_MS` of a gate's time-ordered checks: the most telling of
 * that minute (a failure over a pass, otherwise the check nearest its threshold, whichever side it
 * is on: the highest error rate under a maximum, the fewest requests over a minimum). Its value
 * and threshold are the check's own, never an average.
 */
export function chartPoints(points: GatePoint[]): GatePoint[] {
    const chosen = new Map<string, GatePoint>();
    for (const p of points) {
        const key = `${p.color} ${Math.floor(Date.parse(p.ts) / CHART_PERIOD_MS)}`;
        const current = chosen.get(key);
        chosen.set(key, current ? moreTelling(current, p) : p);
    }
    return [...chosen.values()];
}

/** Per app (then the environment-wide gates), per gate in chart order, the points to chart (`chartPoints`). */
export function figuresOf(events: CutoverEvent[]): AppFigures[] {
    const apps = new Map<string, Map<string, GatePoint[]>>();
    for (const e of events) {
        if (e.type !== "gate" || !e.gate) continue;
        if (e.value === undefined && e.threshold === undefined) continue;
        const app = e.app ?? ENVIRONMENT_ROW;
        if (!apps.has(app)) apps.set(app, new Map());
        const gates = apps.get(app)!;
        if (!gates.has(e.gate)) gates.set(e.gate, []);
        gates.get(e.gate)!.push({ ts: e.ts, color: e.color ?? "-", value: e.value, threshold: e.threshold, result: e.result });
    }
    const names = [...apps.keys()].sort((a, b) => (a === ENVIRONMENT_ROW ? 1 : b === ENVIRONMENT_ROW ? -1 : a.localeCompare(b)));
    return names.map((app) => ({
        app,
        gates: [...apps.get(app)!.entries()]
            .map(([gate, points]) => ({ gate, chart: chartOfGate(gate), points: chartPoints(points) }))
            .sort((a, b) => a.chart.order - b.chart.order || a.gate.localeCompare(b.gate)),
    }));
}

function checkFigure(e: CutoverEvent): CheckFigure {
    return {
        ts: e.ts,
        gate: e.gate ?? "?",
        app: e.app,
        color: e.color,
        result: e.result!,
        value: e.value,
        threshold: e.threshold,
        format: chartOfGate(e.gate ?? "").format,
        message: e.message,
    };
}

/** The run's decisions, each with the checks of its step that failed, erred or were inconclusive. */
export function decisionsOf(events: CutoverEvent[]): Decision[] {
    const decisions: Decision[] = [];
    let pending: CheckFigure[] = [];
    for (const e of events) {
        if (e.type === "gate") {
            if (e.result && e.result !== "pass") pending.push(checkFigure(e));
            continue;
        }
        if (NOT_DECISIONS.has(e.type)) continue;
        const { checks, moreChecks } = WITH_CHECKS.has(e.type) ? tellingChecks(pending) : { checks: [], moreChecks: 0 };
        decisions.push({
            ts: e.ts,
            type: e.type,
            step: e.step,
            weights: e.weights ? formatWeights(e.weights) : undefined,
            message: e.message,
            durationMs: e.durationMs,
            checks,
            moreChecks,
        });
        // A step's verdict closes what was pending: the next step starts with a clean slate.
        if (WITH_CHECKS.has(e.type) || e.type === "update-done") pending = [];
    }
    return decisions;
}

export function tallyOf(events: CutoverEvent[]): CheckTally {
    const tally: CheckTally = { pass: 0, fail: 0, inconclusive: 0, error: 0 };
    for (const e of events) if (e.type === "gate" && e.result) tally[e.result]++;
    return tally;
}

export function buildReportModel(unsorted: CutoverEvent[], source: string): ReportModel {
    const events = byTime(unsorted);
    const last = events[events.length - 1];
    return {
        run: events[0].run,
        source,
        start: events[0].ts,
        end: last.ts,
        outcome: `${last.type}${last.message ? `: ${last.message}` : ""}`,
        weights: weightSteps(events),
        markers: markersOf(events),
        apps: figuresOf(events),
        decisions: decisionsOf(events),
        tally: tallyOf(events),
    };
}
