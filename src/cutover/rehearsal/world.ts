/**
 * The simulated world a rehearsal runs the real engine against: a Pulumi stack (config, targeted
 * preview and update), a load balancer applying weights per app, CloudWatch-like traffic minutes,
 * target health and ready endpoints per app and color, and a clock that only moves when the engine
 * sleeps. Faults from the scenario strike at their simulated time. It implements the same
 * interfaces as the real adapters (StackOperations, LiveRouting, the sources of sources.ts).
 */
import { Color, COLORS, Weights } from "../../config/colors";
import type { Clock, LiveRouting, PreviewSummary, RoutingChange, StackOperations, StackView, UpdateSummary } from "../model";
import { MemoryCutoverStore } from "../record";
import type { EndpointSource, LoadBalancerMinute, RegisteredTarget, TargetHealthSource, TrafficMinute, TrafficSource } from "../sources";
import type { Fault, Scenario, WorldEntry } from "./scenario";
import { InMemoryPauseStore, NoPauseError } from "../gates/manual";
import { parseDurationMs } from "../../config/values";

export const REHEARSAL_EPOCH = Date.parse("2026-01-01T00:00:00Z");
/** The stack name a rehearsal's pauses are recorded under (`bluegreen promote --stack rehearsal`). */
export const REHEARSAL_STACK = "rehearsal";
const MAX_SIMULATED_MS = 24 * 3_600_000;
const MINUTE = 60_000;

type Api = "cloudwatch" | "elbv2" | "kubernetes";

export class ThrottlingError extends Error {
    name = "ThrottlingException";
}

interface ColorState {
    healthyTargets: number;
    unhealthyTargets: number;
    requestsPerMinute: number;
    errorRate5xx: number;
    workloadsReady: boolean;
}

const DEFAULT_STATE: ColorState = { healthyTargets: 3, unhealthyTargets: 0, requestsPerMinute: 1000, errorRate5xx: 0.001, workloadsReady: true };

/** A clock that jumps; `onAdvance` lets the world fire faults at their time. */
export class SimulatedClock implements Clock {
    constructor(public time: number, private readonly onAdvance: (to: number) => number | undefined) {}
    now(): number {
        return this.time;
    }
    async sleep(ms: number, signal?: AbortSignal): Promise<void> {
        if (signal?.aborted) return;
        const until = this.time + ms;
        // Stop at an interrupt inside the sleep, as a real Ctrl-C would wake the engine.
        const stopAt = this.onAdvance(until);
        this.time = stopAt ?? until;
    }
}

export class SimulatedWorld {
    readonly apps: string[];
    readonly clock: SimulatedClock;
    readonly store = new MemoryCutoverStore();
    readonly interrupt = new AbortController();
    /** Weights each app's rule applies, with their history (for traffic minutes). */
    readonly lb: Record<string, Weights> = {};
    private readonly history: Record<string, Array<{ at: number; weights: Weights }>> = {};
    config: { weights: Weights; previousColor?: Color };
    private readonly pending: Fault[];
    private nextUpdate: "ok" | "fails" | "partial" | { locked: string } = "ok";
    private readonly apiErrors: Record<Api, number> = { cloudwatch: 0, elbv2: 0, kubernetes: 0 };
    readonly calls: Record<string, number> = {};
    private updateVersion = 1;

    /** `--pause-before`: the pause record, the scenario's decisions still to come, and what each one got. */
    readonly pauses = new InMemoryPauseStore(() => this.store.lease);
    private pendingDecisions: Scenario["decisions"] = [];
    readonly decided: Array<{ at: string; action: "promote" | "abort"; by: string; result: string }> = [];

    constructor(private readonly scenario: Scenario) {
        this.pendingDecisions = [...(scenario.decisions ?? [])].sort((a, b) => ms(a.at) - ms(b.at));
        this.apps = scenario.apps;
        const start = scenario.start.weights;
        for (const app of this.apps) {
            this.lb[app] = { ...start };
            this.history[app] = [{ at: -Infinity, weights: { ...start } }];
        }
        this.config = { weights: { ...(scenario.start.config ?? start) }, previousColor: scenario.start.previousColor };
        this.pending = [...scenario.faults].sort((a, b) => ms(a.at) - ms(b.at));
        this.clock = new SimulatedClock(REHEARSAL_EPOCH, (until) => this.advanceTo(until));
        const record = scenario.start.record;
        if (record) {
            this.store.record = {
                runId: "previous-run", command: "cutover", from: record.from, to: record.to, phase: record.phase, stepIndex: record.stepIndex,
                verifiedWeights: record.verifiedWeights, bakedPercents: record.bakedPercents, rules: [], updatedAt: new Date(REHEARSAL_EPOCH).toISOString(),
                ...(record.baked ? { bakeStartedAt: new Date(REHEARSAL_EPOCH - ms(record.baked)).toISOString(), bakedMs: ms(record.baked) } : {}),
            };
        }
        this.fireDue(REHEARSAL_EPOCH);
    }

