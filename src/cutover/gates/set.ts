/**
 * The gate set of one cutover run, replacing src/cutover/aws-gates.ts: settings resolved from flags,
 * the stack's `bluegreen:cutover` and the schema's defaults (each with where it came from), the real
 * sources created once per run from the stack's region, profile and kubeconfigs, and the active
 * gates for both colors. Nothing is dropped silently: a gate that cannot run is named in `notes`,
 * and a cutover without a traffic gate is refused unless `--allow-ungated`. In dns mode the weighted
 * records are first followed to each color's load balancer (./dns-targets.ts), so the same target
 * health and traffic gates run there; a candidate whose records cannot be followed is refused.
 */
import { Color, COLORS, Weights } from "../../config/colors";
import { cutoverSchema, cutoverTimingProblems } from "../../config/schema";
import { parseDurationMs } from "../../config/values";
import { UserInputError } from "../../errors";
import type { Gate } from "../contract";
import type { EndpointSource, TargetHealthSource, TrafficSource, WorkloadSource } from "../sources";
import { AwsClients, AwsTarget, createAwsClients, describeAwsTarget } from "./aws-clients";
import { aliasHealthGate, AliasHealthSource, ElbAliasHealthSource } from "./alias-health";
import { AppMetricTarget, CloudWatchTrafficSource } from "./cloudwatch";
import { describeDnsTargets, DnsTargets, resolveDnsTargets } from "./dns-targets";
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
    ["--allow-ungated", "cut over even when no traffic gate can run (no region, no load balancer in the stack outputs)"],
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
    /** dns mode: the zone of the weighted records (bluegreen:routing.hostedZoneId). */
    hostedZoneId?: string;
    /** The weights the stack config gives (dns mode: every color with weight must resolve). */
    weights?: Weights;
    /** dns mode: each app's load balancer and target groups per color, from its weighted records (resolveGateView). */
    dns?: DnsTargets;
    /** dns mode: why the records were not followed (a rollback goes on without them), said at start. */
    dnsUnresolved?: string;
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
            /** The routed hostnames (dns mode: their weighted records lead to each color's load balancer). */
            hostnames?: string[];
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
    /** dns mode: Route 53's view of each color's load balancer (alias records evaluating target health). */
    aliasHealth?: AliasHealthSource;
    workloads?: WorkloadSource;
    /** Colors whose cluster the workload source can read. */
    workloadColors: Color[];
    /** Why a source is missing, said at start. */
    notes: string[];
    /** What the sources read with (region, credentials), said at start. */
    info?: string[];
}

/** Where and as whom AWS is read: the stack's region, profile and role; none without a region. */
export function gateAwsTarget(view: GateStackView): AwsTarget | undefined {
    if (!view.region) return undefined;
    return { region: view.region, ...(view.profile ? { profile: view.profile } : {}), ...(view.roleArn ? { roleArn: view.roleArn } : {}) };
}

/** The run's AWS clients (created once), or none without the stack's region. */
export function gateAwsClients(view: GateStackView): AwsClients | undefined {
    const target = gateAwsTarget(view);
    return target ? createAwsClients(target) : undefined;
}

const firstLine = (err: unknown) => (err instanceof Error ? err.message : String(err)).split("\n")[0];

/**
 * dns mode: follows each routed hostname's weighted records to the colors' load balancers and target
 * groups before any gate is built; the candidate and every color with weight must resolve. `strict`
 * (a cutover): what cannot be resolved is thrown, a refusal before any weight moves. Not strict (a
 * rollback, which the color it leaves must not block): it becomes a note and those gates do not run.
 */
export async function resolveGateView(view: GateStackView, candidate: Color, clients: AwsClients | undefined, strict = true): Promise<GateStackView> {
    if (view.mode !== "dns" || !clients || !view.region || Object.keys(view.apps).length === 0) return view;
    const required = [...new Set([candidate, ...COLORS.filter((c) => (view.weights?.[c] ?? 0) > 0)])];
    const apps = Object.fromEntries(Object.entries(view.apps).map(([app, a]) => [app, a.hostnames ?? []]));
    try {
        const dns = await resolveDnsTargets({ route53: clients.route53, elbv2: clients.elbv2, region: view.region, hostedZoneId: view.hostedZoneId, apps, required });
        return { ...view, dns };
    } catch (err) {
        if (strict) throw err;
        return { ...view, dnsUnresolved: firstLine(err) };
    }
}

/**
 * dns mode's target health for the rollback capacity check (blue's healthy targets against green's):
 * the records are followed on the first read, once, whatever colors have them. A color that cannot
 * be followed reads as an error (the check then says so, and `--force` overrides), never as 0 targets.
 */
export function dnsTargetHealthSource(view: GateStackView, clients: AwsClients): TargetHealthSource {
    let source: Promise<TargetHealthSource> | undefined;
    const make = async (): Promise<TargetHealthSource> => {
        const apps = Object.fromEntries(Object.entries(view.apps).map(([app, a]) => [app, a.hostnames ?? []]));
        const dns = await resolveDnsTargets({ route53: clients.route53, elbv2: clients.elbv2, region: view.region!, hostedZoneId: view.hostedZoneId, apps, required: [] });
        const targetGroupArns = Object.fromEntries(Object.entries(dns).map(([app, colors]) => [app, Object.fromEntries(COLORS.filter((c) => colors[c]).map((c) => [c, colors[c]!.targetGroupArns]))]));
        return new ElbTargetHealthSource({ client: clients.elbv2, region: view.region!, targetGroupArns });
    };
    return {
        async targets(app, color) {
            source ??= make();
            source.catch(() => (source = undefined)); // a failed lookup is tried again on the next read
            return (await source).targets(app, color);
        },
    };
}

