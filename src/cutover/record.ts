/**
 * What a cutover keeps outside the operator's working copy, so that a rerun, a colleague or CI sees
 * the same truth: the lease (one cutover or rollback per environment at a time) and the record
 * (where the last run got to, with weights that were applied AND read back). The real store is the
 * environment's DynamoDB table (dynamo-store.ts); `MemoryCutoverStore` serves rehearsals and tests
 * with the same conditional-write semantics.
 */
import type { Color, Weights } from "../config/colors";
import type { CutoverEvent } from "./contract";

export interface Lease {
    owner: string;
    host: string;
    runId: string;
    command: "cutover" | "rollback";
    /** ISO times. */
    startedAt: string;
    expiresAt: string;
}

/** A listener rule (alb mode) and the target group per color it forwards to: enough to move traffic without Pulumi. */
export interface RecordedRule {
    app: string;
    ruleArn: string;
    targetGroupArns: Partial<Record<Color, string>>;
    /** The forward action's stickiness, kept by ModifyRule (which replaces the whole action). */
    stickiness?: { enabled: boolean; durationSeconds?: number };
}

export type RecordPhase =
    | "running"
    | "paused"
    | "completed"
    | "fell-back"
    | "update-failed"
    | "interrupted"
    | "precheck-failed"
    | "rolling-back"
    | "rolled-back"
    | "rollback-check-failed";

export interface CutoverRecord {
    runId: string;
    command: "cutover" | "rollback";
    /** The color that carried traffic before the cutover, and the one traffic moves to. */
    from: Color;
    to: Color;
    phase: RecordPhase;
    /** 1-based index of the step last applied (0: none yet). */
    stepIndex: number;
    /** The weights last applied and read back from the load balancer. */
    verifiedWeights: Weights;
    /** Percentages of `to` fully baked (all gates conclusive and passing) in this direction. */
    bakedPercents: number[];
    /** When the current step's bake started (ISO), and how much of it was watched so far. */
    bakeStartedAt?: string;
    bakedMs?: number;
    bakeMs?: number;
    updateVersion?: number;
    rules: RecordedRule[];
    updatedAt: string;
}

export type LeaseResult = { ok: true; lease: Lease; tookOver?: Lease } | { ok: false; holder: Lease; stale: boolean };

export interface CutoverStore {
    /** Takes the lease when free, expired and `breakLease`, or already ours; conditional write. */
    acquireLease(lease: Lease, now: Date, breakLease: boolean): Promise<LeaseResult>;
    /** Extends our lease; false when someone else holds it now. */
    renewLease(runId: string, expiresAt: string): Promise<boolean>;
    releaseLease(runId: string): Promise<void>;
    readRecord(): Promise<CutoverRecord | undefined>;
    writeRecord(record: CutoverRecord): Promise<void>;
    appendEvents(runId: string, events: CutoverEvent[]): Promise<void>;
}

/** Decides a lease request against the current holder: the one rule both stores apply. */
export function leaseDecision(current: Lease | undefined, wanted: Lease, now: Date, breakLease: boolean): LeaseResult {
    if (!current || current.runId === wanted.runId) return { ok: true, lease: wanted };
    const stale = Date.parse(current.expiresAt) <= now.getTime();
    if (stale && breakLease) return { ok: true, lease: wanted, tookOver: current };
    return { ok: false, holder: current, stale };
}

export class MemoryCutoverStore implements CutoverStore {
    lease?: Lease;
    record?: CutoverRecord;
    readonly events: CutoverEvent[] = [];
    /** Calls that fail once with a throttling error (rehearsal faults). */
    failNext = 0;

    async acquireLease(lease: Lease, now: Date, breakLease: boolean): Promise<LeaseResult> {
        const decision = leaseDecision(this.lease, lease, now, breakLease);
        if (decision.ok) this.lease = { ...lease };
        return decision;
    }

    async renewLease(runId: string, expiresAt: string): Promise<boolean> {
        if (this.lease?.runId !== runId) return false;
        this.lease = { ...this.lease, expiresAt };
        return true;
    }

    async releaseLease(runId: string): Promise<void> {
        if (this.lease?.runId === runId) this.lease = undefined;
    }

    async readRecord(): Promise<CutoverRecord | undefined> {
        return this.record && structuredClone(this.record);
    }

    async writeRecord(record: CutoverRecord): Promise<void> {
        this.record = structuredClone(record);
    }

    async appendEvents(_runId: string, events: CutoverEvent[]): Promise<void> {
        this.events.push(...events);
    }
}