    private elapsed(): number {
        return this.clock.time - REHEARSAL_EPOCH;
    }

    /** Fires faults due by `until`; returns the time of an interrupt inside the span (the sleep ends there). */
    private advanceTo(until: number): number | undefined {
        const next = this.pending[0];
        if (next && next.kind === "interrupt" && REHEARSAL_EPOCH + ms(next.at) <= until) {
            const at = Math.max(this.clock.time, REHEARSAL_EPOCH + ms(next.at));
            this.fireDue(at);
            return at;
        }
        this.fireDue(until);
        return undefined;
    }

    private fireDue(time: number): void {
        this.fireDecisions(time);
        while (this.pending.length && REHEARSAL_EPOCH + ms(this.pending[0].at) <= time) {
            const fault = this.pending.shift()!;
            switch (fault.kind) {
                case "update-fails": this.nextUpdate = "fails"; break;
                case "update-fails-partially": this.nextUpdate = "partial"; break;
                case "update-locked": this.nextUpdate = { locked: fault.holder }; break;
                case "interrupt": this.interrupt.abort(); break;
                case "api-errors": this.apiErrors[fault.api] += fault.count; break;
                case "lease-held": {
                    const startedAt = new Date(time).toISOString();
                    this.store.lease = { owner: fault.owner, host: fault.host, runId: "other-run", command: "cutover", startedAt, expiresAt: new Date(time + 3_600_000).toISOString() };
                    break;
                }
            }
        }
    }

    /** An operator running `bluegreen promote [--abort]` at its simulated time. */
    private fireDecisions(time: number): void {
        if (time - REHEARSAL_EPOCH > MAX_SIMULATED_MS) throw new Error("the rehearsal ran past a simulated day: a pause nobody decides waits forever (add a decision to the scenario)");
        while (this.pendingDecisions.length && REHEARSAL_EPOCH + ms(this.pendingDecisions[0].at) <= time) {
            const d = this.pendingDecisions.shift()!;
            const at = new Date(REHEARSAL_EPOCH + ms(d.at));
            try {
                const pause = this.pauses.decideCurrent(this.pauses.lastStack ?? REHEARSAL_STACK, d.action === "promote" ? "promoted" : "aborted", d.by, at);
                this.decided.push({ at: at.toISOString(), action: d.action, by: d.by, result: `${pause.state} before ${pause.percent}%` });
            } catch (err) {
                if (!(err instanceof NoPauseError)) throw err;
                this.decided.push({ at: at.toISOString(), action: d.action, by: d.by, result: err.message });
            }
        }
    }

    private call(api: Api, what: string): void {
        this.calls[what] = (this.calls[what] ?? 0) + 1;
        this.fireDue(this.clock.time);
        if (this.apiErrors[api] > 0) {
            this.apiErrors[api]--;
            throw new ThrottlingError(`${api}: Rate exceeded (simulated throttling)`);
        }
    }

    /** What `color` (and `app`) reports now: the last matching world entries at or before now. */
    state(app: string, color: Color, at = this.clock.time): ColorState {
        let state = { ...DEFAULT_STATE };
        for (const entry of this.scenario.world) {
            if (entry.color !== color || (entry.app && entry.app !== app) || REHEARSAL_EPOCH + ms(entry.at) > at) continue;
            state = { ...state, ...definedOf(entry) };
        }
        return state;
    }

    private weightAt(app: string, at: number): Weights {
        const h = this.history[app];
        let w = h[0].weights;
        for (const e of h) if (e.at <= at) w = e.weights;
        return w;
    }

    private applyTo(app: string, weights: Weights): void {
        this.lb[app] = { ...weights };
        this.history[app].push({ at: this.clock.time, weights: { ...weights } });
    }

    view(): StackView {
        return {
            weights: { ...this.config.weights },
            previousColor: this.config.previousColor,
            clusters: { blue: { name: "rehearsal-blue" }, green: { name: "rehearsal-green" } },
            apps: Object.fromEntries(this.apps.map((a) => [a, { hostnames: [`${a}.example.com`], targetGroupArns: { blue: `arn:aws:elasticloadbalancing:eu-west-1:123456789012:targetgroup/${a}-blue/0`, green: `arn:aws:elasticloadbalancing:eu-west-1:123456789012:targetgroup/${a}-green/1` } }])),
            mode: "alb",
            weightedResourceUrns: this.apps.map((a) => `urn:pulumi:rehearsal::bluegreen::aws:lb/listenerRule:ListenerRule::${a}`),
        };
    }

