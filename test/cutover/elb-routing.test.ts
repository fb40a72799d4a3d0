import { mockClient } from "aws-sdk-client-mock";
import {
    DescribeListenersCommand,
    DescribeRulesCommand,
    DescribeTargetGroupsCommand,
    ElasticLoadBalancingV2Client,
    ModifyRuleCommand,
    Rule,
} from "@aws-sdk/client-elastic-load-balancing-v2";
import { elbDirectRouting, elbLiveRouting, withThrottlingRetry } from "../../src/cutover/elb-routing";
import type { StackView } from "../../src/cutover/model";
import { eventSink } from "../../src/cutover/events";
import { MemoryCutoverStore } from "../../src/cutover/record";
import { runRollback } from "../../src/cutover/run";

const APPS = Array.from({ length: 50 }, (_, i) => `app${i}`);
const tg = (app: string, color: string) => `arn:aws:elasticloadbalancing:eu-west-1:123456789012:targetgroup/${app}-${color}/${color === "blue" ? "0a" : "0b"}`;
const ruleArn = (app: string) => `arn:aws:elasticloadbalancing:eu-west-1:123456789012:listener-rule/app/prod/1/2/${app}`;
const noSleep = { attempts: 6, baseMs: 1, sleep: async () => undefined };

function view(): StackView {
    return {
        weights: { blue: 0, green: 100 }, previousColor: "blue", mode: "alb", weightedResourceUrns: APPS.map((a) => `urn:${a}`),
        clusters: { blue: { name: "b" }, green: { name: "g" } },
        apps: Object.fromEntries(APPS.map((a) => [a, { hostnames: [`${a}.example.com`], targetGroupArns: { blue: tg(a, "blue"), green: tg(a, "green") } }])),
    };
}

/** A fake ALB: rules keep the weights ModifyRule gives them; the first `throttle` ModifyRule calls are throttled. */
function fakeAlb(throttle = 0) {
    const elb = mockClient(ElasticLoadBalancingV2Client);
    const rules = new Map<string, Rule>(APPS.map((a) => [ruleArn(a), {
        RuleArn: ruleArn(a), Priority: "10",
        Actions: [{ Type: "forward", ForwardConfig: { TargetGroups: [{ TargetGroupArn: tg(a, "blue"), Weight: 0 }, { TargetGroupArn: tg(a, "green"), Weight: 100 }], TargetGroupStickinessConfig: { Enabled: true, DurationSeconds: 300 } } }],
    }]));
    elb.on(DescribeTargetGroupsCommand).resolves({ TargetGroups: [{ LoadBalancerArns: ["arn:aws:elasticloadbalancing:eu-west-1:123456789012:loadbalancer/app/prod/1"] }] });
    elb.on(DescribeListenersCommand).resolves({ Listeners: [{ ListenerArn: "listener-443" }] });
    elb.on(DescribeRulesCommand).callsFake((input: { RuleArns?: string[]; ListenerArn?: string; Marker?: string }) => {
        if (input.RuleArns) return { Rules: input.RuleArns.map((arn) => structuredClone(rules.get(arn))) };
        const all = [...rules.values(), { RuleArn: "default", IsDefault: true, Actions: [{ Type: "fixed-response" }] }];
        const start = Number(input.Marker ?? 0);
        return { Rules: all.slice(start, start + 30), NextMarker: start + 30 < all.length ? String(start + 30) : undefined };
    });
    let throttled = 0;
    elb.on(ModifyRuleCommand).callsFake((input: { RuleArn: string; Actions: Rule["Actions"] }) => {
        if (throttled < throttle) {
            throttled++;
            throw Object.assign(new Error("Rate exceeded"), { name: "ThrottlingException" });
        }
        rules.get(input.RuleArn)!.Actions = input.Actions;
        return {};
    });
    return { elb, rules, client: new ElasticLoadBalancingV2Client({ region: "eu-west-1" }) };
}

