/**
 * The cutover a stack would run, shown before it runs: the steps come from the engine's own
 * `stepPlan` (src/cutover/run.ts), the gates from the cutover's own gate set (`buildGates`,
 * `describeGates`, `checkTiming`, `requireTrafficGate` in src/cutover/gates/set.ts), never from a
 * copy that could drift from what `bluegreen cutover` does. Offline the plan starts from the stack
 * config's weights; with `--live`, from what the load balancer applies and the recorded cutover.
 */
import { Color, colorRoles, COLORS, formatWeights, otherColor, Weights, weightsFor } from "../config/colors";
import type { EnvironmentConfig } from "../config";
import { formatDuration } from "../config/values";
import type { Gate } from "../cutover/contract";
import type { StackView } from "../cutover/model";
import type { CutoverRecord } from "../cutover/record";
import { resumableRecord, stepPlan } from "../cutover/run";
import { remainingSteps } from "../cutover/steps";
import { buildGates, checkTiming, describeGates, GateSources, GateStackView, publicationDelay, realGateSources, requireTrafficGate } from "../cutover/gates/set";
import { UserInputError } from "../errors";
import type { CutoverPlanReport, PlannedStep, PlanSettings, PreflightItem } from "./model";

export interface PlanInput {
    config: EnvironmentConfig;
    settings: PlanSettings;
    start: Weights;
    startFrom: CutoverPlanReport["startFrom"];
    /** The record in the environment's table (--live). */
    record?: CutoverRecord;
    gateView: GateStackView;
    /** The gate sources; by default the real ones (created, never called, by the plan). */
    sources?: GateSources;
}

const PLACEHOLDER = "(from the stack outputs after pulumi up)";

/**
 * The gate view a stack will have after `pulumi up`, from its config alone: what the cutover reads
 * from the outputs (kubeconfigs, target groups, load balancer) stands in as present.
 */
export function offlineGateView(config: EnvironmentConfig, aws: { region?: string; profile?: string }): GateStackView {
    const colors = COLORS.filter((c) => config.clusters[c]);
    const routing = config.routing;
    return {
        mode: routing?.mode ?? "alb",
        ...(aws.region ? { region: aws.region } : {}),
        ...(aws.profile ? { profile: aws.profile } : {}),
        clusters: Object.fromEntries(colors.map((c) => [c, { kubeconfig: PLACEHOLDER }])),
        apps: Object.fromEntries(
            (routing?.apps ?? []).map((app) => [
                app.name,
                {
                    targetGroupArns: Object.fromEntries(colors.map((c) => [c, PLACEHOLDER])),
                    ...(routing?.mode === "dns" ? {} : { loadBalancerArnSuffix: PLACEHOLDER }),
                    namespace: app.namespace,
                    service: app.service.name,
                },
            ]),
        ),
    };
}

/** The gate view from the stack's outputs (as the cutover builds it), with the routed Services from the config. */
export function liveGateView(view: StackView, config: EnvironmentConfig, aws: { region?: string; profile?: string }): GateStackView {
    const routed = new Map((config.routing?.apps ?? []).map((app) => [app.name, app]));
    return {
        mode: view.mode,
        ...(view.hostedZoneId ? { hostedZoneId: view.hostedZoneId } : {}),
        weights: view.weights,
        ...(aws.region ? { region: aws.region } : {}),
        ...(aws.profile ? { profile: aws.profile } : {}),
        clusters: view.clusters,
        apps: Object.fromEntries(
            Object.entries(view.apps).map(([name, app]) => [
                name,
                {
                    targetGroupArns: app.targetGroupArns,
                    hostnames: app.hostnames,
                    ...(app.loadBalancerArnSuffix ? { loadBalancerArnSuffix: app.loadBalancerArnSuffix } : {}),
                    ...(routed.get(name) ? { namespace: routed.get(name)!.namespace, service: routed.get(name)!.service.name } : {}),
                },
            ]),
        ),
    };
}

const item = (id: string, title: string, status: PreflightItem["status"], detail: string): PreflightItem => ({ id, title, status, detail });

/** The color the cutover moves to: `--to`, else the config's candidate. */
export function planTarget(config: EnvironmentConfig, settings: PlanSettings): Color | undefined {
    return settings.target ?? colorRoles(config).candidate?.color;
}

