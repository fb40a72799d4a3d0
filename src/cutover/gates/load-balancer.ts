/**
 * Load balancer gates on the candidate color's target groups: target health (ELBv2
 * DescribeTargetHealth) and the 5xx rate over the bake window (CloudWatch GetMetricData).
 */
import { CloudWatchClient, GetMetricDataCommand, MetricDataQuery } from "@aws-sdk/client-cloudwatch";
import { DescribeTargetHealthCommand, ElasticLoadBalancingV2Client } from "@aws-sdk/client-elastic-load-balancing-v2";
import { Gate, GateContext, GateResult } from "../model";

const UNHEALTHY_STATES = new Set(["unhealthy", "unavailable"]);

/** `targetgroup/<name>/<id>` from a target group ARN: the CloudWatch dimension value. */
export function targetGroupArnSuffix(arn: string): string | undefined {
    const match = /:(targetgroup\/[^/]+\/[0-9a-f]+)$/.exec(arn);
    return match?.[1];
}

function candidateTargetGroups(context: GateContext): Array<{ app: string; arn: string; suffix?: string; loadBalancer?: string }> {
    return Object.entries(context.stack.apps).flatMap(([app, view]) => {
        const arn = view.targetGroupArns[context.candidate];
        if (!arn) return [];
        return [{ app, arn, suffix: view.targetGroupArnSuffixes?.[context.candidate] ?? targetGroupArnSuffix(arn), loadBalancer: view.loadBalancerArnSuffix }];
    });
}

export function targetHealthGate(client: ElasticLoadBalancingV2Client, minHealthyTargets: number): Gate {
    return {
        name: "target health",
        async check(context): Promise<GateResult> {
            const groups = candidateTargetGroups(context);
            if (groups.length === 0) return { gate: this.name, ok: false, details: [`${context.candidate} has no target groups in the stack outputs (routing.apps.*.targetGroupArns.${context.candidate})`] };
            const details: string[] = [];
            let ok = true;
            for (const group of groups) {
                const response = await client.send(new DescribeTargetHealthCommand({ TargetGroupArn: group.arn }));
                const states = (response.TargetHealthDescriptions ?? []).map((d) => d.TargetHealth?.State ?? "unknown");
                const healthy = states.filter((s) => s === "healthy").length;
                const unhealthy = states.filter((s) => UNHEALTHY_STATES.has(s)).length;
                const groupOk = healthy >= minHealthyTargets && unhealthy === 0;
                ok &&= groupOk;
                details.push(`app ${group.app}: ${healthy} healthy, ${unhealthy} unhealthy of ${states.length} targets (need ≥ ${minHealthyTargets} healthy, 0 unhealthy)${groupOk ? "" : "  ✗"}`);
            }
            return { gate: this.name, ok, details };
        },
    };
}

export function errorRateGate(client: CloudWatchClient, max5xxRate: number, now: () => Date = () => new Date()): Gate {
    return {
        name: "5xx rate",
        async check(context): Promise<GateResult> {
            const groups = candidateTargetGroups(context).filter((g) => g.suffix && g.loadBalancer);
            if (groups.length === 0) {
                return { gate: this.name, ok: true, details: ["not measured: the stack outputs give no load balancer / target group ARN suffixes (dns mode or an older stack)"] };
            }
            const queries: MetricDataQuery[] = groups.flatMap((g, i) => [
                metricQuery(`errors${i}`, "HTTPCode_Target_5XX_Count", g.loadBalancer!, g.suffix!),
                metricQuery(`requests${i}`, "RequestCount", g.loadBalancer!, g.suffix!),
            ]);
            const totals = new Map<string, number>();
            let nextToken: string | undefined;
            do {
                const response = await client.send(new GetMetricDataCommand({ MetricDataQueries: queries, StartTime: context.since, EndTime: now(), NextToken: nextToken }));
                for (const result of response.MetricDataResults ?? []) {
                    totals.set(result.Id!, (totals.get(result.Id!) ?? 0) + (result.Values ?? []).reduce((a, b) => a + b, 0));
                }
                nextToken = response.NextToken;
            } while (nextToken);
            let ok = true;
            const details = groups.map((g, i) => {
                const errors = totals.get(`errors${i}`) ?? 0;
                const requests = totals.get(`requests${i}`) ?? 0;
                const rate = requests === 0 ? 0 : errors / requests;
                const groupOk = rate <= max5xxRate;
                ok &&= groupOk;
                return `app ${g.app}: ${errors} 5xx of ${requests} requests (${(rate * 100).toFixed(2)}%, limit ${(max5xxRate * 100).toFixed(2)}%)${groupOk ? "" : "  ✗"}`;
            });
            return { gate: this.name, ok, details };
        },
    };
}

function metricQuery(id: string, metric: string, loadBalancer: string, targetGroup: string): MetricDataQuery {
    return {
        Id: id,
        ReturnData: true,
        MetricStat: {
            Metric: {
                Namespace: "AWS/ApplicationELB",
                MetricName: metric,
                Dimensions: [{ Name: "LoadBalancer", Value: loadBalancer }, { Name: "TargetGroup", Value: targetGroup }],
            },
            Period: 60,
            Stat: "Sum",
        },
    };
}
