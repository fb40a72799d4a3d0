/** Timing helpers of `npm run bench`: medians of repeated runs, printed with their spread. */
import { performance } from "perf_hooks";

export const REPETITIONS = 9;

export function median(values: number[]): number {
    const sorted = [...values].sort((a, b) => a - b);
    return sorted[Math.floor(sorted.length / 2)];
}

async function timeAsync(fn: () => Promise<unknown> | unknown): Promise<number> {
    const start = performance.now();
    await fn();
    return performance.now() - start;
}

/** Median of `repetitions` runs after one warm-up, printed on one line. */
export async function measure(label: string, fn: () => Promise<unknown> | unknown, repetitions = REPETITIONS): Promise<number> {
    await fn(); // warm-up
    const samples: number[] = [];
    for (let i = 0; i < repetitions; i++) samples.push(await timeAsync(fn));
    const m = median(samples);
    console.log(`  ${label.padEnd(58)} median ${m.toFixed(1).padStart(8)} ms  (min ${Math.min(...samples).toFixed(1)}, max ${Math.max(...samples).toFixed(1)})`);
    return m;
}

export function ratioLine(label: string, ratio: number, target: number): string {
    return `  ${label.padEnd(16)} ${ratio.toFixed(2)}×  ${ratio <= target ? "ok" : "over target"} (target ≤ ${target.toFixed(1)}×)`;
}
