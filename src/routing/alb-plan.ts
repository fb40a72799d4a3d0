/**
 * alb mode, decided from config alone: every resource the shared load balancer needs, named, with
 * the values that matter (target groups and which are protected, each listener rule with its forward
 * weights per color, the verification color, ports, security-group rules, alias records, the app
 * namespaces to label, and what the stack outputs name). Pure, like `planSubnets` for the network:
 * the `AlbRouting` component only turns this plan into resources, and tests check the decisions here
 * without running Pulumi.
 *
 * A weight flows one way: the schema normalised `routing.weights`; this planner copies it into the
 * forward actions; nothing reads it back.
 */
import { Color, presentColors, Weights } from "../config/colors";
import type { EnvironmentConfig, RoutedApp, RoutingConfig } from "../config/schema";
import { formatDuration, parseDurationMs } from "../config/values";
import { elbNameFor, shortHash } from "./names";
import { PlannedRule, planRules, TESTER_HEADER } from "./rules";
import { egressPorts, hostnameForName, targetGroupPortOf, targetPortOf, verificationUrlOf } from "./targets";
import { forwardTargets, verificationColor } from "./weights";

export const HTTPS_PORT = 443;
export const HTTP_PORT = 80;
/** The label that makes the load balancer controller inject readiness gates into new pods of a namespace. */
export const READINESS_GATE_LABEL = "elbv2.k8s.aws/pod-readiness-gate-inject";

export interface TargetGroupPlan {
    /** Pulumi resource name (also the `Name` tag). */
    name: string;
    /** AWS name when autonaming would exceed 32 characters; undefined lets Pulumi autoname it. */
    awsName?: string;
    app: string;
    color: Color;
    /** Protected from deletion while its color carries traffic. */
    protected: boolean;
    port: number;
    deregistrationDelaySeconds: number;
    healthCheck: RoutedApp["healthCheck"];
    /** Hash of the inputs whose change replaces the target group (its binding is named after it). */
    identity: string;
}

/** A TargetGroupBinding: the color's load balancer controller registers the Service's pods in the target group. */
export interface BindingPlan {
    name: string;
    app: string;
    color: Color;
    targetGroup: string;
    /** metadata.name: carries the target group's identity, so a replaced target group gets a new binding beside the old one. */
    objectName: string;
    namespace: string;
    /** Resource name of the namespace patch the binding waits for. */
    namespacePatch: string;
    service: { name: string; port: number };
    targetPort: number | string;
}

/** A routed namespace, created if missing and labelled for pod readiness gates (server-side apply patch). */
export interface NamespacePlan {
    name: string;
    color: Color;
    namespace: string;
    labels: Record<string, string>;
}

export interface ForwardPlan {
    targetGroup: string;
    color: Color;
    weight: number;
}

export type RuleKind = "weighted" | "header" | "verification";

export interface ListenerRuleCondition {
    hostHeader?: { values: string[] };
    pathPattern?: { values: string[] };
    httpHeader?: { httpHeaderName: string; values: string[] };
}

export interface ListenerRulePlan {
    name: string;
    kind: RuleKind;
    listener: "https" | "verification";
    app: string;
    priority: number;
    conditions: ListenerRuleCondition[];
    /** Weighted rules: every present color, by weight. Header and verification rules: one color at 100. */
    forward: ForwardPlan[];
    stickiness?: { enabled: true; duration: number };
    /** The bindings of the target groups it forwards to: a rule never sends traffic to an unbound group. */
    waitsFor: string[];
}

export interface ListenerPlan {
    name: string;
    kind: "https" | "http" | "verification";
    port: number;
    protocol: "HTTPS" | "HTTP";
    /** HTTPS listeners: the ACM certificate and TLS policy. */
    tls?: { certificateArn?: string; sslPolicy: string };
}

export interface SecurityGroupRulePlan {
    name: string;
    direction: "ingress" | "egress";
    fromPort: number;
    toPort: number;
    /** Ingress: the source network. */
    cidr?: string;
    /** Egress: the cluster whose security group is the destination. */
    toColor?: Color;
    description: string;
}

