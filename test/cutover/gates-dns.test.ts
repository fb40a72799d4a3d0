/**
 * dns mode gates: the weighted records are followed to each color's Application Load Balancer
 * (Route 53 → ELBv2, aws-sdk-client-mock at the transport), and the same target-health and traffic
 * gates alb mode has then run on the candidate; what cannot be followed is refused before any
 * weight moves. The engine-level tests run a real cutover with those gates on fake stack/live/store.
 */
import { mockClient } from "aws-sdk-client-mock";
import { CloudWatchClient, GetMetricDataCommand, MetricDataQuery } from "@aws-sdk/client-cloudwatch";
import {
    DescribeListenersCommand,
    DescribeLoadBalancersCommand,
    DescribeRulesCommand,
    DescribeTargetHealthCommand,
    ElasticLoadBalancingV2Client,
    Rule,
    TargetHealthStateEnum,
} from "@aws-sdk/client-elastic-load-balancing-v2";
import { ListResourceRecordSetsCommand, ResourceRecordSet, Route53Client } from "@aws-sdk/client-route-53";
import { Color, Weights } from "../../src/config/colors";
import type { GateContext } from "../../src/cutover/contract";
import { eventSink } from "../../src/cutover/events";
import { Clock, StackOperations, StackView } from "../../src/cutover/model";
import { MemoryCutoverStore } from "../../src/cutover/record";
import { runCutover } from "../../src/cutover/run";
import { createAwsClients } from "../../src/cutover/gates/aws-clients";
import { DnsTargetError, elbRegionOf, forwardedTargetGroups, hostHeaderMatches, loadBalancerDnsName, recordName, resolveDnsTargets } from "../../src/cutover/gates/dns-targets";
import { buildGates, describeGates, GateStackView, realGateSources, requireTrafficGate, resolveGateSettings, resolveGateView } from "../../src/cutover/gates/set";

const REGION = "eu-west-1";
const ZONE = "Z0123456789PRODZONE";
const ACCOUNT = "123456789012";
const lbArn = (name: string, id: string) => `arn:aws:elasticloadbalancing:${REGION}:${ACCOUNT}:loadbalancer/app/${name}/${id}`;
const tgArn = (name: string, id: string) => `arn:aws:elasticloadbalancing:${REGION}:${ACCOUNT}:targetgroup/${name}/${id}`;
const BLUE_LB = { arn: lbArn("k8s-shop-blue", "1111111111111111"), dns: "k8s-shop-blue-1234567890.eu-west-1.elb.amazonaws.com" };
const GREEN_LB = { arn: lbArn("k8s-shop-green", "2222222222222222"), dns: "k8s-shop-green-987654321.eu-west-1.elb.amazonaws.com" };
const BLUE_TG = tgArn("k8s-shop-web-blue", "aaaaaaaaaaaaaaaa");
const GREEN_TG = tgArn("k8s-shop-web-green", "bbbbbbbbbbbbbbbb");
const GREEN_API_TG = tgArn("k8s-shop-api-green", "cccccccccccccccc");
const OTHER_TG = tgArn("k8s-other-web", "dddddddddddddddd");

const route53 = mockClient(Route53Client);
const elb = mockClient(ElasticLoadBalancingV2Client);
const cloudwatch = mockClient(CloudWatchClient);

/** A weighted alias record as Route 53 lists it: trailing dot, `dualstack.` prefix, upper case as the console shows it. */
const alias = (name: string, color: Color, weight: number, dnsName: string): ResourceRecordSet => ({
    Name: `${name}.`,
    Type: "A",
    SetIdentifier: color,
    Weight: weight,
    AliasTarget: { DNSName: `dualstack.${dnsName.toUpperCase()}.`, HostedZoneId: "Z32O12XQLNTSW2", EvaluateTargetHealth: true },
});
const hostRule = (hosts: string[], ...targetGroups: Array<[string, number?]>): Rule => ({
    Conditions: [{ Field: "host-header", HostHeaderConfig: { Values: hosts } }],
    Actions: [{ Type: "forward", ForwardConfig: { TargetGroups: targetGroups.map(([TargetGroupArn, Weight]) => ({ TargetGroupArn, ...(Weight !== undefined ? { Weight } : {}) })) } }],
});

