/**
 * The gate set of one cutover run, replacing src/cutover/aws-gates.ts: settings resolved from flags,
 * the stack's `bluegreen:cutover` and the schema's defaults (each with where it came from), the real
 * sources created once per run from the stack's region, profile and kubeconfigs, and the active
 * gates for both colors. Nothing is dropped silently: a gate that cannot run is named in `notes`,
 * and a cutover without a traffic gate is refused unless `--allow-ungated`.
 */
import { Color, COLORS } from "../../config/colors";
import { cutoverSchema, cutoverTimingProblems } from "../../config/schema";
import { parseDurationMs } from "../../config/values";
import { UserInputError } from "../../errors";
import type { Gate } from "../contract";
import type { EndpointSource, TargetHealthSource, TrafficSource, WorkloadSource } from "../sources";
import { AwsTarget, createAwsClients, describeAwsTarget } from "./aws-clients";
import { CloudWatchTrafficSource } from "./cloudwatch";
import { ElbTargetHealthSource } from "./elbv2";
import { endpointsGate, targetHealthGate } from "./health";
import { KubeApis, kubeApis, KubernetesEndpointSource, KubernetesWorkloadSource, RoutedService } from "./kube";
import { colorComparisonGate, connectionErrorGate, loadBalancer5xxGate, Origin, p99LatencyGate, sharedTrafficSource, target5xxGate, TrafficSettings } from "./traffic";
import { workloadGate } from "./workloads";

export class GateSetupError extends UserInputError {}

/** The settings a flag can override: key in `bluegreen:cutover` → flag. */
export const SETTING_FLAGS = {
    bake: "--bake",
    interval: "--interval",
    minHealthyTargets: "--min-healthy-targets",
    max5xxRate: "--max-5xx-rate",
    minRequests: "--min-requests",
    settleDelay: "--settle-delay",
    maxElb5xxIncrease: "--max-elb-5xx-increase",
    baseline: "--baseline",
    maxConnectionErrorRate: "--max-connection-error-rate",
    maxP99Ms: "--max-p99-ms",
    maxRelative5xx: "--max-relative-5xx",
    maxRelativeP99: "--max-relative-p99",
    progressingGrace: "--progressing-grace",
    workloadSelector: "--workload-selector",
} as const;
export type SettingKey = keyof typeof SETTING_FLAGS;

/** `--flag <value>` and its help, for the cutover command to register (commander `.option(...)`). */
export const GATE_FLAG_HELP: Array<[string, string]> = [
    ["--min-requests <n>", "fewer requests per app and color in a window are inconclusive (default: bluegreen:cutover.minRequests, 50)"],
    ["--settle-delay <duration>", "time CloudWatch needs to publish a minute (default 2m)"],
    ["--max-5xx-rate <ratio>", "highest target 5xx share per app, e.g. 0.01"],
    ["--max-elb-5xx-increase <ratio>", "highest rise of the load balancer's own 5xx share over its baseline, e.g. 0.005"],
    ["--baseline <duration>", "how far back before the cutover the load balancer's baseline is measured (default 30m)"],
    ["--max-connection-error-rate <ratio>", "highest TargetConnectionErrorCount share per app, e.g. 0.001"],
    ["--max-p99-ms <ms>", "highest p99 TargetResponseTime per app in milliseconds"],
    ["--max-relative-5xx <ratio>", "candidate 5xx at most this multiple of the current color's"],
    ["--max-relative-p99 <ratio>", "candidate p99 at most this multiple of the current color's"],
    ["--min-healthy-targets <n>", "healthy targets required per app"],
    ["--progressing-grace <duration>", "how long an ArgoCD Application may stay Progressing"],
    ["--workload-selector <selector>", "label selector narrowing the hard workload scope in the routed namespaces"],
    ["--pause-before <percent...>", "pause before moving to this percentage until `bluegreen promote` (repeatable)"],
    ["--allow-ungated", "cut over even when no traffic gate can run (dns mode, no region)"],
];

/** `--pause-before` values: whole percentages that are steps of this cutover. */
export function parsePauseBefore(values: string[] | undefined, steps: number[]): number[] {
    const all = [...new Set([...steps, 100])];
    return (values ?? []).map((v) => {
        const n = Number(v.replace(/%$/, ""));
        if (!Number.isInteger(n) || !all.includes(n)) {
            throw new GateSetupError(`--pause-before ${JSON.stringify(v)} is not one of the steps ${all.join(", ")}: name the percentage the cutover should pause before`);
        }
        return n;
    });
}
const DURATIONS = new Set<SettingKey>(["bake", "interval", "settleDelay", "baseline", "progressingGrace"]);

export interface GateSettings extends TrafficSettings {
    bakeMs: number;
    intervalMs: number;
    minHealthyTargets: number;
    progressingGraceMs: number;
    workloadSelector?: string;
}

export interface ResolvedSettings {
    values: GateSettings;
    origins: Record<SettingKey, Origin>;
}

