/**
 * Checks of a parsed config that call other modules or need more than one section: whether the
 * routing fits one ALB (target groups, and listener rules as the rule planner lays them out), node
 * group versions against their control plane (the same rules preflight applies, src/versions), the
 * add-ons' inputs, and, once the region is known, resources that must live in it. They run after
 * the schema accepted the config, as argo-rollouts keeps `validation_references.go` apart from
 * `validation.go`, so the schema never depends on the modules that depend on it.
 */
import * as semver from "semver";
import { ALB_QUOTAS } from "../routing/quotas";
import { planRules, ruleCount, RulePlanError } from "../routing/rules";
import { checkNodeGroupVersion } from "../versions/upgrade-rules";
import { Color, COLORS, presentColors } from "./colors";
import { ConfigProblem } from "./problems";
import { EnvironmentConfig } from "./schema";

/** Every problem the reference checks find; empty when there is none. */
export function checkReferences(config: EnvironmentConfig): ConfigProblem[] {
    const problems = [...nodeGroupVersionProblems(config), ...addonProblems(config)];
    if (config.routing?.mode === "alb") problems.push(...albQuotaProblems(config.routing, presentColors(config)));
    return problems;
}

/** Checks that need the environment's region (bluegreen:region, aws:region or the provider's fallback). */
export function checkRegionReferences(config: EnvironmentConfig, region: string): ConfigProblem[] {
    const problems: ConfigProblem[] = [];
    const certificateArn = config.routing?.certificateArn;
    const certificateRegion = certificateArn?.split(":")[3];
    if (config.routing?.mode === "alb" && certificateRegion !== undefined && certificateRegion !== region) {
        problems.push({
            path: "routing.certificateArn",
            message: `is in ${certificateRegion} but the load balancer is in ${region}: an ALB can only use an ACM certificate of its own region; request or import the certificate in ${region} and use its ARN`,
        });
    }
    return problems;
}

/** Node groups within the kubelet skew EKS allows, as preflight judges them (src/versions). */
function nodeGroupVersionProblems(config: EnvironmentConfig): ConfigProblem[] {
    const problems: ConfigProblem[] = [];
    for (const color of COLORS) {
        const cluster = config.clusters[color];
        cluster?.nodeGroups.forEach((group, index) => {
            if (group.version === undefined) return;
            const result = checkNodeGroupVersion(cluster.version, group.version);
            if (!result.allowed) problems.push({ path: `clusters.${color}.nodeGroups[${index}].version`, message: `(${result.detail})` });
        });
    }
    return problems;
}

const SCP_LIKE_GIT_URL = /^[\w.-]+@[\w.-]+:[\w./~-]+$/;

function isRepositoryUrl(value: string): boolean {
    if (SCP_LIKE_GIT_URL.test(value)) return true;
    try {
        const url = new URL(value);
        return ["https:", "http:", "ssh:", "git:"].includes(url.protocol) && url.hostname !== "";
    } catch {
        return false;
    }
}

/** What each add-on's settings must be for it to install what the config says. */
function addonProblems(config: EnvironmentConfig): ConfigProblem[] {
    const problems: ConfigProblem[] = [];
    for (const color of COLORS) {
        const addons = config.clusters[color]?.addons;
        if (addons === undefined) continue;
        const at = `clusters.${color}.addons`;
        for (const [name, addon] of Object.entries(addons) as Array<[string, { version?: string }]>) {
            if (addon.version !== undefined && semver.valid(addon.version) === null) {
                problems.push({
                    path: `${at}.${name}.version`,
                    message: `(${JSON.stringify(addon.version)}) is not an exact chart version like "1.2.3": pin the version (\`helm search repo ${name} --versions\` lists them) so every pulumi up installs the same chart`,
                });
            }
        }
        const dns = addons["external-dns"];
        if (dns.domainFilters.length > 0 && dns.zoneIdFilters.length === 0) {
            problems.push({
                path: `${at}.external-dns.zoneIdFilters`,
                message: "is empty while domainFilters is set, so external-dns would not be installed (its IAM policy is scoped to the listed zones): list the Route 53 hosted zone ids, or remove domainFilters",
            });
        }
        const repoURL = addons.argocd.bootstrap?.repoURL;
        if (repoURL !== undefined && !isRepositoryUrl(repoURL)) {
            problems.push({
                path: `${at}.argocd.bootstrap.repoURL`,
                message: `(${JSON.stringify(repoURL)}) is not a Git repository URL like "https://github.com/example-org/platform-gitops.git" or "git@github.com:example-org/platform-gitops.git"`,
            });
        }
    }
    return problems;
}

function albQuotaProblems(routing: NonNullable<EnvironmentConfig["routing"]>, colors: Color[]): ConfigProblem[] {
    const colorCount = colors.length;
    const problems: ConfigProblem[] = [];
    const targetGroups = routing.apps.length * colorCount;
    if (targetGroups > ALB_QUOTAS.targetGroupsPerLoadBalancer) {
        problems.push({
            path: "routing.apps",
            message: `need ${targetGroups} target groups (${routing.apps.length} apps × ${colorCount} colors) but an ALB takes at most ${ALB_QUOTAS.targetGroupsPerLoadBalancer} (not adjustable): split the apps over several environments, or use dns mode`,
        });
    }
    try {
        const verification = routing.verification;
        const rules = planRules(routing.apps, { colors, headerRule: verification.enabled && verification.headerRule, verification: verification.enabled });
        const count = ruleCount(rules);
        const limit = routing.quotas.rulesPerLoadBalancer;
        if (count > limit) {
            const parts = [`${rules.weighted.length} for traffic`];
            if (rules.verification.length) parts.push(`${rules.verification.length} on the verification listener`);
            if (rules.header.length) parts.push(`${rules.header.length} tester-header rules`);
            problems.push({
                path: "routing.apps",
                message: `need ${count} listener rules (${parts.join(", ")}) but the load balancer takes ${limit} (routing.quotas.rulesPerLoadBalancer; the AWS default is ${ALB_QUOTAS.rulesPerLoadBalancer}): ${rules.header.length ? "turn off verification.headerRule, " : ""}give apps fewer hostnames/paths (each rule holds 3 hostnames and 1 path), or raise "Rules per Application Load Balancer" in Service Quotas and set routing.quotas.rulesPerLoadBalancer`,
            });
        }
    } catch (err) {
        if (!(err instanceof RulePlanError)) throw err;
        problems.push({ path: "routing.apps", message: err.message });
    }
    return problems;
}