export interface AliasRecordPlan {
    name: string;
    hostname: string;
    zoneId: string;
}

/** What the `routing` stack output says of an app (resources by name; the component fills in their ARNs). */
export interface RoutedAppPlan {
    hostnames: string[];
    targetGroups: Partial<Record<Color, string>>;
    verificationUrl?: string;
}

export interface AlbRoutingPlan {
    mode: "alb";
    environment: string;
    colors: Color[];
    weights: Weights;
    /** The color the verification listener serves; undefined when verification is off. */
    verificationColor?: Color;
    loadBalancer: { name: string; awsName?: string; deletionProtection: boolean; idleTimeoutSeconds: number };
    securityGroup: { name: string };
    listeners: ListenerPlan[];
    securityGroupRules: SecurityGroupRulePlan[];
    namespaces: NamespacePlan[];
    targetGroups: TargetGroupPlan[];
    bindings: BindingPlan[];
    rules: ListenerRulePlan[];
    aliasRecords: AliasRecordPlan[];
    apps: Record<string, RoutedAppPlan>;
    /** Names of the rules whose inputs follow the weights (weighted rules, and verification rules which follow the candidate). */
    weightedRules: string[];
    /** Things an operator should know before applying (e.g. stickiness longer than a bake step). */
    warnings: string[];
}

export interface RoutingPlanInput {
    config: EnvironmentConfig;
    environment: string;
}

export function planAlbRouting({ config, environment }: RoutingPlanInput): AlbRoutingPlan {
    const routing = requireRouting(config);
    const colors = presentColors(config);
    const verification = routing.verification;
    const candidate = verification.enabled ? verificationColor(config) : undefined;
    const targetGroups = routing.apps.flatMap((app) => colors.map((color) => planTargetGroup(environment, app, color, routing.weights, routing.loadBalancer.deletionProtection)));
    const namespaces = planNamespaces(environment, routing.apps, colors);
    const bindings = targetGroups.map((group) => planBinding(environment, routing.apps.find((a) => a.name === group.app)!, group));
    const rules = planListenerRules(environment, routing, colors, candidate, bindings);
    const lbName = `${environment}-alb`;
    return {
        mode: "alb",
        environment,
        colors,
        weights: { ...routing.weights },
        verificationColor: candidate,
        loadBalancer: {
            name: lbName,
            awsName: elbNameFor(lbName, `${environment}/alb`),
            deletionProtection: routing.loadBalancer.deletionProtection,
            idleTimeoutSeconds: routing.loadBalancer.idleTimeoutSeconds,
        },
        securityGroup: { name: `${environment}-alb` },
        listeners: planListeners(environment, routing),
        securityGroupRules: planSecurityGroupRules(environment, routing, colors),
        namespaces,
        targetGroups,
        bindings,
        rules,
        aliasRecords: planAliasRecords(environment, routing),
        apps: Object.fromEntries(routing.apps.map((app) => [app.name, planAppOutput(app, targetGroups, verification)])),
        weightedRules: rules.filter((r) => r.kind !== "header").map((r) => r.name),
        warnings: routingWarnings(config),
    };
}

function requireRouting(config: EnvironmentConfig): RoutingConfig {
    if (!config.routing) throw new Error("the routing planner needs a config with routing set");
    return config.routing;
}

export function targetGroupName(environment: string, app: string, color: Color): string {
    return `${environment}-${app}-${color}`;
}

/** A target group is protected while its color has weight and the load balancer keeps deletion protection (off: the documented teardown). */
function planTargetGroup(environment: string, app: RoutedApp, color: Color, weights: Weights, loadBalancerProtected: boolean): TargetGroupPlan {
    const name = targetGroupName(environment, app.name, color);
    const port = targetGroupPortOf(app);
    // Every input the provider replaces the target group for, apart from the VPC (known only at deploy time).
    const identity = shortHash(`${name}|HTTP|HTTP1|ip|ipv4|${port}`);
    return {
        name,
        awsName: elbNameFor(name, identity),
        app: app.name,
        color,
        protected: weights[color] > 0 && loadBalancerProtected,
        port,
        deregistrationDelaySeconds: app.deregistrationDelaySeconds,
        healthCheck: app.healthCheck,
        identity,
    };
}

