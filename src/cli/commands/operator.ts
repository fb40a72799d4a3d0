/**
 * What `cutover`, `rollback` and `status` share: the real stack, load balancer, record store, gates
 * and clock (loaded on use, so other commands start fast), the settings (flags first, then the
 * stack's own `bluegreen:cutover`, then the schema's defaults), the event outputs, and Ctrl-C /
 * SIGTERM handling (first: stop after the current operation; second: say what is left and exit).
 */
import * as fs from "fs";
import * as os from "os";
import { randomUUID } from "crypto";
import { Color, Weights } from "../../config/colors";
import { CutoverConfig, cutoverDefaults } from "../../config";
import { environmentInputsOf, readStackFile, StackFileError } from "../../config/stack-file";
import type { Gate } from "../../cutover/contract";
import { eventSink, EventSink } from "../../cutover/events";
import { Clock, LiveRouting, StackOperations, StackView, systemClock } from "../../cutover/model";
import { CutoverStore, MemoryCutoverStore, RecordedRule } from "../../cutover/record";
import type { CutoverSettings, DirectRouting, EngineDeps } from "../../cutover/run";
import type { TargetHealthSource } from "../../cutover/sources";
import type { PauseStore } from "../../cutover/gates/manual";
import { CutoverInputError, FAILURE_POLICIES, FailurePolicy, parseDuration } from "../../cutover/steps";
import { reportFailure } from "../failure";
import { CommandIO } from "../io";
import type { Command } from "commander";
import { buildGates, checkTiming, describeGates, dnsTargetHealthSource, GATE_FLAG_HELP, gateAwsClients, GateStackView, realGateSources, requireTrafficGate, ResolvedSettings, resolveGateSettings, resolveGateView, SettingKey, SETTING_FLAGS } from "../../cutover/gates/set";

export interface Thresholds {
    minHealthyTargets: number;
    max5xxRate: number;
    minRequests: number;
    /** The gates' settings: the flags given, then the stack's `bluegreen:cutover`, then defaults (each with its origin). */
    gates: ResolvedSettings;
}

export interface OperatorDeps {
    stack: StackOperations;
    live: LiveRouting;
    store: CutoverStore;
    /** The gates of a run; dns mode reads Route 53 and ELBv2 first (a cutover whose candidate cannot be followed to its load balancer is refused). */
    gates: (view: StackView, candidate: Color, thresholds: Thresholds, command?: "cutover" | "rollback") => Gate[] | Promise<Gate[]>;
    clock: Clock;
    signal?: AbortSignal;
    identity?: { owner: string; host: string };
    runId?: string;
    rules?: (view: StackView) => Promise<RecordedRule[]>;
    direct?: DirectRouting;
    targetHealth?: TargetHealthSource;
    /** Called with the weights the load balancer was read back to apply (the dashboard's weights metric). */
    onVerifiedWeights?: (weights: Weights, at: Date) => Promise<void>;
    /** Where `--pause-before` pauses are recorded for `bluegreen promote` (the environment's table). */
    pause?: PauseStore;
}

/**
 * What `cutover` and `rollback` hand the engine from their operator deps: the same stack, load
 * balancer, record store, clock, identity and event stream (verified weights also published).
 */
export function engineDeps(d: OperatorDeps, run: { runId: string; events: EventSink; breakLease?: boolean; gates: Gate[]; stackName?: string }): EngineDeps {
    return {
        stack: d.stack, live: d.live, store: d.store, clock: d.clock, signal: d.signal, runId: run.runId, rules: d.rules,
        identity: d.identity ?? localIdentity(), breakLease: run.breakLease, events: withVerifiedWeights(run.events, d.onVerifiedWeights),
        gates: run.gates,
        ...(d.pause && run.stackName ? { pause: { store: d.pause, stack: run.stackName } } : {}),
    };
}

/** A failed operator command: the message on stderr (exit 2), and with --json still a JSON answer on stdout. */
export function reportOperatorFailure(err: unknown, io: CommandIO, command: string, json: boolean): number {
    const code = reportFailure(err, io, command);
    if (json) io.stdout(JSON.stringify({ status: "error", exitCode: code, message: (err as Error).message }, null, 2) + "\n");
    return code;
}

/**
 * The sink the engine writes to, passing each verified weight change to `onVerifiedWeights` as well.
 * Publishing is best effort: a metric that cannot be written never stops or fails a cutover.
 */
