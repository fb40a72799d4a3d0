/**
 * The cutover lease and record in the environment's DynamoDB table (components/cutover-state.ts:
 * on demand, key `pk` + `sk`). Every write is conditional: the lease is taken when absent, ours, or
 * expired with --break-lease; each acquisition bumps a fencing number, and the record is written
 * only by the holder of the newest one, so an engine that lost its lease cannot overwrite progress.
 * Events are appended in chunks under `events#<run>`.
 */
import {
    ConditionalCheckFailedException,
    DynamoDBClient,
    GetItemCommand,
    PutItemCommand,
    UpdateItemCommand,
} from "@aws-sdk/client-dynamodb";
import type { CutoverEvent } from "./contract";
import { CutoverRecord, CutoverStore, Lease, LeaseResult } from "./record";

const LEASE = { pk: { S: "lease" }, sk: { S: "lease" } };
const RECORD = { pk: { S: "record" }, sk: { S: "record" } };

export class LeaseLostError extends Error {
    name = "LeaseLostError";
}

export class DynamoCutoverStore implements CutoverStore {
    private fence = 0;
    private eventSeq = 0;

    constructor(private readonly client: DynamoDBClient, private readonly table: string) {}

    private async current(): Promise<{ lease?: Lease; fence: number }> {
        const got = await this.client.send(new GetItemCommand({ TableName: this.table, Key: LEASE, ConsistentRead: true }));
        const item = got.Item;
        if (!item) return { fence: 0 };
        // expiresAt is its own attribute (renewals update only it).
        const lease = item.runId?.S ? ({ ...(JSON.parse(item.body.S!) as Lease), expiresAt: item.expiresAt.S! }) : undefined;
        return { lease, fence: Number(item.fence?.N ?? 0) };
    }

    /** Who holds the lease now, if anyone (read only: `preflight --live` shows it). */
    async readLease(): Promise<Lease | undefined> {
        return (await this.current()).lease;
    }

    async acquireLease(lease: Lease, now: Date, breakLease: boolean): Promise<LeaseResult> {
        const { lease: holder, fence } = await this.current();
        const free = !holder || holder.runId === lease.runId;
        const stale = holder ? Date.parse(holder.expiresAt) <= now.getTime() : false;
        if (!free && !(stale && breakLease)) return { ok: false, holder: holder!, stale };
        try {
            // The lease item is replaced only if nobody changed it since we read it (same fence).
            await this.client.send(new PutItemCommand({
                TableName: this.table,
                Item: { ...LEASE, runId: { S: lease.runId }, expiresAt: { S: lease.expiresAt }, fence: { N: String(fence + 1) }, body: { S: JSON.stringify(lease) } },
                ConditionExpression: "attribute_not_exists(pk) OR fence = :fence",
                ExpressionAttributeValues: { ":fence": { N: String(fence) } },
            }));
        } catch (err) {
            if (!(err instanceof ConditionalCheckFailedException)) throw err;
            const now2 = await this.current();
            return { ok: false, holder: now2.lease ?? holder!, stale: false };
        }
        this.fence = fence + 1;
        return holder && holder.runId !== lease.runId ? { ok: true, lease, tookOver: holder } : { ok: true, lease };
    }

    async renewLease(runId: string, expiresAt: string): Promise<boolean> {
        try {
            await this.client.send(new UpdateItemCommand({
                TableName: this.table,
                Key: LEASE,
                UpdateExpression: "SET expiresAt = :e",
                ConditionExpression: "runId = :r AND fence = :f",
                ExpressionAttributeValues: { ":e": { S: expiresAt }, ":r": { S: runId }, ":f": { N: String(this.fence) } },
            }));
            return true;
        } catch (err) {
            if (err instanceof ConditionalCheckFailedException) return false;
            throw err;
        }
    }

    async releaseLease(runId: string): Promise<void> {
        try {
            // Keep the fence number: remove the holder only.
            await this.client.send(new UpdateItemCommand({
                TableName: this.table,
                Key: LEASE,
                UpdateExpression: "REMOVE runId, body, expiresAt",
                ConditionExpression: "runId = :r",
                ExpressionAttributeValues: { ":r": { S: runId } },
            }));
        } catch (err) {
            if (!(err instanceof ConditionalCheckFailedException)) throw err;
        }
    }

    async readRecord(): Promise<CutoverRecord | undefined> {
        const got = await this.client.send(new GetItemCommand({ TableName: this.table, Key: RECORD, ConsistentRead: true }));
        return got.Item?.body?.S ? (JSON.parse(got.Item.body.S) as CutoverRecord) : undefined;
    }

    /** Written only while our fence is the newest: a superseded engine gets `LeaseLostError`. */
    async writeRecord(record: CutoverRecord): Promise<void> {
        try {
            await this.client.send(new PutItemCommand({
                TableName: this.table,
                Item: { ...RECORD, fence: { N: String(this.fence) }, runId: { S: record.runId }, body: { S: JSON.stringify(record) } },
                ConditionExpression: "attribute_not_exists(pk) OR fence <= :f",
                ExpressionAttributeValues: { ":f": { N: String(this.fence) } },
            }));
        } catch (err) {
            if (err instanceof ConditionalCheckFailedException) throw new LeaseLostError("the record was written by a newer lease holder: this run no longer owns the cutover");
            throw err;
        }
    }

    async appendEvents(runId: string, events: CutoverEvent[]): Promise<void> {
        for (let i = 0; i < events.length; i += 200) {
            const chunk = events.slice(i, i + 200);
            const sk = String(++this.eventSeq).padStart(8, "0");
            await this.client.send(new PutItemCommand({
                TableName: this.table,
                Item: { pk: { S: `events#${runId}` }, sk: { S: sk }, body: { S: chunk.map((e) => JSON.stringify(e)).join("\n") } },
            }));
        }
    }
}