interface World {
    records: ResourceRecordSet[];
    loadBalancers: Array<{ LoadBalancerArn: string; DNSName: string; Type?: "application" | "network"; LoadBalancerName?: string }>;
    rules: Record<string, Rule[]>;
    health: Record<string, TargetHealthStateEnum[]>;
}

function world(overrides: Partial<World> = {}): World {
    return {
        records: [alias("shop.example.com", "blue", 100, BLUE_LB.dns), alias("shop.example.com", "green", 0, GREEN_LB.dns), alias("www.example.com", "blue", 100, BLUE_LB.dns)],
        loadBalancers: [
            { LoadBalancerArn: lbArn("k8s-unrelated", "3333333333333333"), DNSName: "k8s-unrelated-1.eu-west-1.elb.amazonaws.com", Type: "application", LoadBalancerName: "k8s-unrelated" },
            { LoadBalancerArn: BLUE_LB.arn, DNSName: BLUE_LB.dns, Type: "application", LoadBalancerName: "k8s-shop-blue" },
            { LoadBalancerArn: GREEN_LB.arn, DNSName: GREEN_LB.dns, Type: "application", LoadBalancerName: "k8s-shop-green" },
        ],
        rules: {
            [BLUE_LB.arn]: [hostRule(["other.example.com"], [OTHER_TG]), hostRule(["shop.example.com"], [BLUE_TG])],
            [GREEN_LB.arn]: [
                { IsDefault: true, Conditions: [], Actions: [{ Type: "fixed-response", FixedResponseConfig: { StatusCode: "404" } }] },
                hostRule(["SHOP.example.com"], [GREEN_TG]),
                hostRule(["other.example.com"], [OTHER_TG]),
            ],
        },
        health: { [BLUE_TG]: ["healthy", "healthy"], [GREEN_TG]: ["healthy", "healthy"], [OTHER_TG]: ["unhealthy"] },
        ...overrides,
    };
}

/** Serves the world through the SDK mocks, paginated as the APIs are (records one per page, load balancers two per page). */
function serve(w: World): void {
    route53.reset();
    elb.reset();
    cloudwatch.reset();
    cloudwatch.on(GetMetricDataCommand).resolves({ MetricDataResults: [] });
    route53.on(ListResourceRecordSetsCommand).callsFake((input) => {
        const sorted = [...w.records].sort((a, b) => recordName(a.Name!).localeCompare(recordName(b.Name!)) || a.SetIdentifier!.localeCompare(b.SetIdentifier!));
        const from = sorted.findIndex((r) => recordName(r.Name!) >= recordName(input.StartRecordName) && (!input.StartRecordIdentifier || recordName(r.Name!) > recordName(input.StartRecordName) || r.SetIdentifier! >= input.StartRecordIdentifier));
        const page = from < 0 ? [] : sorted.slice(from, from + 1);
        const next = from < 0 ? undefined : sorted[from + 1];
        return { ResourceRecordSets: page, IsTruncated: next !== undefined, MaxItems: 1, ...(next ? { NextRecordName: next.Name, NextRecordType: next.Type, NextRecordIdentifier: next.SetIdentifier } : {}) };
    });
    elb.on(DescribeLoadBalancersCommand).callsFake((input) => {
        const start = Number(input.Marker ?? 0);
        const page = w.loadBalancers.slice(start, start + 2);
        return { LoadBalancers: page, ...(start + 2 < w.loadBalancers.length ? { NextMarker: String(start + 2) } : {}) };
    });
    elb.on(DescribeListenersCommand).callsFake((input) => ({
        Listeners: [{ ListenerArn: `${input.LoadBalancerArn}/listener-443`, Port: 443 }, { ListenerArn: `${input.LoadBalancerArn}/listener-80`, Port: 80 }],
    }));
    elb.on(DescribeRulesCommand).callsFake((input) => {
        const lbArnOf = input.ListenerArn!.replace(/\/listener-\d+$/, "");
        // port 80 only redirects to https, as the controller's ssl-redirect does
        if (input.ListenerArn!.endsWith("listener-80")) return { Rules: [{ IsDefault: true, Conditions: [], Actions: [{ Type: "redirect", RedirectConfig: { Protocol: "HTTPS", Port: "443", StatusCode: "HTTP_301" } }] }] };
        return { Rules: w.rules[lbArnOf] ?? [] };
    });
    elb.on(DescribeTargetHealthCommand).callsFake((input) => ({
        TargetHealthDescriptions: (w.health[input.TargetGroupArn!] ?? []).map((State, i) => ({ Target: { Id: `10.0.${input.TargetGroupArn === BLUE_TG ? 0 : 1}.${i + 1}`, Port: 8080 }, TargetHealth: { State } })),
    }));
}

