/**
 * The step logic of `bluegreen cutover` and `bluegreen rollback`: move traffic step by step, bake
 * while checking gates, and put the weights back on their own when a gate fails. Everything that
 * talks to Pulumi, AWS or Kubernetes arrives through `StackOperations` and `Gate`s.
 */
import { Color, COLORS, formatWeights, otherColor, Weights, weightsFor } from "../config/colors";
import { Clock, Gate, GateResult, StackOperations, StackView } from "./model";
import { CutoverInputError, FailurePolicy, fallbackWeights, formatDuration, remainingSteps, rollbackColor } from "./steps";

export interface CutoverOptions {
    target: Color;
    steps: number[];
    bakeMs: number;
    intervalMs: number;
    onFailure: FailurePolicy;
}

export interface CutoverDeps {
    stack: StackOperations;
    gates: Gate[];
    clock: Clock;
    /** Aborted on Ctrl-C: the current operation finishes, nothing further starts. */
    signal?: AbortSignal;
    log: (line: string) => void;
}

export type CutoverStatus = "completed" | "nothing-to-do" | "precheck-failed" | "rolled-back" | "interrupted";

export interface CutoverOutcome {
    status: CutoverStatus;
    weights: Weights;
    steps: Array<{ percent: number; weights: Weights; updated: number; elapsedMs: number; gateChecks: number }>;
    failures: GateResult[];
}

export const EXIT_CODES: Record<CutoverStatus, number> = { completed: 0, "nothing-to-do": 0, "precheck-failed": 1, "rolled-back": 1, interrupted: 130 };

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

async function checkGates(gates: Gate[], context: Parameters<Gate["check"]>[0]): Promise<GateResult[]> {
    const results: GateResult[] = [];
    for (const gate of gates) {
        try {
            results.push(await gate.check(context));
        } catch (err) {
            results.push({ gate: gate.name, ok: false, details: [`could not be checked: ${(err as Error).message.split("\n")[0]}`] });
        }
    }
    return results;
}

function reportGates(results: GateResult[], log: (line: string) => void, indent: string): void {
    for (const r of results) {
        log(`${indent}${r.ok ? "✓" : "✗"} ${r.gate}`);
        for (const d of r.details) log(`${indent}    ${d}`);
    }
}

export async function runCutover(options: CutoverOptions, deps: CutoverDeps): Promise<CutoverOutcome> {
    const { stack, clock, log, signal } = deps;
    const view = await stack.read();
    checkCutoverTarget(view, options.target);
    const target = options.target;
    const outcome: CutoverOutcome = { status: "completed", weights: view.weights, steps: [], failures: [] };
    const steps = remainingSteps(view.weights, target, options.steps);
    if (steps.length === 0) {
        log(`${target} already carries 100% (${formatWeights(view.weights)}): nothing to do.`);
        return { ...outcome, status: "nothing-to-do" };
    }
    const resuming = view.weights[target] > 0;
    const previousColor = resuming ? (view.previousColor ?? otherColor(target)) : otherColor(target);
    log(`${resuming ? "Resuming" : "Starting"} cutover to ${target}: now ${formatWeights(view.weights)}; steps ${steps.join(" → ")}%, bake ${formatDuration(options.bakeMs)} per step, gates every ${formatDuration(options.intervalMs)}.`);

    const started = clock.now();
    const precheck = await checkGates(deps.gates, { candidate: target, stack: view, since: new Date(started) });
    reportGates(precheck, log, "  pre-check ");
    if (precheck.some((r) => !r.ok)) {
        log(`Gates fail on ${target} before any traffic moved: weights left at ${formatWeights(view.weights)}.`);
        return { ...outcome, status: "precheck-failed", failures: precheck.filter((r) => !r.ok) };
    }

    let lastGood = view.weights[target];
    let applied = view.weights;
    const interrupted = (): CutoverOutcome => {
        log(`Interrupted: the last applied weights stay in place: ${formatWeights(applied)}. Run \`bluegreen cutover --to ${target}\` again to resume from them, or \`bluegreen rollback\`.`);
        return { ...outcome, status: "interrupted", weights: applied };
    };

    for (const percent of steps) {
        if (signal?.aborted) return interrupted();
        const weights = weightsFor(target, percent);
        const stepStart = clock.now();
        await stack.setWeights(weights, previousColor);
        const update = await stack.updateRouting(view.weightedResourceUrns);
        applied = weights;
        const step = { percent, weights, updated: update.updated, elapsedMs: clock.now() - stepStart, gateChecks: 0 };
        outcome.steps.push(step);
        log(`Step ${outcome.steps.length}/${steps.length}: ${formatWeights(weights)} applied (${update.updated} updated, ${update.created} created, ${update.deleted} deleted, ${update.replaced} replaced) in ${formatDuration(step.elapsedMs)}; total ${formatDuration(clock.now() - started)}.`);
        if (update.created + update.deleted + update.replaced > 0) {
            log(`  warning: the routing update created, deleted or replaced resources; a weight change should only update them in place.`);
        }
        if (signal?.aborted) return interrupted();

        const bakeStart = clock.now();
        const deadline = bakeStart + options.bakeMs;
        for (;;) {
            const results = await checkGates(deps.gates, { candidate: target, stack: view, since: new Date(bakeStart) });
            step.gateChecks++;
            const failed = results.filter((r) => !r.ok);
            if (failed.length) {
                reportGates(results, log, "  ");
                const fallback = fallbackWeights(target, lastGood, options.onFailure);
                log(`Gate failed at ${percent}% after ${formatDuration(clock.now() - bakeStart)} of baking: setting weights back to ${formatWeights(fallback)}.`);
                await stack.setWeights(fallback, previousColor);
                await stack.updateRouting(view.weightedResourceUrns);
                log(`Rolled back to ${formatWeights(fallback)}.`);
                return { ...outcome, status: "rolled-back", weights: fallback, failures: failed };
            }
            const now = clock.now();
            if (now >= deadline) {
                log(`  baked ${formatDuration(options.bakeMs)} at ${percent}%: ${step.gateChecks} gate check(s) passed.`);
                break;
            }
            await clock.sleep(Math.min(options.intervalMs, deadline - now), signal);
            if (signal?.aborted) return interrupted();
        }
        lastGood = percent;
    }
    log(`Cutover complete: ${formatWeights(applied)} in ${formatDuration(clock.now() - started)}. ${previousColor} stays intact for rollback (\`bluegreen rollback\`).`);
    return { ...outcome, weights: applied };
}

export interface RollbackOutcome {
    before: Weights;
    after: Weights;
    color: Color;
}

export async function runRollback(deps: Pick<CutoverDeps, "stack" | "log">): Promise<RollbackOutcome> {
    const view = await deps.stack.read();
    const color = rollbackColor(view.weights, view.previousColor);
    if (!view.clusters[color]) throw new CutoverInputError(`cannot roll back to ${color}: the stack has no ${color} cluster any more`);
    const after = weightsFor(color, 100);
    deps.log(`Rolling back to ${color}: ${formatWeights(view.weights)} → ${formatWeights(after)}`);
    await deps.stack.setWeights(after, view.previousColor);
    const update = await deps.stack.updateRouting(view.weightedResourceUrns);
    deps.log(`Rolled back: ${formatWeights(after)} (${update.updated} routing resources updated).`);
    return { before: view.weights, after, color };
}

export { COLORS };