function namespacePlanName(environment: string, color: Color, namespace: string): string {
    return `${environment}-${color}-ns-${namespace}`;
}

function planNamespaces(environment: string, apps: RoutedApp[], colors: Color[]): NamespacePlan[] {
    const namespaces = [...new Set(apps.map((a) => a.namespace))].sort();
    return colors.flatMap((color) => namespaces.map((namespace) => ({
        name: namespacePlanName(environment, color, namespace),
        color,
        namespace,
        labels: { [READINESS_GATE_LABEL]: "enabled" },
    })));
}

function planBinding(environment: string, app: RoutedApp, group: TargetGroupPlan): BindingPlan {
    return {
        name: `${environment}-${group.color}-${app.name}-binding`,
        app: app.name,
        color: group.color,
        targetGroup: group.name,
        objectName: `bluegreen-${app.name}-${group.identity}`,
        namespace: app.namespace,
        namespacePatch: namespacePlanName(environment, group.color, app.namespace),
        service: { name: app.service.name, port: app.service.port },
        targetPort: targetPortOf(app),
    };
}

function conditionsOf(rule: PlannedRule): ListenerRuleCondition[] {
    const conditions: ListenerRuleCondition[] = [{ hostHeader: { values: rule.hosts } }];
    if (rule.path !== undefined) conditions.push({ pathPattern: { values: [rule.path] } });
    return conditions;
}

function planListenerRules(environment: string, routing: RoutingConfig, colors: Color[], candidate: Color | undefined, bindings: BindingPlan[]): ListenerRulePlan[] {
    const verification = routing.verification;
    const planned = planRules(routing.apps, { colors, headerRule: verification.enabled && verification.headerRule, verification: verification.enabled });
    const bindingOf = (app: string, color: Color) => bindings.find((b) => b.app === app && b.color === color)!;
    const single = (app: string, color: Color): Pick<ListenerRulePlan, "forward" | "waitsFor"> => {
        const binding = bindingOf(app, color);
        return { forward: [{ targetGroup: binding.targetGroup, color, weight: 100 }], waitsFor: [binding.name] };
    };
    const stickiness = routing.stickiness.enabled ? { enabled: true as const, duration: routing.stickiness.durationSeconds } : undefined;
    const weighted = planned.weighted.map((rule): ListenerRulePlan => {
        const targets = forwardTargets(routing.weights, colors).map(({ color, weight }) => ({ binding: bindingOf(rule.app, color), color, weight }));
        return {
            name: `${environment}-${rule.key}`,
            kind: "weighted",
            listener: "https",
            app: rule.app,
            priority: rule.priority,
            conditions: conditionsOf(rule),
            forward: targets.map(({ binding, color, weight }) => ({ targetGroup: binding.targetGroup, color, weight })),
            ...(stickiness ? { stickiness } : {}),
            waitsFor: targets.map((t) => t.binding.name),
        };
    });
    const header = planned.header.map((rule): ListenerRulePlan => ({
        name: `${environment}-${rule.key}`,
        kind: "header",
        listener: "https",
        app: rule.app,
        priority: rule.priority,
        conditions: [...conditionsOf(rule), { httpHeader: { httpHeaderName: TESTER_HEADER, values: [rule.color] } }],
        ...single(rule.app, rule.color),
    }));
    const verify = candidate === undefined ? [] : planned.verification.map((rule): ListenerRulePlan => ({
        name: `${environment}-${rule.key}`,
        kind: "verification",
        listener: "verification",
        app: rule.app,
        priority: rule.priority,
        conditions: conditionsOf(rule),
        ...single(rule.app, candidate),
    }));
    return [...weighted, ...header, ...verify];
}