const clients = () => createAwsClients({ region: REGION });
const resolve = (w: World, required: Color[] = ["green", "blue"], apps: Record<string, string[]> = { shop: ["shop.example.com"] }) => {
    serve(w);
    const c = clients();
    return resolveDnsTargets({ route53: c.route53, elbv2: c.elbv2, region: REGION, hostedZoneId: ZONE, apps, required });
};

describe("following the weighted records to each color's load balancer", () => {
    test("alias target (dualstack., upper case, trailing dot) → the ALB with that DNS name → the target groups its rules forward the hostname to", async () => {
        const targets = await resolve(world());
        expect(targets).toEqual({
            shop: {
                blue: { records: ["shop.example.com (blue)"], arn: BLUE_LB.arn, dimension: "app/k8s-shop-blue/1111111111111111", dnsName: BLUE_LB.dns, targetGroupArns: [BLUE_TG] },
                green: { records: ["shop.example.com (green)"], arn: GREEN_LB.arn, dimension: "app/k8s-shop-green/2222222222222222", dnsName: GREEN_LB.dns, targetGroupArns: [GREEN_TG] },
            },
        });
        // the records' zone, from the hostname on
        expect(route53.commandCalls(ListResourceRecordSetsCommand)[0].args[0].input).toMatchObject({ HostedZoneId: ZONE, StartRecordName: "shop.example.com" });
        // every page of load balancers is read, once for both colors
        expect(elb.commandCalls(DescribeLoadBalancersCommand).length).toBe(2);
    });

    test("an app whose Ingress routes paths to several Services: every target group of its hostnames, weight-0 groups left out; a CNAME record works too", async () => {
        const w = world({
            records: [alias("shop.example.com", "blue", 100, BLUE_LB.dns), { Name: "shop.example.com.", Type: "CNAME", SetIdentifier: "green", Weight: 0, TTL: 60, ResourceRecords: [{ Value: GREEN_LB.dns }] }],
            rules: { [BLUE_LB.arn]: [hostRule(["shop.example.com"], [BLUE_TG])], [GREEN_LB.arn]: [hostRule(["*.example.com"], [GREEN_TG, 1], [OTHER_TG, 0]), hostRule(["shop.example.com"], [GREEN_API_TG])] },
        });
        const targets = await resolve(w);
        expect(targets.shop.green!.targetGroupArns).toEqual([GREEN_API_TG, GREEN_TG].sort());
    });

    test("a color without a record that is not required (no weight, not the candidate) is left out", async () => {
        const targets = await resolve(world({ records: [alias("shop.example.com", "blue", 100, BLUE_LB.dns)] }), ["blue"]);
        expect(Object.keys(targets.shop)).toEqual(["blue"]);
    });

    const refusals: Array<[string, Partial<World>, RegExp]> = [
        ["the candidate has no weighted record", { records: [alias("shop.example.com", "blue", 100, BLUE_LB.dns)] }, /^the weighted record shop\.example\.com \(SetIdentifier green\) does not exist in hosted zone Z0123456789PRODZONE: .*set bluegreen:routing\.dns\.loadBalancers\.green and run `pulumi up`/],
        [
            "the record is an alias to CloudFront, not a load balancer",
            { records: [alias("shop.example.com", "blue", 100, BLUE_LB.dns), { ...alias("shop.example.com", "green", 0, "x"), AliasTarget: { DNSName: "d111111abcdef8.cloudfront.net.", HostedZoneId: "Z2FDTNDATAQYW2", EvaluateTargetHealth: false } }] },
            /^the weighted record shop\.example\.com \(SetIdentifier green\) points at d111111abcdef8\.cloudfront\.net, which is not an Elastic Load Balancing name: .*bluegreen:routing\.dns\.loadBalancers\.green\.dnsName/,
        ],
        [
            "the load balancer is in another region",
            { records: [alias("shop.example.com", "blue", 100, BLUE_LB.dns), alias("shop.example.com", "green", 0, "k8s-shop-green-1.us-east-1.elb.amazonaws.com")] },
            /points at k8s-shop-green-1\.us-east-1\.elb\.amazonaws\.com, a load balancer in us-east-1, but the stack's region is eu-west-1/,
        ],
        [
            "no load balancer of this account has that name (another account, or deleted)",
            { records: [alias("shop.example.com", "blue", 100, BLUE_LB.dns), alias("shop.example.com", "green", 0, "k8s-shop-green-404.eu-west-1.elb.amazonaws.com")] },
            /no load balancer with that DNS name exists in eu-west-1 for the credentials in use: .*another account \(run with credentials of that account: aws:profile/,
        ],
        [
            "the load balancer is a Network Load Balancer",
            { loadBalancers: [{ LoadBalancerArn: BLUE_LB.arn, DNSName: BLUE_LB.dns, Type: "application" }, { LoadBalancerArn: GREEN_LB.arn, DNSName: GREEN_LB.dns, Type: "network", LoadBalancerName: "k8s-shop-green" }] },
            /points at k8s-shop-green \(.*\), a network load balancer: dns-mode gates need an Application Load Balancer/,
        ],
        [
            "no listener rule forwards the hostname (the Ingress is on another load balancer)",
            { rules: { [BLUE_LB.arn]: [hostRule(["shop.example.com"], [BLUE_TG])], [GREEN_LB.arn]: [hostRule(["other.example.com"], [OTHER_TG])] } },
            /points at k8s-shop-green, but none of its listener rules forwards host shop\.example\.com to a target group: .*spec\.rules\[\]\.host/,
        ],
    ];
    test.each(refusals)("refused, naming the record and what to do: %s", async (_name, overrides, message) => {
        const error = await resolve(world(overrides)).catch((e: unknown) => e);
        expect(error).toBeInstanceOf(DnsTargetError);
        expect((error as Error).message).toMatch(message);
    });

    test("two hostnames of one app on different load balancers of one color are refused", async () => {
        const w = world({ records: [...world().records, alias("www.example.com", "green", 0, BLUE_LB.dns)], rules: { [BLUE_LB.arn]: [hostRule(["shop.example.com", "www.example.com"], [BLUE_TG])], [GREEN_LB.arn]: [hostRule(["shop.example.com"], [GREEN_TG])] } });
        await expect(resolve(w, ["green", "blue"], { shop: ["shop.example.com", "www.example.com"] })).rejects.toThrow(/^shop's hostnames point at different load balancers on green/);
    });

    test("no hosted zone is refused", async () => {
        const c = clients();
        await expect(resolveDnsTargets({ route53: c.route53, elbv2: c.elbv2, region: REGION, apps: { shop: ["shop.example.com"] }, required: ["green"] })).rejects.toThrow(/bluegreen:routing\.hostedZoneId/);
    });

    test("an API error is an error naming the record and the call, not a pass and not a config refusal", async () => {
        serve(world());
        elb.on(DescribeLoadBalancersCommand).rejects(Object.assign(new Error("User is not authorized to perform: elasticloadbalancing:DescribeLoadBalancers"), { name: "AccessDenied" }));
        const c = clients();
        const error = await resolveDnsTargets({ route53: c.route53, elbv2: c.elbv2, region: REGION, hostedZoneId: ZONE, apps: { shop: ["shop.example.com"] }, required: ["green"] }).catch((e: unknown) => e);
        expect(error).not.toBeInstanceOf(DnsTargetError);
        expect((error as Error).message).toMatch(/^could not follow the weighted record shop\.example\.com \(SetIdentifier (blue|green)\) to its load balancer .*not authorized.*; no weight was changed$/);
        route53.on(ListResourceRecordSetsCommand).rejects(new Error("Rate exceeded"));
        await expect(resolveDnsTargets({ route53: c.route53, elbv2: c.elbv2, region: REGION, hostedZoneId: ZONE, apps: { shop: ["shop.example.com"] }, required: ["green"] })).rejects.toThrow(/^could not read the weighted records of shop\.example\.com in hosted zone Z0123456789PRODZONE .*Rate exceeded/);
    });
});

describe("the pieces, as tables", () => {
    test.each([
        ["shop.example.com", "shop.example.com", true],
        ["SHOP.Example.com", "shop.example.com", true],
        ["*.example.com", "shop.example.com", true],
        ["*.example.com", "example.com", false],
        ["shop?.example.com", "shop1.example.com", true],
        ["shop.example.com", "shopXexample.com", false],
        ["shop.example.co", "shop.example.com", false],
    ])("host-header %s matches %s: %s", (pattern, hostname, expected) => {
        expect(hostHeaderMatches(pattern, hostname)).toBe(expected);
    });

    test("names as Route 53 and ELBv2 spell them", () => {
        expect(recordName("\\052.Example.com.")).toBe("*.example.com");
        expect(loadBalancerDnsName("dualstack.K8S-Shop-1.eu-west-1.elb.amazonaws.com.")).toBe("k8s-shop-1.eu-west-1.elb.amazonaws.com");
        expect([elbRegionOf("internal-k8s-shop-1.eu-west-1.elb.amazonaws.com"), elbRegionOf("k8s-shop-1.cn-north-1.elb.amazonaws.com.cn"), elbRegionOf("shop.s3-website.eu-west-1.amazonaws.com")]).toEqual(["eu-west-1", "cn-north-1", undefined]);
        expect(forwardedTargetGroups({ Actions: [{ Type: "forward", TargetGroupArn: BLUE_TG }] })).toEqual([BLUE_TG]);
        expect(forwardedTargetGroups({ Actions: [{ Type: "redirect" }] })).toEqual([]);
    });
});

// ---- the gate set in dns mode ----

const dnsView = (overrides: Partial<GateStackView> = {}): GateStackView => ({
    mode: "dns",
    hostedZoneId: ZONE,
    weights: { blue: 100, green: 0 },
    region: REGION,
    clusters: { blue: { kubeconfig: "apiVersion: v1" }, green: { kubeconfig: "apiVersion: v1" } },
    apps: { shop: { hostnames: ["shop.example.com"], targetGroupArns: {}, namespace: "shop", service: "web" } },
    ...overrides,
});
const settings = resolveGateSettings({}, { minRequests: "100" });

async function dnsGates(w: World, view = dnsView(), candidate: Color = "green") {
    serve(w);
    const c = clients();
    const resolved = await resolveGateView(view, candidate, c);
    const sources = realGateSources(resolved, settings.values, () => new Date("2026-11-28T02:30:00Z"), c);
    return buildGates(resolved, { settings, sources, now: () => 0 });
}

const context = (phase: GateContext["phase"], weights: Weights = { blue: 100, green: 0 }): GateContext => ({
    candidate: "green",
    current: "blue",
    weights,
    phase,
    window: { start: new Date("2026-11-28T02:00:00Z"), end: new Date("2026-11-28T02:20:00Z") },
});

describe("the gate set in dns mode", () => {
    test("the same traffic and health gates as alb mode are active, with the load balancer each color resolved to", async () => {
        const { gates, notes, info } = await dnsGates(world());
        expect(gates.map((g) => `${g.name}:${g.kind}`)).toEqual([
            "target-5xx:traffic", "elb-5xx:traffic", "connection-errors:traffic", "p99-latency:traffic", "compare-colors:traffic",
            "target-health:health", "endpoints:health", "workloads:workload",
        ]);
        expect(notes).toEqual([]);
        expect(() => requireTrafficGate(gates, false, notes)).not.toThrow();
        const lines = describeGates(gates, notes, info);
        expect(lines).toContain("dns mode: shop on green: load balancer app/k8s-shop-green/2222222222222222 (from shop.example.com (green)), target group(s) targetgroup/k8s-shop-web-green/bbbbbbbbbbbbbbbb");
    });

    test.each([
        [["healthy", "healthy"], "pass", "2 healthy of 2 targets"],
        [["healthy", "unhealthy"], "fail", "1 unhealthy"],
        [["draining", "draining"], "fail", "fewer than 1 healthy"],
        [["unhealthy.draining"], "fail", "fewer than 1 healthy"],
        [["initial", "initial"], "fail", "fewer than 1 healthy"],
        [[], "fail", "no targets"],
    ] as Array<[TargetHealthStateEnum[], string, string]>)("pre-check target health of green's own target group %j: %s", async (states, result, message) => {
        const w = world();
        w.health[GREEN_TG] = states;
        const { gates } = await dnsGates(w);
        const checks = await gates.find((g) => g.name === "target-health")!.check(context("precheck"));
        const green = checks.find((c) => c.color === "green")!;
        expect([green.result, green.warning]).toEqual([result, undefined]);
        expect(green.message).toContain(message);
        expect(elb.commandCalls(DescribeTargetHealthCommand).map((c) => c.args[0].input.TargetGroupArn)).toContain(GREEN_TG);
        expect(elb.commandCalls(DescribeTargetHealthCommand).map((c) => c.args[0].input.TargetGroupArn)).not.toContain(OTHER_TG);
    });

    test("several target groups for one hostname: every one is judged; endpoints are not compared (said at start)", async () => {
        const w = world({ rules: { [BLUE_LB.arn]: [hostRule(["shop.example.com"], [BLUE_TG])], [GREEN_LB.arn]: [hostRule(["shop.example.com"], [GREEN_TG]), hostRule(["shop.example.com"], [GREEN_API_TG])] } });
        w.health[GREEN_API_TG] = ["unhealthy"];
        const { gates, notes } = await dnsGates(w);
        expect(gates.map((g) => g.name)).not.toContain("endpoints");
        expect(notes).toEqual([expect.stringMatching(/^dns mode: shop on green \(2 target groups\): .*ready endpoints are not compared/)]);
        const green = (await gates.find((g) => g.name === "target-health")!.check(context("precheck"))).find((c) => c.color === "green")!;
        expect(green.result).toBe("fail");
        expect(green.message).toBe("shop on green: 2 healthy of 3 targets (2 healthy, 1 unhealthy): 1 unhealthy");
    });

    test("traffic gates read each color's own load balancer and target group; the load balancer 5xx sums both colors' load balancers", async () => {
        const { gates } = await dnsGates(world());
        await gates.find((g) => g.name === "target-5xx")!.check(context("bake", { blue: 90, green: 10 }));
        await gates.find((g) => g.name === "elb-5xx")!.check(context("bake", { blue: 90, green: 10 }));
        const calls = cloudwatch.commandCalls(GetMetricDataCommand).map((c) => c.args[0].input.MetricDataQueries!);
        const dims = (queries: MetricDataQuery[]) => queries.filter((q) => q.MetricStat).map((q) => q.MetricStat!.Metric!.Dimensions!.map((d) => `${d.Name}=${d.Value}`).join(","));
        const all = calls.flatMap(dims);
        expect(all).toContain("LoadBalancer=app/k8s-shop-green/2222222222222222,TargetGroup=targetgroup/k8s-shop-web-green/bbbbbbbbbbbbbbbb");
        expect(all).toContain("LoadBalancer=app/k8s-shop-blue/1111111111111111,TargetGroup=targetgroup/k8s-shop-web-blue/aaaaaaaaaaaaaaaa");
        const lbCall = calls.find((q) => q.some((m) => m.MetricStat?.Metric?.MetricName === "HTTPCode_ELB_5XX_Count"))!;
        expect(dims(lbCall).sort()).toEqual(["LoadBalancer=app/k8s-shop-blue/1111111111111111", "LoadBalancer=app/k8s-shop-blue/1111111111111111", "LoadBalancer=app/k8s-shop-green/2222222222222222", "LoadBalancer=app/k8s-shop-green/2222222222222222"]);
        expect(lbCall.filter((q) => q.Expression).map((q) => q.Expression)).toEqual(["FILL(m_requests_0, 0) + FILL(m_requests_1, 0)", "FILL(m_elb5xx_0, 0) + FILL(m_elb5xx_1, 0)"]);
    });

    test("a candidate that cannot be followed to a load balancer refuses the cutover; a rollback goes on without those gates, said at start", async () => {
        const broken = alias("shop.example.com", "green", 100, "x");
        broken.AliasTarget = { DNSName: "d111111abcdef8.cloudfront.net.", HostedZoneId: "Z2FDTNDATAQYW2", EvaluateTargetHealth: false };
        const w = world({ records: [alias("shop.example.com", "blue", 0, BLUE_LB.dns), broken] });
        const view = dnsView({ weights: { blue: 0, green: 100 } });
        await expect(dnsGates(w, view, "green")).rejects.toThrow(DnsTargetError);
        // rolling back to blue while the broken green carries traffic: not blocked
        serve(w);
        const c = clients();
        const resolved = await resolveGateView(view, "blue", c, false);
        const sources = realGateSources(resolved, settings.values, undefined, c);
        expect(sources.targets).toBeUndefined();
        const { gates, notes } = buildGates(resolved, { settings, sources, now: () => 0 });
        expect(gates.map((g) => g.name)).toEqual(["workloads"]);
        expect(describeGates(gates, notes)).toContainEqual(expect.stringMatching(/^not gated: dns mode: the weighted records were not followed to the colors' load balancers \(the weighted record shop\.example\.com \(SetIdentifier green\) points at d111111abcdef8\.cloudfront\.net/));
    });
});

// ---- the engine: green gets no weight while its load balancer's targets are not healthy ----

const VIEW: StackView = {
    weights: { blue: 100, green: 0 },
    clusters: { blue: {}, green: {} },
    apps: { shop: { hostnames: ["shop.example.com"], targetGroupArns: {} } },
    mode: "dns",
    hostedZoneId: ZONE,
    weightedResourceUrns: ["urn:pulumi:prod::bluegreen::bluegreen:routing:DnsRouting$aws:route53/record:Record::prod-shop.example.com-green"],
};

/** A stack whose targeted update moves the Route 53 weights at once; `onApply` sees every weight applied. */
function fakeEngine(onApply: (w: Weights) => void) {
    let now = Date.parse("2026-11-28T02:00:00Z");
    let live: Weights = { blue: 100, green: 0 };
    let pending = live;
    const clock: Clock = { now: () => now, sleep: async (ms) => void (now += Math.max(ms, 1)) };
    const stack: StackOperations = {
        read: async () => ({ ...VIEW, weights: live }),
        setRouting: async (c) => void (pending = c.weights),
        previewRouting: async () => ({ update: 1 }),
        updateRouting: async () => {
            live = pending;
            onApply(live);
            return { updated: 1, created: 0, deleted: 0, replaced: 0 };
        },
    };
    const events = eventSink({ run: "r1", now: () => now });
    return { clock, stack, live: { read: async () => ({ shop: live }) }, store: new MemoryCutoverStore(), events, runId: "r1", identity: { owner: "ops", host: "ci" } };
}

const engineSettings = { steps: [10, 100], bakeMs: 4 * 60_000, intervalMs: 60_000, onFailure: "abort" as const, consecutiveErrorLimit: 3, failureLimit: 0, errorBackoffMs: 1000 };

describe("a dns-mode cutover with the real gate set (transport-level fakes)", () => {
    test("green's targets unhealthy: refused at the pre-check, green never gets weight", async () => {
        const w = world();
        w.health[GREEN_TG] = ["unhealthy", "initial"];
        const { gates } = await dnsGates(w, dnsView({ clusters: {} }));
        const applied: Weights[] = [];
        const deps = fakeEngine((x) => applied.push(x));
        const outcome = await runCutover({ target: "green" }, engineSettings, { ...deps, gates });
        expect(outcome.status).toBe("precheck-failed");
        expect(applied).toEqual([]);
        expect(outcome.weights).toEqual({ blue: 100, green: 0 });
        expect(outcome.failures.map((f) => `${f.gate} ${f.app} ${f.color} ${f.result}`)).toEqual(["target-health shop green fail"]);
    });

    test("green's targets turn unhealthy during the bake: traffic goes back to blue", async () => {
        const w = world();
        const { gates } = await dnsGates(w, dnsView({ clusters: {} }));
        const applied: Weights[] = [];
        const deps = fakeEngine((x) => {
            applied.push(x);
            if (x.green > 0) w.health[GREEN_TG] = ["unhealthy", "unhealthy"];
        });
        const outcome = await runCutover({ target: "green" }, engineSettings, { ...deps, gates });
        expect(outcome.status).toBe("fell-back");
        expect(applied).toEqual([{ blue: 90, green: 10 }, { blue: 100, green: 0 }]);
        expect(outcome.failures.some((f) => f.gate === "target-health" && f.color === "green" && f.result === "fail")).toBe(true);
    });
});