describe("the load balancer through ELBv2", () => {
    test("live weights per app come from the rules that forward to both colors", async () => {
        const { client } = fakeAlb();
        const live = elbLiveRouting(client, noSleep);
        const weights = await live.read(view());
        expect(Object.keys(weights)).toHaveLength(50);
        expect(weights.app7).toEqual({ blue: 0, green: 100 });
        expect((await live.rules(view())).find((r) => r.app === "app7")?.ruleArn).toBe(ruleArn("app7"));
    });

    test("rollback --direct for 50 apps: every rule moved, throttling retried, read back, recorded; the API calls counted", async () => {
        const { elb, client, rules } = fakeAlb(7);
        const live = elbLiveRouting(client, noSleep);
        const recorded = await live.rules(view());
        elb.resetHistory();
        const store = new MemoryCutoverStore();
        store.record = { runId: "cut-1", command: "cutover", from: "blue", to: "green", phase: "completed", stepIndex: 3, verifiedWeights: { blue: 0, green: 100 }, bakedPercents: [10, 50, 100], rules: recorded, updatedAt: "2026-11-27T22:00:00Z" };
        let now = 0;
        const events = eventSink({ run: "rb-1", now: () => now });
        const stackCalls: string[] = [];
        const outcome = await runRollback(
            { force: false, watchMs: 0, direct: elbDirectRouting(client, 5, noSleep) },
            { steps: [100], bakeMs: 0, intervalMs: 30_000, onFailure: "abort", consecutiveErrorLimit: 4, failureLimit: 0 },
            {
                stack: { read: async () => view(), setRouting: async () => { stackCalls.push("set"); }, previewRouting: async () => { stackCalls.push("preview"); return {}; }, updateRouting: async () => { throw new Error("Pulumi is down"); } },
                live, gates: [], store, events, runId: "rb-1", identity: { owner: "ops", host: "h" },
                clock: { now: () => now, sleep: async (ms) => { now += ms; } },
            },
        );
        expect(outcome.status).toBe("rolled-back");
        expect([...rules.values()].every((r) => r.Actions![0].ForwardConfig!.TargetGroups!.find((t) => t.TargetGroupArn!.endsWith("-blue/0a"))!.Weight === 100)).toBe(true);
        expect(rules.get(ruleArn("app3"))!.Actions![0].ForwardConfig!.TargetGroupStickinessConfig).toEqual({ Enabled: true, DurationSeconds: 300 }); // stickiness kept
        expect(stackCalls).toEqual([]); // Pulumi untouched
        expect(store.record).toMatchObject({ command: "rollback", phase: "rolled-back", to: "blue", verifiedWeights: { blue: 100, green: 0 } });
        const modify = elb.commandCalls(ModifyRuleCommand).length;
        const describe = elb.commandCalls(DescribeRulesCommand).length;
        // 50 ModifyRule + 7 throttled retries; live reads: 3 DescribeRules of 20 rule ARNs, before and after
        expect({ modify, describe }).toEqual({ modify: 57, describe: 6 });
        expect(events.events.find((e) => e.type === "stack-drift")!.message).toMatch(/pulumi config set --path bluegreen:routing.weights.blue 100/);
    });

    test("throttling is retried with backoff; other errors are not", async () => {
        let calls = 0;
        const sleeps: number[] = [];
        const retry = { attempts: 4, baseMs: 100, sleep: async (ms: number) => { sleeps.push(ms); } };
        await expect(withThrottlingRetry(async () => { calls++; throw Object.assign(new Error("Rate exceeded"), { name: "ThrottlingException" }); }, retry)).rejects.toThrow("Rate exceeded");
        expect({ calls, sleeps }).toEqual({ calls: 4, sleeps: [100, 200, 400] });
        calls = 0;
        await expect(withThrottlingRetry(async () => { calls++; throw new Error("AccessDenied"); }, retry)).rejects.toThrow("AccessDenied");
        expect(calls).toBe(1);
    });
});

describe("dns mode", () => {
    test("live weights per app come from the weighted records of its first hostname (SetIdentifier = color)", async () => {
        const { Route53Client, ListResourceRecordSetsCommand } = await import("@aws-sdk/client-route-53");
        const { route53LiveRouting } = await import("../../src/cutover/dns-routing");
        const r53 = mockClient(Route53Client);
        r53.on(ListResourceRecordSetsCommand).callsFake((input: { StartRecordName: string }) => ({
            ResourceRecordSets: input.StartRecordName === "shop.example.com"
                ? [{ Name: "shop.example.com.", Type: "A", SetIdentifier: "blue", Weight: 90 }, { Name: "shop.example.com.", Type: "A", SetIdentifier: "green", Weight: 10 }, { Name: "shopx.example.com.", Type: "A", SetIdentifier: "green", Weight: 100 }]
                : [{ Name: "api.example.com.", Type: "A", SetIdentifier: "blue", Weight: 100 }],
        }));
        const live = elbLiveRouting(new ElasticLoadBalancingV2Client({ region: "eu-west-1" }), noSleep, route53LiveRouting(new Route53Client({ region: "eu-west-1" })));
        const dnsView: StackView = { ...view(), mode: "dns", hostedZoneId: "Z123", apps: { shop: { hostnames: ["shop.example.com"], targetGroupArns: {} }, api: { hostnames: ["api.example.com"], targetGroupArns: {} } } };
        expect(await live.read(dnsView)).toEqual({ shop: { blue: 90, green: 10 }, api: { blue: 100, green: 0 } });
        expect(r53.commandCalls(ListResourceRecordSetsCommand)[0].args[0].input).toMatchObject({ HostedZoneId: "Z123", StartRecordName: "shop.example.com" });
        r53.restore();
    });
});
