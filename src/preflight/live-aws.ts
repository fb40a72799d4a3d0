/**
 * The real readers of `preflight --live`: the same clients and readers the cutover uses (the
 * listener rules and weighted records of src/cutover/elb-routing.ts and dns-routing.ts, the target
 * health source of the gates, the DynamoDB lease), created once in the stack's region with the
 * stack's profile, never the shell's. Loaded only with --live, so the offline preflight starts fast.
 */
import { execFile } from "child_process";
import { CloudWatchClient, GetMetricDataCommand } from "@aws-sdk/client-cloudwatch";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { DescribeTargetGroupAttributesCommand, ElasticLoadBalancingV2Client } from "@aws-sdk/client-elastic-load-balancing-v2";
import { Route53Client } from "@aws-sdk/client-route-53";
import { Color, COLORS } from "../config/colors";
import { route53LiveRouting } from "../cutover/dns-routing";
import { DynamoCutoverStore } from "../cutover/dynamo-store";
import { elbLiveRouting } from "../cutover/elb-routing";
import type { StackView } from "../cutover/model";
import { awsCredentials, AwsTarget } from "../cutover/gates/aws-clients";
import { parseTargetGroupArn } from "../cutover/gates/cloudwatch";
import { ElbTargetHealthSource } from "../cutover/gates/elbv2";
import { resolveGateView } from "../cutover/gates/set";
import type { AppStickiness, GitRunner, LiveReaders, Stickiness } from "./model";

export interface AwsLiveClients {
    elbv2: ElasticLoadBalancingV2Client;
    cloudwatch: CloudWatchClient;
    dynamodb: DynamoDBClient;
    route53: Route53Client;
}

/** The clients of one preflight, in the stack's region with its credentials. */
export function createLiveClients(target: AwsTarget): AwsLiveClients {
    const config = { region: target.region, retryMode: "adaptive", maxAttempts: 3, ...awsCredentials(target) };
    return {
        elbv2: new ElasticLoadBalancingV2Client(config),
        cloudwatch: new CloudWatchClient(config),
        dynamodb: new DynamoDBClient(config),
        route53: new Route53Client(config),
    };
}

export const systemGit: GitRunner = (args, cwd) =>
    new Promise((resolve, reject) => {
        execFile("git", args, { cwd }, (err, stdout, stderr) => {
            if (err && (err as NodeJS.ErrnoException).code === "ENOENT") return reject(new Error("git is not installed (not on PATH)"));
            const code = err ? (typeof (err as { code?: unknown }).code === "number" ? ((err as { code: number }).code) : 1) : 0;
            resolve({ code, stdout, stderr });
        });
    });

export interface LiveReaderOptions {
    view: StackView;
    region: string;
    tableName?: string;
    clients: AwsLiveClients;
    env?: NodeJS.ProcessEnv;
    git?: GitRunner;
    now?: () => Date;
}

/** Target group stickiness attributes (lb_cookie or app_cookie duration). */
function groupStickiness(attributes: Array<{ Key?: string; Value?: string }>): Stickiness & { type?: string } {
    const get = (key: string) => attributes.find((a) => a.Key === key)?.Value;
    const type = get("stickiness.type");
    const seconds = get(type === "app_cookie" ? "stickiness.app_cookie.duration_seconds" : "stickiness.lb_cookie.duration_seconds");
    return { enabled: get("stickiness.enabled") === "true", ...(type ? { type } : {}), ...(seconds ? { durationSeconds: Number(seconds) } : {}) };
}

export function awsLiveReaders(options: LiveReaderOptions): LiveReaders {
    const { view, clients } = options;
    const env = options.env ?? process.env;
    const routing = elbLiveRouting(clients.elbv2, undefined, route53LiveRouting(clients.route53));
    const store = options.tableName ? new DynamoCutoverStore(clients.dynamodb, options.tableName) : undefined;
    const targetGroupArns = Object.fromEntries(Object.entries(view.apps).map(([a, app]) => [a, app.targetGroupArns]));
    return {
        view,
        shell: { ...(env.AWS_REGION ?? env.AWS_DEFAULT_REGION ? { region: env.AWS_REGION ?? env.AWS_DEFAULT_REGION } : {}), ...(env.AWS_PROFILE ? { profile: env.AWS_PROFILE } : {}) },
        credentials: async () => {
            await clients.elbv2.config.credentials();
        },
        routing,
        // dns mode: the cutover's own record following, so the plan lists the gates the cutover will run.
        resolveGateView: (gateView, candidate) => resolveGateView(gateView, candidate, clients, true),
        targets: new ElbTargetHealthSource({ client: clients.elbv2, region: options.region, targetGroupArns }),
        ...(store ? { lease: () => store.readLease(), record: () => store.readRecord() } : {}),
        stickiness: async () => {
            const rules = await routing.rules(view);
            const out: AppStickiness[] = [];
            for (const rule of rules) {
                const targetGroups: AppStickiness["targetGroups"] = {};
                for (const color of COLORS) {
                    const arn = rule.targetGroupArns[color];
                    if (!arn) continue;
                    const page = await clients.elbv2.send(new DescribeTargetGroupAttributesCommand({ TargetGroupArn: arn }));
                    targetGroups[color] = groupStickiness(page.Attributes ?? []);
                }
                out.push({ app: rule.app, forward: rule.stickiness ? { enabled: true, durationSeconds: rule.stickiness.durationSeconds } : { enabled: false }, targetGroups });
            }
            return out;
        },
        requests: (app, color, start, end) => requestCount(clients.cloudwatch, view, app, color, start, end),
        git: options.git ?? systemGit,
        now: options.now ?? (() => new Date()),
    };
}

/** Sum of RequestCount of an app's target group on `color` (AWS/ApplicationELB, LoadBalancer + TargetGroup) over the window. */
async function requestCount(client: CloudWatchClient, view: StackView, app: string, color: Color, start: Date, end: Date): Promise<number> {
    const routed = view.apps[app];
    const arn = routed?.targetGroupArns[color];
    const tg = arn ? parseTargetGroupArn(arn) : undefined;
    if (!tg) throw new Error(`${app} has no ${color} target group ARN in the stack outputs (routing.apps.${app}.targetGroupArns.${color})`);
    if (!routed.loadBalancerArnSuffix) throw new Error(`${app} has no load balancer ARN suffix in the stack outputs: run pulumi up`);
    const periodSeconds = Math.max(60, Math.ceil((end.getTime() - start.getTime()) / 60_000) * 60);
    const response = await client.send(
        new GetMetricDataCommand({
            StartTime: start,
            EndTime: end,
            MetricDataQueries: [
                {
                    Id: "requests",
                    MetricStat: {
                        Metric: {
                            Namespace: "AWS/ApplicationELB",
                            MetricName: "RequestCount",
                            Dimensions: [
                                { Name: "LoadBalancer", Value: routed.loadBalancerArnSuffix },
                                { Name: "TargetGroup", Value: tg.dimension },
                            ],
                        },
                        Period: periodSeconds,
                        Stat: "Sum",
                    },
                },
            ],
        }),
    );
    const values = response.MetricDataResults?.find((r) => r.Id === "requests")?.Values ?? [];
    return values.reduce((sum, v) => sum + v, 0);
}
