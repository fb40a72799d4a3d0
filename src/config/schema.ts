/**
 * The zod schema of the `bluegreen:` namespace and the checks that need nothing but the config
 * itself. Checks that call other modules (the ALB rule planner) are in references.ts and run after
 * parsing; how zod's issues become messages is in problems.ts. Defaults are written once, on the
 * field: an absent object is parsed from `{}` (`prefault`), so its fields' defaults apply.
 */
import { z } from "zod";
import { parseCidr } from "../network/cidr";
import { ALB_QUOTAS, wildcardCount } from "../routing/quotas";
import { COLORS } from "./colors";
import { parseDurationMs, REGION_PATTERN } from "./values";
import { addonsConfigSchema } from "../addons/registry";
import { CRD_CHANGE_LEVELS, CrdChangeLevel } from "../addons/addon";

export { CRD_CHANGE_LEVELS };
export type { CrdChangeLevel };

/** The top-level keys of the `bluegreen:` namespace. */
export const CONFIG_KEYS = [
    "environment",
    "region",
    "network",
    "clusters",
    "access",
    "routing",
    "cutover",
    "gitops",
    "argocdAdminPassword",
] as const;
export type ConfigKey = (typeof CONFIG_KEYS)[number];

const MINOR_VERSION = /^1\.[1-9]\d$/;
const IAM_PRINCIPAL_ARN = /^arn:aws[a-z-]*:iam::\d{12}:(role|user)\/[\w+=,.@/-]+$/;
const DNS_LABEL = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;

const kubernetesMinorVersion = z
    .string()
    .refine((v) => MINOR_VERSION.test(v), { message: "VERSION_FORMAT" });
const cidr = z.string().superRefine((value, ctx) => {
    const parsed = parseCidr(value);
    if (!parsed.ok) ctx.addIssue({ code: "custom", message: `${JSON.stringify(value)} ${parsed.problem}`, input: value });
});
const dnsLabel = z.string().regex(DNS_LABEL, { message: "DNS_LABEL" });
const count = z.int().min(0);

const nodeTaint = z.strictObject({
    key: z.string().min(1),
    value: z.string().optional(),
    effect: z.enum(["NO_SCHEDULE", "NO_EXECUTE", "PREFER_NO_SCHEDULE"]),
});

/**
 * An EC2 instance type: family, a dot, size ("m7i.large", "c7gn.16xlarge", "u7i-12tb.224xlarge",
 * "m7i-flex.large", "c6id.metal").
 */
const INSTANCE_TYPE = /^[a-z][a-z0-9]*\d[a-z0-9]*(-[a-z0-9]+)*\.(nano|micro|small|medium|large|\d*xlarge|metal(-\d+xl)?)$/;

/** Graviton (arm64) families: a generation digit followed by "g" (m7g, c7gn, r8gd, t4g, im4gn, g5g), and a1. */
export function instanceArchitecture(instanceType: string): "arm64" | "x86_64" {
    const family = instanceType.split(".")[0].split("-")[0];
    return family === "a1" || /^[a-z]+\d+g[a-z]*$/.test(family) ? "arm64" : "x86_64";
}

export function amiArchitecture(amiType: string): "arm64" | "x86_64" {
    return amiType.includes("ARM_64") ? "arm64" : "x86_64";
}

const instanceType = z.string().superRefine((value, ctx) => {
    if (INSTANCE_TYPE.test(value)) return;
    const dotted = value.replace(/-(?=[^-]*$)/, ".");
    const hint = dotted !== value && INSTANCE_TYPE.test(dotted) ? ` (did you mean "${dotted}"?)` : "";
    ctx.addIssue({ code: "custom", message: `${JSON.stringify(value)} is not an EC2 instance type like "m7i.large"${hint}`, input: value });
});

const AMI_TYPES = [
    "AL2023_x86_64_STANDARD",
    "AL2023_ARM_64_STANDARD",
    "AL2023_x86_64_NVIDIA",
    "AL2023_x86_64_NEURON",
    "BOTTLEROCKET_x86_64",
    "BOTTLEROCKET_ARM_64",
    "BOTTLEROCKET_x86_64_NVIDIA",
    "BOTTLEROCKET_ARM_64_NVIDIA",
] as const;

