/**
 * Manual gates: `cutover --pause-before <percent>` stops the engine before it moves to that
 * percentage until an operator runs `bluegreen promote --stack …` (or `--abort`), as Argo Rollouts'
 * pause and Flagger's confirm-promotion do. The pause is a record in a `PauseStore` (an item of the
 * environment's DynamoDB table in a real run, see ../dynamo-pause-store.ts; memory in tests and
 * rehearsals), so an operator on another machine can decide it. The engine (../run.ts) owns the
 * waiting: it records the pause, keeps its lease and its gates while it waits, and reads the
 * decision back. A decision names the pause it decides (run id and percentage) and is written only
 * while that pause still waits and its run still holds the lease: two operators deciding at once
 * cannot both win, and a decision meant for an older pause never resolves a newer one.
 */

/** waiting: the run waits. promoted/aborted: an operator decided. interrupted/ended: the run stopped waiting on its own. */
export type PauseState = "waiting" | "promoted" | "aborted" | "interrupted" | "ended";
export type PauseDecision = "promoted" | "aborted";

export interface PauseRecord {
    stack: string;
    /** The run that waits (its lease's run id). */
    runId: string;
    /** Who waits (owner@host of the run). */
    waiter: string;
    /** The cutover pauses before moving to this percentage. */
    percent: number;
    /** The 1-based step that percentage is. */
    step?: number;
    state: PauseState;
    /** When the run began to wait (ISO 8601). */
    since: string;
    /** Who decided (or why the run stopped waiting), and when. */
    by?: string;
    at?: string;
    note?: string;
}

export type NewPause = Pick<PauseRecord, "stack" | "runId" | "waiter" | "percent" | "step" | "since">;

/** Which pause a decision is meant for: what the operator saw waiting. */
export interface PauseRef {
    runId: string;
    percent: number;
}

export interface PauseStore {
    /** Records that `runId` waits before `percent`; replaces any earlier pause of the stack (and its decision). */
    begin(pause: NewPause): Promise<PauseRecord>;
    /** The stack's latest pause, in whatever state; undefined when none was ever recorded. */
    read(stack: string): Promise<PauseRecord | undefined>;
    /**
     * An operator's decision on the pause `ref`, written only while it still waits and its run still
     * holds the cutover lease at `at`; `NoPauseError` otherwise (nothing written).
     */
    decide(stack: string, ref: PauseRef, decision: PauseDecision, by: string, at: Date): Promise<PauseRecord>;
    /** The run stops waiting without a decision (interrupt, failing gate, lost lease): marked only if still waiting. */
    end(stack: string, ref: PauseRef, state: "interrupted" | "ended", note: string, at: Date): Promise<void>;
}

/** Nothing (any more) waits for the decision; the message says what the record shows instead. */
export class NoPauseError extends Error {
    name = "NoPauseError";
    constructor(message: string, readonly current?: PauseRecord) {
        super(message);
    }
}

/** What the cutover lease says about a run, as the stores need it for a decision. */
export interface LeaseView {
    runId?: string;
    expiresAt?: string;
}

/** Why a waiting pause cannot be decided any more, or undefined when its run holds the lease at `at`. */
export function deadPauseReason(pause: PauseRecord, lease: LeaseView | undefined, at: Date): string | undefined {
    if (!lease?.runId) return `the cutover that paused (run ${pause.runId} of ${pause.waiter}) holds no lease any more: it stopped without clearing its pause`;
    if (lease.runId !== pause.runId) return `the cutover lease now belongs to run ${lease.runId}, not to run ${pause.runId} that paused`;
    if (lease.expiresAt && Date.parse(lease.expiresAt) <= at.getTime()) {
        return `the cutover that paused (run ${pause.runId} of ${pause.waiter}) stopped renewing its lease (expired ${lease.expiresAt}): it is not waiting any more`;
    }
    return undefined;
}

/** One line on a pause that is not waiting, for messages. */
export function describePause(p: PauseRecord): string {
    const decided = p.by ? ` by ${p.by}${p.at ? ` at ${p.at}` : ""}` : "";
    return `the last pause (before ${p.percent}%, run ${p.runId} of ${p.waiter}, since ${p.since}) was ${p.state}${decided}${p.note ? `: ${p.note}` : ""}`;
}

export function describeNotWaiting(stack: string, p: PauseRecord | undefined): string {
    return `no cutover of stack ${stack} is paused${p ? ` (${describePause(p)})` : ""}`;
}

/** The pause store of tests and rehearsals; `lease` reads the cutover lease the same way DynamoDB's does. */
export class InMemoryPauseStore implements PauseStore {
    private readonly records = new Map<string, PauseRecord>();
    /** The stack paused last: what a simulated operator decides. */
    lastStack?: string;

    constructor(private readonly lease: () => LeaseView | undefined = () => undefined) {}

    async begin(pause: NewPause) {
        const record: PauseRecord = { ...pause, state: "waiting" };
        this.records.set(pause.stack, record);
        this.lastStack = pause.stack;
        return { ...record };
    }
    async read(stack: string) {
        const r = this.records.get(stack);
        return r && { ...r };
    }
    async decide(stack: string, ref: PauseRef, decision: PauseDecision, by: string, at: Date) {
        return this.decideNow(stack, ref, decision, by, at);
    }
    /** What `bluegreen promote` does, synchronously (a simulated operator at a simulated time): decide whatever waits. */
    decideCurrent(stack: string, decision: PauseDecision, by: string, at: Date): PauseRecord {
        const r = this.records.get(stack);
        if (!r || r.state !== "waiting") throw new NoPauseError(describeNotWaiting(stack, r), r && { ...r });
        return this.decideNow(stack, { runId: r.runId, percent: r.percent }, decision, by, at);
    }
    /** Synchronous, for a simulated world deciding at a simulated time. */
    decideNow(stack: string, ref: PauseRef, decision: PauseDecision, by: string, at: Date): PauseRecord {
        const r = this.records.get(stack);
        if (!r || r.state !== "waiting" || r.runId !== ref.runId || r.percent !== ref.percent) throw new NoPauseError(describeNotWaiting(stack, r), r && { ...r });
        const dead = deadPauseReason(r, this.lease(), at);
        if (dead) throw new NoPauseError(`no cutover of stack ${stack} is paused: ${dead}`, { ...r });
        Object.assign(r, { state: decision, by, at: at.toISOString() });
        return { ...r };
    }
    async end(stack: string, ref: PauseRef, state: "interrupted" | "ended", note: string, at: Date) {
        const r = this.records.get(stack);
        if (r && r.state === "waiting" && r.runId === ref.runId && r.percent === ref.percent) Object.assign(r, { state, note, at: at.toISOString() });
    }
}