export function withVerifiedWeights(sink: EventSink, onVerifiedWeights?: OperatorDeps["onVerifiedWeights"]): EventSink {
    if (!onVerifiedWeights) return sink;
    return {
        get events() {
            return sink.events;
        },
        emit(input) {
            const event = sink.emit(input);
            if (event.type === "verify" && event.result === "pass" && event.weights) void onVerifiedWeights(event.weights, new Date(event.ts)).catch(() => undefined);
            return event;
        },
    };
}

/** The operator's flags: the engine's (steps, on-failure) and every gate setting (bake, interval, thresholds). */
export interface SettingsFlags extends Partial<Record<SettingKey, string>> {
    stack: string;
    cwd: string;
    steps?: string;
    onFailure?: string;
}

/** The gate settings given on the command line (and only those: an absent flag is not an origin). */
export function gateFlagsOf(flags: Partial<Record<SettingKey, string>>): Partial<Record<SettingKey, string>> {
    const given: Partial<Record<SettingKey, string>> = {};
    for (const key of Object.keys(SETTING_FLAGS) as SettingKey[]) if (flags[key] !== undefined) given[key] = flags[key];
    return given;
}

/** Registers the gate thresholds a command takes (`GATE_FLAG_HELP`) that it has not registered itself. */
export function addGateFlags(command: Command): Command {
    for (const [flag, help] of GATE_FLAG_HELP) {
        const long = flag.split(" ")[0];
        if (long === "--pause-before" || long === "--allow-ungated" || command.options.some((o) => o.long === long)) continue;
        command.option(flag, help);
    }
    return command;
}

/** The stack file's name for `org/project/stack` is its last part (stacks/Pulumi.<stack>.yaml). */
export const stackFileName = (stack: string) => stack.split("/").pop()!;

/** Checked before the stack is touched: a bad flag never costs a Pulumi call. */
export function operatorSettings(flags: SettingsFlags): CutoverSettings & Thresholds {
    let config: CutoverConfig;
    let stackCutover: Record<string, unknown> | undefined;
    try {
        const file = readStackFile(flags.cwd, stackFileName(flags.stack));
        config = environmentInputsOf(file).config.cutover;
        stackCutover = file.values.cutover as Record<string, unknown> | undefined;
    } catch (err) {
        if (!(err instanceof StackFileError)) throw err;
        config = cutoverDefaults();
    }
    const number = (flag: string | undefined, fallback: number, name: string) => {
        if (flag === undefined) return fallback;
        const n = Number(flag);
        if (flag.trim() === "" || !Number.isFinite(n)) throw new CutoverInputError(`--${name} must be a number, not "${flag}"`);
        return n;
    };
    let steps = config.steps;
    if (flags.steps !== undefined) {
        steps = flags.steps.split(",").map((s) => Number(s.trim()));
        if (steps.some((s) => !Number.isInteger(s) || s < 1 || s > 100)) throw new CutoverInputError(`--steps must be whole percentages from 1 to 100 separated by commas, not "${flags.steps}"`);
        if (steps[steps.length - 1] !== 100 || steps.some((s, i) => i > 0 && s <= steps[i - 1])) throw new CutoverInputError(`--steps must be increasing and end at 100, not "${flags.steps}"`);
    }
    const onFailure = (flags.onFailure === "previous-color" ? "abort" : flags.onFailure ?? config.onFailure) as FailurePolicy;
    if (!FAILURE_POLICIES.includes(onFailure)) throw new CutoverInputError(`--on-failure must be ${FAILURE_POLICIES.join(" or ")}, not "${flags.onFailure}"`);
    const duration = (flag: string | undefined, fallback: string, name: string) => {
        try {
            return parseDuration(flag ?? fallback);
        } catch (err) {
            throw new CutoverInputError(flag === undefined ? `bluegreen:cutover.${name}: ${(err as Error).message}` : `--${name} ${(err as Error).message}`);
        }
    };
    const intervalMs = duration(flags.interval, config.interval, "interval");
    if (intervalMs <= 0) throw new CutoverInputError("--interval must be longer than 0s");
    return {
        steps,
        bakeMs: duration(flags.bake, config.bake, "bake"),
        intervalMs,
        onFailure,
        consecutiveErrorLimit: config.consecutiveErrorLimit,
        failureLimit: config.failureLimit,
        minHealthyTargets: number(flags.minHealthyTargets, config.minHealthyTargets, "min-healthy-targets"),
        max5xxRate: number(flags.max5xxRate, config.max5xxRate, "max-5xx-rate"),
        minRequests: config.minRequests,
        gates: resolveGateSettings(stackCutover, gateFlagsOf(flags)),
    };
}

