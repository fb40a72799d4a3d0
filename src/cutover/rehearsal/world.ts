/**
 * The simulated world a rehearsal runs the real engine and the real gates against: a Pulumi stack
 * (config, targeted preview and update), a load balancer applying weights per app, CloudWatch-like
 * traffic minutes (requests, target 5xx, connection errors, p99 per app and color; the load
 * balancer's own 5xx, also before the cutover for the baseline), ELBv2 target states, ready
 * endpoints, Deployments, StatefulSets, DaemonSets and ArgoCD Applications per color, and a clock
 * that only moves when the engine sleeps. Faults from the scenario strike at their simulated time.
 * It implements the same interfaces as the real adapters (StackOperations, LiveRouting, and the
 * readers of sources.ts), and answers like the AWS APIs do: a minute is only returned once complete
 * and older than the settle delay, and a region without the metrics returns no data, not an error.
 */
import { Color, COLORS, Weights } from "../../config/colors";
import { METRIC_PERIOD_MS } from "../../config/schema";
import type { Clock, LiveRouting, PreviewSummary, RoutingChange, StackOperations, StackView, UpdateSummary } from "../model";
import { MemoryCutoverStore } from "../record";
import type { ArgoApplicationState, EndpointSource, LoadBalancerMinute, RegisteredTarget, TargetHealthSource, TargetState, TrafficMinute, TrafficSource, Workload, WorkloadSource } from "../sources";
import type { Fault, Scenario, WorldEntry } from "./scenario";
import { InMemoryPauseStore, NoPauseError } from "../gates/manual";
import { parseDurationMs } from "../../config/values";

export const REHEARSAL_EPOCH = Date.parse("2026-01-01T00:00:00Z");
/** The stack name a rehearsal's pauses are recorded under (`bluegreen promote --stack rehearsal`). */
export const REHEARSAL_STACK = "rehearsal";
const MAX_SIMULATED_MS = 24 * 3_600_000;
const MINUTE = METRIC_PERIOD_MS;
/** The `app/<name>/<id>` of the simulated load balancer. */
export const REHEARSAL_LOAD_BALANCER = "app/rehearsal/0123456789abcdef";

type Api = "cloudwatch" | "elbv2" | "kubernetes";

export class ThrottlingError extends Error {
    name = "ThrottlingException";
}

/** Target states in the order DescribeTargetHealth lists them here. */
const STATES: TargetState[] = ["healthy", "initial", "unhealthy", "unavailable", "unhealthy.draining", "draining", "unused"];
/** States of targets whose pods are gone or going: not among the ready endpoints. */
const LEAVING = new Set<TargetState>(["unhealthy.draining", "draining", "unused"]);

interface ColorState {
    targets: Record<TargetState, number>;
    requestsPerMinute: number;
    errorRate5xx: number;
    elb5xxRate: number;
    connectionErrorRate: number;
    p99Ms: number;
    workloadsReady: boolean;
}

const noTargets = (): Record<TargetState, number> => Object.fromEntries(STATES.map((s) => [s, 0])) as Record<TargetState, number>;
const DEFAULT_STATE: ColorState = { targets: { ...noTargets(), healthy: 3 }, requestsPerMinute: 1000, errorRate5xx: 0.001, elb5xxRate: 0, connectionErrorRate: 0, p99Ms: 120, workloadsReady: true };

