/**
 * Which minutes a traffic check may judge. CloudWatch sums ALB metrics per aligned minute and
 * publishes each one late, so a check looks only at whole minutes that (a) started at or after the
 * step began (a minute that straddles the step holds traffic from the previous weights) and (b)
 * ended at least the settle delay ago (a younger minute may still grow). The engine's last check of
 * a step must therefore run at `lastMinutesCheckedAt(stepEnd)`, or the last minutes go unjudged.
 */
import { METRIC_PERIOD_MS } from "../../config/schema";

export interface MinuteWindow {
    /** First minute judged (inclusive, aligned). */
    start: Date;
    /** End of the last minute judged (exclusive, aligned). */
    end: Date;
    /** Number of whole minutes in [start, end); 0 when nothing is complete yet. */
    minutes: number;
}

const floorTo = (ms: number, period: number) => Math.floor(ms / period) * period;
const ceilTo = (ms: number, period: number) => Math.ceil(ms / period) * period;

/** The aligned, complete, published minutes inside [from, now). */
export function completeMinutes(from: Date, now: Date, settleDelayMs: number, period = METRIC_PERIOD_MS): MinuteWindow {
    const start = ceilTo(from.getTime(), period);
    const end = Math.max(start, floorTo(now.getTime() - settleDelayMs, period));
    return { start: new Date(start), end: new Date(end), minutes: (end - start) / period };
}

/** When a check sees every minute up to `stepEnd`: the end's minute boundary plus the settle delay. */
export function lastMinutesCheckedAt(stepEnd: Date, settleDelayMs: number, period = METRIC_PERIOD_MS): Date {
    return new Date(ceilTo(stepEnd.getTime(), period) + settleDelayMs);
}

/** "10:03–10:07 (4 min)", for check messages. */
export function formatWindow(w: MinuteWindow): string {
    const hm = (d: Date) => d.toISOString().slice(11, 16);
    return `${hm(w.start)}–${hm(w.end)} UTC (${w.minutes} min)`;
}
