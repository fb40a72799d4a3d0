/**
 * dns mode: how Route 53 itself sees each color. Weighted alias records with EvaluateTargetHealth
 * inherit their Application Load Balancer's health, and Route 53 judges the whole load balancer: it
 * is unhealthy as soon as one of its target groups that has targets has no healthy target (Route 53
 * API Reference, AliasTarget.EvaluateTargetHealth). Two consequences the target-health gate alone does
 * not show: a candidate whose load balancer is unhealthy this way gets none of its share (its traffic
 * gates then see no requests, and the step fails late as "too few conclusive checks"), and while every
 * record with weight is unhealthy Route 53 answers with the weight-0 records too, so the color at 0 %
 * already gets users. The first is a hard check on the candidate, the second a warning on the current color.
 */
import { DescribeTargetHealthCommand, ElasticLoadBalancingV2Client, paginateDescribeTargetGroups } from "@aws-sdk/client-elastic-load-balancing-v2";
import { Color, COLORS } from "../../config/colors";
import type { Gate, GateCheck, GateContext } from "../contract";
import type { DnsTargets } from "./dns-targets";

/** One target group of a load balancer: registered targets and how many are healthy. */
export interface GroupHealth {
    arn: string;
    targets: number;
    healthy: number;
}

export interface AliasHealthSource {
    /** Every target group attached to the load balancer (not only the routed apps'). */
    groups(loadBalancerArn: string): Promise<GroupHealth[]>;
}

/** Pure: Route 53's verdict on an ALB alias target: unhealthy when a group with targets has none healthy. */
export function judgeAliasHealth(groups: GroupHealth[]): { healthy: boolean; failing: GroupHealth[] } {
    const failing = groups.filter((g) => g.targets > 0 && g.healthy === 0);
    return { healthy: failing.length === 0, failing };
}

/** DescribeTargetGroups of the load balancer (all pages), DescribeTargetHealth of each. */
export class ElbAliasHealthSource implements AliasHealthSource {
    constructor(private readonly client: ElasticLoadBalancingV2Client) {}

    async groups(loadBalancerArn: string): Promise<GroupHealth[]> {
        const arns: string[] = [];
        for await (const page of paginateDescribeTargetGroups({ client: this.client }, { LoadBalancerArn: loadBalancerArn })) {
            for (const group of page.TargetGroups ?? []) if (group.TargetGroupArn) arns.push(group.TargetGroupArn);
        }
        return Promise.all(
            arns.map(async (arn) => {
                const described = (await this.client.send(new DescribeTargetHealthCommand({ TargetGroupArn: arn }))).TargetHealthDescriptions ?? [];
                return { arn, targets: described.length, healthy: described.filter((d) => d.TargetHealth?.State === "healthy").length };
            }),
        );
    }
}

const errorText = (err: unknown) => (err instanceof Error ? err.message : String(err)).split("\n")[0];
const groupName = (arn: string) => arn.split(":").pop()!;

/** Each color's load balancers whose records evaluate target health, with the apps routed through each. */
function evaluatedLoadBalancers(targets: DnsTargets, color: Color): Array<{ arn: string; dimension: string; apps: string[] }> {
    const byArn = new Map<string, { arn: string; dimension: string; apps: string[] }>();
    for (const [app, colors] of Object.entries(targets).sort(([a], [b]) => a.localeCompare(b))) {
        const lb = colors[color];
        if (!lb?.evaluatesTargetHealth) continue;
        const entry = byArn.get(lb.arn) ?? { arn: lb.arn, dimension: lb.dimension, apps: [] };
        entry.apps.push(app);
        byArn.set(lb.arn, entry);
    }
    return [...byArn.values()];
}

export function aliasHealthGate(deps: { targets: DnsTargets; source: AliasHealthSource }): Gate {
    const name = "route53-alias-health";
    return {
        name,
        kind: "health",
        describe: () => "Route 53's view of each color's load balancer (alias records with EvaluateTargetHealth): the candidate's must be healthy (every target group with targets has a healthy one), or its records get no traffic; an unhealthy current color is a warning (the weight-0 records then get traffic too)",
        async check(context: GateContext) {
            const colors = COLORS.filter((c) => c === context.candidate || (c === context.current && context.weights[c] > 0));
            const checks = await Promise.all(
                colors.flatMap((color) =>
                    evaluatedLoadBalancers(deps.targets, color).map(async (lb): Promise<GateCheck> => {
                        const warning = color !== context.candidate;
                        const base = { gate: name, app: lb.apps.join(","), color, ...(warning ? { warning } : {}) };
                        try {
                            const verdict = judgeAliasHealth(await deps.source.groups(lb.arn));
                            if (verdict.healthy) return { ...base, result: "pass", value: 0, threshold: 0, message: `${color}'s load balancer ${lb.dimension} is healthy to Route 53: every target group with targets has a healthy one` };
                            const groups = verdict.failing.map((g) => `${groupName(g.arn)} (0 healthy of ${g.targets})`).join(", ");
                            const why = warning
                                ? `Route 53 treats its records as unhealthy: when every record with weight is unhealthy it answers with the weight-0 records too, so ${context.candidate} gets users before its step`
                                : `Route 53 treats its records as unhealthy and sends none of ${color}'s share to it: fix these target groups (an unrelated app's on the same load balancer counts too)`;
                            return { ...base, result: "fail", value: verdict.failing.length, threshold: 0, message: `${color}'s load balancer ${lb.dimension}: ${groups} have no healthy target; ${why}` };
                        } catch (err) {
                            return { ...base, result: "error", message: `${color}'s load balancer ${lb.dimension}: could not read its target groups' health: ${errorText(err)}` };
                        }
                    }),
                ),
            );
            return checks;
        },
    };
}
