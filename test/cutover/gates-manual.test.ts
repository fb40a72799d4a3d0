/**
 * `bluegreen promote` against the pause record (in memory here; DynamoDB in dynamo-pause-store.test.ts):
 * exit 0 decided, 1 nothing paused (or decided first by someone else, or its run is gone), 2 failures,
 * with --json always answering JSON.
 */
import { runPromoteCommand, PromoteCommandOptions } from "../../src/cli/commands/promote";
import { InMemoryPauseStore, LeaseView } from "../../src/cutover/gates/manual";

const NOW = new Date("2026-11-27T23:00:00Z");
const LATER = new Date("2026-11-27T23:05:00Z");
const options = (o: Partial<PromoteCommandOptions> = {}): PromoteCommandOptions => ({ stack: "prod", abort: false, json: false, cwd: ".", ...o });

function io() {
    const out = { stdout: "", stderr: "" };
    return { out, io: { stdout: (t: string) => (out.stdout += t), stderr: (t: string) => (out.stderr += t) } };
}

/** A store whose cutover lease is held by `run-1` until 23:10 unless a test changes it. */
function paused(lease: LeaseView | null = { runId: "run-1", expiresAt: "2026-11-27T23:10:00.000Z" }) {
    const state: { lease?: LeaseView } = { lease: lease ?? undefined };
    const store = new InMemoryPauseStore(() => state.lease);
    void store.begin({ stack: "prod", runId: "run-1", waiter: "ops@ci", percent: 50, step: 2, since: NOW.toISOString() });
    return { store, state };
}

describe("bluegreen promote", () => {
    test("promote: exit 0, says which run and percentage it let go on, and records who and when", async () => {
        const { store } = paused();
        const { out, io: commandIO } = io();
        expect(await runPromoteCommand(options(), commandIO, { store, who: "ana@laptop", now: () => LATER })).toBe(0);
        expect(out.stdout).toBe("Promoted the cutover of prod (run run-1 of ops@ci, paused before 50% since 2026-11-27T23:00:00.000Z): at its next check it moves to 50%.\n");
        expect(await store.read("prod")).toMatchObject({ state: "promoted", by: "ana@laptop", at: LATER.toISOString() });
    });

    test("--abort: exit 0, the pause is aborted by whoever ran it", async () => {
        const { store } = paused();
        const { out, io: commandIO } = io();
        expect(await runPromoteCommand(options({ abort: true }), commandIO, { store, who: "bo@ci", now: () => LATER })).toBe(0);
        expect(out.stdout).toMatch(/^Aborted the cutover of prod .*: at its next check it puts all traffic back on the color it came from and exits 1\.\n$/);
        expect(await store.read("prod")).toMatchObject({ state: "aborted", by: "bo@ci" });
    });

    test("nothing paused: exit 1 and says so; another stack's pause is not touched", async () => {
        const { store } = paused();
        const { out, io: commandIO } = io();
        expect(await runPromoteCommand(options({ stack: "staging" }), commandIO, { store, who: "ana@laptop", now: () => LATER })).toBe(1);
        expect(out.stderr).toBe("bluegreen promote: no cutover of stack staging is paused: nothing to promote\n");
        expect((await store.read("prod"))!.state).toBe("waiting");
    });

    test("a second decision finds the first: exit 1 naming who decided", async () => {
        const { store } = paused();
        expect(await runPromoteCommand(options(), io().io, { store, who: "ana@laptop", now: () => LATER })).toBe(0);
        const { out, io: commandIO } = io();
        expect(await runPromoteCommand(options({ abort: true }), commandIO, { store, who: "bo@ci", now: () => LATER })).toBe(1);
        expect(out.stderr).toMatch(/^bluegreen promote: no cutover of stack prod is paused \(the last pause \(before 50%, run run-1 of ops@ci, since 2026-11-27T23:00:00.000Z\) was promoted by ana@laptop at 2026-11-27T23:05:00.000Z\): nothing to abort\n$/);
        expect((await store.read("prod"))!.state).toBe("promoted");
    });

    test("a pause whose run is gone (lease released, expired or taken over) is refused, not promoted for nobody", async () => {
        for (const lease of [null, { runId: "run-1", expiresAt: "2026-11-27T23:04:00.000Z" }, { runId: "run-2", expiresAt: "2026-11-27T23:30:00.000Z" }]) {
            const { store } = paused(lease);
            const { out, io: commandIO } = io();
            expect(await runPromoteCommand(options(), commandIO, { store, who: "ana@laptop", now: () => LATER })).toBe(1);
            expect(out.stderr).toMatch(/^bluegreen promote: no cutover of stack prod is paused: the cutover (that paused \(run run-1 of ops@ci\) (holds no lease|stopped renewing)|lease now belongs to run run-2)/);
            expect((await store.read("prod"))!.state).toBe("waiting");
        }
    });

    test("a decision meant for an older pause does not resolve a newer one", async () => {
        const { store, state } = paused();
        await expect(store.decide("prod", { runId: "run-0", percent: 50 }, "promoted", "ana@laptop", LATER)).rejects.toThrow(/no cutover of stack prod is paused/);
        await expect(store.decide("prod", { runId: "run-1", percent: 10 }, "promoted", "ana@laptop", LATER)).rejects.toThrow(/no cutover of stack prod is paused/);
        // the run is interrupted, a new run pauses at the same percentage: the old decision is refused
        await store.end("prod", { runId: "run-1", percent: 50 }, "interrupted", "Ctrl-C", LATER);
        await store.begin({ stack: "prod", runId: "run-2", waiter: "ops@ci", percent: 50, since: LATER.toISOString() });
        state.lease = { runId: "run-2", expiresAt: "2026-11-27T23:30:00.000Z" };
        await expect(store.decide("prod", { runId: "run-1", percent: 50 }, "aborted", "bo@ci", LATER)).rejects.toThrow(/no cutover of stack prod is paused/);
        expect(await store.read("prod")).toMatchObject({ runId: "run-2", state: "waiting" });
    });

    test("--json: the decision, or nothing-paused, or the failure, always as JSON with the exit code", async () => {
        const { store } = paused();
        const ok = io();
        expect(await runPromoteCommand(options({ json: true }), ok.io, { store, who: "ana@laptop", now: () => LATER })).toBe(0);
        expect(JSON.parse(ok.out.stdout)).toMatchObject({ status: "promoted", exitCode: 0, pause: { runId: "run-1", percent: 50, state: "promoted", by: "ana@laptop" } });
        const none = io();
        expect(await runPromoteCommand(options({ json: true, stack: "staging" }), none.io, { store, who: "ana@laptop", now: () => LATER })).toBe(1);
        expect(JSON.parse(none.out.stdout)).toEqual({ status: "nothing-paused", exitCode: 1, message: "no cutover of stack staging is paused: nothing to promote" });
    });

    test("without AWS access: the operator commands' failure (exit 2, one line, and JSON with --json)", async () => {
        const { out, io: commandIO } = io();
        const noCredentials = async () => { throw Object.assign(new Error("Could not load credentials from any providers"), { name: "CredentialsProviderError" }); };
        expect(await runPromoteCommand(options({ json: true }), commandIO, noCredentials)).toBe(2);
        expect(out.stderr).toBe("bluegreen promote: Could not load credentials from any providers\n");
        expect(JSON.parse(out.stdout)).toEqual({ status: "error", exitCode: 2, message: "Could not load credentials from any providers" });
    });
});