const nodeGroup = z
    .strictObject({
        name: dnsLabel,
        instanceTypes: z.array(instanceType).min(1),
        capacityType: z.enum(["ON_DEMAND", "SPOT"]).default("ON_DEMAND"),
        minSize: count,
        desiredSize: count,
        maxSize: z.int().min(1),
        labels: z.record(z.string(), z.string()).default({}),
        taints: z.array(nodeTaint).default([]),
        diskSize: z.int().min(20).max(16384).default(50),
        amiType: z.enum(AMI_TYPES).default("AL2023_x86_64_STANDARD"),
        /** Nodes replaced at once during a node group update: a count, or a percentage like "25%". */
        maxUnavailable: z
            .union([z.int().min(1).max(100), z.string().regex(/^([1-9]|[1-9]\d|100)%$/, { message: "PERCENT" })])
            .default(1),
        /** Kubelet version of the group; defaults to the control plane's. Must stay within the supported skew. */
        version: kubernetesMinorVersion.optional(),
        /** Part of the EKS name: raise it (or use `replacement`) to get fresh nodes with the same settings. */
        generation: count.default(0),
        /**
         * A surge replacement in progress: `pulumi up` creates a second group with these settings (over the
         * group's own, generation + 1) beside the current one. Drain the old group, then promote: copy the
         * settings into the group, raise `generation` by one and remove this block (see docs/in-place-upgrades.md).
         */
        replacement: z
            .strictObject({
                version: kubernetesMinorVersion.optional(),
                instanceTypes: z.array(z.string().min(1)).min(1).optional(),
                capacityType: z.enum(["ON_DEMAND", "SPOT"]).optional(),
                amiType: z.enum(AMI_TYPES).optional(),
                diskSize: z.int().min(20).max(16384).optional(),
            })
            .optional(),
    })
    .superRefine((group, ctx) => {
        const amiArch = amiArchitecture(group.amiType);
        group.instanceTypes.forEach((type, index) => {
            const arch = INSTANCE_TYPE.test(type) ? instanceArchitecture(type) : amiArch;
            if (arch !== amiArch) {
                ctx.addIssue({
                    code: "custom",
                    path: ["instanceTypes", index],
                    message: `"${type}" is an ${arch} instance type but amiType ${group.amiType} is ${amiArch}: use ${arch === "arm64" ? 'an arm64 AMI (e.g. amiType "AL2023_ARM_64_STANDARD")' : 'an x86_64 AMI (e.g. amiType "AL2023_x86_64_STANDARD")'}, or ${amiArch} instance types only`,
                });
            }
        });
        const seenTypes = new Set<string>();
        group.instanceTypes.forEach((type, index) => {
            if (seenTypes.has(type)) ctx.addIssue({ code: "custom", path: ["instanceTypes", index], message: `"${type}" is listed twice: list each instance type once` });
            seenTypes.add(type);
        });
        if (group.minSize > group.maxSize) {
            ctx.addIssue({
                code: "custom",
                path: ["minSize"],
                message: `(${group.minSize}) is greater than maxSize (${group.maxSize})`,
            });
        } else if (group.desiredSize < group.minSize || group.desiredSize > group.maxSize) {
            ctx.addIssue({
                code: "custom",
                path: ["desiredSize"],
                message: `(${group.desiredSize}) must be between minSize (${group.minSize}) and maxSize (${group.maxSize})`,
            });
        }
    });

const managedAddonVersions = z.strictObject({
    "vpc-cni": z.string().min(1).optional(),
    "kube-proxy": z.string().min(1).optional(),
    coredns: z.string().min(1).optional(),
    "eks-pod-identity-agent": z.string().min(1).optional(),
});

/** One key per registered add-on, each its own fragment (src/addons/<name>.ts). */
const addons = addonsConfigSchema();

const LOG_TYPES = ["api", "audit", "authenticator", "controllerManager", "scheduler"] as const;

const SECURITY_GROUP_ID = /^sg-[0-9a-f]{8,17}$/;