/** Human lines (unless --json), NDJSON to `--events <file|->`. */
export function operatorEvents(io: CommandIO, options: { json: boolean; events?: string }, runId: string, clock: Clock): { sink: EventSink; close: () => void } {
    let fd: number | undefined;
    let ndjson: ((line: string) => void) | undefined;
    if (options.events === "-") ndjson = (line) => io.stdout(line);
    else if (options.events) {
        fd = fs.openSync(options.events, "a");
        ndjson = (line) => fs.writeSync(fd!, line);
    }
    const human = options.json || options.events === "-" ? undefined : (line: string) => io.stdout(`${line}\n`);
    return { sink: eventSink({ run: runId, now: () => clock.now(), human, ndjson }), close: () => fd !== undefined && fs.closeSync(fd) };
}

export function newRunId(clock: Clock): string {
    return `${new Date(clock.now()).toISOString().replace(/[-:]/g, "").slice(0, 15)}-${randomUUID().slice(0, 8)}`;
}

export const localIdentity = () => ({ owner: os.userInfo().username, host: os.hostname() });

// The AWS SDK, the Kubernetes client and the Automation API are loaded on use, so other commands start fast.
export async function realDeps(options: { stack: string; cwd: string; readOnly?: boolean; allowUngated?: boolean }, signal?: AbortSignal): Promise<OperatorDeps> {
    const { PulumiStackOperations } = await import("../../cutover/automation");
    const { elbTargetHealthSource } = await import("../../cutover/aws-gates");
    const { ElasticLoadBalancingV2Client } = await import("@aws-sdk/client-elastic-load-balancing-v2");
    const { elbLiveRouting, elbDirectRouting } = await import("../../cutover/elb-routing");
    const stack = await PulumiStackOperations.select(options.stack, options.cwd, { readOnly: options.readOnly });
    const region = await stack.region();
    const elb = new ElasticLoadBalancingV2Client({ region });
    const { Route53Client } = await import("@aws-sdk/client-route-53");
    const { route53LiveRouting } = await import("../../cutover/dns-routing");
    const live = elbLiveRouting(elb, undefined, route53LiveRouting(new Route53Client({ region })));
    const tableName = await stack.cutoverTableName();
    let store: CutoverStore;
    let pause: PauseStore | undefined;
    if (tableName) {
        const { DynamoDBClient } = await import("@aws-sdk/client-dynamodb");
        const { DynamoCutoverStore } = await import("../../cutover/dynamo-store");
        const { DynamoPauseStore } = await import("../../cutover/dynamo-pause-store");
        const client = new DynamoDBClient({ region });
        store = new DynamoCutoverStore(client, tableName);
        pause = new DynamoPauseStore(client, tableName);
    } else {
        process.stderr.write("warning: the stack has no cutover table yet (output cutoverState.tableName): run `pulumi up` once; this run keeps no lease or record\n");
        store = new MemoryCutoverStore();
    }
    const view = await stack.read();
    return {
        stack, live, store, pause, clock: systemClock, signal, rules: live.rules,
        gates: (v, candidate, thresholds, command) => realGateSet(v, candidate, thresholds, { ...options, region, command }),
        direct: elbDirectRouting(elb),
        targetHealth: view.mode === "dns" ? dnsCapacitySource(view, region, stackFileProfile(options)) : elbTargetHealthSource(view, elb),
        onVerifiedWeights: await weightsMetricPublisher(region, environmentOf(view, options.stack)),
    };
}

/**
 * The pause record `bluegreen promote` decides: the same table (stack output cutoverState.tableName)
 * and region the cutover of that stack uses, read from the stack without touching it.
 */
export async function realPauseStore(options: { stack: string; cwd: string }): Promise<PauseStore> {
    const { PulumiStackOperations } = await import("../../cutover/automation");
    const stack = await PulumiStackOperations.select(options.stack, options.cwd, { readOnly: true });
    const region = await stack.region();
    const tableName = await stack.cutoverTableName();
    if (!tableName) {
        throw new CutoverInputError(`stack ${options.stack} has no cutover table (output cutoverState.tableName), so no cutover of it can be paused: run \`pulumi up\` once`);
    }
    const { DynamoDBClient } = await import("@aws-sdk/client-dynamodb");
    const { DynamoPauseStore } = await import("../../cutover/dynamo-pause-store");
    return new DynamoPauseStore(new DynamoDBClient({ region }), tableName);
}

