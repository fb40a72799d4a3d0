/**
 * The cutover and rollback engine: move traffic step by step, bake while checking gates, and put
 * traffic back on its own when a step fails, under faults. Progress is what the load balancer was
 * seen to apply (read back after every update), kept in the record with a team-wide lease; the
 * stack config is never trusted on its own. Everything that talks to Pulumi, AWS or Kubernetes
 * arrives through `StackOperations`, `LiveRouting`, `Gate`s and the `CutoverStore`, so the same
 * code runs a real cutover and a rehearsal on a simulated world (src/cutover/rehearsal).
 */
import { Color, COLORS, formatWeights, otherColor, Weights, weightsFor } from "../config/colors";
import type { CheckResult, Gate, GateCheck, GateContext } from "./contract";
import type { EventInput, EventSink } from "./events";
import { errorBackoffMs, precheckPasses, StepJudge } from "./judge";
import { lastMinutesCheckedAt } from "./gates/window";
import type { Clock, LiveRouting, StackOperations, StackView } from "./model";
import type { CutoverRecord, CutoverStore, Lease, RecordedRule, RecordPhase } from "./record";
import type { TargetHealthSource } from "./sources";
import type { PauseRecord, PauseRef, PauseStore } from "./gates/manual";
import { CutoverInputError, FailurePolicy, fallbackWeights, formatDuration, remainingSteps } from "./steps";

export interface CutoverSettings {
    steps: number[];
    bakeMs: number;
    intervalMs: number;
    onFailure: FailurePolicy;
    consecutiveErrorLimit: number;
    failureLimit: number;
    /** First wait after a gate error; doubles per error in a row, never beyond the interval. */
    errorBackoffMs?: number;
    /** `--pause-before`: percentages to wait before until `bluegreen promote` (needs `EngineDeps.pause`). */
    pauseBefore?: number[];
    /**
     * With traffic gates: how late a minute's metrics are complete (the settle delay). A bake then
     * ends only after a check that saw its last minutes published (`lastMinutesCheckedAt`), with the
     * weights unchanged until then; without it the last minutes of every step would go unjudged.
     */
    publicationDelayMs?: number;
}

export interface EngineDeps {
    stack: StackOperations;
    live: LiveRouting;
    gates: Gate[];
    clock: Clock;
    store: CutoverStore;
    events: EventSink;
    runId: string;
    identity: { owner: string; host: string };
    /** Aborted on the first Ctrl-C/SIGTERM: the current operation finishes, nothing further starts. */
    signal?: AbortSignal;
    breakLease?: boolean;
    /** The listener rules to record for `rollback --direct` (alb mode). */
    rules?: (view: StackView) => Promise<RecordedRule[]>;
    /** Where `--pause-before` pauses are recorded for `bluegreen promote --stack <stack>`. */
    pause?: { store: PauseStore; stack: string };
}

export type RunStatus =
    | "completed"
    | "nothing-to-do"
    | "precheck-failed"
    | "fell-back"
    | "update-failed"
    | "interrupted"
    | "lease-held"
    | "refused"
    | "rolled-back"
    | "rollback-check-failed";

/** A lease held by someone else has its own exit code, so scripts can wait and retry. */
export const LEASE_HELD_EXIT = 3;

export const EXIT_CODES: Record<RunStatus, number> = {
    completed: 0,
    "nothing-to-do": 0,
    "rolled-back": 0,
    "precheck-failed": 1,
    "fell-back": 1,
    "update-failed": 1,
    refused: 1,
    "rollback-check-failed": 1,
    interrupted: 130,
    "lease-held": LEASE_HELD_EXIT,
};

export interface RunOutcome {
    status: RunStatus;
    exitCode: number;
    /** The weights the load balancer applies at the end, as last read back (or known). */
    weights: Weights;
    failures: GateCheck[];
    holder?: Lease;
}

const LEASE_MIN_MS = 120_000;
const UPDATE_ATTEMPTS = 3;

export function checkCutoverTarget(view: StackView, target: Color): void {
    if (!view.clusters[target]) {
        throw new CutoverInputError(`the stack has no ${target} cluster (outputs clusters.${target}): add it to bluegreen:clusters and run pulumi up before a cutover`);
    }
    const unbound = Object.entries(view.apps).filter(([, app]) => view.mode === "alb" && !app.targetGroupArns[target]).map(([name]) => name);
    if (unbound.length) throw new CutoverInputError(`${target} binds no target group for app(s) ${unbound.join(", ")}: run pulumi up so every app exists on ${target}`);
    if (view.weightedResourceUrns.length === 0) {
        throw new CutoverInputError("the stack outputs list no routing resources (routing.weightedResourceUrns): configure bluegreen:routing and run pulumi up first");
    }
}

export const sameWeights = (a: Weights | undefined, b: Weights | undefined): boolean => !!a && !!b && COLORS.every((c) => a[c] === b[c]);

/** The one weight pair every app is at, or undefined when apps differ (a partly applied update). */
export function uniformWeights(perApp: Record<string, Weights>): Weights | undefined {
    const all = Object.values(perApp);
    if (all.length === 0) return undefined;
    return all.every((w) => sameWeights(w, all[0])) ? { ...all[0] } : undefined;
}

const firstLine = (err: unknown) => (err instanceof Error ? err.message : String(err)).split("\n")[0];

/** A concurrent update's lock, named as such with its holder when Pulumi says who. */
export function describeUpdateError(err: unknown): string {
    const text = err instanceof Error ? `${err.message}\n${(err as { stderr?: string }).stderr ?? ""}` : String(err);
    if (/conflict|currently (being )?updat|another update|locked by|ConcurrentUpdateError/i.test(text)) {
        const holder = /locked by ([^\s,;]+(?: on [^\s,;]+)?)/i.exec(text)?.[1] ?? /by user ([^\s,;]+)/i.exec(text)?.[1];
        return `another update holds the stack's lock${holder ? ` (${holder})` : ""}: wait for it, or \`pulumi cancel\` if it is dead`;
    }
    if (/cancel/i.test(text)) return `the update was cancelled: ${firstLine(err)}`;
    return `the update failed: ${firstLine(err)}`;
}

