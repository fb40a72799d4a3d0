/**
 * The manual gate: `--pause-before <percent>` stops the cutover before it moves to that percentage
 * until an operator runs `bluegreen promote --stack …` (or aborts), as Argo Rollouts' pause and
 * Flagger's confirm-promotion do. The pause lives in a `PauseStore` (the environment's DynamoDB
 * record in a real run, memory in tests and rehearsals), so another operator can promote it.
 * While waiting the gate is `inconclusive` (never a pass); promoted is `pass`; aborted is `fail`,
 * which makes the engine fall back. The engine must keep waiting on an inconclusive manual gate
 * instead of counting it against the bake.
 */
import type { Gate, GateCheck } from "../contract";

export type PauseState = "waiting" | "promoted" | "aborted";

export interface PauseRecord {
    stack: string;
    /** The cutover pauses before moving to this percentage. */
    percent: number;
    state: PauseState;
    /** When the cutover began to wait (ISO 8601). */
    since: string;
    /** Who decided, and when. */
    by?: string;
    at?: string;
}

export interface PauseStore {
    get(stack: string, percent: number): Promise<PauseRecord | undefined>;
    /** Records that the cutover waits before `percent`; an existing record (and its decision) is kept. */
    wait(stack: string, percent: number, since: Date): Promise<PauseRecord>;
    /** The pause currently waiting on `stack`, if any. */
    waiting(stack: string): Promise<PauseRecord | undefined>;
    /** An operator's decision on the waiting pause; throws NoPauseError when nothing waits. */
    decide(stack: string, decision: Exclude<PauseState, "waiting">, by: string, at: Date): Promise<PauseRecord>;
    /** Forgets the pauses of a stack (a new cutover starts clean). */
    clear(stack: string): Promise<void>;
}

export class NoPauseError extends Error {}

export class InMemoryPauseStore implements PauseStore {
    private readonly records = new Map<string, PauseRecord>();
    private key = (stack: string, percent: number) => `${stack}\u0000${percent}`;

    async get(stack: string, percent: number) {
        const r = this.records.get(this.key(stack, percent));
        return r && { ...r };
    }
    async wait(stack: string, percent: number, since: Date) {
        const key = this.key(stack, percent);
        const existing = this.records.get(key);
        if (existing) return { ...existing };
        const record: PauseRecord = { stack, percent, state: "waiting", since: since.toISOString() };
        this.records.set(key, record);
        return { ...record };
    }
    async waiting(stack: string) {
        const r = [...this.records.values()].find((p) => p.stack === stack && p.state === "waiting");
        return r && { ...r };
    }
    async decide(stack: string, decision: Exclude<PauseState, "waiting">, by: string, at: Date) {
        const r = [...this.records.values()].find((p) => p.stack === stack && p.state === "waiting");
        if (!r) throw new NoPauseError(`no cutover of stack ${stack} is paused`);
        Object.assign(r, { state: decision, by, at: at.toISOString() });
        return { ...r };
    }
    async clear(stack: string) {
        for (const [k, r] of this.records) if (r.stack === stack) this.records.delete(k);
    }
}

/** The step the cutover is about to take from the candidate's live weight (undefined once at 100 %). */
export function nextStep(steps: number[], candidateWeight: number): number | undefined {
    return [...steps, 100].filter((s) => s > candidateWeight).sort((a, b) => a - b)[0];
}

export function manualGate(deps: { store: PauseStore; stack: string; pauseBefore: number[]; steps: number[]; now: () => Date }): Gate {
    const name = "manual";
    const pauses = [...new Set(deps.pauseBefore)].sort((a, b) => a - b);
    return {
        name,
        kind: "manual",
        describe: () => `pause before ${pauses.map((p) => `${p}%`).join(", ")} until \`bluegreen promote --stack ${deps.stack}\` (--pause-before, flag)`,
        async check(context): Promise<GateCheck[]> {
            const next = nextStep(deps.steps, context.weights[context.candidate]);
            if (next === undefined || !pauses.includes(next)) return [{ gate: name, result: "pass", message: `no pause before the next step${next ? ` (${next}%)` : ""}` }];
            try {
                const pause = await deps.store.wait(deps.stack, next, deps.now());
                if (pause.state === "promoted") return [{ gate: name, result: "pass", threshold: next, message: `promoted to ${next}% by ${pause.by ?? "?"} at ${pause.at ?? "?"}` }];
                if (pause.state === "aborted") return [{ gate: name, result: "fail", threshold: next, message: `aborted before ${next}% by ${pause.by ?? "?"} at ${pause.at ?? "?"}` }];
                return [{ gate: name, result: "inconclusive", threshold: next, message: `paused before ${next}% since ${pause.since}: run \`bluegreen promote --stack ${deps.stack}\` to go on, or \`bluegreen promote --stack ${deps.stack} --abort\` to fall back` }];
            } catch (err) {
                return [{ gate: name, result: "error", message: `could not read the pause record: ${(err instanceof Error ? err.message : String(err)).split("\n")[0]}` }];
            }
        },
    };
}