/** Pulumi applies Kubernetes objects through this endpoint: whatever it allows must include where Pulumi runs. */
const endpointAccess = z
    .strictObject({
        privateAccess: z.boolean().default(true),
        /** On by default, restricted to `publicAccessCidrs` (required): the one setup a first `pulumi up` from outside the VPC can use. */
        publicAccess: z.boolean().default(true),
        publicAccessCidrs: z.array(cidr).default([]),
        /** CIDRs given tcp/443 on the cluster security group: runners inside the VPC or a connected network (private endpoint). */
        apiAccessCidrs: z.array(cidr).default([]),
        /** Security groups (e.g. a CI runner's) given tcp/443 on the cluster security group (private endpoint). */
        apiAccessSecurityGroupIds: z.array(z.string().regex(SECURITY_GROUP_ID, { message: "SECURITY_GROUP_ID" })).default([]),
    })
    .superRefine((endpoint, ctx) => {
        const runnerInside = endpoint.apiAccessCidrs.length > 0 || endpoint.apiAccessSecurityGroupIds.length > 0;
        if (!endpoint.privateAccess && !endpoint.publicAccess) {
            ctx.addIssue({
                code: "custom",
                path: ["privateAccess"],
                message: "is false and publicAccess is false: the cluster API would be unreachable; keep privateAccess true",
            });
        }
        if (endpoint.publicAccess && endpoint.publicAccessCidrs.length === 0) {
            ctx.addIssue({
                code: "custom",
                path: ["publicAccessCidrs"],
                message:
                    'is empty while publicAccess is true (the default): list the CIDRs Pulumi and operators reach the API from, e.g. your runner\'s egress address as "198.51.100.7/32" (write "0.0.0.0/0" explicitly to open it to the internet); or, for a runner inside the VPC, set publicAccess to false and give apiAccessSecurityGroupIds or apiAccessCidrs',
            });
        }
        if (!endpoint.publicAccess && endpoint.publicAccessCidrs.length > 0) {
            ctx.addIssue({
                code: "custom",
                path: ["publicAccessCidrs"],
                message: "is set while publicAccess is false: set publicAccess to true, or remove the CIDRs",
            });
        }
        if (endpoint.privateAccess && !endpoint.publicAccess && !runnerInside) {
            ctx.addIssue({
                code: "custom",
                path: ["publicAccess"],
                message:
                    "is false, so the API is private only, and nothing is allowed to reach it (the cluster security group admits only the cluster's own nodes): Pulumi could not apply anything inside the cluster. Give endpoint.apiAccessSecurityGroupIds (the security group of a runner inside the VPC) or endpoint.apiAccessCidrs (the runner's subnet, VPN or peered range), or set publicAccess to true with publicAccessCidrs",
            });
        }
        if (!endpoint.privateAccess && runnerInside) {
            ctx.addIssue({
                code: "custom",
                path: [endpoint.apiAccessCidrs.length > 0 ? "apiAccessCidrs" : "apiAccessSecurityGroupIds"],
                message: "opens the private endpoint, but privateAccess is false: set privateAccess to true, or remove it",
            });
        }
    });

/** A private-only API on a VPC this stack creates: no runner can be inside, or connected to, a VPC that does not exist yet. */
function validateEndpointReachability(config: { network: { cidr?: string }; clusters: Partial<Record<(typeof COLORS)[number], { endpoint: { publicAccess: boolean } } | undefined>> }, ctx: z.RefinementCtx): void {
    if (config.network.cidr === undefined) return;
    for (const color of COLORS) {
        if (config.clusters[color]?.endpoint.publicAccess === false) {
            ctx.addIssue({
                code: "custom",
                path: ["clusters", color, "endpoint", "publicAccess"],
                message: `is false while network.cidr creates the VPC in the same update: no runner can be inside or peered with a VPC that does not exist yet, so every Kubernetes object would time out. Keep publicAccess true with publicAccessCidrs (your runner's egress), or create the VPC first and give it as network.vpcId with endpoint.apiAccessSecurityGroupIds`,
            });
        }
    }
}

const clusterSpec = z
    .strictObject({
        version: kubernetesMinorVersion,
        nodeGroups: z.array(nodeGroup).min(1),
        endpoint: endpointAccess.prefault({}),
        logging: z.array(z.enum(LOG_TYPES)).default([...LOG_TYPES]),
        /** EKS deletion protection. Turn it off (one `pulumi up`) before decommissioning a color. */
        deletionProtection: z.boolean().default(true),
        managedAddons: managedAddonVersions.prefault({}),
        addons,
    })
    .superRefine((cluster, ctx) => {
        const seen = new Map<string, number>();
        cluster.nodeGroups.forEach((group, index) => {
            const first = seen.get(group.name);
            if (first !== undefined) {
                ctx.addIssue({
                    code: "custom",
                    path: ["nodeGroups", index, "name"],
                    message: `"${group.name}" is already used by nodeGroups[${first}]: node group names must be unique`,
                });
            } else {
                seen.set(group.name, index);
            }
        });
    });

const network = z
    .strictObject({
        vpcId: z.string().regex(/^vpc-[0-9a-f]{8,17}$/, { message: "VPC_ID" }).optional(),
        privateSubnetIds: z.array(z.string().regex(/^subnet-[0-9a-f]{8,17}$/, { message: "SUBNET_ID" })).optional(),
        publicSubnetIds: z.array(z.string().regex(/^subnet-[0-9a-f]{8,17}$/, { message: "SUBNET_ID" })).optional(),
        cidr: cidr.optional(),
        availabilityZoneCount: z.int().min(2).max(6).default(3),
        /** One NAT gateway per AZ survives an AZ outage; "single" is cheaper for dev. */
        natGateways: z.enum(["perAz", "single"]).default("perAz"),
    })
    .superRefine((net, ctx) => {
        const existing = net.vpcId !== undefined || net.privateSubnetIds !== undefined || net.publicSubnetIds !== undefined;
        if (existing && net.cidr !== undefined) {
            ctx.addIssue({
                code: "custom",
                path: ["cidr"],
                message: "is set together with vpcId/subnet ids: use an existing VPC (vpcId, privateSubnetIds, publicSubnetIds) or a cidr to create one, not both",
            });
            return;
        }
        if (!existing && net.cidr === undefined) {
            ctx.addIssue({
                code: "custom",
                path: [],
                message: "needs either an existing VPC (vpcId, privateSubnetIds, publicSubnetIds) or a cidr to create one",
            });
            return;
        }
        if (existing) {
            if (net.vpcId === undefined) ctx.addIssue({ code: "custom", path: ["vpcId"], message: "is required when subnet ids are given" });
            subnetDuplicates(net.privateSubnetIds ?? [], net.publicSubnetIds ?? [], ctx);
            for (const key of ["privateSubnetIds", "publicSubnetIds"] as const) {
                const ids = net[key];
                if (ids === undefined || ids.length < 2) {
                    ctx.addIssue({
                        code: "custom",
                        path: [key],
                        message: "needs at least 2 subnets in different availability zones (EKS and the ALB require two AZs)",
                    });
                }
            }
        } else if (net.cidr !== undefined) {
            const prefix = Number(net.cidr.split("/")[1]);
            if (prefix > 20) {
                ctx.addIssue({
                    code: "custom",
                    path: ["cidr"],
                    message: `("${net.cidr}") is too small: use a /20 or larger (e.g. "10.0.0.0/16") so every AZ gets a public and a private subnet with room for pods`,
                });
            }
        }
    });