type BakeResult = { kind: "baked" } | { kind: "failed"; failures: GateCheck[]; message: string } | { kind: "interrupted" } | { kind: "lease-lost" };
type ApplyResult = { ok: true } | { ok: false; message: string };

/** State and helpers shared by a cutover and a rollback run. */
class Run {
    record?: CutoverRecord;
    lastVerified!: Weights;
    view!: StackView;
    /** A newer lease holder wrote the record: this run changes nothing further. */
    leaseLost = false;
    private flushed = 0;

    constructor(
        readonly deps: EngineDeps,
        readonly settings: CutoverSettings,
    ) {}

    get aborted(): boolean {
        return this.deps.signal?.aborted === true;
    }

    emit(event: EventInput): void {
        this.deps.events.emit(event);
    }

    now(): Date {
        return new Date(this.deps.clock.now());
    }

    leaseMs(): number {
        return Math.max(LEASE_MIN_MS, 4 * this.settings.intervalMs, this.settings.errorBackoffMs ?? 0);
    }

    async acquire(command: "cutover" | "rollback"): Promise<RunOutcome | undefined> {
        const now = this.now();
        const lease: Lease = { ...this.deps.identity, runId: this.deps.runId, command, startedAt: now.toISOString(), expiresAt: new Date(now.getTime() + this.leaseMs()).toISOString() };
        const result = await this.deps.store.acquireLease(lease, now, this.deps.breakLease === true);
        if (result.ok) {
            if (result.tookOver) {
                this.emit({ type: "lease", message: `LEASE TAKEN OVER (--break-lease): ${result.tookOver.owner}@${result.tookOver.host} held it since ${result.tookOver.startedAt} (${result.tookOver.command} ${result.tookOver.runId}), expired ${result.tookOver.expiresAt}` });
            }
            return undefined;
        }
        const h = result.holder;
        const message = result.stale
            ? `${h.owner}@${h.host} holds the cutover lease since ${h.startedAt} (${h.command} ${h.runId}); it expired at ${h.expiresAt}. If that run is dead, take it over with --break-lease.`
            : `${h.owner}@${h.host} holds the cutover lease since ${h.startedAt} (${h.command} ${h.runId}, renewed until ${h.expiresAt}): wait for it to finish, or ask them.`;
        this.emit({ type: "error", message });
        return { status: "lease-held", exitCode: LEASE_HELD_EXIT, weights: { blue: 0, green: 0 }, failures: [], holder: h };
    }

    async renew(): Promise<boolean> {
        const ok = !this.leaseLost && (await this.deps.store.renewLease(this.deps.runId, new Date(this.deps.clock.now() + this.leaseMs()).toISOString()).catch(() => true));
        if (!ok) this.emit({ type: "error", message: "the cutover lease was taken by someone else (--break-lease): stopping here, changing nothing further" });
        return ok;
    }

    async persist(patch: Partial<CutoverRecord>): Promise<void> {
        if (!this.record) return;
        this.record = { ...this.record, ...patch, updatedAt: this.now().toISOString() };
        try {
            await this.deps.store.writeRecord(this.record);
            await this.flush();
        } catch (err) {
            if ((err as Error).name === "LeaseLostError") this.leaseLost = true;
            this.emit({ type: "error", message: `could not write the cutover record: ${firstLine(err)}` });
        }
    }

    async flush(): Promise<void> {
        const events = this.deps.events.events.slice(this.flushed);
        if (events.length === 0) return;
        await this.deps.store.appendEvents(this.deps.runId, events);
        this.flushed += events.length;
    }

    async finish(outcome: Omit<RunOutcome, "exitCode">, phase?: RecordPhase): Promise<RunOutcome> {
        if (phase) await this.persist({ phase });
        this.emit({ type: "done", weights: outcome.weights, result: outcome.status === "completed" || outcome.status === "rolled-back" || outcome.status === "nothing-to-do" ? "pass" : "fail", message: outcome.status });
        await this.flush().catch(() => undefined);
        await this.deps.store.releaseLease(this.deps.runId).catch(() => undefined);
        return { ...outcome, exitCode: EXIT_CODES[outcome.status] };
    }

    /** Live weights per app, retried with backoff on errors (throttling); throws after the last attempt. */
    async readLive(): Promise<{ perApp: Record<string, Weights>; uniform?: Weights }> {
        let lastError: unknown;
        for (let attempt = 1; attempt <= UPDATE_ATTEMPTS + 1; attempt++) {
            try {
                const perApp = await this.deps.live.read(this.view);
                return { perApp, uniform: uniformWeights(perApp) };
            } catch (err) {
                lastError = err;
                this.emit({ type: "error", message: `could not read the live weights (attempt ${attempt}): ${firstLine(err)}` });
                await this.deps.clock.sleep(errorBackoffMs(attempt, this.settings.errorBackoffMs ?? 2000, 60_000));
            }
        }
        throw lastError;
    }

