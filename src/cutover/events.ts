/**
 * The event stream of a run: every decision of the engine becomes one `CutoverEvent`, kept for the
 * JSON report, written as NDJSON (`--events <file|->`), appended to the record, and printed as one
 * time-stamped human line when worth reading. `cutover`, `rollback` and `rehearse` share it.
 */
import { formatWeights } from "../config/colors";
import type { CutoverEvent } from "./contract";

export type EventInput = Omit<CutoverEvent, "ts" | "run">;

export interface EventSink {
    emit(event: EventInput): CutoverEvent;
    readonly events: CutoverEvent[];
}

export interface EventSinkOptions {
    run: string;
    now: () => number;
    /** Human output, one line per event worth reading. */
    human?: (line: string) => void;
    /** NDJSON output, one line per event. */
    ndjson?: (line: string) => void;
}

export function eventSink(options: EventSinkOptions): EventSink {
    const events: CutoverEvent[] = [];
    let last = { at: NaN, ts: "" }; // a round's checks share one time: format it once
    const ts = (at: number) => (at === last.at ? last.ts : (last = { at, ts: new Date(at).toISOString() }).ts);
    return {
        events,
        emit(input) {
            const event = { ts: ts(options.now()), run: options.run, ...withoutUndefined(input) } as CutoverEvent;
            events.push(event);
            options.ndjson?.(`${JSON.stringify(event)}\n`);
            if (options.human) {
                const line = humanLine(event);
                if (line !== undefined) options.human(line);
            }
            return event;
        },
    };
}

function withoutUndefined<T extends object>(o: T): T {
    const out: Record<string, unknown> = {};
    for (const key in o) if (o[key] !== undefined) out[key] = o[key];
    return out as T;
}

const MARK: Record<string, string> = { pass: "✓", fail: "✗", inconclusive: "?", error: "!" };

/** `HH:MM:SS type …`; gate checks indented under their step. */
export function humanLine(event: CutoverEvent): string | undefined {
    const time = event.ts.slice(11, 19);
    const step = event.step !== undefined ? ` [step ${event.step}]` : "";
    const weights = event.weights ? ` ${formatWeights(event.weights)}` : "";
    const message = event.message ? ` ${event.message}` : "";
    if (event.type === "gate") {
        const who = [event.gate, event.app, event.color].filter(Boolean).join(" ");
        return `${time}   ${MARK[event.result ?? ""] ?? "·"} ${who}:${message}`;
    }
    return `${time} ${event.type}${step}${weights}${message}`;
}