/** A subnet listed twice, or as both private and public: the load balancer and the nodes would share it. */
function subnetDuplicates(privateIds: readonly string[], publicIds: readonly string[], ctx: z.RefinementCtx): void {
    for (const [key, ids] of [["privateSubnetIds", privateIds], ["publicSubnetIds", publicIds]] as const) {
        ids.forEach((id, index) => {
            const first = ids.indexOf(id);
            if (first !== index) ctx.addIssue({ code: "custom", path: [key, index], message: `"${id}" is already ${key}[${first}]: list each subnet once` });
        });
    }
    publicIds.forEach((id, index) => {
        if (privateIds.includes(id)) {
            ctx.addIssue({
                code: "custom",
                path: ["publicSubnetIds", index],
                message: `"${id}" is also in privateSubnetIds: public subnets (internet-facing load balancer) and private subnets (nodes) must be different subnets`,
            });
        }
    });
}

const access = z
    .strictObject({
        /**
         * IAM roles or users given cluster-admin on every cluster through EKS access entries. The identity that
         * creates a cluster gets its admin entry from EKS itself and is left out here (components/cluster.ts).
         */
        clusterAdmins: z.array(z.string().regex(IAM_PRINCIPAL_ARN, { message: "IAM_ARN" })).default([]),
    })
    .superRefine((accessConfig, ctx) => {
        const seen = new Map<string, number>();
        accessConfig.clusterAdmins.forEach((arn, index) => {
            const first = seen.get(arn);
            if (first === undefined) seen.set(arn, index);
            else ctx.addIssue({ code: "custom", path: ["clusterAdmins", index], message: `"${arn}" is already listed as clusterAdmins[${first}]: EKS has one access entry per principal; remove the duplicate` });
        });
    });

const healthCheck = z.strictObject({
    path: z.string().startsWith("/").default("/"),
    healthyThreshold: z.int().min(2).max(10).default(3),
    unhealthyThreshold: z.int().min(2).max(10).default(3),
    intervalSeconds: z.int().min(5).max(300).default(15),
    timeoutSeconds: z.int().min(2).max(120).default(5),
    matcher: z.string().regex(/^\d{3}(-\d{3})?(,\d{3}(-\d{3})?)*$/, { message: "MATCHER" }).default("200-399"),
});

/** Host and path values of ALB listener rules are at most 128 characters. */
const ROUTE_VALUE_MAX = 128;

const routedApp = z.strictObject({
    name: dnsLabel,
    hostnames: z.array(z.string().max(ROUTE_VALUE_MAX).regex(/^(\*\.)?([a-z0-9]([-a-z0-9]*[a-z0-9])?\.)+[a-z]{2,}$/, { message: "HOSTNAME" })).min(1),
    /** ALB path patterns (`*` and `?` wildcards, case-sensitive); none means every path. */
    paths: z
        .array(
            z
                .string()
                .startsWith("/")
                .max(ROUTE_VALUE_MAX)
                .refine((p) => wildcardCount(p) <= 2, {
                    message: "has more than 2 wildcards (* or ?): the ALB allows 5 per rule and a rule may also hold 3 wildcard hostnames",
                }),
        )
        .default([]),
    namespace: dnsLabel,
    service: z.strictObject({
        name: dnsLabel,
        port: z.int().min(1).max(65535),
        /** The pods' port (number or name) behind the Service port; the ALB is allowed to reach it. Defaults to `port`. */
        targetPort: z.union([z.int().min(1).max(65535), z.string().regex(/^[a-z0-9]([-a-z0-9]{0,13}[a-z0-9])?$/, { message: "PORT_NAME" })]).optional(),
    }),
    healthCheck: healthCheck.prefault({}),
    /** Seconds a target leaving the target group keeps serving in-flight requests (ALB default 300). */
    deregistrationDelaySeconds: z.int().min(0).max(3600).default(30),
});