    /** Writes the weights to the config, previews, runs the targeted update, reads back and records. */
    async apply(weights: Weights, previousColor: Color | null, step?: number): Promise<ApplyResult> {
        const urns = this.view.weightedResourceUrns;
        const started = this.deps.clock.now();
        this.emit({ type: "update-begin", step, weights, message: `applying ${formatWeights(weights)} (${urns.length} routing resources)` });
        try {
            await this.deps.stack.setRouting({ weights, previousColor });
            const preview = await this.deps.stack.previewRouting(urns);
            const other = Object.entries(preview).filter(([op, n]) => n > 0 && op !== "update" && op !== "same");
            if (other.length) {
                return { ok: false, message: `refused: the preview of the targeted update would ${other.map(([op, n]) => `${op} ${n}`).join(", ")} (only in-place updates of the weighted resources are allowed); nothing was updated` };
            }
            const summary = await this.deps.stack.updateRouting(urns);
            this.emit({ type: "update-done", step, weights, durationMs: this.deps.clock.now() - started, message: `${summary.updated} updated${summary.version !== undefined ? `, update #${summary.version}` : ""}` });
            if (summary.version !== undefined) await this.persist({ updateVersion: summary.version });
        } catch (err) {
            return { ok: false, message: describeUpdateError(err) };
        }
        return this.verify(weights, step);
    }

    async verify(weights: Weights, step?: number): Promise<ApplyResult> {
        let live: { perApp: Record<string, Weights>; uniform?: Weights };
        try {
            live = await this.readLive();
        } catch (err) {
            return { ok: false, message: `the live weights could not be read back: ${firstLine(err)}` };
        }
        const matches = sameWeights(live.uniform, weights);
        const seen = live.uniform ? formatWeights(live.uniform) : Object.entries(live.perApp).map(([app, w]) => `${app} ${formatWeights(w)}`).join("; ");
        this.emit({ type: "verify", step, weights: live.uniform, result: matches ? "pass" : "fail", message: matches ? "the load balancer applies the new weights" : `the load balancer applies ${seen}, not ${formatWeights(weights)}` });
        if (!matches) return { ok: false, message: `the load balancer applies ${seen} instead of ${formatWeights(weights)}` };
        this.lastVerified = { ...weights };
        await this.persist({ verifiedWeights: { ...weights }, ...(step !== undefined ? { stepIndex: step } : {}) });
        return { ok: true };
    }

    /**
     * After a failed update: read the live weights and put them back to the last verified ones
     * (retried); returns the weights the load balancer applies in the end, when known.
     */
    async recover(message: string, previousColor: Color | null, step?: number): Promise<Weights | undefined> {
        this.emit({ type: "error", step, message });
        for (let attempt = 1; attempt <= UPDATE_ATTEMPTS; attempt++) {
            let live: Weights | undefined;
            try {
                live = (await this.readLive()).uniform;
            } catch {
                live = undefined;
            }
            if (sameWeights(live, this.lastVerified)) {
                await this.deps.stack.setRouting({ weights: this.lastVerified, previousColor }).catch(() => undefined);
                this.emit({ type: "fallback", step, weights: this.lastVerified, message: `the load balancer still applies the last verified weights; stack config set back to them` });
                return this.lastVerified;
            }
            this.emit({ type: "fallback", step, weights: this.lastVerified, message: `putting the last verified weights back (attempt ${attempt})` });
            const result = await this.apply(this.lastVerified, previousColor, step);
            if (result.ok) return this.lastVerified;
            this.emit({ type: "error", step, message: result.message });
            await this.deps.clock.sleep(errorBackoffMs(attempt, this.settings.errorBackoffMs ?? 2000, 60_000));
        }
        try {
            return (await this.readLive()).uniform;
        } catch {
            return undefined;
        }
    }

    async checkGates(context: GateContext, step?: number): Promise<GateCheck[]> {
        const all = await Promise.all(this.deps.gates.map(async (gate) => {
            try {
                return await gate.check(context);
            } catch (err) {
                return [{ gate: gate.name, result: "error" as CheckResult, message: `could not be checked: ${firstLine(err)}` }];
            }
        }));
        const checks = all.flat();
        for (const c of checks) {
            this.emit({ type: "gate", step, gate: c.gate, app: c.app, color: c.color, result: c.result, value: c.value, threshold: c.threshold, message: c.warning ? `warning: ${c.message}` : c.message });
        }
        return checks;
    }

    /** Runs the gates until they pass, retrying errors; false (with the checks) when one does not pass. */
    async precheck(candidate: Color, current: Color, weights: Weights, phase: GateContext["phase"]): Promise<{ ok: boolean; failures: GateCheck[] }> {
        for (let attempt = 1; ; attempt++) {
            const now = this.now();
            const checks = await this.checkGates({ candidate, current, weights, phase, window: { start: now, end: now } });
            const erring = checks.some((c) => !c.warning && c.result === "error");
            if (precheckPasses(checks)) {
                this.emit({ type: "precheck", result: "pass", weights, message: `every gate passes on ${candidate}` });
                return { ok: true, failures: [] };
            }
            if (erring && attempt < this.settings.consecutiveErrorLimit && !this.aborted) {
                await this.deps.clock.sleep(errorBackoffMs(attempt, this.settings.errorBackoffMs ?? 2000, this.settings.intervalMs), this.deps.signal);
                continue;
            }
            const failures = checks.filter((c) => !c.warning && c.result !== "pass");
            this.emit({ type: "precheck", result: "fail", weights, message: `${failures.length} check(s) do not pass on ${candidate}: ${failures.map((f) => `${f.gate}${f.app ? ` ${f.app}` : ""} ${f.result}`).join(", ")}` });
            return { ok: false, failures };
        }
    }

    /**
     * Watches `weights` for `bakeMs` (minus what a previous run already watched), extending once
     * when the gates were not conclusive often enough.
     */
    async bake(candidate: Color, current: Color, weights: Weights, bakeMs: number, step: number | undefined, alreadyMs = 0, phase: GateContext["phase"] = "bake"): Promise<BakeResult> {
        const judge = new StepJudge(this.settings);
        const clock = this.deps.clock;
        const start = clock.now();
        let deadline = start + Math.max(0, bakeMs - alreadyMs);
        let extended = false;
        if (phase === "bake") await this.persist({ bakeStartedAt: new Date(start).toISOString(), bakedMs: alreadyMs, bakeMs });
        for (;;) {
            if (!(await this.renew())) return { kind: "lease-lost" };
            const checks = await this.checkGates({ candidate, current, weights, phase, window: { start: new Date(start), end: this.now() } }, step);
            const verdict = judge.observe(checks);
            if (verdict.failed) {
                const message = verdict.failures.map((f) => `${f.gate}${f.app ? ` ${f.app}` : ""}: ${f.message}`).join("; ");
                return { kind: "failed", failures: verdict.failures, message };
            }
            const now = clock.now();
            if (phase === "bake") await this.persist({ bakedMs: alreadyMs + (now - start) });
            if (now >= this.judgedUntil(deadline)) {
                if (judge.enoughConclusive()) {
                    this.emit({ type: "step-baked", step, weights, durationMs: now - start + alreadyMs, message: `baked ${formatDuration(now - start + alreadyMs)} at ${formatWeights(weights)}: ${judge.rounds} round(s) of checks` });
                    return { kind: "baked" };
                }
                const short = judge.shortOfPasses();
                if (phase === "rollback-check") {
                    // After a rollback there is nowhere else to go: too little data is reported, not a failure.
                    this.emit({ type: "step-baked", weights, result: "inconclusive", durationMs: now - start, message: `watched ${formatDuration(now - start)}: no failure, but too few conclusive checks (${short.join(", ")})` });
                    return { kind: "baked" };
                }
                if (extended) return { kind: "failed", failures: [], message: `too few conclusive checks after an extended bake: ${short.join(", ")}` };
                extended = true;
                deadline = now + bakeMs;
                this.emit({ type: "bake-extended", step, weights, message: `too few conclusive checks (${short.join(", ")}): baking ${formatDuration(bakeMs)} more, once` });
            }
            const wait = verdict.retry ? errorBackoffMs(judge.maxErrorsInARow, this.settings.errorBackoffMs ?? 2000, this.settings.intervalMs) : this.settings.intervalMs;
            await clock.sleep(Math.min(wait, Math.max(0, this.judgedUntil(deadline) - clock.now())) || Math.min(wait, 1000), this.deps.signal);
            if (this.aborted) return { kind: "interrupted" };
        }
    }

    /** When a check has seen every minute up to `deadline` published (the deadline itself without traffic gates). */
    private judgedUntil(deadline: number): number {
        const delay = this.settings.publicationDelayMs;
        return delay === undefined ? deadline : lastMinutesCheckedAt(new Date(deadline), delay).getTime();
    }
}

export interface CutoverOptions {
    target: Color;
}

/** `bluegreen cutover --to <color>` on the engine. */
export async function runCutover(options: CutoverOptions, settings: CutoverSettings, deps: EngineDeps): Promise<RunOutcome> {
    const run = new Run(deps, settings);
    const target = options.target;
    const from = otherColor(target);
    const stepsAll = remainingSteps({ blue: 0, green: 0 }, target, settings.steps);
    run.view = await deps.stack.read();
    checkCutoverTarget(run.view, target);
    checkPauses(settings, deps, stepsAll);
    const held = await run.acquire("cutover");
    if (held) return held;
    try {
        return await cutover(run, target, from, stepsAll);
    } catch (err) {
        run.emit({ type: "error", message: firstLine(err) });
        await run.finish({ status: "update-failed", weights: run.lastVerified ?? run.view.weights, failures: [] });
        throw err;
    }
}

/** The record a cutover to `target` goes on from: an unfinished cutover to the same color. */
export function resumableRecord(stored: CutoverRecord | undefined, target: Color): CutoverRecord | undefined {
    return stored && stored.command === "cutover" && stored.to === target && stored.phase !== "completed" ? stored : undefined;
}

/** What a cutover does from `start`: the steps it applies and bakes, and whether the live weight is baked again first. */
export interface StepPlan {
    /** Every step of the cutover from 0%, ending at 100 (step numbers count in this list). */
    all: number[];
    /** The steps still to apply: those above the target's live weight. */
    steps: number[];
    /** The target's live weight was not fully baked (in this run or in the record): it is baked before going on. */
    resumeBake: boolean;
    /** How much of that bake the record says is already done. */
    alreadyMs: number;
}

/**
 * The step plan of a cutover to `target` from the weights the load balancer applies (`start`) and
 * the record it resumes (see `resumableRecord`): the engine runs exactly this, and preflight shows it.
 */
export function stepPlan(start: Weights, target: Color, all: number[], bakeMs: number, relevant?: CutoverRecord): StepPlan {
    const liveOnTarget = start[target];
    const baked = relevant ? relevant.bakedPercents : [];
    // A weight on the target that was not fully baked (here or in the record) is baked before going on.
    const resumeBake = liveOnTarget > 0 && !baked.includes(liveOnTarget) && (liveOnTarget < 100 || relevant !== undefined);
    const alreadyMs = resumeBake && relevant && sameWeights(relevant.verifiedWeights, start) && relevant.bakeStartedAt ? Math.min(relevant.bakedMs ?? 0, bakeMs) : 0;
    return { all, steps: all.filter((p) => p > liveOnTarget), resumeBake, alreadyMs };
}

async function cutover(run: Run, target: Color, from: Color, stepsAll: number[]): Promise<RunOutcome> {
    const { deps, settings, view } = run;
    const live = await run.readLive();
    const stored = await deps.store.readRecord();
    const relevant = resumableRecord(stored, target);
    let start = live.uniform;
    run.emit({ type: "start", weights: start, message: `cutover to ${target}: steps ${stepsAll.join(" → ")}%, bake ${formatDuration(settings.bakeMs)}, checks every ${formatDuration(settings.intervalMs)}, on failure ${settings.onFailure}; config says ${formatWeights(view.weights)}${start ? `, the load balancer applies ${formatWeights(start)}` : ""}${relevant ? `, record: ${relevant.phase} at step ${relevant.stepIndex} (${formatWeights(relevant.verifiedWeights)} verified)` : ""}` });
    const rules = deps.rules ? await deps.rules(view).catch(() => []) : [];
    run.record = {
        runId: deps.runId, command: "cutover", from, to: target, phase: "running", stepIndex: 0,
        verifiedWeights: start ?? relevant?.verifiedWeights ?? view.weights,
        bakedPercents: relevant ? [...relevant.bakedPercents] : [], rules: rules.length ? rules : relevant?.rules ?? [], updatedAt: run.now().toISOString(),
    };
    if (!start) {
        if (!relevant) {
            run.emit({ type: "error", message: `the apps are at different weights (${Object.entries(live.perApp).map(([a, w]) => `${a} ${formatWeights(w)}`).join("; ")}) and no cutover is recorded: set them with \`bluegreen rollback\` first` });
            return run.finish({ status: "refused", weights: view.weights, failures: [] });
        }
        run.lastVerified = relevant.verifiedWeights;
        run.emit({ type: "reconcile", message: `the apps are at different weights (a partly applied update): putting the recorded ${formatWeights(relevant.verifiedWeights)} back first` });
        const result = await run.apply(relevant.verifiedWeights, from);
        if (!result.ok) return updateFailed(run, result.message, from);
        start = relevant.verifiedWeights;
    }
    run.lastVerified = start;
    run.record.verifiedWeights = start;
    if (!sameWeights(view.weights, start)) {
        run.emit({ type: "reconcile", weights: start, message: `the stack config says ${formatWeights(view.weights)} but the load balancer applies ${formatWeights(start)}: going on from what is live; config steps above it are applied and baked again` });
    }
    const liveOnTarget = start[target];
    const baked = run.record.bakedPercents;
    // A weight on the target that was not fully baked (here or in the record) is baked before going on.
    const resumeBake = liveOnTarget > 0 && !baked.includes(liveOnTarget) && (liveOnTarget < 100 || relevant !== undefined);
    const alreadyMs = resumeBake && relevant && sameWeights(relevant.verifiedWeights, start) && relevant.bakeStartedAt ? Math.min(relevant.bakedMs ?? 0, settings.bakeMs) : 0;
    const steps = stepsAll.filter((p) => p > liveOnTarget);
    if (steps.length === 0 && !resumeBake) {
        run.emit({ type: "nothing-to-do", weights: start, message: `${target} already carries 100%` });
        return run.finish({ status: "nothing-to-do", weights: start, failures: [] }, relevant ? "completed" : undefined);
    }
    await run.persist({});

    const pre = await run.precheck(target, from, start, "precheck");
    if (!pre.ok) {
        if (liveOnTarget > 0) return fallBack(run, target, from, liveOnTarget, pre.failures, "the pre-check failed while traffic is on the target");
        run.emit({ type: "refused", weights: start, message: `gates fail on ${target} before any traffic moved: weights left at ${formatWeights(start)}` });
        return run.finish({ status: "precheck-failed", weights: start, failures: pre.failures }, "precheck-failed");
    }
    if (run.aborted) return interrupted(run, target);

    let stepNo = stepsAll.length - steps.length;
    if (resumeBake) {
        run.emit({ type: "resume", step: stepNo, weights: start, message: `the bake at ${liveOnTarget}% did not finish: baking ${formatDuration(settings.bakeMs - alreadyMs)} more` });
        const outcome = await bakeStep(run, target, from, start, stepNo, alreadyMs);
        if (outcome) return outcome;
    }
    for (const percent of steps) {
        if (run.aborted) return interrupted(run, target);
        stepNo++;
        if (settings.pauseBefore?.includes(percent)) {
            const outcome = await pauseBefore(run, target, from, percent, stepNo);
            if (outcome) return outcome;
        }
        const weights = weightsFor(target, percent);
        const applied = await run.apply(weights, from, stepNo);
        if (!applied.ok) return updateFailed(run, applied.message, from, stepNo);
        if (run.aborted) return interrupted(run, target);
        const outcome = await bakeStep(run, target, from, weights, stepNo, 0);
        if (outcome) return outcome;
    }
    run.emit({ type: "complete", weights: run.lastVerified, message: `cutover complete; ${from} stays intact for \`bluegreen rollback\`` });
    return run.finish({ status: "completed", weights: run.lastVerified, failures: [] }, "completed");
}

/** Bakes one step; undefined when it baked, the run's outcome otherwise. */
async function bakeStep(run: Run, target: Color, from: Color, weights: Weights, stepNo: number, alreadyMs: number): Promise<RunOutcome | undefined> {
    const result = await run.bake(target, from, weights, run.settings.bakeMs, stepNo, alreadyMs);
    if (result.kind === "baked") {
        await run.persist({ bakedPercents: [...run.record!.bakedPercents, weights[target]] });
        return undefined;
    }
    if (result.kind === "interrupted") return interrupted(run, target);
    if (result.kind === "lease-lost") return run.finish({ status: "interrupted", weights: run.lastVerified, failures: [] });
    return fallBack(run, target, from, weights[target], result.failures, result.message, stepNo);
}

/** `--pause-before` needs a store another operator can reach, and percentages this cutover steps to. */
function checkPauses(settings: CutoverSettings, deps: EngineDeps, stepsAll: number[]): void {
    const pauses = settings.pauseBefore ?? [];
    if (pauses.length === 0) return;
    if (!deps.pause) {
        throw new CutoverInputError("--pause-before needs the environment's cutover table (stack output cutoverState.tableName) so that `bluegreen promote` can reach the pause: run `pulumi up` once first");
    }
    const wrong = pauses.filter((p) => !stepsAll.includes(p));
    if (wrong.length) throw new CutoverInputError(`--pause-before ${wrong.join(", ")} is not one of the steps ${stepsAll.join(", ")}: name the percentage the cutover should pause before`);
}

/**
 * Waits before moving to `percent` until an operator promotes or aborts (`bluegreen promote`): the
 * pause is recorded for them, the lease is renewed and the gates are watched as in a bake (a failure
 * takes the failure policy's path), and Ctrl-C stops with the weights where they are. Undefined when
 * promoted; the run's outcome otherwise.
 */
async function pauseBefore(run: Run, target: Color, from: Color, percent: number, step: number): Promise<RunOutcome | undefined> {
    const { stack } = run.deps.pause!;
    const weights = { ...run.lastVerified };
    const ref: PauseRef = { runId: run.deps.runId, percent };
    const since = run.now();
    const promote = `bluegreen promote --stack ${stack}`;
    const waiter = `${run.deps.identity.owner}@${run.deps.identity.host}`;
    const begun = await beginPause(run, { stack, runId: ref.runId, waiter, percent, step, since: since.toISOString() });
    if (!begun.ok) {
        run.emit({ type: "refused", step, weights, message: `the pause before ${percent}% could not be recorded (${begun.message}), so nobody could promote it: stopping at ${formatWeights(weights)}; resume with \`bluegreen cutover --to ${target} --pause-before ${percent}\`` });
        return run.finish({ status: "refused", weights, failures: [] }, "interrupted");
    }
    await run.persist({ phase: "paused" });
    run.emit({ type: "pause", step, weights, message: `paused before ${percent}% since ${since.toISOString()} (run ${ref.runId}, ${waiter}); the gates are still watched. To go on: \`${promote}\`; to fall back: \`${promote} --abort\`` });
    const judge = new StepJudge(run.settings);
    const phase: GateContext["phase"] = weights[target] > 0 ? "bake" : "precheck";
    for (;;) {
        if (!(await run.renew())) {
            await endPause(run, ref, "ended", "the waiting run lost its lease");
            return run.finish({ status: "interrupted", weights: run.lastVerified, failures: [] });
        }
        const pause = await readPause(run, stack, step);
        if (pause && pause.runId === ref.runId && pause.percent === percent) {
            if (pause.state === "promoted") {
                run.emit({ type: "promoted", step, weights, durationMs: run.deps.clock.now() - since.getTime(), message: `promoted by ${pause.by ?? "?"} at ${pause.at ?? "?"}: moving to ${percent}%` });
                await run.persist({ phase: "running" });
                return undefined;
            }
            if (pause.state === "aborted") return abortPaused(run, target, from, pause, step);
        }
        const checks = await run.checkGates({ candidate: target, current: from, weights, phase, window: { start: since, end: run.now() } }, step);
        const verdict = judge.observe(checks);
        if (verdict.failed) {
            const failed = verdict.failures.map((f) => `${f.gate}${f.app ? ` ${f.app}` : ""}: ${f.message}`).join("; ");
            await endPause(run, ref, "ended", `a gate failed while paused: ${failed}`);
            const message = `while paused before ${percent}%: ${failed}`;
            if (weights[target] > 0) return fallBack(run, target, from, weights[target], verdict.failures, message, step);
            run.emit({ type: "refused", step, weights, message: `${message}: no traffic had moved, weights left at ${formatWeights(weights)}` });
            return run.finish({ status: "precheck-failed", weights, failures: verdict.failures }, "precheck-failed");
        }
        const wait = verdict.retry ? errorBackoffMs(judge.maxErrorsInARow, run.settings.errorBackoffMs ?? 2000, run.settings.intervalMs) : run.settings.intervalMs;
        await run.deps.clock.sleep(wait, run.deps.signal);
        if (run.aborted) {
            await endPause(run, ref, "interrupted", "the waiting run was stopped (Ctrl-C/SIGTERM)");
            return interrupted(run, target);
        }
    }
}

/** Records the pause, retried on errors like a gate; without a record nobody could promote it. */
async function beginPause(run: Run, pause: Parameters<PauseStore["begin"]>[0]): Promise<ApplyResult> {
    let message = "";
    for (let attempt = 1; attempt <= run.settings.consecutiveErrorLimit; attempt++) {
        try {
            await run.deps.pause!.store.begin(pause);
            return { ok: true };
        } catch (err) {
            message = firstLine(err);
            run.emit({ type: "error", step: pause.step, message: `could not record the pause before ${pause.percent}% (attempt ${attempt}): ${message}` });
            if (attempt < run.settings.consecutiveErrorLimit) await run.deps.clock.sleep(errorBackoffMs(attempt, run.settings.errorBackoffMs ?? 2000, run.settings.intervalMs));
        }
    }
    return { ok: false, message };
}

/** The pause as recorded; a read error is reported and the run keeps waiting (and watching). */
async function readPause(run: Run, stack: string, step: number): Promise<PauseRecord | undefined> {
    try {
        return await run.deps.pause!.store.read(stack);
    } catch (err) {
        run.emit({ type: "error", step, message: `could not read the pause record: ${firstLine(err)}; still waiting` });
        return undefined;
    }
}

async function endPause(run: Run, ref: PauseRef, state: "interrupted" | "ended", note: string): Promise<void> {
    try {
        await run.deps.pause!.store.end(run.deps.pause!.stack, ref, state, note, run.now());
    } catch (err) {
        run.emit({ type: "error", message: `could not mark the pause before ${ref.percent}% as ${state}: ${firstLine(err)}; \`bluegreen promote\` refuses it anyway once this run's lease is gone` });
    }
}

/** An operator aborted the pause: the failure policy's abort path, all traffic back to the color it came from. */
async function abortPaused(run: Run, target: Color, from: Color, pause: PauseRecord, step: number): Promise<RunOutcome> {
    const reason = `aborted by ${pause.by ?? "?"}`;
    const check: GateCheck = { gate: "manual", result: "fail", message: `${reason} at ${pause.at ?? "?"} (paused before ${pause.percent}%)` };
    run.emit({ type: "gate", step, gate: check.gate, result: check.result, message: check.message });
    const weights = run.lastVerified;
    if (weights[target] === 0) {
        run.emit({ type: "fallback", step, weights, message: `${reason}: no traffic had moved, weights stay at ${formatWeights(weights)}` });
        return run.finish({ status: "fell-back", weights, failures: [check] }, "fell-back");
    }
    return fallBack(run, target, from, weights[target], [check], `${reason} while paused before ${pause.percent}%`, step, "abort");
}

async function interrupted(run: Run, target: Color): Promise<RunOutcome> {
    run.emit({ type: "interrupted", weights: run.lastVerified, message: `stopped; the load balancer applies ${formatWeights(run.lastVerified)}. Resume with \`bluegreen cutover --to ${target}\` (the unfinished bake is baked again), or \`bluegreen rollback\`` });
    return run.finish({ status: "interrupted", weights: run.lastVerified, failures: [] }, "interrupted");
}

async function updateFailed(run: Run, message: string, previousColor: Color, step?: number): Promise<RunOutcome> {
    const weights = await run.recover(message, previousColor, step);
    run.emit({ type: "update-failed", step, weights, message: weights ? `${message}; the load balancer applies ${formatWeights(weights)}` : `${message}; the live weights could not be read: check with \`bluegreen status\`, or \`bluegreen rollback --direct\`` });
    return run.finish({ status: "update-failed", weights: weights ?? run.lastVerified, failures: [] }, "update-failed");
}

/**
 * A step failed: traffic goes back (abort: all to the color that carried it; previous-step: the last
 * baked weight, watched again, and 0 on the next failure). A fallback is completed even when
 * interrupted, so traffic is never left on a color whose last gate failed.
 */
async function fallBack(run: Run, target: Color, from: Color, failedPercent: number, failures: GateCheck[], message: string, step?: number, policy: FailurePolicy = run.settings.onFailure): Promise<RunOutcome> {
    let weights = fallbackWeights(target, failedPercent, run.record!.bakedPercents, policy);
    run.emit({ type: "fallback", step, weights, message: `${message}: back to ${formatWeights(weights)}` });
    let applied = await applyFallback(run, weights, from, step);
    if (!applied.ok) return updateFailed(run, applied.message, from, step);
    if (weights[target] > 0) {
        const again = await run.bake(target, from, weights, run.settings.bakeMs, step);
        if (again.kind === "interrupted" || again.kind === "lease-lost") return interrupted(run, target);
        if (again.kind === "failed") {
            failures = [...failures, ...again.failures];
            weights = weightsFor(target, 0);
            run.emit({ type: "fallback", step, weights, message: `${again.message}: failing again at the fallback weight, all traffic back to ${from}` });
            applied = await applyFallback(run, weights, from, step);
            if (!applied.ok) return updateFailed(run, applied.message, from, step);
        }
    }
    return run.finish({ status: "fell-back", weights: run.lastVerified, failures }, "fell-back");
}

/**
 * A fallback's update is retried (with backoff) rather than reverted to the last verified weights:
 * those carry the traffic that just failed.
 */
async function applyFallback(run: Run, weights: Weights, from: Color, step?: number): Promise<ApplyResult> {
    let result: ApplyResult = { ok: false, message: "not applied" };
    for (let attempt = 1; attempt <= UPDATE_ATTEMPTS; attempt++) {
        result = await run.apply(weights, from, step);
        if (result.ok) return result;
        run.emit({ type: "error", step, weights, message: `${result.message} (fallback attempt ${attempt} of ${UPDATE_ATTEMPTS})` });
        await run.deps.clock.sleep(errorBackoffMs(attempt, run.settings.errorBackoffMs ?? 2000, 60_000));
    }
    return result;
}

export interface RollbackOptions {
    force: boolean;
    /** How long to keep checking the receiving color after the switch. */
    watchMs: number;
    /** Moves the rules with the ELBv2 API instead of Pulumi (`--direct`). */
    direct?: DirectRouting;
    /** Healthy targets per app on the receiving color, compared with the color losing traffic. */
    targetHealth?: TargetHealthSource;
}

/** Moves traffic without Pulumi (ELBv2 ModifyRule on the recorded rules). */
export interface DirectRouting {
    apply(rules: RecordedRule[], weights: Weights): Promise<{ calls: number }>;
}

/** Which color `rollback` gives all traffic to: where traffic was before the recorded cutover, else previousColor. */
export function rollbackColor(record: CutoverRecord | undefined, view: StackView): Color {
    if (record?.command === "cutover") return record.from;
    if (record?.command === "rollback") return record.to;
    if (view.previousColor) return view.previousColor;
    const carrying = COLORS.filter((c) => view.weights[c] > 0);
    if (carrying.length === 1) throw new CutoverInputError(`${carrying[0]} already carries 100% and no cutover is recorded: nothing to roll back`);
    throw new CutoverInputError("no cutover is recorded (neither in the environment's cutover table nor bluegreen:cutover.previousColor): run `bluegreen cutover` first, or set the weights by hand");
}

/** `bluegreen rollback`: all traffic to the color that carried it before the cutover, after checking it can take it. */
export async function runRollback(options: RollbackOptions, settings: CutoverSettings, deps: EngineDeps): Promise<RunOutcome> {
    const run = new Run(deps, settings);
    run.view = await deps.stack.read();
    const stored = await deps.store.readRecord();
    const to = rollbackColor(stored, run.view);
    if (!run.view.clusters[to]) throw new CutoverInputError(`cannot roll back to ${to}: the stack has no ${to} cluster any more`);
    const held = await run.acquire("rollback");
    if (held) return held;
    const from = otherColor(to);
    const live = await run.readLive();
    const start = live.uniform ?? stored?.verifiedWeights ?? run.view.weights;
    run.lastVerified = start;
    run.emit({ type: "start", weights: live.uniform, message: `rollback to ${to}${options.direct ? " with the ELBv2 API (--direct)" : ""}: the load balancer applies ${live.uniform ? formatWeights(live.uniform) : "different weights per app"}, config says ${formatWeights(run.view.weights)}` });
    const target = weightsFor(to, 100);
    if (live.uniform && sameWeights(live.uniform, target)) {
        if (run.view.previousColor === to && !options.direct) await deps.stack.setRouting({ weights: target, previousColor: null });
        run.emit({ type: "nothing-to-do", weights: target, message: `${to} already carries 100%${run.view.previousColor === to ? "; previousColor cleared" : ""}` });
        return run.finish({ status: "nothing-to-do", weights: target, failures: [] });
    }
    run.record = { runId: deps.runId, command: "rollback", from, to, phase: "rolling-back", stepIndex: 0, verifiedWeights: start, bakedPercents: [], rules: stored?.rules ?? [], updatedAt: run.now().toISOString() };
    const capacity = await checkCapacity(run, to, from, options.targetHealth);
    if (!capacity.ok && !options.force) {
        run.emit({ type: "refused", result: "fail", message: `${to} cannot take the traffic: ${capacity.problems.join("; ")}. Scale ${to} up, or roll back anyway with --force` });
        return run.finish({ status: "refused", weights: start, failures: [] });
    }
    if (!capacity.ok) run.emit({ type: "precheck", result: "fail", message: `--force: rolling back although ${capacity.problems.join("; ")}` });
    await run.persist({});
    if (options.direct) {
        const rules = run.record.rules.length ? run.record.rules : deps.rules ? await deps.rules(run.view) : [];
        if (rules.length === 0) throw new CutoverInputError("no listener rules are recorded for this environment: `rollback --direct` needs a cutover record (alb mode); use `bluegreen rollback`");
        run.emit({ type: "update-begin", weights: target, message: `ModifyRule on ${rules.length} listener rule(s)` });
        const started = deps.clock.now();
        const { calls } = await options.direct.apply(rules, target);
        run.emit({ type: "update-done", weights: target, durationMs: deps.clock.now() - started, message: `${rules.length} rule(s) moved with ${calls} ELBv2 call(s)` });
        const verified = await run.verify(target);
        if (!verified.ok) return updateFailedRollback(run, verified.message);
        run.emit({ type: "stack-drift", weights: target, message: `the stack config and state still say otherwise: once Pulumi is available run \`pulumi config set --path bluegreen:routing.weights.${to} 100 && pulumi config set --path bluegreen:routing.weights.${from} 0\` then \`pulumi refresh --target <routing URNs>\` (or \`bluegreen rollback\`, which finds the load balancer already there)` });
    } else {
        const applied = await run.apply(target, null);
        if (!applied.ok) return updateFailedRollback(run, applied.message);
    }
    await run.persist({ phase: "rolled-back" });
    if (options.watchMs > 0 && deps.gates.length > 0) {
        const watch = await run.bake(to, from, target, options.watchMs, undefined, 0, "rollback-check");
        if (watch.kind === "failed") {
            run.emit({ type: "error", result: "fail", message: `${to} fails its checks after the rollback: ${watch.message}` });
            return run.finish({ status: "rollback-check-failed", weights: target, failures: watch.failures }, "rollback-check-failed");
        }
        if (watch.kind === "interrupted") return run.finish({ status: "rolled-back", weights: target, failures: [] });
    }
    return run.finish({ status: "rolled-back", weights: target, failures: [] }, "rolled-back");
}

async function updateFailedRollback(run: Run, message: string): Promise<RunOutcome> {
    let weights: Weights | undefined;
    try {
        weights = (await run.readLive()).uniform;
    } catch {
        weights = undefined;
    }
    run.emit({ type: "update-failed", weights, message: `${message}; the load balancer applies ${weights ? formatWeights(weights) : "unknown weights"}. If Pulumi or its lock is unavailable: \`bluegreen rollback --direct\`` });
    return run.finish({ status: "update-failed", weights: weights ?? run.lastVerified, failures: [] }, "update-failed");
}

/** Healthy targets per app on the receiving color against the color now carrying traffic. */
async function checkCapacity(run: Run, to: Color, from: Color, health?: TargetHealthSource): Promise<{ ok: boolean; problems: string[] }> {
    if (!health) return { ok: true, problems: [] };
    const problems: string[] = [];
    for (const app of Object.keys(run.view.apps)) {
        try {
            const [receiving, losing] = await Promise.all([health.targets(app, to), health.targets(app, from)]);
            const healthyTo = receiving.filter((t) => t.state === "healthy").length;
            const healthyFrom = losing.filter((t) => t.state === "healthy").length;
            const ok = healthyTo > 0 && healthyTo >= healthyFrom;
            run.emit({ type: "gate", gate: "rollback capacity", app, color: to, result: ok ? "pass" : "fail", value: healthyTo, threshold: Math.max(1, healthyFrom), message: `${healthyTo} healthy target(s) on ${to} against ${healthyFrom} on ${from}` });
            if (!ok) problems.push(`app ${app}: ${healthyTo} healthy on ${to}, ${healthyFrom} on ${from}`);
        } catch (err) {
            run.emit({ type: "gate", gate: "rollback capacity", app, color: to, result: "error", message: firstLine(err) });
            problems.push(`app ${app}: target health could not be read (${firstLine(err)})`);
        }
    }
    return { ok: problems.length === 0, problems };
}