function planListeners(environment: string, routing: RoutingConfig): ListenerPlan[] {
    // The schema requires the certificate in alb mode as soon as there is an app.
    const tls = { certificateArn: routing.certificateArn, sslPolicy: routing.sslPolicy };
    const listeners: ListenerPlan[] = [
        { name: `${environment}-https`, kind: "https", port: HTTPS_PORT, protocol: "HTTPS", tls },
        { name: `${environment}-http`, kind: "http", port: HTTP_PORT, protocol: "HTTP" },
    ];
    if (routing.verification.enabled) listeners.push({ name: `${environment}-verification`, kind: "verification", port: routing.verification.port, protocol: "HTTPS", tls });
    return listeners;
}

function planSecurityGroupRules(environment: string, routing: RoutingConfig, colors: Color[]): SecurityGroupRulePlan[] {
    const rules: SecurityGroupRulePlan[] = [
        { name: `${environment}-alb-https`, direction: "ingress", fromPort: HTTPS_PORT, toPort: HTTPS_PORT, cidr: "0.0.0.0/0", description: "HTTPS from anywhere" },
        { name: `${environment}-alb-http`, direction: "ingress", fromPort: HTTP_PORT, toPort: HTTP_PORT, cidr: "0.0.0.0/0", description: "HTTP from anywhere" },
    ];
    const verification = routing.verification;
    if (verification.enabled) {
        for (const cidr of verification.allowedCidrs) {
            rules.push({
                name: `${environment}-alb-verification-${cidr}`,
                direction: "ingress",
                fromPort: verification.port,
                toPort: verification.port,
                cidr,
                description: "Verification listener (candidate color) from an allowed network",
            });
        }
    }
    // Traffic and health checks to the pods, which carry their cluster's security group.
    const { ports, allPorts } = egressPorts(routing.apps);
    const ranges: [number, number][] = allPorts ? [[0, 65535]] : ports.map((p) => [p, p]);
    for (const color of colors) {
        for (const [fromPort, toPort] of ranges) {
            rules.push({
                name: `${environment}-alb-to-${color}-${allPorts ? "tcp" : fromPort}`,
                direction: "egress",
                fromPort,
                toPort,
                toColor: color,
                description: `To the pods in the ${color} cluster`,
            });
        }
    }
    return rules;
}

/** One alias record per hostname (apps sharing a hostname on different paths share it). */
function planAliasRecords(environment: string, routing: RoutingConfig): AliasRecordPlan[] {
    const hostnames = [...new Set(routing.apps.flatMap((app) => app.hostnames))].sort();
    return hostnames.map((hostname) => ({ name: `${environment}-${hostnameForName(hostname)}`, hostname, zoneId: routing.hostedZoneId! }));
}

function planAppOutput(app: RoutedApp, targetGroups: TargetGroupPlan[], verification: RoutingConfig["verification"]): RoutedAppPlan {
    const verificationUrl = verification.enabled ? verificationUrlOf(app, verification.port) : undefined;
    return {
        hostnames: app.hostnames,
        targetGroups: Object.fromEntries(targetGroups.filter((g) => g.app === app.name).map((g) => [g.color, g.name])),
        ...(verificationUrl ? { verificationUrl } : {}),
    };
}

/**
 * Warnings about routing that is valid but works against the cutover: stickiness that outlasts a
 * bake step keeps sessions on the old color after a weight change or a rollback.
 */
export function routingWarnings(config: Pick<EnvironmentConfig, "routing" | "cutover">): string[] {
    const routing = config.routing;
    if (!routing || routing.mode !== "alb" || !routing.stickiness.enabled) return [];
    const bakeMs = parseDurationMs(config.cutover.bake);
    const stickyMs = routing.stickiness.durationSeconds * 1000;
    if (bakeMs === undefined || stickyMs <= bakeMs) return [];
    return [
        `routing.stickiness.durationSeconds (${formatDuration(stickyMs)}) is longer than a cutover bake step (cutover.bake ${formatDuration(bakeMs)}): ` +
            "clients stuck to a color stay on it for that long after a weight change or a rollback, so a step's checks see less of the new weights; " +
            "lower routing.stickiness.durationSeconds to at most the bake, or turn stickiness off",
    ];
}