/**
 * The gates of a real run (src/cutover/gates/set.ts): both colors watched, thresholds from the stack's
 * own `bluegreen:cutover` and the command line, the routed apps' namespaces and Services from its
 * `bluegreen:routing`, AWS clients in the stack's region. In dns mode each color's load balancer is
 * found from the weighted records first: a cutover whose candidate cannot be followed to one is
 * refused here, before the lease is taken or any weight moves (a rollback goes on without those gates).
 * The active gates and what could not be gated are printed at start; a run without a traffic gate is
 * refused unless --allow-ungated.
 */
export async function realGateSet(view: StackView, candidate: Color, thresholds: Thresholds, options: { stack: string; cwd: string; region?: string; allowUngated?: boolean; command?: "cutover" | "rollback"; write?: (line: string) => void }): Promise<Gate[]> {
    let values: Record<string, unknown> = {};
    let profile: string | undefined;
    try {
        const file = readStackFile(options.cwd, stackFileName(options.stack));
        values = file.values;
        profile = stackProfile(file.otherKeys);
    } catch (err) {
        if (!(err instanceof StackFileError)) throw err;
    }
    const routing = (values.routing ?? {}) as { apps?: Array<{ name: string; namespace?: string; service?: { name?: string } }> };
    const routed = new Map((routing.apps ?? []).map((app) => [app.name, app]));
    const gateView: GateStackView = {
        mode: view.mode,
        ...(view.hostedZoneId ? { hostedZoneId: view.hostedZoneId } : {}),
        weights: view.weights,
        ...(options.region ? { region: options.region } : {}),
        ...(profile ? { profile } : {}),
        clusters: view.clusters,
        apps: Object.fromEntries(Object.entries(view.apps).map(([name, app]) => [name, {
            hostnames: app.hostnames,
            targetGroupArns: app.targetGroupArns,
            ...(app.loadBalancerArnSuffix ? { loadBalancerArnSuffix: app.loadBalancerArnSuffix } : {}),
            ...(routed.get(name)?.namespace ? { namespace: routed.get(name)!.namespace } : {}),
            ...(routed.get(name)?.service?.name ? { service: routed.get(name)!.service!.name } : {}),
        }])),
    };
    const settings = thresholds.gates;
    const clients = gateAwsClients(gateView);
    const resolved = await resolveGateView(gateView, candidate, clients, options.command !== "rollback");
    const sources = realGateSources(resolved, settings.values, undefined, clients);
    const { gates, notes, info } = buildGates(resolved, { settings, sources, now: () => Date.now() });
    const write = options.write ?? ((line: string) => process.stderr.write(line));
    for (const line of describeGates(gates, notes, info)) write(`gate: ${line}\n`);
    // A rollback is never refused for its timing: it must run when things are already going wrong.
    if (options.command !== "rollback") checkTiming(settings, gates);
    requireTrafficGate(gates, options.allowUngated === true, notes);
    return gates;
}

/** The stack file's `aws:profile`: the gates read AWS as the stack's own providers do, not as the shell's default. */
export function stackProfile(otherKeys: Record<string, unknown>): string | undefined {
    const profile = otherKeys["aws:profile"];
    return typeof profile === "string" && profile !== "" ? profile : undefined;
}

function stackFileProfile(options: { stack: string; cwd: string }): string | undefined {
    try {
        return stackProfile(readStackFile(options.cwd, stackFileName(options.stack)).otherKeys);
    } catch (err) {
        if (err instanceof StackFileError) return undefined;
        throw err;
    }
}

/**
 * dns mode: the rollback capacity check reads each color's targets on the load balancer its weighted
 * records lead to (the stack outputs have no target groups in dns mode, which read as 0 healthy).
 */
function dnsCapacitySource(view: StackView, region: string | undefined, profile: string | undefined): TargetHealthSource {
    const gateView: GateStackView = {
        mode: "dns",
        ...(region ? { region } : {}),
        ...(profile ? { profile } : {}),
        ...(view.hostedZoneId ? { hostedZoneId: view.hostedZoneId } : {}),
        clusters: {},
        apps: Object.fromEntries(Object.entries(view.apps).map(([name, app]) => [name, { hostnames: app.hostnames, targetGroupArns: {} }])),
    };
    const clients = gateAwsClients(gateView);
    if (clients) return dnsTargetHealthSource(gateView, clients);
    return { targets: async () => Promise.reject(new Error("the stack gives no region (output region / aws:region): each color's load balancer cannot be read")) };
}

