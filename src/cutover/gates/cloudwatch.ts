/**
 * The CloudWatch implementation of `TrafficSource`: one GetMetricData call per app and color (and
 * one per load balancer), 60 s periods aligned to the minute, metric math `FILL(m, 0)` so a minute
 * without requests (the ALB publishes nothing then) reads as zero instead of going missing, all pages
 * of the answer, and only minutes that are complete and older than the settle delay. The client comes
 * in already configured with the stack's region and credentials; every target group ARN is checked
 * against that region, because querying another region returns no data rather than an error.
 * In dns mode each color has its own load balancer, and an app may reach several of its target
 * groups (paths routed by the Ingress): counts are summed with metric math, p99 is the highest of
 * the groups' p99 (percentiles cannot be summed; the highest is the one a user may get), and the
 * load balancers' own 5xx are summed over both colors' load balancers.
 */
import { CloudWatchClient, GetMetricDataCommand, GetMetricDataCommandOutput, MetricDataQuery } from "@aws-sdk/client-cloudwatch";
import type { Color } from "../../config/colors";
import { METRIC_PERIOD_MS } from "../../config/schema";
import type { LoadBalancerMinute, TrafficMinute, TrafficSource } from "../sources";

export interface AppMetricTarget {
    /** `app/<name>/<id>`: the LoadBalancer dimension (dns mode: one per color). */
    loadBalancer: string | Partial<Record<Color, string>>;
    /** Full target group ARN(s) per color (their region is checked) */
    targetGroupArns: Partial<Record<Color, string | string[]>>;
}

export interface CloudWatchSourceOptions {
    client: CloudWatchClient;
    /** The stack's region (its output), which the client must be configured with. */
    region: string;
    apps: Record<string, AppMetricTarget>;
    /** The load balancer(s) (`app/<name>/<id>`) whose own 5xx are judged: the shared one, or each color's in dns mode (summed). */
    loadBalancer?: string | string[];
    settleDelayMs: number;
    now?: () => Date;
}

const NAMESPACE = "AWS/ApplicationELB";
const PERIOD_S = METRIC_PERIOD_MS / 1000;

/** `targetgroup/<name>/<id>` and the region from a target group ARN. */
export function parseTargetGroupArn(arn: string): { region: string; dimension: string } | undefined {
    const match = /^arn:aws[a-z-]*:elasticloadbalancing:([a-z0-9-]+):\d{12}:(targetgroup\/[^/]+\/[0-9a-f]+)$/.exec(arn);
    return match ? { region: match[1], dimension: match[2] } : undefined;
}

export class RegionMismatchError extends Error {}

function stat(id: string, metric: string, dimensions: Record<string, string>, statName: string): MetricDataQuery {
    return {
        Id: id,
        ReturnData: false,
        MetricStat: {
            Metric: { Namespace: NAMESPACE, MetricName: metric, Dimensions: Object.entries(dimensions).map(([Name, Value]) => ({ Name, Value })) },
            Period: PERIOD_S,
            Stat: statName,
        },
    };
}

/** The sum of the series, each missing minute read as 0 (the ALB publishes nothing for a minute without requests). */
const filled = (id: string, of: string[]): MetricDataQuery => ({ Id: id, Expression: of.map((m) => `FILL(${m}, 0)`).join(" + "), Label: id, ReturnData: true });
/** Query ids of the i-th of n series: no suffix when there is one. */
const suffixes = (n: number) => Array.from({ length: n }, (_, i) => (n === 1 ? "" : `_${i}`));

const floorMinute = (ms: number) => Math.floor(ms / METRIC_PERIOD_MS) * METRIC_PERIOD_MS;
const ceilMinute = (ms: number) => Math.ceil(ms / METRIC_PERIOD_MS) * METRIC_PERIOD_MS;

export class CloudWatchTrafficSource implements TrafficSource {
    private readonly now: () => Date;
    constructor(private readonly options: CloudWatchSourceOptions) {
        this.now = options.now ?? (() => new Date());
    }