/**
 * Flags first, then the stack's `bluegreen:cutover` (as written in the stack file), then defaults;
 * validated with the schema, so a bad flag gets the same message a bad config value gets.
 */
export function resolveGateSettings(stackCutover: Record<string, unknown> | undefined, flags: Partial<Record<SettingKey, string>>): ResolvedSettings {
    const stack = stackCutover ?? {};
    const merged: Record<string, unknown> = { ...stack };
    const origins = {} as Record<SettingKey, Origin>;
    for (const key of Object.keys(SETTING_FLAGS) as SettingKey[]) {
        const flag = flags[key];
        if (flag !== undefined) {
            merged[key] = DURATIONS.has(key) || key === "workloadSelector" ? flag : Number(flag);
            origins[key] = "flag";
        } else origins[key] = key in stack ? "stack config" : "default";
    }
    const parsed = cutoverSchema.safeParse(merged);
    if (!parsed.success) {
        const issue = parsed.error.issues[0];
        const key = String(issue.path[0] ?? "") as SettingKey;
        const where = origins[key] === "flag" ? `${SETTING_FLAGS[key]} ${JSON.stringify(flags[key])}` : `bluegreen:cutover.${issue.path.join(".")}`;
        throw new GateSetupError(`${where}: ${issue.message === "DURATION" ? 'is not a duration like "10m", "30s" or "1h30m"' : issue.message}`);
    }
    const c = parsed.data;
    const ms = (d: string) => parseDurationMs(d)!;
    return {
        origins,
        values: {
            bakeMs: ms(c.bake),
            intervalMs: ms(c.interval),
            minHealthyTargets: c.minHealthyTargets,
            minRequests: c.minRequests,
            settleDelayMs: ms(c.settleDelay),
            max5xxRate: c.max5xxRate,
            maxConnectionErrorRate: c.maxConnectionErrorRate,
            maxP99Ms: c.maxP99Ms,
            maxElb5xxIncrease: c.maxElb5xxIncrease,
            baselineMs: ms(c.baseline),
            maxRelative5xx: c.maxRelative5xx,
            maxRelativeP99: c.maxRelativeP99,
            progressingGraceMs: ms(c.progressingGrace),
            ...(c.workloadSelector ? { workloadSelector: c.workloadSelector } : {}),
        },
    };
}

/** What the gate set reads from the stack (outputs and config); a StackView with the fields gates need. */
export interface GateStackView {
    mode: "alb" | "dns";
    /** The stack's region output (else aws:region), and aws:profile. */
    region?: string;
    profile?: string;
    /** A role to assume for AWS reads (aws:assumeRoles). */
    roleArn?: string;
    clusters: Partial<Record<Color, { kubeconfig?: string }>>;
    apps: Record<
        string,
        {
            targetGroupArns: Partial<Record<Color, string>>;
            loadBalancerArnSuffix?: string;
            /** The routed Service (routing.apps[].namespace and .service.name). */
            namespace?: string;
            service?: string;
        }
    >;
}

export interface GateSources {
    traffic?: TrafficSource;
    targets?: TargetHealthSource;
    endpoints?: EndpointSource;
    workloads?: WorkloadSource;
    /** Colors whose cluster the workload source can read. */
    workloadColors: Color[];
    /** Why a source is missing, said at start. */
    notes: string[];
    /** What the sources read with (region, credentials), said at start. */
    info?: string[];
}