/** What the AWS sources read per app: alb mode from the stack outputs, dns mode from the resolved records; a string says why not. */
function metricTargets(view: GateStackView): { apps: Record<string, AppMetricTarget>; loadBalancers: string[] } | string {
    const appNames = Object.keys(view.apps);
    if (view.mode === "dns") {
        if (!view.dns) return `dns mode: the weighted records were not followed to the colors' load balancers${view.dnsUnresolved ? ` (${view.dnsUnresolved})` : ""}: no traffic or target health is read`;
        const apps: Record<string, AppMetricTarget> = {};
        for (const app of appNames) {
            const colors = COLORS.filter((c) => view.dns![app]?.[c]);
            apps[app] = {
                loadBalancer: Object.fromEntries(colors.map((c) => [c, view.dns![app][c]!.dimension])),
                targetGroupArns: Object.fromEntries(colors.map((c) => [c, view.dns![app][c]!.targetGroupArns])),
            };
        }
        const loadBalancers = [...new Set(appNames.flatMap((app) => COLORS.map((c) => view.dns![app]?.[c]?.dimension).filter((d): d is string => !!d)))].sort();
        return { apps, loadBalancers };
    }
    const withLb = appNames.filter((a) => view.apps[a].loadBalancerArnSuffix);
    const apps = Object.fromEntries(appNames.map((a) => [a, { loadBalancer: view.apps[a].loadBalancerArnSuffix ?? "", targetGroupArns: view.apps[a].targetGroupArns }]));
    if (withLb.length < appNames.length) return { apps, loadBalancers: [] };
    return { apps, loadBalancers: [view.apps[appNames[0]].loadBalancerArnSuffix!] };
}

/** dns mode: an app forwarded to several target groups on a color (paths of its Ingress) has no one Service to compare endpoints with. */
function severalTargetGroups(view: GateStackView): string[] {
    if (view.mode !== "dns" || !view.dns) return [];
    return Object.entries(view.dns).flatMap(([app, colors]) =>
        COLORS.filter((c) => (colors[c]?.targetGroupArns.length ?? 0) > 1).map((c) => `${app} on ${c} (${colors[c]!.targetGroupArns.length} target groups)`),
    );
}

/** The real sources: AWS clients and one Kubernetes client per color, created once for the run. */
export function realGateSources(view: GateStackView, settings: GateSettings, now: () => Date = () => new Date(), clients: AwsClients | undefined = gateAwsClients(view)): GateSources {
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
    const aws = gateAwsTarget(view);
    const targets = metricTargets(view);
    if (!aws || !clients) {
        notes.push("the stack gives no region (output region / aws:region): no AWS metrics or target health are read rather than reading another region's");
    } else if (typeof targets === "string") {
        notes.push(targets);
    } else {
        sources.info = [describeAwsTarget(aws), ...(view.dns ? describeDnsTargets(view.dns) : [])];
        const targetGroupArns = Object.fromEntries(appNames.map((a) => [a, targets.apps[a].targetGroupArns]));
        sources.targets = new ElbTargetHealthSource({ client: clients.elbv2, region: aws.region, targetGroupArns });
        if (view.dns) sources.aliasHealth = new ElbAliasHealthSource(clients.elbv2);
        if (targets.loadBalancers.length === 0 && view.mode === "dns") notes.push("dns mode: no weighted record led to a load balancer: no traffic metrics");
        else if (targets.loadBalancers.length === 0) notes.push(`no load balancer ARN suffix in the stack outputs for ${appNames.filter((a) => !view.apps[a].loadBalancerArnSuffix).join(", ")}: no traffic metrics (run pulumi up)`);
        else {
            sources.traffic = sharedTrafficSource(
                new CloudWatchTrafficSource({
                    client: clients.cloudwatch,
                    region: aws.region,
                    apps: targets.apps,
                    loadBalancer: targets.loadBalancers.length === 1 ? targets.loadBalancers[0] : targets.loadBalancers,
                    settleDelayMs: settings.settleDelayMs,
                    now,
                }),
            );
        }
    }
    const services: Record<string, RoutedService> = {};
    for (const a of appNames) if (view.apps[a].namespace && view.apps[a].service) services[a] = { namespace: view.apps[a].namespace!, service: view.apps[a].service! };
    const several = severalTargetGroups(view);
    if (several.length) notes.push(`dns mode: ${several.join(", ")}: paths routed by the Ingress reach several Services, so ready endpoints are not compared with targets`);
    else if (Object.keys(services).length === appNames.length && sources.workloadColors.length) sources.endpoints = new KubernetesEndpointSource(kube, services);
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
    if (sources.aliasHealth && view.dns && apps.length) gates.push(aliasHealthGate({ targets: view.dns, source: sources.aliasHealth }));
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

/**
 * The engine's `publicationDelayMs`: with a traffic gate, a bake ends only once its last minutes are
 * published (the settle delay); without one there is nothing to wait for.
 */
export function publicationDelay(gates: Gate[], settleDelayMs: number): { publicationDelayMs?: number } {
    return gates.some((g) => g.kind === "traffic") ? { publicationDelayMs: settleDelayMs } : {};
}

/** The timing checks of the schema, applied after flags: interval and bake against the traffic gates. */
export function checkTiming(settings: ResolvedSettings, gates: Gate[]): void {
    const traffic = gates.some((g) => g.kind === "traffic");
    const problems = cutoverTimingProblems(settings.values, traffic);
    if (problems.length === 0) return;
    const where = (key: "interval" | "bake") => (settings.origins[key] === "flag" ? SETTING_FLAGS[key] : `bluegreen:cutover.${key}`);
    throw new GateSetupError(problems.map((p) => `${where(p.path)} ${p.message}`).join("; "));
}
