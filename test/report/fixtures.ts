/** Event streams the report tests share. */
import type { CutoverEvent } from "../../src/cutover/contract";

export const at = (minute: number, seconds = 0) => new Date(Date.UTC(2026, 10, 27, 1, minute, seconds)).toISOString();
export const ev = (minute: number, e: Partial<CutoverEvent> & { type: string }): CutoverEvent => ({ ts: at(minute), run: "r1", ...e });
export const w = (blue: number, green: number) => ({ blue, green });

/** A small cutover: 10 % baked, 50 % fails on shop's green 5xx rate, traffic goes back to blue. */
export const FELL_BACK: CutoverEvent[] = [
    ev(0, { type: "start", weights: w(100, 0) }),
    ev(1, { type: "precheck", result: "pass" }),
    ev(2, { type: "update-begin", step: 1, weights: w(90, 10) }),
    ev(3, { type: "update-done", step: 1, weights: w(90, 10), durationMs: 60_000 }),
    ev(4, { type: "gate", step: 1, gate: "target-5xx-rate", app: "shop", color: "green", result: "inconclusive", value: 0, threshold: 0.01, message: "12 requests" }),
    ev(5, { type: "gate", step: 1, gate: "target-5xx-rate", app: "shop", color: "green", result: "pass", value: 0.002, threshold: 0.01 }),
    ev(5, { type: "gate", step: 1, gate: "p99-latency", app: "shop", color: "blue", result: "pass", value: 210, threshold: 800 }),
    ev(5, { type: "gate", step: 1, gate: "queue-depth", app: "api", color: "green", result: "pass", value: 3, threshold: 10 }),
    ev(5, { type: "gate", step: 1, gate: "workloads", result: "pass", message: "all ready" }),
    ev(5, { type: "gate", step: 1, gate: "node-pressure", result: "pass", value: 0.4, threshold: 0.9 }),
    ev(10, { type: "step-baked", step: 1, weights: w(90, 10), durationMs: 420_000 }),
    ev(11, { type: "update-done", step: 2, weights: w(50, 50) }),
    ev(12, { type: "pause", step: 2, weights: w(50, 50), message: "waiting for promote" }),
    ev(14, { type: "gate", step: 2, gate: "target-5xx-rate", app: "shop", color: "green", result: "fail", value: 0.034, threshold: 0.01, message: "3.4% of 2,000" }),
    ev(14, { type: "gate", step: 2, gate: "requests", app: "shop", color: "blue", result: "error", message: "throttled" }),
    ev(15, { type: "fallback", step: 2, weights: w(100, 0), message: "back to blue" }),
    ev(16, { type: "done", weights: w(100, 0), result: "fail", message: "fell back" }),
];

