/**
 * The contract between the cutover engine, its gates and what reads its event stream (the report,
 * the record in the environment's table, the human log). The engine decides on `GateCheck`s only;
 * gates get the world through narrow readers, so the same gates run against AWS and Kubernetes in
 * a real cutover and against a simulated world in `bluegreen rehearse`.
 */
import type { Color, Weights } from "../config/colors";

/**
 * pass: measured and within the threshold. fail: measured and outside it. inconclusive: too little
 * data to judge (fewer than minRequests, no datapoint yet): never counts as a pass. error: the
 * measurement itself failed (throttling, timeout, 5xx from AWS or Kubernetes): retried, and only
 * `consecutiveErrorLimit` errors in a row count as a failure.
 */
export type CheckResult = "pass" | "fail" | "inconclusive" | "error";

/** One judgement of one gate, for one app and color where the gate is per app. */
export interface GateCheck {
    gate: string;
    app?: string;
    color?: Color;
    /** What a gate that judges several figures per app and color measured (compare-colors: "5xx", "p99"); judged apart. */
    measure?: string;
    result: CheckResult;
    /** The measured figure (a rate, a count, milliseconds), when there is one. */
    value?: number;
    /** The threshold it was judged against. */
    threshold?: number;
    /** One line an operator reads: what was measured against what was required. */
    message: string;
    /** A check that only warns (e.g. a workload outside the routed namespaces): never fails a step. */
    warning?: boolean;
}

export interface GateWindow {
    /** Start of what this check may look at (the step's start, or the bake's). */
    start: Date;
    /** Now, as the engine's clock says. */
    end: Date;
}

export interface GateContext {
    /** The color traffic is moving to. */
    candidate: Color;
    /** The color that carried traffic before the cutover. */
    current: Color;
    /** The live weights while the check runs. */
    weights: Weights;
    window: GateWindow;
    phase: "precheck" | "bake" | "rollback-check";
}

export type GateKind = "traffic" | "health" | "workload" | "manual";

export interface Gate {
    name: string;
    kind: GateKind;
    /** Thresholds and their origin (flag, stack config, default), printed at the start of a run. */
    describe(): string;
    /** Never throws: a failed measurement is a check with result "error". */
    check(context: GateContext): Promise<GateCheck[]>;
}

/** The event types every run writes; more may be added, these keep their meaning. */
export const EVENT_TYPES = [
    "start",
    "precheck",
    "update-begin",
    "update-done",
    "verify",
    "gate",
    "step-baked",
    "fallback",
    "pause",
    "interrupted",
    "error",
    "done",
] as const;
export type CutoverEventType = (typeof EVENT_TYPES)[number] | (string & {});

/**
 * One line of the event stream (`--events <file|->`, NDJSON): `cutover`, `rollback` and `rehearse`
 * write the same shape. Optional fields are left out, not null.
 */
export interface CutoverEvent {
    /** ISO 8601 time from the engine's clock (simulated in a rehearsal). */
    ts: string;
    /** The run id. */
    run: string;
    type: CutoverEventType;
    /** 1-based step index, when the event belongs to a step. */
    step?: number;
    /** The live (or just applied) weights. */
    weights?: Weights;
    gate?: string;
    app?: string;
    color?: Color;
    result?: CheckResult;
    value?: number;
    threshold?: number;
    message?: string;
    durationMs?: number;
}
