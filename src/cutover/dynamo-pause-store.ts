/**
 * The pause of `cutover --pause-before` in the environment's DynamoDB table, beside the lease and the
 * record (dynamo-store.ts), as its own item (`pk = sk = "pause"`), so `bluegreen promote` on another
 * machine decides it. A decision is one conditional UpdateItem: it succeeds only while the item is
 * the pause the operator saw (same run id and percentage) and still waiting, so two operators
 * deciding at once cannot both win and a decision for an older pause never resolves a newer one.
 * Before that write the lease item is read: a pause whose run no longer holds a live lease (killed
 * without cleaning up) is refused, never "promoted" for nobody. The lease check and the write are two
 * calls (the table's emulator in tests has no transactions); the window between them is one round trip.
 */
import { AttributeValue, ConditionalCheckFailedException, DynamoDBClient, GetItemCommand, PutItemCommand, UpdateItemCommand } from "@aws-sdk/client-dynamodb";
import { deadPauseReason, describeNotWaiting, LeaseView, NewPause, NoPauseError, PauseDecision, PauseRecord, PauseRef, PauseState, PauseStore } from "./gates/manual";

const PAUSE = { pk: { S: "pause" }, sk: { S: "pause" } };
const LEASE = { pk: { S: "lease" }, sk: { S: "lease" } };

type Item = Record<string, AttributeValue>;

function toItem(p: PauseRecord): Item {
    const item: Item = {
        ...PAUSE,
        stack: { S: p.stack }, runId: { S: p.runId }, waiter: { S: p.waiter }, percent: { N: String(p.percent) }, pauseState: { S: p.state }, since: { S: p.since },
    };
    if (p.step !== undefined) item.step = { N: String(p.step) };
    return item;
}

function fromItem(item: Item | undefined): PauseRecord | undefined {
    if (!item?.runId?.S) return undefined;
    const s = (k: string) => item[k]?.S;
    return {
        stack: s("stack")!, runId: s("runId")!, waiter: s("waiter") ?? "?", percent: Number(item.percent.N), state: s("pauseState") as PauseState, since: s("since")!,
        ...(item.step?.N ? { step: Number(item.step.N) } : {}),
        ...(s("decidedBy") ? { by: s("decidedBy") } : {}),
        ...(s("decidedAt") ? { at: s("decidedAt") } : {}),
        ...(s("note") ? { note: s("note") } : {}),
    };
}

/** Only the pause `ref` that still waits: the one condition every decision and end is written under. */
const STILL_WAITING = "#run = :r AND #percent = :p AND #state = :waiting";
const NAMES = { "#run": "runId", "#percent": "percent", "#state": "pauseState" };
const refValues = (ref: PauseRef): Item => ({ ":r": { S: ref.runId }, ":p": { N: String(ref.percent) }, ":waiting": { S: "waiting" } });

export class DynamoPauseStore implements PauseStore {
    constructor(private readonly client: DynamoDBClient, private readonly table: string) {}

    async begin(pause: NewPause): Promise<PauseRecord> {
        const record: PauseRecord = { ...pause, state: "waiting" };
        // Only the lease holder pauses; a new pause replaces the old one and its decision.
        await this.client.send(new PutItemCommand({ TableName: this.table, Item: toItem(record) }));
        return record;
    }

    async read(): Promise<PauseRecord | undefined> {
        const got = await this.client.send(new GetItemCommand({ TableName: this.table, Key: PAUSE, ConsistentRead: true }));
        return fromItem(got.Item);
    }

    private async lease(): Promise<LeaseView | undefined> {
        const got = await this.client.send(new GetItemCommand({ TableName: this.table, Key: LEASE, ConsistentRead: true }));
        return got.Item ? { runId: got.Item.runId?.S, expiresAt: got.Item.expiresAt?.S } : undefined;
    }

    async decide(stack: string, ref: PauseRef, decision: PauseDecision, by: string, at: Date): Promise<PauseRecord> {
        const [current, lease] = await Promise.all([this.read(), this.lease()]);
        if (!current || current.state !== "waiting" || current.runId !== ref.runId || current.percent !== ref.percent) throw new NoPauseError(describeNotWaiting(stack, current), current);
        const dead = deadPauseReason(current, lease, at);
        if (dead) throw new NoPauseError(`no cutover of stack ${stack} is paused: ${dead}`, current);
        try {
            const updated = await this.client.send(new UpdateItemCommand({
                TableName: this.table,
                Key: PAUSE,
                UpdateExpression: "SET #state = :d, decidedBy = :by, decidedAt = :at",
                ConditionExpression: STILL_WAITING,
                ExpressionAttributeNames: NAMES,
                ExpressionAttributeValues: { ...refValues(ref), ":d": { S: decision }, ":by": { S: by }, ":at": { S: at.toISOString() } },
                ReturnValues: "ALL_NEW",
            }));
            return fromItem(updated.Attributes)!;
        } catch (err) {
            if (!(err instanceof ConditionalCheckFailedException)) throw err;
            // Someone decided first (or the run moved on): say what the record shows now.
            const now = await this.read();
            throw new NoPauseError(describeNotWaiting(stack, now), now);
        }
    }

    async end(_stack: string, ref: PauseRef, state: "interrupted" | "ended", note: string, at: Date): Promise<void> {
        try {
            await this.client.send(new UpdateItemCommand({
                TableName: this.table,
                Key: PAUSE,
                UpdateExpression: "SET #state = :s, note = :n, decidedAt = :at",
                ConditionExpression: STILL_WAITING,
                ExpressionAttributeNames: NAMES,
                ExpressionAttributeValues: { ...refValues(ref), ":s": { S: state }, ":n": { S: note }, ":at": { S: at.toISOString() } },
            }));
        } catch (err) {
            if (!(err instanceof ConditionalCheckFailedException)) throw err;
        }
    }
}
