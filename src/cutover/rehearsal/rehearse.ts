/**
 * Runs the real cutover or rollback engine with the real gates on a simulated world built from a
 * scenario, and says what happened: status, exit code, the weights the simulated load balancer ends
 * at, and every event. The gates are built by `buildGates` from the scenario's `settings` (read as
 * the stack's `bluegreen:cutover`, defaults from the schema) on the world's sources, so a threshold
 * or gate change in src/cutover/gates shows up in rehearsals; the active gates are said at start and
 * a run without a traffic gate is refused unless `allowUngated`, as a cutover is.
 * Used by `bluegreen rehearse` and by the engine's own tests.
 */
import { COLORS, formatWeights, Weights } from "../../config/colors";
import { parseDurationMs } from "../../config/values";
import type { CutoverEvent, Gate } from "../contract";
import { eventSink } from "../events";
import { buildGates, describeGates, GateSettings, GateSources, GateStackView, publicationDelay, requireTrafficGate, ResolvedSettings, resolveGateSettings } from "../gates/set";
import { sharedTrafficSource } from "../gates/traffic";
import { CutoverSettings, RunOutcome, runCutover, runRollback } from "../run";
import type { CutoverStore } from "../record";
import type { Scenario } from "./scenario";
import { REHEARSAL_STACK, SimulatedWorld } from "./world";

export interface RehearsalResult {
    status: RunOutcome["status"];
    exitCode: number;
    /** What the simulated load balancer applies at the end (per app when they differ). */
    finalWeights: Weights;
    perApp: Record<string, Weights>;
    events: CutoverEvent[];
    /** Simulated time the run took. */
    elapsedMs: number;
    world: SimulatedWorld;
    /** What was said at start about the gates (describeGates: region, gates with thresholds, what is not gated). */
    gateLines: string[];
}

export interface RehearsalOptions {
    human?: (line: string) => void;
    ndjson?: (line: string) => void;
    /** Gates on the world's sources; default: the real gate set (`rehearsalGates`). */
    gates?: (world: SimulatedWorld, scenario: Scenario) => Gate[];
    /** As `--allow-ungated` (the scenario's `allowUngated` counts too). */
    allowUngated?: boolean;
    /** The lease and record store; default: the world's in-memory one (a DynamoDB one in tests). */
    store?: CutoverStore;
}

export function settingsOf(scenario: Scenario): CutoverSettings {
    const s = scenario.settings;
    return {
        steps: s.steps,
        bakeMs: parseDurationMs(s.bake)!,
        intervalMs: parseDurationMs(s.interval)!,
        onFailure: s.onFailure,
        consecutiveErrorLimit: s.consecutiveErrorLimit,
        failureLimit: s.failureLimit,
        errorBackoffMs: 2000,
        ...(scenario.pauseBefore ? { pauseBefore: scenario.pauseBefore } : {}),
    };
}

/** The stack view the gate set reads, as `cutover` builds it from the stack: region, clusters, routed apps. */
export function gateViewOf(world: SimulatedWorld, scenario: Scenario): GateStackView {
    const view = world.view();
    return {
        mode: view.mode,
        ...(scenario.regions.stack ? { region: scenario.regions.stack } : {}),
        clusters: Object.fromEntries(COLORS.map((c) => [c, { kubeconfig: `simulated ${c} cluster` }])),
        apps: Object.fromEntries(world.apps.map((a) => [a, { ...view.apps[a], namespace: world.namespaceOf(a), service: a }])),
    };
}

/** The world's readers in place of the AWS and Kubernetes clients; without a stack region, no AWS reads (as a cutover). */
export function worldGateSources(world: SimulatedWorld, view: GateStackView, settings: GateSettings): GateSources {
    const sources: GateSources = { workloads: world.workloads(), endpoints: world.endpoints(), workloadColors: [...COLORS], notes: [] };
    if (!view.region) {
        sources.notes.push("the stack gives no region (output region / aws:region): no AWS metrics or target health are read rather than reading another region's");
        return sources;
    }
    sources.info = [`AWS region ${view.region} (from the stack; simulated)`];
    sources.targets = world.targetHealth();
    sources.traffic = sharedTrafficSource(world.traffic(settings.settleDelayMs));
    return sources;
}

/** The real gate set of the scenario on its world: settings resolved as a cutover resolves them. */
export function rehearsalGateSet(world: SimulatedWorld, scenario: Scenario): { gates: Gate[]; notes: string[]; info: string[]; settings: ResolvedSettings } {
    const settings = resolveGateSettings(scenario.settings.asWritten, {});
    const view = gateViewOf(world, scenario);
    const built = buildGates(view, { settings, sources: worldGateSources(world, view, settings.values), now: () => world.clock.now() });
    return { ...built, settings };
}

/** The gates of a rehearsal without the start lines (tests adding their own gates). */
export function rehearsalGates(world: SimulatedWorld, scenario: Scenario): Gate[] {
    return rehearsalGateSet(world, scenario).gates;
}

export async function rehearse(scenario: Scenario, options: RehearsalOptions = {}): Promise<RehearsalResult> {
    const world = new SimulatedWorld(scenario);
    const runId = "rehearsal";
    const events = eventSink({ run: runId, now: () => world.clock.now(), human: options.human, ndjson: options.ndjson });
    let gates: Gate[];
    let gateLines: string[] = [];
    if (options.gates) gates = options.gates(world, scenario);
    else {
        const set = rehearsalGateSet(world, scenario);
        gateLines = describeGates(set.gates, set.notes, set.info);
        for (const line of gateLines) options.human?.(`gate: ${line}`);
        requireTrafficGate(set.gates, scenario.allowUngated || options.allowUngated === true, set.notes);
        gates = set.gates;
    }
    const deps = {
        stack: world.stack(),
        live: world.live(),
        gates,
        clock: world.clock,
        store: options.store ?? world.store,
        events,
        runId,
        identity: { owner: "rehearsal", host: "simulated" },
        signal: world.interrupt.signal,
        pause: { store: world.pauses, stack: REHEARSAL_STACK },
    };
    const settings = { ...settingsOf(scenario), ...publicationDelay(gates, parseDurationMs(scenario.settings.settleDelay)!) };
    const outcome = scenario.command === "cutover"
        ? await runCutover({ target: scenario.to! }, settings, deps)
        : await runRollback({ force: scenario.rollback.force, watchMs: parseDurationMs(scenario.rollback.watch)!, targetHealth: world.targetHealth() }, settings, deps);
    const perApp = Object.fromEntries(world.apps.map((a) => [a, { ...world.lb[a] }]));
    const first = perApp[world.apps[0]];
    if (!world.apps.every((a) => formatWeights(perApp[a]) === formatWeights(first))) {
        events.emit({ type: "error", message: `the apps end at different weights: ${world.apps.map((a) => `${a} ${formatWeights(perApp[a])}`).join("; ")}` });
    }
    return { status: outcome.status, exitCode: outcome.exitCode, finalWeights: { ...first }, perApp, events: events.events, elapsedMs: world.elapsedMs, world, gateLines };
}
