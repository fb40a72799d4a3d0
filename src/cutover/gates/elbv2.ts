/**
 * The ELBv2 implementation of `TargetHealthSource`: DescribeTargetHealth of an app's target group
 * on one color, states as ELBv2 reports them. Like the CloudWatch source it refuses a target group
 * of another region than the stack's, since that mistake reads as "no targets" rather than an error.
 * In dns mode an app's hostnames may be forwarded to several target groups of a color's load
 * balancer (paths routed by its Ingress): its targets are those of all of them.
 */
import { DescribeTargetHealthCommand, ElasticLoadBalancingV2Client } from "@aws-sdk/client-elastic-load-balancing-v2";
import type { Color } from "../../config/colors";
import type { RegisteredTarget, TargetHealthSource, TargetState } from "../sources";
import { parseTargetGroupArn, RegionMismatchError } from "./cloudwatch";

export interface ElbTargetHealthOptions {
    client: ElasticLoadBalancingV2Client;
    region: string;
    /** Full target group ARN(s) per app and color. */
    targetGroupArns: Record<string, Partial<Record<Color, string | string[]>>>;
}

export class ElbTargetHealthSource implements TargetHealthSource {
    constructor(private readonly options: ElbTargetHealthOptions) {}

    async targets(app: string, color: Color): Promise<RegisteredTarget[]> {
        const arns = [this.options.targetGroupArns[app]?.[color] ?? []].flat();
        if (arns.length === 0) throw new Error(`${app} has no ${color} target group in the stack outputs (routing.apps.${app}.targetGroupArns.${color})`);
        const configured = await this.options.client.config.region();
        for (const arn of arns) {
            const region = parseTargetGroupArn(arn)?.region;
            if (region !== this.options.region || configured !== this.options.region) {
                throw new RegionMismatchError(`region mismatch: ${app}'s ${color} target group is in ${region ?? "?"}, the stack's region is ${this.options.region} and ELBv2 is asked in ${configured}`);
            }
        }
        const described = await Promise.all(arns.map((arn) => this.options.client.send(new DescribeTargetHealthCommand({ TargetGroupArn: arn }))));
        return described.flatMap((response) =>
            (response.TargetHealthDescriptions ?? []).map((d) => ({
                id: d.Target?.Id ?? "?",
                ...(d.Target?.Port !== undefined ? { port: d.Target.Port } : {}),
                state: (d.TargetHealth?.State ?? "unavailable") as TargetState,
            })),
        );
    }
}
