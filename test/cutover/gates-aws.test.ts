import * as http from "http";
import { AddressInfo } from "net";
import { mockClient } from "aws-sdk-client-mock";
import { CloudWatchClient, GetMetricDataCommand, MetricDataQuery } from "@aws-sdk/client-cloudwatch";
import { DescribeTargetHealthCommand, ElasticLoadBalancingV2Client } from "@aws-sdk/client-elastic-load-balancing-v2";
import { CloudWatchTrafficSource, parseTargetGroupArn } from "../../src/cutover/gates/cloudwatch";
import { ElbTargetHealthSource } from "../../src/cutover/gates/elbv2";
import { createAwsClients, describeAwsTarget } from "../../src/cutover/gates/aws-clients";
import { target5xxGate } from "../../src/cutover/gates/traffic";

const LB = "app/prod-edge/1111111111111111";
const GREEN_TG = "arn:aws:elasticloadbalancing:eu-west-1:123456789012:targetgroup/prod-shop-green/fedcba9876543210";
const BLUE_TG = "arn:aws:elasticloadbalancing:eu-west-1:123456789012:targetgroup/prod-shop-blue/0123456789abcdef";
const MIN = 60_000;
const at = (hm: string) => new Date(`2026-11-27T${hm}Z`);

const cloudwatch = mockClient(CloudWatchClient);
const elb = mockClient(ElasticLoadBalancingV2Client);
beforeEach(() => {
    cloudwatch.reset();
    elb.reset();
});

const source = (overrides: Partial<ConstructorParameters<typeof CloudWatchTrafficSource>[0]> = {}) =>
    new CloudWatchTrafficSource({
        client: new CloudWatchClient({ region: "eu-west-1" }),
        region: "eu-west-1",
        apps: { shop: { loadBalancer: LB, targetGroupArns: { green: GREEN_TG, blue: BLUE_TG } } },
        loadBalancer: LB,
        settleDelayMs: 2 * MIN,
        now: () => at("10:12:30"),
        ...overrides,
    });

const series = (id: string, values: number[], from = "10:00:00") => ({ Id: id, Timestamps: values.map((_, i) => new Date(at(from).getTime() + i * MIN)), Values: values, StatusCode: "Complete" as const });
const metricOf = (queries: MetricDataQuery[], id: string) => queries.find((q) => q.Id === id)!.MetricStat!;

