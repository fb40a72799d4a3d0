/** The world of the dns-mode gate tests: Route 53 records and ALBs served through aws-sdk-client-mock, paginated as the APIs are. */
import { mockClient } from "aws-sdk-client-mock";
import { CloudWatchClient, GetMetricDataCommand } from "@aws-sdk/client-cloudwatch";
import {
    DescribeListenersCommand,
    DescribeLoadBalancersCommand,
    DescribeRulesCommand,
    DescribeTargetGroupsCommand,
    DescribeTargetHealthCommand,
    ElasticLoadBalancingV2Client,
    Rule,
    TargetHealthStateEnum,
} from "@aws-sdk/client-elastic-load-balancing-v2";
import { ListResourceRecordSetsCommand, ResourceRecordSet, Route53Client } from "@aws-sdk/client-route-53";
import { Color, Weights } from "../../src/config/colors";
import type { GateContext } from "../../src/cutover/contract";
import { createAwsClients } from "../../src/cutover/gates/aws-clients";
import { forwardedTargetGroups, recordName, resolveDnsTargets } from "../../src/cutover/gates/dns-targets";
import { buildGates, GateStackView, realGateSources, resolveGateSettings, resolveGateView } from "../../src/cutover/gates/set";

export const REGION = "eu-west-1";
export const ZONE = "Z0123456789PRODZONE";
export const ACCOUNT = "123456789012";
export const lbArn = (name: string, id: string) => `arn:aws:elasticloadbalancing:${REGION}:${ACCOUNT}:loadbalancer/app/${name}/${id}`;
export const tgArn = (name: string, id: string) => `arn:aws:elasticloadbalancing:${REGION}:${ACCOUNT}:targetgroup/${name}/${id}`;
export const BLUE_LB = { arn: lbArn("k8s-shop-blue", "1111111111111111"), dns: "k8s-shop-blue-1234567890.eu-west-1.elb.amazonaws.com" };
export const GREEN_LB = { arn: lbArn("k8s-shop-green", "2222222222222222"), dns: "k8s-shop-green-987654321.eu-west-1.elb.amazonaws.com" };
export const BLUE_TG = tgArn("k8s-shop-web-blue", "aaaaaaaaaaaaaaaa");
export const GREEN_TG = tgArn("k8s-shop-web-green", "bbbbbbbbbbbbbbbb");
export const GREEN_API_TG = tgArn("k8s-shop-api-green", "cccccccccccccccc");
export const OTHER_TG = tgArn("k8s-other-web", "dddddddddddddddd");

export const route53 = mockClient(Route53Client);
export const elb = mockClient(ElasticLoadBalancingV2Client);
export const cloudwatch = mockClient(CloudWatchClient);

/** A weighted alias record as Route 53 lists it: trailing dot, `dualstack.` prefix, upper case as the console shows it. */
export const alias = (name: string, color: Color, weight: number, dnsName: string): ResourceRecordSet => ({
    Name: `${name}.`,
    Type: "A",
    SetIdentifier: color,
    Weight: weight,
    AliasTarget: { DNSName: `dualstack.${dnsName.toUpperCase()}.`, HostedZoneId: "Z32O12XQLNTSW2", EvaluateTargetHealth: true },
});
export const hostRule = (hosts: string[], ...targetGroups: Array<[string, number?]>): Rule => ({
    Conditions: [{ Field: "host-header", HostHeaderConfig: { Values: hosts } }],
    Actions: [{ Type: "forward", ForwardConfig: { TargetGroups: targetGroups.map(([TargetGroupArn, Weight]) => ({ TargetGroupArn, ...(Weight !== undefined ? { Weight } : {}) })) } }],
});

export interface World {
    records: ResourceRecordSet[];
    loadBalancers: Array<{ LoadBalancerArn: string; DNSName: string; Type?: "application" | "network"; LoadBalancerName?: string }>;
    rules: Record<string, Rule[]>;
    health: Record<string, TargetHealthStateEnum[]>;
}

export function world(overrides: Partial<World> = {}): World {
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
        health: { [BLUE_TG]: ["healthy", "healthy"], [GREEN_TG]: ["healthy", "healthy"], [OTHER_TG]: ["healthy"] },
        ...overrides,
    };
}

/** Serves the world through the SDK mocks, paginated as the APIs are (records one per page, load balancers two per page). */
export function serve(w: World): void {
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
    // the target groups attached to a load balancer: those its rules forward to
    elb.on(DescribeTargetGroupsCommand).callsFake((input) => ({
        TargetGroups: [...new Set((w.rules[input.LoadBalancerArn!] ?? []).flatMap((r) => forwardedTargetGroups({ ...r, Actions: r.Actions?.map((a) => ({ ...a, ForwardConfig: a.ForwardConfig && { TargetGroups: a.ForwardConfig.TargetGroups?.map((g) => ({ TargetGroupArn: g.TargetGroupArn })) } })) })))].map((TargetGroupArn) => ({ TargetGroupArn })),
    }));
    elb.on(DescribeTargetHealthCommand).callsFake((input) => ({
        TargetHealthDescriptions: (w.health[input.TargetGroupArn!] ?? []).map((State, i) => ({ Target: { Id: `10.0.${input.TargetGroupArn === BLUE_TG ? 0 : 1}.${i + 1}`, Port: 8080 }, TargetHealth: { State } })),
    }));
}

export const clients = () => createAwsClients({ region: REGION });
export const resolve = (w: World, required: Color[] = ["green", "blue"], apps: Record<string, string[]> = { shop: ["shop.example.com"] }) => {
    serve(w);
    const c = clients();
    return resolveDnsTargets({ route53: c.route53, elbv2: c.elbv2, region: REGION, hostedZoneId: ZONE, apps, required });
};

export const dnsView = (overrides: Partial<GateStackView> = {}): GateStackView => ({
    mode: "dns",
    hostedZoneId: ZONE,
    weights: { blue: 100, green: 0 },
    region: REGION,
    clusters: { blue: { kubeconfig: "apiVersion: v1" }, green: { kubeconfig: "apiVersion: v1" } },
    apps: { shop: { hostnames: ["shop.example.com"], targetGroupArns: {}, namespace: "shop", service: "web" } },
    ...overrides,
});
export const settings = resolveGateSettings({}, { minRequests: "100" });

export async function dnsGates(w: World, view = dnsView(), candidate: Color = "green") {
    serve(w);
    const c = clients();
    const resolved = await resolveGateView(view, candidate, c);
    const sources = realGateSources(resolved, settings.values, () => new Date("2026-11-28T02:30:00Z"), c);
    return buildGates(resolved, { settings, sources, now: () => 0 });
}

export const context = (phase: GateContext["phase"], weights: Weights = { blue: 100, green: 0 }): GateContext => ({
    candidate: "green",
    current: "blue",
    weights,
    phase,
    window: { start: new Date("2026-11-28T02:00:00Z"), end: new Date("2026-11-28T02:20:00Z") },
});
