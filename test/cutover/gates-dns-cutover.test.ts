/**
 * dns mode: with each color's load balancer found from the weighted records (dns-world.ts serves
 * them through aws-sdk-client-mock), the same traffic and health gates as alb mode run, and the
 * engine gives green no weight while its targets are not healthy (pre-check and bake).
 */
import * as fs from "fs";
import * as path from "path";
import { GetMetricDataCommand, MetricDataQuery } from "@aws-sdk/client-cloudwatch";
import { DescribeTargetHealthCommand, TargetHealthStateEnum } from "@aws-sdk/client-elastic-load-balancing-v2";
import { runCutoverCommand } from "../../src/cli/commands/cutover";
import { OperatorDeps, stackProfile } from "../../src/cli/commands/operator";
import { readStackFile } from "../../src/config/stack-file";
import { Weights } from "../../src/config/colors";
import { eventSink } from "../../src/cutover/events";
import { Clock, StackOperations, StackView } from "../../src/cutover/model";
import { MemoryCutoverStore } from "../../src/cutover/record";
import { runCutover } from "../../src/cutover/run";
import { judgeAliasHealth } from "../../src/cutover/gates/alias-health";
import { DnsTargetError } from "../../src/cutover/gates/dns-targets";
import { buildGates, describeGates, dnsTargetHealthSource, realGateSources, requireTrafficGate, resolveGateView } from "../../src/cutover/gates/set";
import { alias, BLUE_LB, BLUE_TG, clients, cloudwatch, context, dnsGates, dnsView, elb, GREEN_API_TG, GREEN_LB, GREEN_TG, hostRule, OTHER_TG, serve, settings, world, ZONE } from "./dns-world";
import { tempDir } from "../helpers/temp-dir";

