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

const MINOR_VERSION = /^1\.\d{2}$/;
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

const nodeGroup = z
    .strictObject({
        name: dnsLabel,
        instanceTypes: z.array(z.string().min(1)).min(1),
        capacityType: z.enum(["ON_DEMAND", "SPOT"]).default("ON_DEMAND"),
        minSize: count,
        desiredSize: count,
        maxSize: z.int().min(1),
        labels: z.record(z.string(), z.string()).default({}),
        taints: z.array(nodeTaint).default([]),
        diskSize: z.int().min(20).max(16384).default(50),
        amiType: z
            .enum([
                "AL2023_x86_64_STANDARD",
                "AL2023_ARM_64_STANDARD",
                "AL2023_x86_64_NVIDIA",
                "AL2023_x86_64_NEURON",
                "BOTTLEROCKET_x86_64",
                "BOTTLEROCKET_ARM_64",
                "BOTTLEROCKET_x86_64_NVIDIA",
                "BOTTLEROCKET_ARM_64_NVIDIA",
            ])
            .default("AL2023_x86_64_STANDARD"),
        /** Nodes replaced at once during a node group update: a count, or a percentage like "25%". */
        maxUnavailable: z
            .union([z.int().min(1).max(100), z.string().regex(/^([1-9]|[1-9]\d|100)%$/, { message: "PERCENT" })])
            .default(1),
        /** Kubelet version of the group; defaults to the control plane's. Must stay within the supported skew. */
        version: kubernetesMinorVersion.optional(),
    })
    .superRefine((group, ctx) => {
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

export const CRD_CHANGE_LEVELS = ["cosmetic", "compatible"] as const;

/** What every add-on accepts; each add-on extends it with its own settings. */
const addonBase = {
    /** Helm chart version; the add-on's default when absent. */
    version: z.string().min(1).optional(),
    /** The highest CRD change class allowed for an upgrade in place on a cluster that runs the add-on. */
    inPlaceCrdChanges: z.enum(CRD_CHANGE_LEVELS).default("cosmetic"),
    /** Extra Helm values, merged over the add-on's own. */
    values: z.record(z.string(), z.unknown()).default({}),
};

const argocdAddon = z.strictObject({
    ...addonBase,
    enabled: z.boolean().default(true),
    highAvailability: z.boolean().default(false),
    bootstrap: z
        .strictObject({
            repoURL: z.string().min(1),
            path: z.string().min(1),
            targetRevision: z.string().min(1).default("HEAD"),
            /** The path is a Helm chart: the root app passes it `bluegreen: { environment, color, clusterName }` as values. */
            helmValues: z.boolean().default(false),
        })
        .optional(),
});

const loadBalancerControllerAddon = z.strictObject({
    ...addonBase,
    enabled: z.boolean().default(true),
});

/** Installed when it has hosted zones to manage: its IAM permissions are scoped to them. */
const externalDnsAddon = z
    .strictObject({
        ...addonBase,
        enabled: z.boolean().optional(),
        domainFilters: z.array(z.string().min(1)).default([]),
        zoneIdFilters: z.array(z.string().regex(/^Z[A-Z0-9]+$/, { message: "ZONE_ID" })).default([]),
    })
    .superRefine((dns, ctx) => {
        if (dns.enabled === true && dns.zoneIdFilters.length === 0) {
            ctx.addIssue({
                code: "custom",
                path: ["zoneIdFilters"],
                message: "is empty while external-dns is enabled: list the Route 53 hosted zone ids it may change (its IAM policy is scoped to them)",
            });
        }
    })
    .transform((dns) => ({ ...dns, enabled: dns.enabled ?? dns.zoneIdFilters.length > 0 }));

const addons = z
    .strictObject({
        argocd: argocdAddon.prefault({}),
        "aws-load-balancer-controller": loadBalancerControllerAddon.prefault({}),
        "external-dns": externalDnsAddon.prefault({}),
    })
    .prefault({});

const LOG_TYPES = ["api", "audit", "authenticator", "controllerManager", "scheduler"] as const;

const endpointAccess = z
    .strictObject({
        privateAccess: z.boolean().default(true),
        publicAccess: z.boolean().default(false),
        publicAccessCidrs: z.array(cidr).default([]),
    })
    .superRefine((endpoint, ctx) => {
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
                    'is empty while publicAccess is true: list the CIDRs allowed to reach the API (write "0.0.0.0/0" explicitly to open it to the internet)',
            });
        }
        if (!endpoint.publicAccess && endpoint.publicAccessCidrs.length > 0) {
            ctx.addIssue({
                code: "custom",
                path: ["publicAccessCidrs"],
                message: "is set while publicAccess is false: set publicAccess to true, or remove the CIDRs",
            });
        }
    });

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

const access = z.strictObject({
    /** IAM roles or users given cluster-admin on every cluster through EKS access entries. */
    clusterAdmins: z.array(z.string().regex(IAM_PRINCIPAL_ARN, { message: "IAM_ARN" })).default([]),
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

const cutover = z.strictObject({
    steps: z.array(z.int().min(1).max(100)).min(1).default([10, 50, 100]),
    bake: duration.default("10m"),
    interval: duration.default("30s"),
    minHealthyTargets: z.int().min(1).default(1),
    max5xxRate: z.number().min(0).max(1).default(0.01),
    /** Fewer requests than this in a check's window make it inconclusive (never a pass). */
    minRequests: z.int().min(0).default(50),
    /** Gate errors (throttling, timeouts, 5xx from AWS or Kubernetes) in a row that count as one failure. */
    consecutiveErrorLimit: z.int().min(1).default(4),
    /** Failed gate checks tolerated per step before it falls back. */
    failureLimit: z.int().min(0).default(0),
    /** Where traffic goes when a step fails: `abort` = all back to the color that carried it before. */
    onFailure: z.enum(["abort", "previous-step"]).default("abort"),
    /** The color that carried all traffic before the cutover in progress; written by `bluegreen cutover`. */
    previousColor: z.enum(COLORS).optional(),
});

/** The cutover settings a stack gets when it sets none. */
export function cutoverDefaults(): z.output<typeof cutover> {
    return cutover.parse({});
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
        cutover: cutover.prefault({}),
        gitops: gitops.prefault({}),
        argocdAdminPassword: z.string().min(8).optional(),
    })
    .superRefine((config, ctx) => {
        const present = COLORS.filter((c) => config.clusters[c] !== undefined);
        if (present.length === 0) {
            ctx.addIssue({ code: "custom", path: ["clusters"], message: "has no cluster: configure at least blue (or green)" });
        }
        const routing = config.routing;
        if (routing) validateRouting(routing, config.clusters, ctx);
    });

type RoutingInput = z.output<typeof routing>;
type ClustersInput = z.output<typeof environmentConfigSchema>["clusters"];

function validateRouting(routingConfig: RoutingInput, clusters: ClustersInput, ctx: z.RefinementCtx): void {
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
    if (routingConfig.mode === "alb" && routingConfig.apps.length > 0 && routingConfig.certificateArn === undefined) {
        ctx.addIssue({ code: "custom", path: ["routing", "certificateArn"], message: "is required in alb mode: the HTTPS listener needs an ACM certificate ARN" });
    }
    const verification = routingConfig.verification;
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
    if (routingConfig.mode === "dns") {
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
    } else {
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
export type CutoverConfig = z.output<typeof cutover>;
export type AddonsConfig = ClusterSpec["addons"];
export type AddonName = keyof AddonsConfig;
export type CrdChangeLevel = (typeof CRD_CHANGE_LEVELS)[number];

