/**
 * How gate checks add up to a decision, with no clock and no IO, so the rules that keep a cutover
 * from flapping are tested as a table: an error is retried and only `consecutiveErrorLimit` errors
 * in a row count as one failure; inconclusive never counts as a pass; `failureLimit` failures are
 * tolerated per step; a bake is "enough" only when every gate (per app and color) passed in at least
 * half of the rounds; the pre-check needs every gate to pass.
 */
import type { GateCheck } from "./contract";

export interface JudgeLimits {
    consecutiveErrorLimit: number;
    failureLimit: number;
}

export interface RoundVerdict {
    /** The step has failed: more failures than `failureLimit`. */
    failed: boolean;
    /** Some check errored below the limit: check again soon (backoff), not after a whole interval. */
    retry: boolean;
    /** The checks that count as failures in this round (fails, and errors that reached the limit). */
    failures: GateCheck[];
}

const keyOf = (c: GateCheck) => `${c.gate}\u0000${c.app ?? ""}\u0000${c.color ?? ""}\u0000${c.measure ?? ""}`;

export class StepJudge {
    private readonly errorsInARow = new Map<string, number>();
    private readonly passes = new Map<string, number>();
    private failures = 0;
    rounds = 0;

    constructor(private readonly limits: JudgeLimits) {}

    /** Errors in a row so far for the check that has the most: drives the backoff. */
    get maxErrorsInARow(): number {
        return Math.max(0, ...this.errorsInARow.values());
    }

    observe(checks: GateCheck[]): RoundVerdict {
        this.rounds++;
        const failures: GateCheck[] = [];
        let retry = false;
        for (const check of checks) {
            if (check.warning) continue;
            const key = keyOf(check);
            if (!this.passes.has(key)) this.passes.set(key, 0);
            if (check.result === "error") {
                const n = (this.errorsInARow.get(key) ?? 0) + 1;
                if (n >= this.limits.consecutiveErrorLimit) {
                    failures.push({ ...check, message: `${check.message} (${n} errors in a row)` });
                    this.errorsInARow.set(key, 0);
                } else {
                    this.errorsInARow.set(key, n);
                    retry = true;
                }
                continue;
            }
            this.errorsInARow.set(key, 0);
            if (check.result === "fail") failures.push(check);
            if (check.result === "pass") this.passes.set(key, this.passes.get(key)! + 1);
        }
        this.failures += failures.length;
        return { failed: this.failures > this.limits.failureLimit, retry, failures };
    }

    /** Every gate seen passed in at least half of the rounds (and at least once). */
    enoughConclusive(): boolean {
        const needed = Math.max(1, Math.ceil(this.rounds / 2));
        return [...this.passes.values()].every((n) => n >= needed);
    }

    /** The gates (per app and color) short of conclusive passes, for the message. */
    shortOfPasses(): string[] {
        const needed = Math.max(1, Math.ceil(this.rounds / 2));
        return [...this.passes.entries()].filter(([, n]) => n < needed).map(([key, n]) => `${key.split("\u0000").filter(Boolean).join(" ")} passed ${n}/${this.rounds}`);
    }
}

/** The pre-check: every non-warning check must pass; inconclusive is not a pass. */
export function precheckPasses(checks: GateCheck[]): boolean {
    return checks.every((c) => c.warning || c.result === "pass");
}

/** Backoff after `errorsInARow` errors: doubling from `baseMs`, never longer than the interval. */
export function errorBackoffMs(errorsInARow: number, baseMs: number, intervalMs: number): number {
    return Math.min(intervalMs, baseMs * 2 ** Math.max(0, errorsInARow - 1));
}