/** The real sources: AWS clients and one Kubernetes client per color, created once for the run. */
export function realGateSources(view: GateStackView, settings: GateSettings, now: () => Date = () => new Date()): GateSources {
    const notes: string[] = [];
    const sources: GateSources = { workloadColors: [], notes };
    const appNames = Object.keys(view.apps);
    const kube: Partial<Record<Color, () => Promise<KubeApis>>> = {};
    for (const color of COLORS) {
        const kubeconfig = view.clusters[color]?.kubeconfig;
        if (kubeconfig) kube[color] = kubeApis(kubeconfig);
        else if (view.clusters[color]) notes.push(`${color}: no kubeconfig in the stack outputs (clusters.${color}.kubeconfig): its workloads and endpoints are not read`);
    }
    sources.workloadColors = COLORS.filter((c) => kube[c]);
    if (sources.workloadColors.length) sources.workloads = new KubernetesWorkloadSource(kube);
    if (appNames.length === 0) return sources;
    if (view.mode !== "alb") {
        notes.push("dns mode: each color's load balancer is outside the stack, so no traffic or target health is read");
    } else if (!view.region) {
        notes.push("the stack gives no region (output region / aws:region): no AWS metrics or target health are read rather than reading another region's");
    } else {
        const aws: AwsTarget = { region: view.region, ...(view.profile ? { profile: view.profile } : {}), ...(view.roleArn ? { roleArn: view.roleArn } : {}) };
        const clients = createAwsClients(aws);
        sources.info = [describeAwsTarget(aws)];
        const targetGroupArns = Object.fromEntries(appNames.map((a) => [a, view.apps[a].targetGroupArns]));
        sources.targets = new ElbTargetHealthSource({ client: clients.elbv2, region: aws.region, targetGroupArns });
        const withLb = appNames.filter((a) => view.apps[a].loadBalancerArnSuffix);
        if (withLb.length < appNames.length) notes.push(`no load balancer ARN suffix in the stack outputs for ${appNames.filter((a) => !withLb.includes(a)).join(", ")}: no traffic metrics (run pulumi up)`);
        else {
            sources.traffic = sharedTrafficSource(
                new CloudWatchTrafficSource({
                    client: clients.cloudwatch,
                    region: aws.region,
                    apps: Object.fromEntries(appNames.map((a) => [a, { loadBalancer: view.apps[a].loadBalancerArnSuffix!, targetGroupArns: view.apps[a].targetGroupArns }])),
                    loadBalancer: view.apps[appNames[0]].loadBalancerArnSuffix,
                    settleDelayMs: settings.settleDelayMs,
                    now,
                }),
            );
        }
    }
    const services: Record<string, RoutedService> = {};
    for (const a of appNames) if (view.apps[a].namespace && view.apps[a].service) services[a] = { namespace: view.apps[a].namespace!, service: view.apps[a].service! };
    if (Object.keys(services).length === appNames.length && sources.workloadColors.length) sources.endpoints = new KubernetesEndpointSource(kube, services);
    else if (appNames.length) notes.push("the stack view names no Service for some routed apps: ready endpoints are not compared with targets");
    return sources;
}

export interface GateSetOptions {
    settings: ResolvedSettings;
    sources: GateSources;
    now: () => number;
}

/** The active gates for both colors, and what could not be built (said at start, never dropped silently). */
export function buildGates(view: GateStackView, options: GateSetOptions): { gates: Gate[]; notes: string[]; info: string[] } {
    const { settings, sources } = options;
    const s = settings.values;
    const o = settings.origins;
    const apps = Object.keys(view.apps).sort();
    const notes = [...sources.notes];
    const gates: Gate[] = [];
    if (sources.traffic && apps.length) {
        const deps = { apps, source: sources.traffic, settings: s, origins: { ...o, settleDelayMs: o.settleDelay, baselineMs: o.baseline } };
        gates.push(target5xxGate(deps), loadBalancer5xxGate(deps), connectionErrorGate(deps), p99LatencyGate(deps), colorComparisonGate(deps));
    }
    if (sources.targets && apps.length) {
        gates.push(targetHealthGate({ apps, source: sources.targets, minHealthyTargets: s.minHealthyTargets, origin: o.minHealthyTargets }));
        if (sources.endpoints) gates.push(endpointsGate({ apps, targets: sources.targets, endpoints: sources.endpoints }));
    }
    if (sources.workloads) {
        const namespaces = [...new Set(apps.map((a) => view.apps[a].namespace).filter((n): n is string => !!n))];
        if (namespaces.length === 0 && apps.length) notes.push("the stack view names no namespace for the routed apps: every workload is only a warning");
        gates.push(workloadGate({ source: sources.workloads, colors: sources.workloadColors, namespaces, selector: s.workloadSelector, progressingGraceMs: s.progressingGraceMs, now: options.now }));
    }
    return { gates, notes, info: sources.info ?? [] };
}

/** Pure: the lines printed at the start of a run (gate, kind, thresholds with origin), then the notes. */
export function describeGates(gates: Gate[], notes: string[] = [], info: string[] = []): string[] {
    const lines = gates.length ? gates.map((g) => `${g.name} [${g.kind}]: ${g.describe()}`) : ["no gate is active"];
    return [...info, ...lines, ...notes.map((n) => `not gated: ${n}`)];
}

/** Refuses a cutover without a traffic gate unless --allow-ungated: health alone does not see what users get. */
export function requireTrafficGate(gates: Gate[], allowUngated: boolean, notes: string[] = []): void {
    if (allowUngated || gates.some((g) => g.kind === "traffic")) return;
    const why = notes.length ? ` (${notes.join("; ")})` : "";
    throw new GateSetupError(
        `no traffic gate is active${why}: the cutover would move users without looking at their errors or latency. Fix the stack outputs, or pass --allow-ungated to cut over on health and workload gates alone`,
    );
}

/** The timing checks of the schema, applied after flags: interval and bake against the traffic gates. */
export function checkTiming(settings: ResolvedSettings, gates: Gate[]): void {
    const traffic = gates.some((g) => g.kind === "traffic");
    const problems = cutoverTimingProblems(settings.values, traffic);
    if (problems.length === 0) return;
    const where = (key: "interval" | "bake") => (settings.origins[key] === "flag" ? SETTING_FLAGS[key] : `bluegreen:cutover.${key}`);
    throw new GateSetupError(problems.map((p) => `${where(p.path)} ${p.message}`).join("; "));
}