/** The plan items (plan, gates, problems) and the plan for the JSON report. */
export function cutoverPlan(input: PlanInput): { items: PreflightItem[]; plan?: CutoverPlanReport } {
    const { config, settings } = input;
    const title = "Cutover plan";
    if (!config.routing) {
        const present = COLORS.filter((c) => config.clusters[c]);
        if (present.length === 1) return { items: [item("weights", title, "pass", `no routing config: ${present[0]} is the only color`)] };
        return { items: [item("weights", title, "warn", "no routing config while both colors exist: bluegreen cannot shift traffic between them (add bluegreen:routing)")] };
    }
    const target = planTarget(config, settings);
    const current = formatWeights(input.start);
    if (!target) {
        const present = COLORS.filter((c) => config.clusters[c]);
        if (present.length === 1) return { items: [item("weights", title, "pass", `${current}: no second color to shift to`)] };
        return { items: [item("weights", title, "pass", `${current}: no candidate to shift to (both colors on the same version and weight); pass --to to plan a cutover`)] };
    }
    if (config.routing.apps.length === 0) {
        return { items: [item("weights", title, "warn", `${current}: no routed app (bluegreen:routing.apps is empty): a cutover to ${target} has no listener rule to move; add the apps users reach`)] };
    }
    if (!config.clusters[target]) {
        return { items: [item("weights", title, "fail", `--to ${target}: the stack has no ${target} cluster (clusters.${target}): add it and run pulumi up before a cutover`)] };
    }
    const from = otherColor(target);
    const engine = settings.engine;
    const all = remainingSteps({ blue: 0, green: 0 }, target, engine.steps);
    const planned = stepPlan(input.start, target, all, engine.bakeMs, resumableRecord(input.record, target));
    const steps = plannedSteps(planned, target, input.start, engine.bakeMs);
    const sources = input.sources ?? realGateSources(input.gateView, settings.gates.values);
    const built = buildGates(input.gateView, { settings: settings.gates, sources, now: () => Date.now() });
    // With a traffic gate each step also waits until its last minutes are published (the engine's publicationDelay).
    const publication = publicationDelay(built.gates, settings.gates.values.settleDelayMs).publicationDelayMs ?? 0;
    const minimumDurationMs = steps.reduce((sum, s) => sum + s.bakeMs + publication, 0);
    const problems = startProblems(settings, built.gates, built.notes);
    const o = settings.gates.origins;
    const plan: CutoverPlanReport = {
        target,
        from,
        start: { ...input.start },
        startFrom: input.startFrom,
        steps,
        settings: {
            steps: { value: [...engine.steps], origin: settings.origins.steps },
            bake: { value: formatDuration(engine.bakeMs), origin: o.bake },
            interval: { value: formatDuration(engine.intervalMs), origin: o.interval },
            onFailure: { value: engine.onFailure, origin: settings.origins.onFailure },
        },
        gates: built.gates.map((g) => ({ name: g.name, kind: g.kind, thresholds: g.describe() })),
        notGated: built.notes,
        minimumDurationMs,
        problems: [...problems.timing, ...problems.ungated],
    };
    const items: PreflightItem[] = [item("weights", title, "pass", describePlan(plan, current))];
    for (const line of built.info) items.push(item("plan.aws", "Cutover reads AWS with", "pass", line));
    if (built.gates.length === 0) items.push(item("plan.gate", "Cutover gate", "warn", "no gate is active"));
    else for (const line of describeGates(built.gates)) items.push(item("plan.gate", "Cutover gate", "pass", line));
    for (const note of built.notes) items.push(item("plan.not-gated", "Not gated", "warn", note));
    for (const problem of problems.timing) items.push(item("plan.timing", "Cutover timing", "fail", problem));
    for (const problem of problems.ungated) items.push(item("plan.ungated", "Cutover would refuse", "fail", problem));
    return { items, plan };
}

function plannedSteps(planned: ReturnType<typeof stepPlan>, target: Color, start: Weights, bakeMs: number): PlannedStep[] {
    const out: PlannedStep[] = [];
    let step = planned.all.length - planned.steps.length;
    if (planned.resumeBake) out.push({ step, weights: { ...start }, percent: start[target], bakeMs: bakeMs - planned.alreadyMs, resumed: true });
    for (const percent of planned.steps) out.push({ step: ++step, weights: weightsFor(target, percent), percent, bakeMs });
    return out;
}

/**
 * What is wrong with the run before it starts: the timing of its gates (interval and bake against the
 * metric period, `checkTiming`), and a run without a traffic gate, which the cutover refuses.
 */
function startProblems(settings: PlanSettings, gates: Gate[], notes: string[]): { timing: string[]; ungated: string[] } {
    const messageOf = (check: () => void): string[] => {
        try {
            check();
            return [];
        } catch (err) {
            if (!(err instanceof UserInputError)) throw err;
            return [err.message];
        }
    };
    return { timing: messageOf(() => checkTiming(settings.gates, gates)), ungated: messageOf(() => requireTrafficGate(gates, settings.allowUngated, notes)) };
}

function describePlan(plan: CutoverPlanReport, current: string): string {
    const s = plan.settings;
    const head = `${current} (${plan.startFrom}); cutover to ${plan.target}`;
    if (plan.steps.length === 0) return `${head}: nothing to do, ${plan.target} already carries 100%`;
    const path = [plan.start[plan.target], ...plan.steps.filter((p) => !p.resumed).map((p) => p.percent)].join("% → ");
    const resumed = plan.steps.find((p) => p.resumed);
    return (
        `${head}: ${path}%` +
        (resumed ? ` after baking the live ${resumed.percent}% again (${formatDuration(resumed.bakeMs)}, not recorded as baked)` : "") +
        `; steps ${s.steps.value.join(",")} (${s.steps.origin}), bake ${s.bake.value} per step (${s.bake.origin}), checks every ${s.interval.value} (${s.interval.origin}), on failure ${s.onFailure.value} (${s.onFailure.origin}); at least ${formatDuration(plan.minimumDurationMs)}`
    );
}

/** The plan as lines for people, after the checklist. */
export function formatPlanHuman(plan: CutoverPlanReport): string {
    const lines = [`Cutover plan to ${plan.target} from ${formatWeights(plan.start)} (${plan.startFrom}):`];
    for (const s of plan.steps) {
        lines.push(`  step ${s.step}: ${formatWeights(s.weights)}, bake ${formatDuration(s.bakeMs)}${s.resumed ? " (the live weight, baked again)" : ""}, checks every ${plan.settings.interval.value}`);
    }
    if (plan.steps.length === 0) lines.push(`  nothing to do: ${plan.target} already carries 100%`);
    lines.push(`  at least ${formatDuration(plan.minimumDurationMs)} when every check passes; on failure ${plan.settings.onFailure.value}`);
    return lines.join("\n") + "\n";
}