const weight = z.int().min(0).max(100);

const routing = z.strictObject({
    mode: z.enum(["alb", "dns"]).default("alb"),
    weights: z.strictObject({ blue: weight.default(0), green: weight.default(0) }),
    hostedZoneId: z.string().regex(/^Z[A-Z0-9]+$/, { message: "ZONE_ID" }).optional(),
    certificateArn: z.string().regex(/^arn:aws[a-z-]*:acm:[a-z0-9-]+:\d{12}:certificate\/[\w-]+$/, { message: "CERT_ARN" }).optional(),
    sslPolicy: z.string().default("ELBSecurityPolicy-TLS13-1-2-2021-06"),
    stickiness: z
        .strictObject({ enabled: z.boolean().default(false), durationSeconds: z.int().min(1).max(604800).default(3600) })
        .prefault({}),
    apps: z.array(routedApp).default([]),
    verification: z
        .strictObject({
            enabled: z.boolean().default(true),
            port: z.int().min(1).max(65535).default(8443),
            allowedCidrs: z.array(cidr).default([]),
            /** The color the verification listener sends to; by default the color with the lower weight. */
            color: z.enum(COLORS).optional(),
            headerRule: z.boolean().default(false),
        })
        .prefault({}),
    dns: z
        .strictObject({
            /** `alias` records (the default) follow the load balancer's own TTL (60 s); `cname` records use `ttl`. */
            recordType: z.enum(["alias", "cname"]).default("alias"),
            /** Seconds resolvers may cache a `cname` record; alias records have no TTL of their own. */
            ttl: z.int().min(0).max(86400).optional(),
            /** dns mode: each color's own load balancer (zoneId: the load balancer's canonical hosted zone, for alias records). */
            loadBalancers: z
                .strictObject({
                    blue: z.strictObject({ dnsName: z.string().min(1), zoneId: z.string().min(1).optional() }).optional(),
                    green: z.strictObject({ dnsName: z.string().min(1), zoneId: z.string().min(1).optional() }).optional(),
                })
                .prefault({}),
        })
        .prefault({}),
    /** alb mode: the shared load balancer. */
    loadBalancer: z
        .strictObject({
            /** AWS deletion protection; turn it off (one `pulumi up`) before destroying the environment. */
            deletionProtection: z.boolean().default(true),
            idleTimeoutSeconds: z.int().min(1).max(4000).default(60),
        })
        .prefault({}),
    /** Account quotas above the ALB defaults, once raised in Service Quotas. */
    quotas: z
        .strictObject({ rulesPerLoadBalancer: z.int().min(1).default(ALB_QUOTAS.rulesPerLoadBalancer) })
        .prefault({}),
});

const duration = z.string().refine((v) => parseDurationMs(v) !== undefined, { message: "DURATION" });

const cutoverSteps = z
    .array(z.int().min(1).max(100))
    .min(1)
    .superRefine((steps, ctx) => {
        if (steps.length === 0) return;
        for (let i = 1; i < steps.length; i++) {
            if (steps[i] <= steps[i - 1]) {
                ctx.addIssue({
                    code: "custom",
                    path: [i],
                    message: `(${steps[i]}) is not above the step before it (${steps[i - 1]}): steps are the candidate's weights in increasing order, e.g. [10, 50, 100]`,
                });
                return;
            }
        }
        if (steps[steps.length - 1] !== 100) {
            ctx.addIssue({
                code: "custom",
                path: [steps.length - 1],
                message: `(${steps[steps.length - 1]}) is the last step but a cutover ends with the candidate at 100: add 100 as the last step, e.g. [${[...steps, 100].join(", ")}]`,
            });
        }
    });


/** CloudWatch publishes ALB metrics in 60 s periods: the shortest window a traffic gate can judge. */
export const METRIC_PERIOD_MS = 60_000;
/** The shortest interval between gate checks, and the shortest while traffic (CloudWatch) gates run. */
export const MIN_INTERVAL_MS = 10_000;
export const MIN_METRIC_INTERVAL_MS = METRIC_PERIOD_MS;

const ratio = z.number().min(0).max(1);

