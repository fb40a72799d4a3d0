/**
 * Runs the real cutover or rollback engine on a simulated world built from a scenario, and says what
 * happened: status, exit code, the weights the simulated load balancer ends at, and every event.
 * Used by `bluegreen rehearse` and by the engine's own tests.
 */
import { formatWeights, Weights } from "../../config/colors";
import { parseDurationMs } from "../../config/values";
import type { CutoverEvent, Gate } from "../contract";
import { eventSink } from "../events";
import { CutoverSettings, RunOutcome, runCutover, runRollback } from "../run";
import { errorRateGate, readyEndpointsGate, targetHealthGate } from "./gates";
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
}

export interface RehearsalOptions {
    human?: (line: string) => void;
    ndjson?: (line: string) => void;
    /** Gates on the world's sources; default: the stand-in gates of ./gates. */
    gates?: (world: SimulatedWorld, scenario: Scenario) => Gate[];
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

export function defaultRehearsalGates(world: SimulatedWorld, scenario: Scenario): Gate[] {
    const s = scenario.settings;
    return [targetHealthGate(world.apps, world.targetHealth(), s.minHealthyTargets), readyEndpointsGate(world.apps, world.endpoints()), errorRateGate(world.apps, world.traffic(), s.max5xxRate, s.minRequests)];
}

export async function rehearse(scenario: Scenario, options: RehearsalOptions = {}): Promise<RehearsalResult> {
    const world = new SimulatedWorld(scenario);
    const runId = "rehearsal";
    const events = eventSink({ run: runId, now: () => world.clock.now(), human: options.human, ndjson: options.ndjson });
    const deps = {
        stack: world.stack(),
        live: world.live(),
        gates: (options.gates ?? defaultRehearsalGates)(world, scenario),
        clock: world.clock,
        store: options.store ?? world.store,
        events,
        runId,
        identity: { owner: "rehearsal", host: "simulated" },
        signal: world.interrupt.signal,
        pause: { store: world.pauses, stack: REHEARSAL_STACK },
    };
    const settings = settingsOf(scenario);
    const outcome = scenario.command === "cutover"
        ? await runCutover({ target: scenario.to! }, settings, deps)
        : await runRollback({ force: scenario.rollback.force, watchMs: parseDurationMs(scenario.rollback.watch)!, targetHealth: world.targetHealth() }, settings, deps);
    const perApp = Object.fromEntries(world.apps.map((a) => [a, { ...world.lb[a] }]));
    const first = perApp[world.apps[0]];
    if (!world.apps.every((a) => formatWeights(perApp[a]) === formatWeights(first))) {
        events.emit({ type: "error", message: `the apps end at different weights: ${world.apps.map((a) => `${a} ${formatWeights(perApp[a])}`).join("; ")}` });
    }
    return { status: outcome.status, exitCode: outcome.exitCode, finalWeights: { ...first }, perApp, events: events.events, elapsedMs: world.elapsedMs, world };
}