describe("the gate set in dns mode", () => {
    test("the same traffic and health gates as alb mode are active, with the load balancer each color resolved to", async () => {
        const { gates, notes, info } = await dnsGates(world());
        expect(gates.map((g) => `${g.name}:${g.kind}`)).toEqual([
            "target-5xx:traffic", "elb-5xx:traffic", "connection-errors:traffic", "p99-latency:traffic", "compare-colors:traffic",
            "target-health:health", "endpoints:health", "route53-alias-health:health", "workloads:workload",
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
        expect(outcome.failures.map((f) => `${f.gate} ${f.app} ${f.color} ${f.result}`).sort()).toEqual(["route53-alias-health shop green fail", "target-health shop green fail"]);
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

describe("bluegreen cutover in dns mode", () => {
    test("a candidate whose records cannot be followed: exit 2 with the record named, no lease taken, no weight applied", async () => {
        const applied: Weights[] = [];
        const engine = fakeEngine((x) => applied.push(x));
        let out = "";
        const deps: OperatorDeps = {
            stack: engine.stack, live: engine.live, store: engine.store, clock: engine.clock, runId: "r1", identity: engine.identity,
            gates: async () => {
                serve(world({ records: [alias("shop.example.com", "blue", 100, BLUE_LB.dns)] }));
                const c = clients();
                await resolveGateView(dnsView(), "green", c);
                return [];
            },
        };
        const code = await runCutoverCommand({ stack: "prod", to: "green", cwd: path.join(__dirname, "..", ".."), json: false }, { stdout: (t) => void (out += t), stderr: (t) => void (out += t) }, deps);
        expect(code).toBe(2);
        expect(out).toMatch(/^bluegreen cutover: the weighted record shop\.example\.com \(SetIdentifier green\) does not exist in hosted zone Z0123456789PRODZONE/m);
        expect(applied).toEqual([]);
        expect(engine.store.lease).toBeUndefined();
    });
});


describe("rollback capacity in dns mode", () => {
    test("each color's targets are read on the load balancer its records lead to (not 0 from the empty stack outputs)", async () => {
        const w = world();
        w.health[BLUE_TG] = ["healthy", "healthy", "unhealthy"];
        serve(w);
        const source = dnsTargetHealthSource(dnsView(), clients());
        expect((await source.targets("shop", "blue")).map((t) => t.state)).toEqual(["healthy", "healthy", "unhealthy"]);
        expect((await source.targets("shop", "green")).map((t) => t.state)).toEqual(["healthy", "healthy"]);
    });

    test("a record that cannot be followed is an error naming it, never 0 healthy targets", async () => {
        const broken = alias("shop.example.com", "green", 100, "x");
        broken.AliasTarget = { DNSName: "d111111abcdef8.cloudfront.net.", HostedZoneId: "Z2FDTNDATAQYW2", EvaluateTargetHealth: false };
        serve(world({ records: [alias("shop.example.com", "blue", 0, BLUE_LB.dns), broken] }));
        await expect(dnsTargetHealthSource(dnsView(), clients()).targets("shop", "blue")).rejects.toThrow(/shop\.example\.com \(SetIdentifier green\) points at d111111abcdef8\.cloudfront\.net/);
    });
});

describe("Route 53's view of each color's load balancer (alias records with EvaluateTargetHealth)", () => {
    test.each([
        [[], true],
        [[{ arn: "a", targets: 2, healthy: 1 }], true],
        [[{ arn: "a", targets: 0, healthy: 0 }], true],
        [[{ arn: "a", targets: 2, healthy: 2 }, { arn: "b", targets: 1, healthy: 0 }], false],
    ])("groups %j: healthy %s", (groups, healthy) => {
        expect(judgeAliasHealth(groups).healthy).toBe(healthy);
    });

    test("an unrelated app's target group without healthy targets on green's load balancer fails the candidate at the pre-check; its own groups are healthy", async () => {
        const w = world();
        w.health[OTHER_TG] = ["unhealthy", "unhealthy"];
        w.rules[BLUE_LB.arn] = [hostRule(["shop.example.com"], [BLUE_TG])];
        const { gates } = await dnsGates(w);
        const checks = (await Promise.all(gates.filter((g) => g.kind === "health").map((g) => g.check(context("precheck"))))).flat();
        expect(checks.filter((c) => c.gate === "target-health" && c.color === "green").map((c) => c.result)).toEqual(["pass"]);
        const alias = checks.filter((c) => c.gate === "route53-alias-health");
        expect(alias.map((c) => `${c.color} ${c.result} ${c.warning ?? false}`)).toEqual(["blue pass true", "green fail false"]);
        expect(alias.find((c) => c.color === "green")!.message).toBe(
            "green's load balancer app/k8s-shop-green/2222222222222222: targetgroup/k8s-other-web/dddddddddddddddd (0 healthy of 2) have no healthy target; Route 53 treats its records as unhealthy and sends none of green's share to it: fix these target groups (an unrelated app's on the same load balancer counts too)",
        );
    });

    test("the current color's load balancer unhealthy to Route 53: a warning that the weight-0 records get traffic, not a failure of the candidate", async () => {
        const w = world();
        w.health[OTHER_TG] = ["unhealthy"];
        w.rules[GREEN_LB.arn] = [hostRule(["shop.example.com"], [GREEN_TG])];
        const { gates } = await dnsGates(w);
        const checks = await gates.find((g) => g.name === "route53-alias-health")!.check(context("precheck"));
        const blue = checks.find((c) => c.color === "blue")!;
        expect([blue.result, blue.warning]).toEqual(["fail", true]);
        expect(blue.message).toMatch(/when every record with weight is unhealthy it answers with the weight-0 records too, so green gets users before its step$/);
        expect(checks.find((c) => c.color === "green")!.result).toBe("pass");
    });

    test("CNAME records (no health evaluation in Route 53): nothing to judge", async () => {
        const w = world({ records: [{ Name: "shop.example.com.", Type: "CNAME", SetIdentifier: "blue", Weight: 100, TTL: 60, ResourceRecords: [{ Value: BLUE_LB.dns }] }, { Name: "shop.example.com.", Type: "CNAME", SetIdentifier: "green", Weight: 0, TTL: 60, ResourceRecords: [{ Value: GREEN_LB.dns }] }] });
        w.health[OTHER_TG] = ["unhealthy"];
        const { gates } = await dnsGates(w);
        expect(await gates.find((g) => g.name === "route53-alias-health")!.check(context("precheck"))).toEqual([]);
    });
});

test("the gates read AWS with the stack file's aws:profile, not the shell's default", () => {
    const dir = tempDir("bluegreen-profile-");
    fs.mkdirSync(path.join(dir, "stacks"));
    fs.writeFileSync(path.join(dir, "stacks", "Pulumi.prod.yaml"), "config:\n  aws:region: eu-west-1\n  aws:profile: prod-admin\n");
    fs.writeFileSync(path.join(dir, "stacks", "Pulumi.dev.yaml"), "config:\n  aws:region: eu-west-1\n");
    expect([stackProfile(readStackFile(dir, "prod").otherKeys), stackProfile(readStackFile(dir, "dev").otherKeys)]).toEqual(["prod-admin", undefined]);
    fs.rmSync(dir, { recursive: true });
});
