import { runPromoteCommand } from "../../src/cli/commands/promote";
import { GateContext } from "../../src/cutover/contract";
import { InMemoryPauseStore, manualGate, nextStep } from "../../src/cutover/gates/manual";

const ctx = (green: number): GateContext => ({ candidate: "green", current: "blue", weights: { blue: 100 - green, green }, window: { start: new Date(0), end: new Date(60_000) }, phase: green === 0 ? "precheck" : "bake" });
const NOW = new Date("2026-11-27T23:00:00Z");

function io() {
    const out = { stdout: "", stderr: "" };
    return { out, io: { stdout: (t: string) => (out.stdout += t), stderr: (t: string) => (out.stderr += t) } };
}

describe("manual gate (--pause-before) and bluegreen promote", () => {
    test.each([
        [[10, 50, 100], 0, 10],
        [[10, 50, 100], 10, 50],
        [[10, 50], 50, 100],
        [[10, 50, 100], 100, undefined],
    ])("next step of %j from %i%% is %s", (steps, weight, next) => {
        expect(nextStep(steps, weight)).toBe(next);
    });

    test("waits (inconclusive, never a pass) before 50% until another operator promotes; then passes", async () => {
        const store = new InMemoryPauseStore();
        const gate = manualGate({ store, stack: "prod", pauseBefore: [50], steps: [10, 50, 100], now: () => NOW });
        expect((await gate.check(ctx(0)))[0].result).toBe("pass"); // before 10 %: no pause
        const waiting = await gate.check(ctx(10));
        expect(waiting[0]).toMatchObject({ gate: "manual", result: "inconclusive", threshold: 50 });
        expect(waiting[0].message).toMatch(/paused before 50% since 2026-11-27T23:00:00.000Z: run `bluegreen promote --stack prod`/);

        const other = io();
        expect(await runPromoteCommand({ stack: "prod", abort: false, cwd: "." }, other.io, { store, who: "ana@laptop", now: () => new Date("2026-11-27T23:05:00Z") })).toBe(0);
        expect(other.out.stdout).toBe("Promoted the cutover of prod to 50% (paused since 2026-11-27T23:00:00.000Z): it moves on at its next check.\n");

        const after = await gate.check(ctx(10));
        expect(after[0]).toMatchObject({ result: "pass", message: "promoted to 50% by ana@laptop at 2026-11-27T23:05:00.000Z" });
        expect((await gate.check(ctx(50)))[0].result).toBe("pass");
    });

    test("an abort fails the gate, so the engine falls back", async () => {
        const store = new InMemoryPauseStore();
        const gate = manualGate({ store, stack: "prod", pauseBefore: [10], steps: [10, 50, 100], now: () => NOW });
        expect((await gate.check(ctx(0)))[0].result).toBe("inconclusive");
        expect(await runPromoteCommand({ stack: "prod", abort: true, cwd: "." }, io().io, { store, who: "bo@ci", now: () => NOW })).toBe(0);
        expect((await gate.check(ctx(0)))[0]).toMatchObject({ result: "fail", message: expect.stringMatching(/^aborted before 10% by bo@ci/) });
    });

    test("promote with nothing paused exits 1 and says so; another stack's pause is not touched", async () => {
        const store = new InMemoryPauseStore();
        await store.wait("staging", 50, NOW);
        const { out, io: commandIO } = io();
        expect(await runPromoteCommand({ stack: "prod", abort: false, cwd: "." }, commandIO, { store, who: "ana@laptop", now: () => NOW })).toBe(1);
        expect(out.stderr).toBe("bluegreen promote: no cutover of stack prod is paused: nothing to promote\n");
        expect((await store.get("staging", 50))!.state).toBe("waiting");
    });

    test("a store that cannot be read is an error check, not a pass", async () => {
        const store = new InMemoryPauseStore();
        store.wait = async () => { throw new Error("ProvisionedThroughputExceededException"); };
        const gate = manualGate({ store, stack: "prod", pauseBefore: [50], steps: [10, 50, 100], now: () => NOW });
        expect((await gate.check(ctx(10)))[0]).toMatchObject({ result: "error", message: expect.stringMatching(/ProvisionedThroughput/) });
    });
});