    async appMinutes(app: string, color: Color, start: Date, end: Date): Promise<TrafficMinute[]> {
        const target = this.options.apps[app];
        const arns = [target?.targetGroupArns[color] ?? []].flat();
        const loadBalancer = typeof target?.loadBalancer === "string" ? target.loadBalancer : target?.loadBalancer[color];
        if (!target || arns.length === 0) throw new Error(`${app} has no ${color} target group in the stack outputs (routing.apps.${app}.targetGroupArns.${color})`);
        if (!loadBalancer) throw new Error(`${app} has no ${color} load balancer to read metrics of`);
        const groups = arns.map((arn) => {
            const tg = parseTargetGroupArn(arn);
            if (!tg) throw new Error(`${app}: "${arn}" is not a target group ARN`);
            return tg;
        });
        for (const tg of groups) await this.checkRegion(tg.region, `${app}'s ${color} target group`);
        const ids = suffixes(groups.length);
        const series = await this.query(
            [
                ...groups.flatMap((tg, i) => {
                    const dims = { LoadBalancer: loadBalancer, TargetGroup: tg.dimension };
                    return [
                        stat(`m_requests${ids[i]}`, "RequestCount", dims, "Sum"),
                        stat(`m_target5xx${ids[i]}`, "HTTPCode_Target_5XX_Count", dims, "Sum"),
                        stat(`m_connection${ids[i]}`, "TargetConnectionErrorCount", dims, "Sum"),
                        { ...stat(`p99${ids[i]}`, "TargetResponseTime", dims, "p99"), ReturnData: true },
                    ];
                }),
                filled("requests", ids.map((x) => `m_requests${x}`)),
                filled("target5xx", ids.map((x) => `m_target5xx${x}`)),
                filled("connectionErrors", ids.map((x) => `m_connection${x}`)),
            ],
            start,
            end,
        );
        return series.minutes.map((minute) => {
            const p99s = ids.map((x) => series.value(`p99${x}`, minute)).filter((v): v is number => v !== undefined);
            const p99 = p99s.length ? Math.max(...p99s) : undefined;
            const requests = series.value("requests", minute) ?? 0;
            return {
                minute: new Date(minute),
                requests,
                target5xx: series.value("target5xx", minute) ?? 0,
                connectionErrors: series.value("connectionErrors", minute) ?? 0,
                // TargetResponseTime is in seconds
                ...(p99 !== undefined && requests > 0 ? { p99Ms: p99 * 1000 } : {}),
            };
        });
    }

    async loadBalancerMinutes(start: Date, end: Date): Promise<LoadBalancerMinute[]> {
        const lbs = [...new Set([this.options.loadBalancer ?? []].flat())];
        if (lbs.length === 0) throw new Error("the stack outputs name no load balancer (routing.loadBalancerArnSuffix)");
        await this.checkRegion(this.options.region, lbs.length === 1 ? "the load balancer" : "the load balancers");
        const ids = suffixes(lbs.length);
        const series = await this.query(
            [
                ...lbs.flatMap((lb, i) => [stat(`m_requests${ids[i]}`, "RequestCount", { LoadBalancer: lb }, "Sum"), stat(`m_elb5xx${ids[i]}`, "HTTPCode_ELB_5XX_Count", { LoadBalancer: lb }, "Sum")]),
                filled("requests", ids.map((x) => `m_requests${x}`)),
                filled("elb5xx", ids.map((x) => `m_elb5xx${x}`)),
            ],
            start,
            end,
        );
        return series.minutes.map((minute) => ({ minute: new Date(minute), requests: series.value("requests", minute) ?? 0, elb5xx: series.value("elb5xx", minute) ?? 0 }));
    }

    private async checkRegion(resourceRegion: string, what: string): Promise<void> {
        const configured = await this.options.client.config.region();
        if (configured !== this.options.region || resourceRegion !== this.options.region) {
            throw new RegionMismatchError(
                `region mismatch: ${what} is in ${resourceRegion}, the stack's region is ${this.options.region} and CloudWatch is queried in ${configured}: metrics of another region read as "no data", so nothing is judged (run with the stack's region; check aws:region)`,
            );
        }
    }

    /** All pages of one aligned query, keyed by minute; only complete minutes older than the settle delay. */
    private async query(queries: MetricDataQuery[], start: Date, end: Date) {
        const startMs = ceilMinute(start.getTime());
        const endMs = Math.min(floorMinute(end.getTime()), floorMinute(this.now().getTime() - this.options.settleDelayMs));
        const values = new Map<string, Map<number, number>>();
        if (endMs > startMs) {
            let NextToken: string | undefined;
            do {
                const page: GetMetricDataCommandOutput = await this.options.client.send(
                    new GetMetricDataCommand({ MetricDataQueries: queries, StartTime: new Date(startMs), EndTime: new Date(endMs), ScanBy: "TimestampAscending", NextToken }),
                );
                for (const result of page.MetricDataResults ?? []) {
                    const byMinute = values.get(result.Id!) ?? new Map<number, number>();
                    (result.Timestamps ?? []).forEach((t, i) => byMinute.set(new Date(t).getTime(), result.Values![i]));
                    values.set(result.Id!, byMinute);
                }
                NextToken = page.NextToken;
            } while (NextToken);
        }
        const minutes: number[] = [];
        for (let t = startMs; t < endMs; t += METRIC_PERIOD_MS) minutes.push(t);
        return { minutes, value: (id: string, minute: number) => values.get(id)?.get(minute) };
    }
}