    stack(): StackOperations {
        return {
            read: async () => this.view(),
            setRouting: async (change: RoutingChange) => {
                this.config = { weights: { ...change.weights }, previousColor: change.previousColor ?? undefined };
            },
            previewRouting: async (urns: string[]): Promise<PreviewSummary> => ({ update: urns.length }),
            updateRouting: async (urns: string[]): Promise<UpdateSummary> => {
                this.calls.update = (this.calls.update ?? 0) + 1;
                this.fireDue(this.clock.time);
                const mode = this.nextUpdate;
                this.nextUpdate = "ok";
                this.clock.time += 20_000; // a targeted update takes a while
                if (mode === "fails") throw new Error("error: update failed: operation error Elastic Load Balancing v2: ModifyRule, https response error StatusCode: 500 (simulated)");
                if (typeof mode === "object") throw new Error(`error: [409] Conflict: Another update is currently in progress; the stack is locked by ${mode.locked}`);
                const half = mode === "partial" ? Math.ceil(this.apps.length / 2) : this.apps.length;
                this.apps.slice(0, half).forEach((a) => this.applyTo(a, this.config.weights));
                if (mode === "partial") throw new Error(`error: update failed after ${half} of ${this.apps.length} listener rules (simulated)`);
                return { updated: urns.length, created: 0, deleted: 0, replaced: 0, version: ++this.updateVersion };
            },
        };
    }

    live(): LiveRouting {
        return {
            read: async () => {
                this.call("elbv2", "describeRules");
                return Object.fromEntries(this.apps.map((a) => [a, { ...this.lb[a] }]));
            },
        };
    }

    traffic(): TrafficSource {
        const minutes = (start: Date, end: Date) => {
            const out: number[] = [];
            const last = Math.min(end.getTime(), this.clock.time);
            for (let m = Math.ceil(start.getTime() / MINUTE) * MINUTE; m + MINUTE <= last; m += MINUTE) out.push(m);
            return out;
        };
        return {
            appMinutes: async (app, color, start, end): Promise<TrafficMinute[]> => {
                this.call("cloudwatch", "getMetricData");
                return minutes(start, end).map((m) => {
                    const s = this.state(app, color, m);
                    const requests = Math.round((s.requestsPerMinute * this.weightAt(app, m)[color]) / 100);
                    return { minute: new Date(m), requests, target5xx: Math.round(requests * s.errorRate5xx), connectionErrors: 0, p99Ms: requests ? 120 : undefined };
                });
            },
            loadBalancerMinutes: async (start, end): Promise<LoadBalancerMinute[]> => {
                this.call("cloudwatch", "getMetricData");
                return minutes(start, end).map((m) => ({ minute: new Date(m), requests: this.apps.reduce((n, a) => n + COLORS.reduce((k, c) => k + (this.state(a, c, m).requestsPerMinute * this.weightAt(a, m)[c]) / 100, 0), 0), elb5xx: 0 }));
            },
        };
    }

    targetHealth(): TargetHealthSource {
        return {
            targets: async (app, color): Promise<RegisteredTarget[]> => {
                this.call("elbv2", "describeTargetHealth");
                const s = this.state(app, color);
                return [
                    ...Array.from({ length: s.healthyTargets }, (_, i) => ({ id: `10.0.${COLORS.indexOf(color)}.${i}`, state: "healthy" as const })),
                    ...Array.from({ length: s.unhealthyTargets }, (_, i) => ({ id: `10.0.${COLORS.indexOf(color)}.${100 + i}`, state: "unhealthy" as const })),
                ];
            },
        };
    }

    endpoints(): EndpointSource {
        return {
            readyAddresses: async (app, color) => {
                this.call("kubernetes", "listEndpointSlices");
                const s = this.state(app, color);
                return s.workloadsReady ? Array.from({ length: s.healthyTargets }, (_, i) => `10.0.${COLORS.indexOf(color)}.${i}`) : [];
            },
        };
    }

    get elapsedMs(): number {
        return this.elapsed();
    }
}

function ms(text: string): number {
    return parseDurationMs(text) ?? 0;
}

function definedOf(entry: WorldEntry): Partial<ColorState> {
    const out: Partial<ColorState> = {};
    if (entry.healthyTargets !== undefined) out.healthyTargets = entry.healthyTargets;
    if (entry.unhealthyTargets !== undefined) out.unhealthyTargets = entry.unhealthyTargets;
    if (entry.requestsPerMinute !== undefined) out.requestsPerMinute = entry.requestsPerMinute;
    if (entry.errorRate5xx !== undefined) out.errorRate5xx = entry.errorRate5xx;
    if (entry.workloadsReady !== undefined) out.workloadsReady = entry.workloadsReady;
    return out;
}