export const cutoverSchema = z.strictObject({
    steps: cutoverSteps.default([10, 50, 100]),
    bake: duration.default("10m"),
    /** Time between gate checks: at least 10 s, at least 60 s (one metric period) while traffic gates run. */
    interval: duration.default("1m"),
    minHealthyTargets: z.int().min(1).default(1),
    /** Highest HTTPCode_Target_5XX_Count / RequestCount of an app on the candidate over the window. */
    max5xxRate: ratio.default(0.01),
    /** Fewer requests than this on a color over the window make a traffic check inconclusive (never a pass). */
    minRequests: z.int().min(1).default(50),
    /** Time CloudWatch needs to publish a minute: the window ends this long before now. */
    settleDelay: duration.default("2m"),
    /** Highest rise of the load balancer's own 5xx rate (HTTPCode_ELB_5XX_Count / RequestCount) over its pre-cutover baseline. */
    maxElb5xxIncrease: ratio.default(0.005),
    /** How far back before the cutover the load balancer's baseline is measured. */
    baseline: duration.default("30m"),
    /** Highest TargetConnectionErrorCount / RequestCount of an app on the candidate. */
    maxConnectionErrorRate: ratio.default(0.001),
    /** Highest p99 TargetResponseTime of an app on the candidate, in milliseconds. */
    maxP99Ms: z.number().positive().default(2000),
    /** The candidate's 5xx rate may be at most this multiple of the current color's over the same window (plus 0.1 percentage point of slack). */
    maxRelative5xx: z.number().min(1).default(2),
    /** The candidate's p99 latency may be at most this multiple of the current color's over the same window. */
    maxRelativeP99: z.number().min(1).default(1.5),
    /** ArgoCD Applications of the routed namespaces may stay `Progressing` this long before it fails the gate. */
    progressingGrace: duration.default("5m"),
    /** Only workloads matching this label selector (e.g. "tier=web") in the routed namespaces are hard gates. */
    workloadSelector: z.string().min(1).optional(),
    /** Gate errors (throttling, timeouts, 5xx from AWS or Kubernetes) in a row that count as one failure. */
    consecutiveErrorLimit: z.int().min(1).default(4),
    /** Failed gate checks tolerated per step before it falls back. */
    failureLimit: z.int().min(0).default(0),
    /** Where traffic goes when a step fails: `abort` = all back to the color that carried it before. */
    onFailure: z.enum(["abort", "previous-step"]).default("abort"),
    /** The color that carried all traffic before the cutover in progress; written by `bluegreen cutover`. */
    previousColor: z.enum(COLORS).optional(),
});

/** What the timing checks need: durations in milliseconds, the config paths they came from. */
export interface CutoverTiming {
    intervalMs: number;
    bakeMs: number;
    settleDelayMs: number;
}

/**
 * Problems of a cutover's timing, each with the reason: an interval under 10 s is a busy loop of
 * API calls; under 60 s while CloudWatch gates run it reads the same minute twice; a bake shorter
 * than one metric period plus the settle delay can never see a complete, published minute.
 * Pure, so the CLI applies it after flags override the stack config.
 */
export function cutoverTimingProblems(t: CutoverTiming, metricGates: boolean): Array<{ path: "interval" | "bake"; message: string }> {
    const problems: Array<{ path: "interval" | "bake"; message: string }> = [];
    const s = (ms: number) => `${Math.round(ms / 1000)} s`;
    if (t.intervalMs < MIN_INTERVAL_MS) {
        problems.push({ path: "interval", message: `(${s(t.intervalMs)}) must be at least ${s(MIN_INTERVAL_MS)}: a shorter interval is a busy loop of AWS and Kubernetes API calls` });
    } else if (metricGates && t.intervalMs < MIN_METRIC_INTERVAL_MS) {
        problems.push({ path: "interval", message: `(${s(t.intervalMs)}) must be at least ${s(MIN_METRIC_INTERVAL_MS)} while traffic gates run: CloudWatch publishes one data point per minute, a shorter interval reads the same minute again` });
    }
    const needed = METRIC_PERIOD_MS + t.settleDelayMs;
    if (metricGates && t.bakeMs < needed) {
        problems.push({ path: "bake", message: `(${s(t.bakeMs)}) must be at least one metric period (60 s) plus settleDelay (${s(t.settleDelayMs)}) = ${s(needed)}: a shorter bake can never see a complete, published minute` });
    }
    return problems;
}

/** The cutover settings a stack gets when it sets none. */
export function cutoverDefaults(): z.output<typeof cutoverSchema> {
    return cutoverSchema.parse({});
}

const gitops = z.strictObject({
    /** A local checkout of the GitOps repository, scanned for removed API versions by `bluegreen preflight`. */
    manifestsPath: z.string().min(1).optional(),
});

export const environmentConfigSchema = z
    .strictObject({
        environment: dnsLabel.optional(),
        region: z.string().regex(REGION_PATTERN, { message: "REGION" }).optional(),
        network,
        clusters: z.strictObject({ blue: clusterSpec.optional(), green: clusterSpec.optional() }),
        access: access.prefault({}),
        routing: routing.optional(),
        cutover: cutoverSchema.prefault({}),
        gitops: gitops.prefault({}),
        argocdAdminPassword: z.string().min(8).optional(),
    })
    .superRefine((config, ctx) => {
        const present = COLORS.filter((c) => config.clusters[c] !== undefined);
        if (present.length === 0) {
            ctx.addIssue({ code: "custom", path: ["clusters"], message: "has no cluster: configure at least blue (or green)" });
        }
        validateEndpointReachability(config, ctx);
        const routing = config.routing;
        if (routing) validateRouting(routing, config.clusters, ctx);
        validateCutoverTiming(config.cutover, routing !== undefined && routing.mode === "alb" && routing.apps.length > 0, ctx);
    });

