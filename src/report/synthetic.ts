/**
 * Realistic event streams for tests and the bench: a cutover of N apps with a gate check per app,
 * color and traffic gate every interval, steps with bakes, and optionally a pause, a fallback after
 * a failing gate, or an interrupt. Deterministic (seeded), so a test can assert on what it built.
 */
import { Color, otherColor, Weights, weightsFor } from "../config/colors";
import type { CutoverEvent } from "../cutover/contract";

export interface SyntheticCutover {
    apps: number;
    /** Percent to the candidate after each step. */
    steps: number[];
    bakeMs: number;
    intervalMs: number;
    start?: Date;
    to?: Color;
    seed?: number;
    /** Pause before this step index (0-based) for 10 minutes (a manual promote). */
    pauseBeforeStep?: number;
    /** From this step index on, the first app's candidate 5xx rate is over threshold: the step fails and traffic goes back. */
    failAtStep?: number;
    /** Stop with an interrupt in the middle of this step's bake. */
    interruptAtStep?: number;
}

/** The gates of the synthetic run with their thresholds; rates are fractions, latency in ms. */
export const SYNTHETIC_GATES = { "target-5xx-rate": 0.01, "p99-latency": 800, requests: 50 } as const;

/** A 3-hour cutover of 50 apps with gate events every 30 s (the bench's and the case). */
export const THREE_HOURS_FIFTY_APPS: SyntheticCutover = {
    apps: 50,
    steps: [5, 10, 25, 50, 75, 100],
    bakeMs: 30 * 60_000,
    intervalMs: 30_000,
};

/** A small PRNG (mulberry32): the same seed gives the same stream. */
function random(seed: number): () => number {
    let a = seed >>> 0;
    return () => {
        a = (a + 0x6d2b79f5) >>> 0;
        let t = a;
        t = Math.imul(t ^ (t >>> 15), t | 1);
        t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
        return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
}

export function appName(i: number): string {
    return `app-${String(i + 1).padStart(2, "0")}`;
}

export function syntheticCutover(options: SyntheticCutover): CutoverEvent[] {
    const to = options.to ?? "green";
    const from = otherColor(to);
    const rnd = random(options.seed ?? 42);
    const run = `run-${(options.seed ?? 42).toString(16)}`;
    let now = (options.start ?? new Date("2026-11-27T01:00:00Z")).getTime();
    const events: CutoverEvent[] = [];
    const at = () => new Date(now).toISOString();
    const emit = (e: Omit<CutoverEvent, "ts" | "run">) => events.push({ ts: at(), run, ...e });
    const apps = Array.from({ length: options.apps }, (_, i) => appName(i));
    const baseRpm = apps.map(() => 200 + Math.floor(rnd() * 3000));
    let weights: Weights = weightsFor(to, 0);

    const checks = (step: number, failing: boolean): boolean => {
        let failed = false;
        for (const [i, app] of apps.entries()) {
            for (const color of [from, to]) {
                const share = weights[color] / 100;
                const requests = Math.round(baseRpm[i] * share * (options.intervalMs / 60_000) * (0.9 + rnd() * 0.2));
                const bad = failing && i === 0 && color === to;
                const rate = bad ? 0.02 + rnd() * 0.03 : rnd() * 0.004;
                const p99 = 120 + rnd() * 180 + (color === to ? 20 : 0);
                const judge = (value: number, threshold: number, higherIsBad = true) =>
                    requests < SYNTHETIC_GATES.requests ? "inconclusive" : (higherIsBad ? value > threshold : value < threshold) ? "fail" : "pass";
                const rateResult = judge(rate, SYNTHETIC_GATES["target-5xx-rate"]);
                if (rateResult === "fail") failed = true;
                emit({ type: "gate", step, gate: "target-5xx-rate", app, color, result: rateResult, value: rate, threshold: SYNTHETIC_GATES["target-5xx-rate"], message: `${(rate * 100).toFixed(2)}% 5xx of ${requests} requests` });
                emit({ type: "gate", step, gate: "p99-latency", app, color, result: judge(p99, SYNTHETIC_GATES["p99-latency"]), value: p99, threshold: SYNTHETIC_GATES["p99-latency"], message: `p99 ${p99.toFixed(0)} ms` });
                emit({ type: "gate", step, gate: "requests", app, color, result: requests < SYNTHETIC_GATES.requests ? "inconclusive" : "pass", value: requests, threshold: SYNTHETIC_GATES.requests, message: `${requests} requests` });
            }
        }
        return failed;
    };

    emit({ type: "start", weights, message: `cutover ${from} → ${to}, ${options.steps.join("/")}%, ${apps.length} apps` });
    now += 5_000;
    weights = weightsFor(to, 0);
    checks(0, false);
    emit({ type: "precheck", result: "pass", message: "every gate passed" });
    for (const [index, percent] of options.steps.entries()) {
        const step = index + 1;
        if (options.pauseBeforeStep === index) {
            emit({ type: "pause", step, weights, message: `paused before ${percent}%: waiting for bluegreen promote` });
            now += 10 * 60_000;
        }
        emit({ type: "update-begin", step, weights: weightsFor(to, percent) });
        now += 20_000;
        weights = weightsFor(to, percent);
        emit({ type: "update-done", step, weights, durationMs: 20_000 });
        now += 2_000;
        emit({ type: "verify", step, weights, result: "pass", message: "live weights match" });
        const bakeStart = now;
        while (now - bakeStart < options.bakeMs) {
            now += options.intervalMs;
            if (options.interruptAtStep === index && now - bakeStart >= options.bakeMs / 2) {
                emit({ type: "interrupted", step, weights, message: "SIGINT: stopped after the current check; traffic left at the verified weights" });
                return events;
            }
            if (checks(step, options.failAtStep !== undefined && index >= options.failAtStep)) {
                const back = weightsFor(from, 100);
                emit({ type: "fallback", step, weights: back, message: `target-5xx-rate failed for ${apps[0]} on ${to}: all traffic back to ${from}` });
                now += 20_000;
                weights = back;
                emit({ type: "done", weights, result: "fail", message: "fell back", durationMs: now - Date.parse(events[0].ts) });
                return events;
            }
        }
        emit({ type: "step-baked", step, weights, durationMs: now - bakeStart, message: `${percent}% baked` });
    }
    emit({ type: "done", weights, result: "pass", message: "completed", durationMs: now - Date.parse(events[0].ts) });
    return events;
}

export function toNdjson(events: CutoverEvent[]): string {
    return events.map((e) => JSON.stringify(e)).join("\n") + "\n";
}
