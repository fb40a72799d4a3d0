/**
 * dns mode: the weighted records are followed to each color's Application Load Balancer (Route 53 →
 * ELBv2, aws-sdk-client-mock at the transport); what cannot be followed is refused, naming the record.
 * The gate set and the engine with these sources: gates-dns-cutover.test.ts.
 */
import { GetMetricDataCommand } from "@aws-sdk/client-cloudwatch";
import { DescribeLoadBalancersCommand } from "@aws-sdk/client-elastic-load-balancing-v2";
import { ListResourceRecordSetsCommand } from "@aws-sdk/client-route-53";
import { createAwsClients } from "../../src/cutover/gates/aws-clients";
import { CloudWatchTrafficSource } from "../../src/cutover/gates/cloudwatch";
import { DnsTargetError, elbRegionOf, forwardedTargetGroups, hostHeaderMatches, loadBalancerDnsName, recordName, resolveDnsTargets } from "../../src/cutover/gates/dns-targets";
import { alias, BLUE_LB, BLUE_TG, clients, cloudwatch, elb, GREEN_API_TG, GREEN_LB, GREEN_TG, hostRule, OTHER_TG, REGION, resolve, route53, serve, World, world, ZONE } from "./dns-world";

describe("following the weighted records to each color's load balancer", () => {
    test("alias target (dualstack., upper case, trailing dot) → the ALB with that DNS name → the target groups its rules forward the hostname to", async () => {
        const targets = await resolve(world());
        expect(targets).toEqual({
            shop: {
                blue: { records: ["shop.example.com (blue)"], arn: BLUE_LB.arn, dimension: "app/k8s-shop-blue/1111111111111111", dnsName: BLUE_LB.dns, targetGroupArns: [BLUE_TG], evaluatesTargetHealth: true },
                green: { records: ["shop.example.com (green)"], arn: GREEN_LB.arn, dimension: "app/k8s-shop-green/2222222222222222", dnsName: GREEN_LB.dns, targetGroupArns: [GREEN_TG], evaluatesTargetHealth: true },
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
        // a CNAME has no health of its own in Route 53
        expect([targets.shop.blue!.evaluatesTargetHealth, targets.shop.green!.evaluatesTargetHealth]).toEqual([true, false]);
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

describe("CloudWatch for an app on several target groups of one color", () => {
    test("counts are summed per minute with metric math, p99 is the highest group's", async () => {
        serve(world());
        const at = (hm: string) => new Date(`2026-11-28T${hm}Z`);
        const series = (id: string, values: number[]) => ({ Id: id, Timestamps: values.map((_, i) => new Date(at("02:00:00").getTime() + i * 60_000)), Values: values, StatusCode: "Complete" as const });
        cloudwatch.on(GetMetricDataCommand).resolves({ MetricDataResults: [series("requests", [300, 500]), series("target5xx", [3, 0]), series("p99_0", [0.2, 0.3]), series("p99_1", [0.9, 0.1])] });
        const source = new CloudWatchTrafficSource({
            client: createAwsClients({ region: REGION }).cloudwatch,
            region: REGION,
            apps: { shop: { loadBalancer: { green: "app/k8s-shop-green/2222222222222222" }, targetGroupArns: { green: [GREEN_TG, GREEN_API_TG] } } },
            settleDelayMs: 120_000,
            now: () => at("02:05:00"),
        });
        const minutes = await source.appMinutes("shop", "green", at("02:00:00"), at("02:02:00"));
        expect(minutes.map((m) => [m.requests, m.target5xx, m.p99Ms])).toEqual([[300, 3, 900], [500, 0, 300]]);
        const queries = cloudwatch.commandCalls(GetMetricDataCommand)[0].args[0].input.MetricDataQueries!;
        expect(queries.filter((q) => q.Expression).map((q) => q.Expression)).toEqual(["FILL(m_requests_0, 0) + FILL(m_requests_1, 0)", "FILL(m_target5xx_0, 0) + FILL(m_target5xx_1, 0)", "FILL(m_connection_0, 0) + FILL(m_connection_1, 0)"]);
        expect(queries.filter((q) => q.Id!.startsWith("p99")).map((q) => q.MetricStat!.Metric!.Dimensions!.find((d) => d.Name === "TargetGroup")!.Value)).toEqual(["targetgroup/k8s-shop-web-green/bbbbbbbbbbbbbbbb", "targetgroup/k8s-shop-api-green/cccccccccccccccc"]);
    });
});


test("an app without hostnames in the stack outputs is refused, not silently left ungated", async () => {
    await expect(resolve(world(), ["green"], { shop: [] })).rejects.toThrow(/^routed app shop has no hostnames in the stack outputs \(routing\.apps\.shop\.hostnames\)/);
});