/** Traffic gates (CloudWatch) run when the ALB routes apps: then the stricter timing applies. */
function validateCutoverTiming(settings: z.output<typeof cutoverSchema>, metricGates: boolean, ctx: z.RefinementCtx): void {
    const [intervalMs, bakeMs, settleDelayMs] = [settings.interval, settings.bake, settings.settleDelay].map(parseDurationMs);
    if (intervalMs === undefined || bakeMs === undefined || settleDelayMs === undefined) return; // reported by the field itself
    const timing = { intervalMs, bakeMs, settleDelayMs };
    for (const problem of cutoverTimingProblems(timing, metricGates)) {
        ctx.addIssue({ code: "custom", path: ["cutover", problem.path], message: problem.message });
    }
}

type RoutingInput = z.output<typeof routing>;
type ClustersInput = z.output<typeof environmentConfigSchema>["clusters"];

function validateRouting(routingConfig: RoutingInput, clusters: ClustersInput, ctx: z.RefinementCtx): void {
    validateWeights(routingConfig, clusters, ctx);
    validateListeners(routingConfig, ctx);
    validateAppRoutes(routingConfig, ctx);
    if (routingConfig.mode === "dns") validateDnsRouting(routingConfig, ctx);
    else validateAlbRouting(routingConfig, clusters, ctx);
    validateHealthChecks(routingConfig, ctx);
    validateVerificationColor(routingConfig, clusters, ctx);
}

/** Weights add up to 100, and only colors with a cluster carry traffic. */
function validateWeights(routingConfig: RoutingInput, clusters: ClustersInput, ctx: z.RefinementCtx): void {
    const weights = routingConfig.weights;
    const total = weights.blue + weights.green;
    if (total !== 100) {
        ctx.addIssue({
            code: "custom",
            path: ["routing", "weights"],
            message: `add up to ${total}, not 100: set e.g. { blue: 90, green: 10 }`,
        });
    }
    for (const color of COLORS) {
        const w = weights[color];
        if (w > 0 && clusters[color] === undefined) {
            ctx.addIssue({
                code: "custom",
                path: ["routing", "weights", color],
                message: `is ${w} but clusters.${color} does not exist: a color can only lose its cluster once its weight is 0 (shift traffic away with 'bluegreen cutover' or set routing.weights.${color} to 0 and run pulumi up first)`,
            });
        }
    }
}

/** The HTTPS listener's certificate, and the verification listener's port and audience. */
function validateListeners(routingConfig: RoutingInput, ctx: z.RefinementCtx): void {
    const verification = routingConfig.verification;
    if (routingConfig.mode === "alb" && routingConfig.apps.length > 0 && routingConfig.certificateArn === undefined) {
        ctx.addIssue({ code: "custom", path: ["routing", "certificateArn"], message: "is required in alb mode: the HTTPS listener needs an ACM certificate ARN" });
    }
    if (routingConfig.mode === "alb" && verification.enabled && verification.allowedCidrs.length === 0) {
        ctx.addIssue({
            code: "custom",
            path: ["routing", "verification", "allowedCidrs"],
            message: "is empty while the verification listener is enabled: list your company's CIDRs (write \"0.0.0.0/0\" explicitly to open it), or set verification.enabled to false",
        });
    }
    if (verification.enabled && (verification.port === 80 || verification.port === 443)) {
        ctx.addIssue({
            code: "custom",
            path: ["routing", "verification", "port"],
            message: `(${verification.port}) collides with the user-facing listeners: choose a dedicated port such as 8443`,
        });
    }
}

/** Unique app names, and each host and path served by one app only. */
function validateAppRoutes(routingConfig: RoutingInput, ctx: z.RefinementCtx): void {
    const appNames = new Map<string, number>();
    const hostOwners = new Map<string, string>();
    routingConfig.apps.forEach((app, index) => {
        const first = appNames.get(app.name);
        if (first !== undefined) {
            ctx.addIssue({ code: "custom", path: ["routing", "apps", index, "name"], message: `"${app.name}" is already used by apps[${first}]: app names must be unique` });
        } else {
            appNames.set(app.name, index);
        }
        for (const host of app.hostnames) {
            for (const path of app.paths.length ? app.paths : ["/*"]) {
                const key = `${host}${path}`;
                const owner = hostOwners.get(key);
                if (owner !== undefined && owner !== app.name) {
                    ctx.addIssue({ code: "custom", path: ["routing", "apps", index, "hostnames"], message: `route ${key} is already served by app "${owner}"` });
                }
                hostOwners.set(key, app.name);
            }
        }
    });
}