describe("CloudWatch traffic source", () => {
    test("asks for the five ALB metrics of the app's target group in aligned 60 s periods, complete minutes only", async () => {
        cloudwatch.on(GetMetricDataCommand).resolves({ MetricDataResults: [] });
        await source().appMinutes("shop", "green", at("10:00:30"), at("10:20:00"));
        const input = cloudwatch.commandCalls(GetMetricDataCommand)[0].args[0].input;
        // first whole minute after the step began; last minute ended before now (10:12:30) minus 2 min settle
        expect([input.StartTime, input.EndTime]).toEqual([at("10:01:00"), at("10:10:00")]);
        const queries = input.MetricDataQueries!;
        const dims = [{ Name: "LoadBalancer", Value: LB }, { Name: "TargetGroup", Value: "targetgroup/prod-shop-green/fedcba9876543210" }];
        expect(["m_requests", "m_target5xx", "m_connection", "p99"].map((id) => [metricOf(queries, id).Metric!.MetricName, metricOf(queries, id).Stat, metricOf(queries, id).Period, metricOf(queries, id).Metric!.Dimensions, metricOf(queries, id).Metric!.Namespace])).toEqual([
            ["RequestCount", "Sum", 60, dims, "AWS/ApplicationELB"],
            ["HTTPCode_Target_5XX_Count", "Sum", 60, dims, "AWS/ApplicationELB"],
            ["TargetConnectionErrorCount", "Sum", 60, dims, "AWS/ApplicationELB"],
            ["TargetResponseTime", "p99", 60, dims, "AWS/ApplicationELB"],
        ]);
        expect(queries.filter((q) => q.Expression).map((q) => q.Expression)).toEqual(["FILL(m_requests, 0)", "FILL(m_target5xx, 0)", "FILL(m_connection, 0)"]);
    });

    test("pages are joined by timestamp; minutes without data read as zero requests; p99 in milliseconds", async () => {
        cloudwatch
            .on(GetMetricDataCommand)
            .resolvesOnce({ MetricDataResults: [series("requests", [100, 200]), series("target5xx", [1, 2]), series("p99", [0.25, 0.5])], NextToken: "page-2" })
            .resolvesOnce({ MetricDataResults: [series("requests", [300], "10:02:00"), series("target5xx", [3], "10:02:00"), series("connectionErrors", [0, 1, 2])] });
        const minutes = await source().appMinutes("shop", "green", at("10:00:00"), at("10:04:00"));
        expect(cloudwatch.commandCalls(GetMetricDataCommand)[1].args[0].input.NextToken).toBe("page-2");
        expect(minutes).toEqual([
            { minute: at("10:00:00"), requests: 100, target5xx: 1, connectionErrors: 0, p99Ms: 250 },
            { minute: at("10:01:00"), requests: 200, target5xx: 2, connectionErrors: 1, p99Ms: 500 },
            { minute: at("10:02:00"), requests: 300, target5xx: 3, connectionErrors: 2 },
            { minute: at("10:03:00"), requests: 0, target5xx: 0, connectionErrors: 0 },
        ]);
    });

    test("nothing is asked before a complete, published minute exists", async () => {
        const minutes = await source({ now: () => at("10:02:59") }).appMinutes("shop", "green", at("10:00:10"), at("10:02:59"));
        expect(minutes).toEqual([]);
        expect(cloudwatch.commandCalls(GetMetricDataCommand)).toHaveLength(0);
    });

    test("the load balancer's own 5xx and requests, with only the LoadBalancer dimension", async () => {
        cloudwatch.on(GetMetricDataCommand).resolves({ MetricDataResults: [series("requests", [1000, 1000]), series("elb5xx", [0, 30])] });
        const minutes = await source().loadBalancerMinutes(at("10:00:00"), at("10:02:00"));
        const queries = cloudwatch.commandCalls(GetMetricDataCommand)[0].args[0].input.MetricDataQueries!;
        expect(metricOf(queries, "m_elb5xx").Metric).toEqual({ Namespace: "AWS/ApplicationELB", MetricName: "HTTPCode_ELB_5XX_Count", Dimensions: [{ Name: "LoadBalancer", Value: LB }] });
        expect(metricOf(queries, "m_requests").Metric!.Dimensions).toEqual([{ Name: "LoadBalancer", Value: LB }]);
        expect(minutes.map((m) => m.elb5xx)).toEqual([0, 30]);
    });

    test("region mismatch: a client in the shell's region is refused, and the gate reports an error, not a pass", async () => {
        cloudwatch.on(GetMetricDataCommand).resolves({ MetricDataResults: [] });
        const wrong = source({ client: new CloudWatchClient({ region: "us-east-1" }) });
        await expect(wrong.appMinutes("shop", "green", at("10:00:00"), at("10:05:00"))).rejects.toThrow(/region mismatch: .*stack's region is eu-west-1 and CloudWatch is queried in us-east-1/);
        const checks = await target5xxGate({
            apps: ["shop"],
            source: wrong,
            settings: { minRequests: 50, settleDelayMs: 2 * MIN, max5xxRate: 0.01, maxConnectionErrorRate: 0.001, maxP99Ms: 500, maxElb5xxIncrease: 0.005, baselineMs: 30 * MIN, maxRelative5xx: 2, maxRelativeP99: 1.5 },
        }).check({ candidate: "green", current: "blue", weights: { blue: 90, green: 10 }, window: { start: at("10:00:00"), end: at("10:12:30") }, phase: "bake" });
        expect(checks.map((c) => c.result)).toEqual(["error", "error"]);
        expect(cloudwatch.commandCalls(GetMetricDataCommand)).toHaveLength(0);
    });

    test("region mismatch: a target group of another region than the stack's is refused", async () => {
        const otherRegion = GREEN_TG.replace("eu-west-1", "eu-central-1");
        const s = source({ apps: { shop: { loadBalancer: LB, targetGroupArns: { green: otherRegion } } } });
        await expect(s.appMinutes("shop", "green", at("10:00:00"), at("10:05:00"))).rejects.toThrow(/shop's green target group is in eu-central-1, the stack's region is eu-west-1/);
    });

    test("target group ARNs give the dimension and region", () => {
        expect(parseTargetGroupArn(GREEN_TG)).toEqual({ region: "eu-west-1", dimension: "targetgroup/prod-shop-green/fedcba9876543210" });
        expect(parseTargetGroupArn("arn:aws-cn:elasticloadbalancing:cn-north-1:123456789012:targetgroup/a/0a")).toEqual({ region: "cn-north-1", dimension: "targetgroup/a/0a" });
        expect(parseTargetGroupArn("nonsense")).toBeUndefined();
    });
});

describe("ELBv2 target health source and clients", () => {
    test("reads each target's state from the app's target group of the color", async () => {
        elb.on(DescribeTargetHealthCommand, { TargetGroupArn: GREEN_TG }).resolves({
            TargetHealthDescriptions: [
                { Target: { Id: "10.0.1.5", Port: 8080 }, TargetHealth: { State: "healthy" } },
                { Target: { Id: "10.0.1.6", Port: 8080 }, TargetHealth: { State: "unhealthy.draining" } },
            ],
        });
        const s = new ElbTargetHealthSource({ client: new ElasticLoadBalancingV2Client({ region: "eu-west-1" }), region: "eu-west-1", targetGroupArns: { shop: { green: GREEN_TG } } });
        expect(await s.targets("shop", "green")).toEqual([{ id: "10.0.1.5", port: 8080, state: "healthy" }, { id: "10.0.1.6", port: 8080, state: "unhealthy.draining" }]);
        await expect(s.targets("shop", "blue")).rejects.toThrow(/shop has no blue target group/);
    });

    test("an ELBv2 client in another region is refused", async () => {
        const s = new ElbTargetHealthSource({ client: new ElasticLoadBalancingV2Client({ region: "us-east-1" }), region: "eu-west-1", targetGroupArns: { shop: { green: GREEN_TG } } });
        await expect(s.targets("shop", "green")).rejects.toThrow(/region mismatch/);
        expect(elb.commandCalls(DescribeTargetHealthCommand)).toHaveLength(0);
    });

    test("clients take the stack's region and profile, not the shell's", async () => {
        const previous = process.env.AWS_REGION;
        process.env.AWS_REGION = "us-west-2";
        try {
            const clients = createAwsClients({ region: "eu-west-1", profile: "prod-admin" });
            expect(await clients.cloudwatch.config.region()).toBe("eu-west-1");
            expect(await clients.elbv2.config.region()).toBe("eu-west-1");
            expect(describeAwsTarget({ region: "eu-west-1", profile: "prod-admin" })).toBe("AWS region eu-west-1 (from the stack), credentials from profile prod-admin (aws:profile)");
        } finally {
            if (previous === undefined) delete process.env.AWS_REGION;
            else process.env.AWS_REGION = previous;
        }
    });

    test("a role from the stack is assumed through STS (with the profile's credentials) and used for the reads", async () => {
        const bodies: string[] = [];
        const sts = http.createServer((req, res) => {
            let body = "";
            req.on("data", (c) => (body += c));
            req.on("end", () => {
                bodies.push(body);
                res.writeHead(200, { "content-type": "text/xml" }).end(
                    `<AssumeRoleResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><AssumeRoleResult><Credentials><AccessKeyId>ASIAROLE</AccessKeyId><SecretAccessKey>secret</SecretAccessKey><SessionToken>token</SessionToken><Expiration>2099-01-01T00:00:00Z</Expiration></Credentials><AssumedRoleUser><Arn>arn:aws:sts::123456789012:assumed-role/cutover/bluegreen-cutover</Arn><AssumedRoleId>AROA:bluegreen-cutover</AssumedRoleId></AssumedRoleUser></AssumeRoleResult></AssumeRoleResponse>`,
                );
            });
        });
        await new Promise<void>((resolve) => sts.listen(0, "127.0.0.1", resolve));
        const saved = { ...process.env };
        Object.assign(process.env, { AWS_ACCESS_KEY_ID: "AKIABASE", AWS_SECRET_ACCESS_KEY: "base" });
        try {
            const target = { region: "eu-west-1", roleArn: "arn:aws:iam::123456789012:role/cutover", stsEndpoint: `http://127.0.0.1:${(sts.address() as AddressInfo).port}` };
            const clients = createAwsClients(target);
            const credentials = await clients.cloudwatch.config.credentials();
            expect(credentials.accessKeyId).toBe("ASIAROLE");
            expect(decodeURIComponent(bodies[0])).toMatch(/Action=AssumeRole&.*RoleArn=arn:aws:iam::123456789012:role\/cutover&RoleSessionName=bluegreen-cutover/);
            expect(describeAwsTarget(target)).toBe("AWS region eu-west-1 (from the stack), credentials of role arn:aws:iam::123456789012:role/cutover, assumed with the default chain (no aws:profile)");
        } finally {
            process.env = saved;
            sts.closeAllConnections();
            await new Promise((resolve) => sts.close(resolve));
        }
    });
});
