/**
 * Reading a cutover's event stream (NDJSON, one `CutoverEvent` per line, see src/cutover/contract.ts)
 * for the report. Bad input is refused with the line that is wrong and why, before anything is drawn.
 * Where the events come from is behind `EventSource`: a file today, the record in the environment's
 * DynamoDB table later, without the report knowing the difference.
 */
import { readFile } from "fs/promises";
import { z } from "zod";
import { COLORS } from "../config/colors";
import type { CutoverEvent } from "../cutover/contract";
import { UserInputError } from "../errors";

/** Where a run's events come from: a file now, the environment's table later. */
export interface EventSource {
    /** Shown in the report and in messages ("events.ndjson", "table prod-bluegreen run r-1"). */
    readonly description: string;
    read(): Promise<CutoverEvent[]>;
}

export class EventStreamError extends UserInputError {}

const finite = z.number().refine(Number.isFinite, "must be a finite number");

/** The shape of one line. Fields the report does not know are ignored (the stream may grow). */
const eventSchema = z.object({
    ts: z.string().refine((s) => !Number.isNaN(Date.parse(s)), "must be an ISO 8601 time"),
    run: z.string().min(1),
    type: z.string().min(1),
    step: z.number().int().nonnegative().optional(),
    weights: z.object({ blue: finite, green: finite }).optional(),
    gate: z.string().optional(),
    app: z.string().optional(),
    color: z.enum(COLORS).optional(),
    result: z.enum(["pass", "fail", "inconclusive", "error"]).optional(),
    value: finite.optional(),
    threshold: finite.optional(),
    message: z.string().optional(),
    durationMs: finite.optional(),
});

function describeIssues(error: z.ZodError): string {
    return error.issues.map((i) => `${i.path.length ? `"${i.path.join(".")}" ` : ""}${i.message}`).join("; ");
}

/** Parses NDJSON text; `name` is what messages call the input. Blank lines are skipped. */
export function parseEvents(text: string, name: string): CutoverEvent[] {
    const events: CutoverEvent[] = [];
    const lines = text.split("\n");
    for (let i = 0; i < lines.length; i++) {
        const line = lines[i].trim();
        if (!line) continue;
        const where = `${name} line ${i + 1}`;
        let raw: unknown;
        try {
            raw = JSON.parse(line);
        } catch (err) {
            throw new EventStreamError(`${where} is not JSON (${(err as Error).message}); expected one cutover event per line (NDJSON), as written by --events`);
        }
        const parsed = eventSchema.safeParse(raw);
        if (!parsed.success) {
            throw new EventStreamError(`${where} is not a cutover event: ${describeIssues(parsed.error)}`);
        }
        events.push(parsed.data as CutoverEvent);
    }
    if (!events.length) throw new EventStreamError(`${name} holds no events; pass the file a cutover, rollback or rehearsal wrote with --events`);
    return events;
}

/** Events of one run: the only run in the stream, or the one asked for. */
export function selectRun(events: CutoverEvent[], name: string, run?: string): CutoverEvent[] {
    const runs = [...new Set(events.map((e) => e.run))];
    if (run !== undefined) {
        const picked = events.filter((e) => e.run === run);
        if (!picked.length) throw new EventStreamError(`${name} has no events of run "${run}" (runs: ${runs.join(", ")})`);
        return picked;
    }
    if (runs.length > 1) throw new EventStreamError(`${name} holds ${runs.length} runs (${runs.join(", ")}); pick one with --run <id>`);
    return events;
}

export function fileEventSource(path: string, read: (path: string) => Promise<string> = (p) => readFile(p, "utf8")): EventSource {
    return {
        description: path,
        async read() {
            let text: string;
            try {
                text = await read(path);
            } catch (err) {
                throw new EventStreamError(`cannot read ${path}: ${(err as Error).message}`);
            }
            return parseEvents(text, path);
        },
    };
}