/** dns mode: each color with weight has its load balancer, the records' zone, record types. */
function validateDnsRouting(routingConfig: RoutingInput, ctx: z.RefinementCtx): void {
    const weights = routingConfig.weights;
    for (const color of COLORS) {
        if (weights[color] > 0 && routingConfig.dns.loadBalancers[color] === undefined) {
            ctx.addIssue({
                code: "custom",
                path: ["routing", "dns", "loadBalancers", color],
                message: `is required in dns mode because ${color} has weight ${weights[color]}: give its load balancer's dnsName and zoneId`,
            });
        }
    }
    if (routingConfig.hostedZoneId === undefined && routingConfig.apps.length > 0) {
        ctx.addIssue({ code: "custom", path: ["routing", "hostedZoneId"], message: "is required in dns mode: the weighted records live in this Route 53 hosted zone" });
    }
    validateDnsMode(routingConfig, ctx);
}

/** alb mode: the records' zone, and the load balancer controller that binds Services to target groups. */
function validateAlbRouting(routingConfig: RoutingInput, clusters: ClustersInput, ctx: z.RefinementCtx): void {
    if (routingConfig.hostedZoneId === undefined && routingConfig.apps.length > 0) {
        ctx.addIssue({ code: "custom", path: ["routing", "hostedZoneId"], message: "is required in alb mode: each hostname gets an alias record to the load balancer in this Route 53 hosted zone" });
    }
    if (routingConfig.apps.length > 0) {
        for (const color of COLORS) {
            if (clusters[color] !== undefined && !clusters[color]!.addons["aws-load-balancer-controller"].enabled) {
                ctx.addIssue({
                    code: "custom",
                    path: ["clusters", color, "addons", "aws-load-balancer-controller", "enabled"],
                    message: "is false but alb routing binds each app's Service to its target group through this controller (TargetGroupBinding): enable it, or use routing.mode dns",
                });
            }
        }
    }
}

/** The ALB's own rule: a health check times out before the next one starts. */
function validateHealthChecks(routingConfig: RoutingInput, ctx: z.RefinementCtx): void {
    routingConfig.apps.forEach((app, index) => {
        const check = app.healthCheck;
        if (check.timeoutSeconds >= check.intervalSeconds) {
            ctx.addIssue({
                code: "custom",
                path: ["routing", "apps", index, "healthCheck", "timeoutSeconds"],
                message: `(${check.timeoutSeconds}) must be less than intervalSeconds (${check.intervalSeconds}), as the ALB requires`,
            });
        }
    });
}

/** An explicit verification color must be a configured one. */
function validateVerificationColor(routingConfig: RoutingInput, clusters: ClustersInput, ctx: z.RefinementCtx): void {
    const verification = routingConfig.verification;
    if (verification.color !== undefined && clusters[verification.color] === undefined) {
        ctx.addIssue({
            code: "custom",
            path: ["routing", "verification", "color"],
            message: `is ${verification.color} but clusters.${verification.color} does not exist: name a configured color, or remove it to verify the color with the lower weight`,
        });
    }
}

function validateDnsMode(routingConfig: RoutingInput, ctx: z.RefinementCtx): void {
    const dns = routingConfig.dns;
    if (dns.recordType === "alias") {
        if (dns.ttl !== undefined) {
            ctx.addIssue({
                code: "custom",
                path: ["routing", "dns", "ttl"],
                message: "is set but alias records have no TTL of their own (resolvers cache them for the load balancer's 60 s): remove ttl, or set dns.recordType to cname",
            });
        }
        for (const color of COLORS) {
            const lb = dns.loadBalancers[color];
            if (lb !== undefined && lb.zoneId === undefined) {
                ctx.addIssue({
                    code: "custom",
                    path: ["routing", "dns", "loadBalancers", color, "zoneId"],
                    message: "is required for alias records: the load balancer's canonical hosted zone id (CanonicalHostedZoneId in `aws elbv2 describe-load-balancers`)",
                });
            }
        }
    }
    routingConfig.apps.forEach((app, index) => {
        if (app.paths.length > 0) {
            ctx.addIssue({
                code: "custom",
                path: ["routing", "apps", index, "paths"],
                message: "is set in dns mode, which routes whole hostnames: route paths in each cluster's own ingress and remove them here, or use alb mode",
            });
        }
    });
}

export type EnvironmentConfig = z.output<typeof environmentConfigSchema>;
export type ClusterSpec = z.output<typeof clusterSpec>;
export type NodeGroupSpec = z.output<typeof nodeGroup>;
export type NetworkConfig = z.output<typeof network>;
export type RoutingConfig = z.output<typeof routing>;
export type RoutedApp = z.output<typeof routedApp>;
export type CutoverConfig = z.output<typeof cutoverSchema>;
export type AddonsConfig = ClusterSpec["addons"];
export type AddonName = keyof AddonsConfig;

