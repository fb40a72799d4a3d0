/**
 * The real readers of `preflight --live` against the AWS APIs (aws-sdk-client-mock): the weighted
 * rules' weights and stickiness, the target groups' attributes, the candidate's RequestCount, the
 * lease item, and the shell's region and profile; the stack's region, never the shell's.
 */
import { mockClient } from "aws-sdk-client-mock";
import { CloudWatchClient, GetMetricDataCommand } from "@aws-sdk/client-cloudwatch";
import { DynamoDBClient, GetItemCommand } from "@aws-sdk/client-dynamodb";
import {
    DescribeListenersCommand,
    DescribeRulesCommand,
    DescribeTargetGroupAttributesCommand,
    DescribeTargetGroupsCommand,
    DescribeTargetHealthCommand,
    ElasticLoadBalancingV2Client,
} from "@aws-sdk/client-elastic-load-balancing-v2";
import { Route53Client } from "@aws-sdk/client-route-53";
import { awsLiveReaders, createLiveClients } from "../../src/preflight/live-aws";
import { stackView } from "../cutover/fakes";

const view = stackView();
const BLUE = view.apps.shop.targetGroupArns.blue!;
const GREEN = view.apps.shop.targetGroupArns.green!;
const LB = "arn:aws:elasticloadbalancing:eu-west-1:123456789012:loadbalancer/app/prod-edge/1111111111111111";

const elb = mockClient(ElasticLoadBalancingV2Client);
const cw = mockClient(CloudWatchClient);
const ddb = mockClient(DynamoDBClient);
const r53 = mockClient(Route53Client);

beforeEach(() => {
    for (const m of [elb, cw, ddb, r53]) m.reset();
    elb.on(DescribeTargetGroupsCommand).resolves({ TargetGroups: [{ TargetGroupArn: BLUE, LoadBalancerArns: [LB] }] });
    elb.on(DescribeListenersCommand).resolves({ Listeners: [{ ListenerArn: `${LB}/listener-https` }] });
    elb.on(DescribeRulesCommand).resolves({
        Rules: [{
            RuleArn: "arn:rule/shop",
            Actions: [{ Type: "forward", ForwardConfig: { TargetGroups: [{ TargetGroupArn: BLUE, Weight: 90 }, { TargetGroupArn: GREEN, Weight: 10 }], TargetGroupStickinessConfig: { Enabled: true, DurationSeconds: 3600 } } }],
        }],
    });
    elb.on(DescribeTargetGroupAttributesCommand, { TargetGroupArn: GREEN }).resolves({ Attributes: [{ Key: "stickiness.enabled", Value: "true" }, { Key: "stickiness.type", Value: "lb_cookie" }, { Key: "stickiness.lb_cookie.duration_seconds", Value: "86400" }] });
    elb.on(DescribeTargetGroupAttributesCommand, { TargetGroupArn: BLUE }).resolves({ Attributes: [{ Key: "stickiness.enabled", Value: "false" }] });
});

function readers(options: { tableName?: string; env?: NodeJS.ProcessEnv } = {}) {
    const clients = createLiveClients({ region: "eu-west-1" });
    return awsLiveReaders({ view, region: "eu-west-1", clients, env: options.env ?? {}, ...(options.tableName ? { tableName: options.tableName } : {}), now: () => new Date("2026-11-28T02:00:00Z") });
}

test("live weights are the weighted rule's, per app", async () => {
    expect(await readers().routing.read(view)).toEqual({ shop: { blue: 90, green: 10 } });
});

test("stickiness: the rule's forward action and each color's target group attributes", async () => {
    expect(await readers().stickiness()).toEqual([
        { app: "shop", forward: { enabled: true, durationSeconds: 3600 }, targetGroups: { blue: { enabled: false }, green: { enabled: true, type: "lb_cookie", durationSeconds: 86400 } } },
    ]);
});

test("requests: the sum of RequestCount of the candidate's target group on its load balancer, over the window", async () => {
    cw.on(GetMetricDataCommand).resolves({ MetricDataResults: [{ Id: "requests", Values: [12, 30] }] });
    const start = new Date("2026-11-28T01:00:00Z");
    const end = new Date("2026-11-28T02:00:00Z");
    expect(await readers().requests("shop", "green", start, end)).toBe(42);
    const input = cw.commandCalls(GetMetricDataCommand)[0].args[0].input;
    expect(input).toMatchObject({ StartTime: start, EndTime: end });
    expect(input.MetricDataQueries![0].MetricStat).toEqual({
        Metric: { Namespace: "AWS/ApplicationELB", MetricName: "RequestCount", Dimensions: [{ Name: "LoadBalancer", Value: "app/prod-edge/1111111111111111" }, { Name: "TargetGroup", Value: "targetgroup/prod-shop-green/fedcba9876543210" }] },
        Period: 3600,
        Stat: "Sum",
    });
    cw.on(GetMetricDataCommand).resolves({ MetricDataResults: [{ Id: "requests", Values: [] }] });
    expect(await readers().requests("shop", "green", start, end)).toBe(0);
});

test("target health of the candidate: DescribeTargetHealth states as ELBv2 gives them", async () => {
    elb.on(DescribeTargetHealthCommand, { TargetGroupArn: GREEN }).resolves({ TargetHealthDescriptions: [{ Target: { Id: "10.0.0.1", Port: 8080 }, TargetHealth: { State: "healthy" } }, { Target: { Id: "10.0.0.2" }, TargetHealth: { State: "draining" } }] });
    expect(await readers().targets.targets("shop", "green")).toEqual([{ id: "10.0.0.1", port: 8080, state: "healthy" }, { id: "10.0.0.2", state: "draining" }]);
});

test("the lease item of the environment's table; no table, no lease reader", async () => {
    const body = { owner: "alice", host: "laptop", runId: "r1", command: "cutover", startedAt: "2026-11-28T01:30:00.000Z", expiresAt: "x" };
    ddb.on(GetItemCommand).resolves({ Item: { pk: { S: "lease" }, sk: { S: "lease" }, runId: { S: "r1" }, fence: { N: "3" }, expiresAt: { S: "2026-11-28T02:05:00.000Z" }, body: { S: JSON.stringify(body) } } });
    expect(await readers({ tableName: "prod-cutover" }).lease!()).toEqual({ ...body, expiresAt: "2026-11-28T02:05:00.000Z" });
    expect(ddb.commandCalls(GetItemCommand)[0].args[0].input).toMatchObject({ TableName: "prod-cutover", ConsistentRead: true });
    expect(readers().lease).toBeUndefined();
});

test("the shell's region and profile are read for comparison only", async () => {
    expect(readers({ env: { AWS_DEFAULT_REGION: "us-east-1", AWS_PROFILE: "dev" } }).shell).toEqual({ region: "us-east-1", profile: "dev" });
    expect(readers({ env: { AWS_REGION: "eu-central-1", AWS_DEFAULT_REGION: "us-east-1" } }).shell).toEqual({ region: "eu-central-1" });
    expect(await createLiveClients({ region: "eu-west-1" }).elbv2.config.region()).toBe("eu-west-1");
});
