/** Pure decisions of a cutover: which steps remain, where to fall back, what a duration string means. */
import { Color, COLORS, Weights, weightsFor } from "../config/colors";
import { DURATION_HINT, formatDuration, parseDurationMs } from "../config/values";
import { UserInputError } from "../errors";

export class CutoverInputError extends UserInputError {}

/** Steps still to take towards `target`: those above its current weight, ending at 100. */
export function remainingSteps(current: Weights, target: Color, steps: number[]): number[] {
    const sorted = [...new Set(steps)].sort((a, b) => a - b);
    if (sorted.some((s) => !Number.isInteger(s) || s < 1 || s > 100)) {
        throw new CutoverInputError(`steps must be whole percentages from 1 to 100, got ${steps.join(",")}`);
    }
    if (sorted[sorted.length - 1] !== 100) sorted.push(100);
    return sorted.filter((s) => s > current[target]);
}

/** abort: all traffic back to the color that carried it before (default). previous-step: back to the last baked weight, then 0 on the next failure. */
export type FailurePolicy = "abort" | "previous-step";
export const FAILURE_POLICIES: readonly FailurePolicy[] = ["abort", "previous-step"];

/**
 * Weights to go back to when a step fails: with `previous-step`, the highest percentage below the
 * failed one that was baked (in this run or in the record); otherwise, or when none was, 0.
 */
export function fallbackWeights(target: Color, failedPercent: number, bakedPercents: number[], policy: FailurePolicy): Weights {
    const good = policy === "previous-step" ? bakedPercents.filter((p) => p < failedPercent && p < 100) : [];
    return weightsFor(target, good.length ? Math.max(...good) : 0);
}

/** The color to give all traffic back to on `rollback`. */
export function rollbackColor(current: Weights, previousColor: Color | undefined): Color {
    if (previousColor) return previousColor;
    const carrying = COLORS.filter((c) => current[c] > 0);
    if (carrying.length === 1) {
        throw new CutoverInputError(`${carrying[0]} already carries 100% and no cutover is recorded (cutover.previousColor): nothing to roll back`);
    }
    throw new CutoverInputError("no cutover is recorded in the stack config (bluegreen:cutover.previousColor): run `bluegreen cutover` first, or set the weights by hand");
}

/** Parses "10m", "30s", "1h30m", "90s" into milliseconds; a `CutoverInputError` otherwise. */
export function parseDuration(text: string): number {
    const ms = parseDurationMs(text);
    if (ms === undefined) throw new CutoverInputError(`"${text}" ${DURATION_HINT}`);
    return ms;
}

export { formatDuration };
