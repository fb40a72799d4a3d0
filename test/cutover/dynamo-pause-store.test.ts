/**
 * The pause record in the environment's DynamoDB table (dynalite), beside the lease and the cutover
 * record: conditional decisions (a race has one winner, an older pause's decision never resolves a
 * newer one, a pause whose run is gone is refused) and the real engine pausing on it.
 */
import { localDynamo } from "../helpers/local-dynamo";
import { GetItemCommand } from "@aws-sdk/client-dynamodb";
import { runPromoteCommand } from "../../src/cli/commands/promote";
import { DynamoPauseStore } from "../../src/cutover/dynamo-pause-store";
import { DynamoCutoverStore } from "../../src/cutover/dynamo-store";
import { NoPauseError } from "../../src/cutover/gates/manual";
import type { Lease } from "../../src/cutover/record";
import { rehearsalGates } from "../../src/cutover/rehearsal/rehearse";
import { parseScenario } from "../../src/cutover/rehearsal/scenario";
import { SimulatedWorld } from "../../src/cutover/rehearsal/world";

const dynamo = localDynamo("prod-pause");
const table = () => dynamo.table();

const T0 = Date.parse("2026-11-27T23:00:00Z");
const at = (minutes: number) => new Date(T0 + minutes * 60_000);
const lease = (runId: string, minutes = 5): Lease => ({ owner: "ops", host: "ci", runId, command: "cutover", startedAt: at(0).toISOString(), expiresAt: at(minutes).toISOString() });

/** A table where `run-1` holds the lease (5 minutes) and waits before 50%. */
async function pausedTable() {
    const name = await table();
    const cutover = new DynamoCutoverStore(dynamo.client, name);
    await cutover.acquireLease(lease("run-1"), at(0), false);
    const store = new DynamoPauseStore(dynamo.client, name);
    await store.begin({ stack: "prod", runId: "run-1", waiter: "ops@ci", percent: 50, step: 2, since: at(0).toISOString() });
    return { name, cutover, store };
}