/** The environment's name for the weights metric: the stack output, else the stack's own name. */
function environmentOf(view: StackView, stack: string): string {
    return (view as { environment?: string }).environment ?? stackFileName(stack);
}

async function weightsMetricPublisher(region: string | undefined, environment: string): Promise<OperatorDeps["onVerifiedWeights"]> {
    const [{ CloudWatchClient }, { publishWeights }] = await Promise.all([import("@aws-sdk/client-cloudwatch"), import("../../report/weights-metric")]);
    const client = new CloudWatchClient({ region });
    return (weights, at) => publishWeights(client, environment, weights, at);
}

/** A stack view built from the cutover record alone: what `rollback --direct` knows without Pulumi. */
export function viewFromRecord(record: import("../../cutover/record").CutoverRecord): StackView {
    return {
        weights: record.verifiedWeights,
        clusters: { blue: {}, green: {} },
        apps: Object.fromEntries(record.rules.map((r) => [r.app, { hostnames: [], targetGroupArns: r.targetGroupArns }])),
        mode: "alb",
        weightedResourceUrns: [],
    };
}

/**
 * `rollback --direct --table <name> --region <region>`: no Pulumi at all (its CLI, backend or lock may
 * be what is down). The record in the table names the rules; the stack is never touched.
 */
export async function directDeps(options: { table: string; region: string }, signal?: AbortSignal): Promise<OperatorDeps> {
    const { ElasticLoadBalancingV2Client } = await import("@aws-sdk/client-elastic-load-balancing-v2");
    const { DynamoDBClient } = await import("@aws-sdk/client-dynamodb");
    const { DynamoCutoverStore } = await import("../../cutover/dynamo-store");
    const { elbDirectRouting, readRuleWeights } = await import("../../cutover/elb-routing");
    const { elbTargetHealthSource } = await import("../../cutover/aws-gates");
    const store = new DynamoCutoverStore(new DynamoDBClient({ region: options.region }), options.table);
    const record = await store.readRecord();
    if (!record || record.rules.length === 0) throw new CutoverInputError(`the table ${options.table} holds no cutover record with listener rules: \`rollback --direct\` needs one (alb mode); use \`bluegreen rollback\``);
    const view = viewFromRecord(record);
    const elb = new ElasticLoadBalancingV2Client({ region: options.region });
    const noPulumi = async (): Promise<never> => {
        throw new Error("rollback --direct does not use Pulumi");
    };
    return {
        stack: { read: async () => view, setRouting: noPulumi, previewRouting: noPulumi, updateRouting: noPulumi },
        live: { read: () => readRuleWeights(elb, record.rules) },
        store, clock: systemClock, signal, gates: () => [],
        direct: elbDirectRouting(elb),
        targetHealth: elbTargetHealthSource(view, elb),
    };
}

/**
 * First SIGINT/SIGTERM: abort (the engine stops after the current operation, an update in flight
 * finishes: the Pulumi CLI runs in its own process group). Second: say what is left and exit 130.
 */
export function withInterrupt<T>(run: (signal: AbortSignal) => Promise<T>, io: CommandIO = { stdout: () => undefined, stderr: (t) => process.stderr.write(t) }, exit: (code: number) => void = (c) => process.exit(c)): Promise<T> {
    const controller = new AbortController();
    const onSignal = (name: string) => {
        if (!controller.signal.aborted) {
            io.stderr(`\n${name}: finishing the current operation (an update in flight completes), then stopping; no further weight change. Again to leave at once.\n`);
            controller.abort();
            return;
        }
        io.stderr(`\n${name} again: leaving now. An update in flight goes on in Pulumi and its weights are NOT read back or recorded: check with \`bluegreen status\`, then resume with \`bluegreen cutover\` or \`bluegreen rollback\`.\n`);
        exit(130);
    };
    const sigint = () => onSignal("SIGINT");
    const sigterm = () => onSignal("SIGTERM");
    process.on("SIGINT", sigint);
    process.on("SIGTERM", sigterm);
    return run(controller.signal).finally(() => {
        process.removeListener("SIGINT", sigint);
        process.removeListener("SIGTERM", sigterm);
    });
}
