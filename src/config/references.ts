/**
 * Checks of a parsed config that call other modules: today, whether the routing fits one ALB
 * (target groups, and listener rules as the rule planner lays them out). They run after the schema
 * accepted the config, as argo-rollouts keeps `validation_references.go` apart from `validation.go`,
 * so the schema never depends on the modules that depend on it.
 */
import { ALB_QUOTAS } from "../routing/quotas";
import { planRules, ruleCount, RulePlanError } from "../routing/rules";
import { Color, presentColors } from "./colors";
import { ConfigProblem } from "./problems";
import { EnvironmentConfig } from "./schema";

/** Every problem the reference checks find; empty when there is none. */
export function checkReferences(config: EnvironmentConfig): ConfigProblem[] {
    if (config.routing?.mode !== "alb") return [];
    return albQuotaProblems(config.routing, presentColors(config));
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
