/**
 * The ELBv2 target-health readers `status` and the rollback capacity check use (the gates have their
 * own sources in ./gates).
 */
import { DescribeTargetHealthCommand, ElasticLoadBalancingV2Client } from "@aws-sdk/client-elastic-load-balancing-v2";
import { StackView } from "./model";
import type { RegisteredTarget, TargetHealthSource, TargetState } from "./sources";

export function elbTargetHealthSource(view: StackView, client = new ElasticLoadBalancingV2Client({})): TargetHealthSource {
    return {
        async targets(app, color): Promise<RegisteredTarget[]> {
            const arn = view.apps[app]?.targetGroupArns[color];
            if (!arn) return [];
            const response = await client.send(new DescribeTargetHealthCommand({ TargetGroupArn: arn }));
            return (response.TargetHealthDescriptions ?? []).map((d) => ({ id: d.Target?.Id ?? "?", port: d.Target?.Port, state: (d.TargetHealth?.State ?? "unavailable") as TargetState }));
        },
    };
}

export function elbTargetHealthReader(client = new ElasticLoadBalancingV2Client({})): (arn: string) => Promise<Record<string, number>> {
    return async (arn) => {
        const response = await client.send(new DescribeTargetHealthCommand({ TargetGroupArn: arn }));
        const counts: Record<string, number> = {};
        for (const d of response.TargetHealthDescriptions ?? []) {
            const state = d.TargetHealth?.State ?? "unknown";
            counts[state] = (counts[state] ?? 0) + 1;
        }
        return counts;
    };
}
