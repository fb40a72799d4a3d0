/**
 * Application Load Balancer quotas that bound what one environment's load balancer can route.
 * Values from "Quotas for your Application Load Balancers" (Elastic Load Balancing user guide):
 * https://docs.aws.amazon.com/elasticloadbalancing/latest/application/load-balancer-limits.html
 * and "Listener rules" (up to three match evaluations per condition, five per rule).
 */
export const ALB_QUOTAS = {
    /** Rules per load balancer, all listeners together, default rules excluded. Adjustable in Service Quotas. */
    rulesPerLoadBalancer: 100,
    /** Not adjustable. */
    targetGroupsPerLoadBalancer: 100,
    /** Not adjustable; a weighted forward names one target group per color, so two. */
    targetGroupsPerForwardAction: 5,
    matchEvaluationsPerCondition: 3,
    matchEvaluationsPerRule: 5,
    wildcardsPerRule: 5,
    /** Weight of one target group in a forward action. */
    maxTargetGroupWeight: 999,
    /** Rule priorities a listener accepts. */
    minRulePriority: 1,
    maxRulePriority: 50000,
    /** Length of one host-header or path-pattern value. */
    maxConditionValueLength: 128,
} as const;

/** Wildcard characters in a host-header or path-pattern value. */
export function wildcardCount(value: string): number {
    let count = 0;
    for (const ch of value) if (ch === "*" || ch === "?") count++;
    return count;
}