type RolloutState = "rolling" | "stuck" | "done";

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
    /** api-errors faults: each read of the API (per app, color, what) fails this many times in a row. */
    private readonly apiErrors: Record<Api, { count: number; used: Map<string, number> }> = { cloudwatch: { count: 0, used: new Map() }, elbv2: { count: 0, used: new Map() }, kubernetes: { count: 0, used: new Map() } };
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
                case "api-errors": this.apiErrors[fault.api] = { count: fault.count, used: new Map() }; break;
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

    /** Counts the call, fires due faults, and throws while an api-errors fault lasts for this read. */
    private call(api: Api, what: string, key = what): void {
        this.calls[what] = (this.calls[what] ?? 0) + 1;
        this.fireDue(this.clock.time);
        const errors = this.apiErrors[api];
        const used = errors.used.get(key) ?? 0;
        if (used < errors.count) {
            errors.used.set(key, used + 1);
            throw new ThrottlingError(`${api}: Rate exceeded (simulated throttling)`);
        }
    }

    /** What `color` (and `app`) reports at `at`: the last matching world entries at or before then. */
    state(app: string, color: Color, at = this.clock.time): ColorState {
        let state = DEFAULT_STATE;
        for (const entry of this.scenario.world) {
            if (entry.color !== color || (entry.app && entry.app !== app) || REHEARSAL_EPOCH + ms(entry.at) > at) continue;
            state = merge(state, entry);
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

    /** Target group ARNs: in the region the load balancer (and its metrics) are in. */
    targetGroupArn(app: string, color: Color): string {
        return `arn:aws:elasticloadbalancing:${this.scenario.regions.metrics}:123456789012:targetgroup/${app}-${color}/${COLORS.indexOf(color)}0123456789abcd`;
    }

    view(): StackView {
        return {
            weights: { ...this.config.weights },
            previousColor: this.config.previousColor,
            clusters: { blue: { name: "rehearsal-blue" }, green: { name: "rehearsal-green" } },
            apps: Object.fromEntries(this.apps.map((a) => [a, { hostnames: [`${a}.example.com`], targetGroupArns: { blue: this.targetGroupArn(a, "blue"), green: this.targetGroupArn(a, "green") }, loadBalancerArnSuffix: REHEARSAL_LOAD_BALANCER }])),
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

    /** The stack's region is not where the metrics and target groups are: CloudWatch has no data there. */
    private get regionMismatch(): boolean {
        return this.scenario.regions.stack !== this.scenario.regions.metrics;
    }

    /** Published minutes never change (their weights and world entries are in the past): computed once. */
    private readonly published = new Map<string, Map<number, { traffic: TrafficMinute; elb5xx: number }>>();
    private readonly publishedLb = new Map<number, LoadBalancerMinute>();

    /** Requests the rule sends to `color` in minute `m`, and what becomes of them. */
    private minuteOf(app: string, color: Color, m: number): { traffic: TrafficMinute; elb5xx: number } {
        const id = `${app}/${color}`;
        let series = this.published.get(id);
        if (!series) this.published.set(id, (series = new Map()));
        let minute = series.get(m);
        if (!minute) series.set(m, (minute = this.computeMinute(app, color, m)));
        return minute;
    }

    private computeMinute(app: string, color: Color, m: number): { traffic: TrafficMinute; elb5xx: number } {
        const s = this.state(app, color, m);
        const routed = Math.round((s.requestsPerMinute * this.weightAt(app, m)[color]) / 100);
        const elb5xx = Math.round(routed * s.elb5xxRate);
        const requests = routed - elb5xx;
        const traffic: TrafficMinute = {
            minute: new Date(m),
            requests,
            target5xx: Math.round(requests * s.errorRate5xx),
            connectionErrors: Math.round(requests * s.connectionErrorRate),
            ...(requests > 0 ? { p99Ms: s.p99Ms } : {}),
        };
        return { traffic, elb5xx };
    }

    private loadBalancerMinute(m: number): LoadBalancerMinute {
        let minute = this.publishedLb.get(m);
        if (minute) return minute;
        let requests = 0, elb5xx = 0;
        for (const a of this.apps) for (const c of COLORS) {
            const one = this.minuteOf(a, c, m);
            requests += one.traffic.requests + one.elb5xx;
            elb5xx += one.elb5xx;
        }
        this.publishedLb.set(m, (minute = { minute: new Date(m), requests, elb5xx }));
        return minute;
    }

    /**
     * CloudWatch in the stack's region, as CloudWatchTrafficSource reads it: aligned minutes in
     * [start, end), only those complete and older than `settleDelayMs`, FILL(…, 0) for minutes
     * without requests; nothing but zeros when the metrics are in another region.
     */
    traffic(settleDelayMs: number): TrafficSource {
        const minutes = (start: Date, end: Date) => {
            const out: number[] = [];
            const first = Math.ceil(start.getTime() / MINUTE) * MINUTE;
            const last = Math.min(Math.floor(end.getTime() / MINUTE) * MINUTE, Math.floor((this.clock.time - settleDelayMs) / MINUTE) * MINUTE);
            for (let m = first; m < last; m += MINUTE) out.push(m);
            return out;
        };
        return {
            appMinutes: async (app, color, start, end): Promise<TrafficMinute[]> => {
                this.call("cloudwatch", "getMetricData", `${app}/${color}`);
                return minutes(start, end).map((m) => (this.regionMismatch ? { minute: new Date(m), requests: 0, target5xx: 0, connectionErrors: 0 } : this.minuteOf(app, color, m).traffic));
            },
            loadBalancerMinutes: async (start, end): Promise<LoadBalancerMinute[]> => {
                this.call("cloudwatch", "getMetricData", "load balancer");
                return minutes(start, end).map((m) => (this.regionMismatch ? { minute: new Date(m), requests: 0, elb5xx: 0 } : this.loadBalancerMinute(m)));
            },
        };
    }

    /** The registered targets of an app's target group on a color, with their addresses. */
    private targetList(app: string, color: Color): RegisteredTarget[] {
        const s = this.state(app, color);
        const out: RegisteredTarget[] = [];
        const prefix = `10.${COLORS.indexOf(color)}.${this.apps.indexOf(app)}`;
        for (const state of STATES) for (let i = 0; i < s.targets[state]; i++) out.push({ id: `${prefix}.${out.length + 1}`, port: 8080, state });
        return out;
    }

    /** ELBv2 DescribeTargetHealth, asked in the stack's region. */
    targetHealth(): TargetHealthSource {
        return {
            targets: async (app, color): Promise<RegisteredTarget[]> => {
                this.call("elbv2", "describeTargetHealth", `${app}/${color}`);
                if (this.regionMismatch) {
                    throw new Error(`TargetGroupNotFound: One or more target groups not found (${this.targetGroupArn(app, color)} asked in ${this.scenario.regions.stack})`);
                }
                return this.targetList(app, color);
            },
        };
    }

    /** The EndpointSlices of each app's Service: its ready pods are the targets not leaving. */
    endpoints(): EndpointSource {
        return {
            readyAddresses: async (app, color) => {
                this.call("kubernetes", "listEndpointSlices", `${app}/${color}`);
                if (!this.state(app, color).workloadsReady) return [];
                return this.targetList(app, color).filter((t) => !LEAVING.has(t.state)).map((t) => t.id);
            },
        };
    }

    /** The namespace of an app's workload and Service. */
    namespaceOf(app: string): string {
        return app;
    }

    /** Deployments, StatefulSets, DaemonSets and ArgoCD Applications of each color's cluster. */
    workloads(): WorkloadSource {
        return {
            workloads: async (color, labelSelector) => {
                this.call("kubernetes", "listWorkloads", `${color}/${labelSelector ?? ""}`);
                const matches = selectorMatcher(labelSelector);
                return [...this.rollouts(color)].filter(([, r]) => matches(r.labels)).map(([, r]) => workloadObject(r));
            },
            applications: async (color) => {
                this.call("kubernetes", "listApplications", color);
                return [...this.applications(color).values()];
            },
        };
    }

    /** Every workload of a color's cluster now: the apps' own, kube-system's, then the scenario's rollouts. */
    private rollouts(color: Color): Map<string, SimulatedRollout> {
        const out = new Map<string, SimulatedRollout>();
        const put = (r: SimulatedRollout) => out.set(`${r.kind}/${r.namespace}/${r.name}`, r);
        put({ kind: "DaemonSet", namespace: "kube-system", name: "aws-node", state: "done", labels: { "k8s-app": "aws-node" } });
        put({ kind: "Deployment", namespace: "kube-system", name: "coredns", state: "done", labels: { "k8s-app": "kube-dns" } });
        for (const app of this.apps) {
            put({ kind: "Deployment", namespace: this.namespaceOf(app), name: app, state: this.state(app, color).workloadsReady ? "done" : "rolling", labels: { app } });
        }
        for (const entry of this.due(color)) {
            if (!entry.rollout) continue;
            const namespace = entry.rollout.namespace ?? this.namespaceOf(entry.app!);
            const name = entry.rollout.name ?? entry.app ?? namespace;
            put({ kind: entry.rollout.kind, namespace, name, state: entry.rollout.state, labels: { app: entry.app ?? name } });
        }
        return out;
    }

    private applications(color: Color): Map<string, ArgoApplicationState> {
        const out = new Map<string, ArgoApplicationState>();
        for (const app of this.apps) out.set(app, { namespace: "argocd", name: app, destinationNamespace: this.namespaceOf(app), sync: "Synced", health: "Healthy" });
        for (const entry of this.due(color)) {
            const a = entry.application;
            if (!a) continue;
            const destination = a.destination ?? (entry.app ? this.namespaceOf(entry.app) : a.name);
            out.set(a.name, { namespace: "argocd", name: a.name, destinationNamespace: destination, sync: a.sync, health: a.health });
        }
        return out;
    }

    /** World entries of a color that have happened by now, in order. */
    private due(color: Color): WorldEntry[] {
        return this.scenario.world.filter((e) => e.color === color && REHEARSAL_EPOCH + ms(e.at) <= this.clock.time);
    }

    get elapsedMs(): number {
        return this.elapsed();
    }
}

function ms(text: string): number {
    return parseDurationMs(text) ?? 0;
}

/** A state with what an entry sets: `targets` per state, healthyTargets/unhealthyTargets as shorthands. */
function merge(state: ColorState, entry: WorldEntry): ColorState {
    const out: ColorState = { ...state, targets: { ...state.targets } };
    if (entry.healthyTargets !== undefined) out.targets.healthy = entry.healthyTargets;
    if (entry.unhealthyTargets !== undefined) out.targets.unhealthy = entry.unhealthyTargets;
    for (const [s, n] of Object.entries(entry.targets ?? {})) if (n !== undefined) out.targets[s as TargetState] = n;
    if (entry.requestsPerMinute !== undefined) out.requestsPerMinute = entry.requestsPerMinute;
    if (entry.errorRate5xx !== undefined) out.errorRate5xx = entry.errorRate5xx;
    if (entry.elb5xxRate !== undefined) out.elb5xxRate = entry.elb5xxRate;
    if (entry.connectionErrorRate !== undefined) out.connectionErrorRate = entry.connectionErrorRate;
    if (entry.p99Ms !== undefined) out.p99Ms = entry.p99Ms;
    if (entry.workloadsReady !== undefined) out.workloadsReady = entry.workloadsReady;
    return out;
}

interface SimulatedRollout {
    kind: "Deployment" | "StatefulSet" | "DaemonSet";
    namespace: string;
    name: string;
    state: RolloutState;
    labels: Record<string, string>;
}

/** Equality selectors (`a=b,c!=d`), which is what the rehearsal's workloads carry; anything else is refused. */
function selectorMatcher(selector: string | undefined): (labels: Record<string, string>) => boolean {
    if (!selector) return () => true;
    const terms = selector.split(",").map((t) => /^\s*([\w./-]+)\s*(==|=|!=)\s*([\w.-]*)\s*$/.exec(t));
    if (terms.some((t) => !t)) throw new Error(`the rehearsal understands equality label selectors only (k=v, k!=v), not "${selector}"`);
    return (labels) => terms.every((t) => (t![2] === "!=" ? labels[t![1]] !== t![3] : labels[t![1]] === t![3]));
}

/** The object the API server would return for a simulated workload in `state`. */
function workloadObject(r: SimulatedRollout): Workload {
    const metadata = { name: r.name, namespace: r.namespace, generation: 2, labels: r.labels };
    const done = r.state === "done";
    if (r.kind === "Deployment") {
        const conditions = r.state === "stuck" ? [{ type: "Progressing", status: "False", reason: "ProgressDeadlineExceeded" }] : [{ type: "Progressing", status: "True", reason: done ? "NewReplicaSetAvailable" : "ReplicaSetUpdated" }];
        return { kind: "Deployment", object: { metadata, spec: { replicas: 3 }, status: { observedGeneration: 2, replicas: done ? 3 : 4, updatedReplicas: done ? 3 : 1, availableReplicas: 3, conditions } } };
    }
    if (r.kind === "StatefulSet") {
        return { kind: "StatefulSet", object: { metadata, spec: { replicas: 3 }, status: { observedGeneration: 2, replicas: 3, readyReplicas: r.state === "stuck" ? 2 : 3, updatedReplicas: done ? 3 : 1, currentRevision: `${r.name}-1`, updateRevision: done ? `${r.name}-1` : `${r.name}-2` } } };
    }
    return { kind: "DaemonSet", object: { metadata, status: { observedGeneration: 2, desiredNumberScheduled: 3, updatedNumberScheduled: done ? 3 : 1, numberAvailable: r.state === "stuck" ? 2 : 3 } } };
}