describe("the pause record in DynamoDB (dynalite)", () => {
    test("a pause is its own item beside the lease: another machine reads it and promotes it", async () => {
        const { name, store } = await pausedTable();
        const other = new DynamoPauseStore(dynamo.client, name);
        expect(await other.read()).toEqual({ stack: "prod", runId: "run-1", waiter: "ops@ci", percent: 50, step: 2, state: "waiting", since: at(0).toISOString() });
        expect(await other.decide("prod", { runId: "run-1", percent: 50 }, "promoted", "ana@laptop", at(1))).toMatchObject({ state: "promoted", by: "ana@laptop", at: at(1).toISOString() });
        expect(await store.read()).toMatchObject({ state: "promoted", by: "ana@laptop" });
        const leaseItem = await dynamo.client.send(new GetItemCommand({ TableName: name, Key: { pk: { S: "lease" }, sk: { S: "lease" } }, ConsistentRead: true }));
        expect(leaseItem.Item?.runId?.S).toBe("run-1"); // the lease is untouched
    });

    test("two operators deciding at once: exactly one wins, the other is told who decided", async () => {
        const { name } = await pausedTable();
        const a = new DynamoPauseStore(dynamo.client, name);
        const b = new DynamoPauseStore(dynamo.client, name);
        const results = await Promise.allSettled([
            a.decide("prod", { runId: "run-1", percent: 50 }, "promoted", "ana@laptop", at(1)),
            b.decide("prod", { runId: "run-1", percent: 50 }, "aborted", "bo@ci", at(1)),
        ]);
        const won = results.filter((r) => r.status === "fulfilled");
        expect(won).toHaveLength(1);
        const lost = results.find((r) => r.status === "rejected") as PromiseRejectedResult;
        expect(lost.reason).toBeInstanceOf(NoPauseError);
        const winner = (won[0] as PromiseFulfilledResult<{ by: string; state: string }>).value;
        expect(lost.reason.message).toContain(`was ${winner.state} by ${winner.by}`);
        expect((await a.read())!.state).toBe(winner.state);
    });

    test("a decision meant for an older pause or run never resolves a newer one", async () => {
        const { name, cutover, store } = await pausedTable();
        await store.end("prod", { runId: "run-1", percent: 50 }, "interrupted", "Ctrl-C", at(2));
        await cutover.releaseLease("run-1");
        const next = new DynamoCutoverStore(dynamo.client, name);
        await next.acquireLease(lease("run-2", 30), at(3), false);
        await store.begin({ stack: "prod", runId: "run-2", waiter: "ops@ci", percent: 50, step: 2, since: at(3).toISOString() });
        await expect(store.decide("prod", { runId: "run-1", percent: 50 }, "promoted", "ana@laptop", at(4))).rejects.toThrow(NoPauseError);
        await expect(store.decide("prod", { runId: "run-2", percent: 10 }, "promoted", "ana@laptop", at(4))).rejects.toThrow(NoPauseError);
        expect(await store.read()).toMatchObject({ runId: "run-2", state: "waiting" });
        // the run's own end is conditional too: a stale run cannot mark the newer pause
        await store.end("prod", { runId: "run-1", percent: 50 }, "ended", "stale", at(4));
        expect((await store.read())!.state).toBe("waiting");
    });

    test("a decision while no cutover waits: nothing recorded, an expired or released lease refuses the stale pause", async () => {
        const name = await table();
        const store = new DynamoPauseStore(dynamo.client, name);
        const { out, io } = capture();
        expect(await runPromoteCommand({ stack: "prod", abort: false, json: false, cwd: "." }, io, { store, who: "ana@laptop", now: () => at(1) })).toBe(1);
        expect(out.stderr).toBe("bluegreen promote: no cutover of stack prod is paused: nothing to promote\n");
        expect(await store.read()).toBeUndefined(); // no decision waiting for a future pause

        const paused = await pausedTable();
        // run-1 was killed: its lease expired at 5 minutes, its pause still says waiting
        await expect(paused.store.decide("prod", { runId: "run-1", percent: 50 }, "promoted", "ana@laptop", at(6))).rejects.toThrow(/stopped renewing its lease \(expired 2026-11-27T23:05:00.000Z\)/);
        await paused.cutover.releaseLease("run-1");
        await expect(paused.store.decide("prod", { runId: "run-1", percent: 50 }, "promoted", "ana@laptop", at(2))).rejects.toThrow(/holds no lease any more/);
        expect((await paused.store.read())!.state).toBe("waiting");
    });

    test("the real engine pauses on the table and goes on after a promote from another store", async () => {
        const name = await table();
        const scenario = parseScenario("command: cutover\nto: green\nstart: { weights: { blue: 100, green: 0 } }\napps: [shop]\nsettings: { steps: [50, 100], bake: 10m, interval: 1m }\npauseBefore: [100]\ndecisions: [{ at: 1m, action: promote }]");
        const world = new SimulatedWorld(scenario);
        const pauses = new DynamoPauseStore(dynamo.client, name);
        const operator = new DynamoPauseStore(dynamo.client, name);
        let promotedAt: number | undefined;
        // An operator on another machine promotes once the pause shows up, 2 simulated minutes later.
        const sleep = world.clock.sleep.bind(world.clock);
        world.clock.sleep = async (ms, signal) => {
            await sleep(ms, signal);
            const p = await operator.read();
            if (p?.state === "waiting" && promotedAt === undefined && world.clock.now() - Date.parse(p.since) >= 2 * 60_000) {
                await operator.decide("prod", { runId: p.runId, percent: p.percent }, "promoted", "ana@laptop", new Date(world.clock.now()));
                promotedAt = world.clock.now();
            }
        };
        const { runCutover } = await import("../../src/cutover/run");
        const { eventSink } = await import("../../src/cutover/events");
        const { settingsOf } = await import("../../src/cutover/rehearsal/rehearse");
        const events = eventSink({ run: "run-9", now: () => world.clock.now() });
        const outcome = await runCutover({ target: "green" }, settingsOf(scenario), {
            stack: world.stack(), live: world.live(), gates: rehearsalGates(world, scenario), clock: world.clock,
            store: new DynamoCutoverStore(dynamo.client, name), events, runId: "run-9", identity: { owner: "ops", host: "ci" }, pause: { store: pauses, stack: "prod" },
        });
        expect(outcome.status).toBe("completed");
        expect(promotedAt).toBeDefined();
        expect(await pauses.read()).toMatchObject({ runId: "run-9", waiter: "ops@ci", percent: 100, state: "promoted", by: "ana@laptop" });
        const full = events.events.find((e) => e.type === "verify" && e.weights?.green === 100)!;
        expect(Date.parse(full.ts)).toBeGreaterThan(promotedAt!);
    });
});

function capture() {
    const out = { stdout: "", stderr: "" };
    return { out, io: { stdout: (t: string) => (out.stdout += t), stderr: (t: string) => (out.stderr += t) } };
}
