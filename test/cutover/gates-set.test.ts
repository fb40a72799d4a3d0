import { GateContext } from "../../src/cutover/contract";
import { buildGates, checkTiming, parsePauseBefore, describeGates, GateSources, GateStackView, realGateSources, requireTrafficGate, resolveGateSettings } from "../../src/cutover/gates/set";
import { RegisteredTarget, TrafficMinute, Workload } from "../../src/cutover/sources";

const GREEN_TG = "arn:aws:elasticloadbalancing:eu-west-1:123456789012:targetgroup/prod-shop-green/fedcba9876543210";
const BLUE_TG = "arn:aws:elasticloadbalancing:eu-west-1:123456789012:targetgroup/prod-shop-blue/0123456789abcdef";
const view = (overrides: Partial<GateStackView> = {}): GateStackView => ({
    mode: "alb",
    region: "eu-west-1",
    clusters: { blue: { kubeconfig: "apiVersion: v1" }, green: { kubeconfig: "apiVersion: v1" } },
    apps: { shop: { targetGroupArns: { blue: BLUE_TG, green: GREEN_TG }, loadBalancerArnSuffix: "app/prod-edge/1111111111111111", namespace: "shop", service: "web" } },
    ...overrides,
});

describe("gate settings: flag, then stack config, then default", () => {
    test("each value says where it came from", () => {
        const s = resolveGateSettings({ max5xxRate: 0.005, bake: "15m" }, { max5xxRate: "0.02", minRequests: "200", settleDelay: "3m" });
        expect(s.values).toMatchObject({ max5xxRate: 0.02, minRequests: 200, settleDelayMs: 180_000, bakeMs: 900_000, intervalMs: 60_000, maxP99Ms: 2000 });
        expect([s.origins.max5xxRate, s.origins.minRequests, s.origins.bake, s.origins.interval]).toEqual(["flag", "flag", "stack config", "default"]);
    });

    test.each([
        [{ max5xxRate: "1.5" }, /^--max-5xx-rate "1.5": /],
        [{ settleDelay: "two minutes" }, /^--settle-delay "two minutes": is not a duration like "10m"/],
        [{ minRequests: "many" }, /^--min-requests "many": /],
    ])("a bad flag is refused with the flag's name: %j", (flags, message) => {
        expect(() => resolveGateSettings({}, flags)).toThrow(message);
    });

    test("a bad stack value is refused with its config path", () => {
        expect(() => resolveGateSettings({ maxP99Ms: -1 }, {})).toThrow(/^bluegreen:cutover\.maxP99Ms: /);
    });
});

const minute = (requests: number, target5xx: number, p99Ms: number): TrafficMinute => ({ minute: new Date(0), requests, target5xx, connectionErrors: 0, p99Ms });
const deployment = (namespace: string, available: number): Workload => ({ kind: "Deployment", object: { metadata: { namespace, name: "web", generation: 1 }, spec: { replicas: 2 }, status: { observedGeneration: 1, replicas: 2, updatedReplicas: 2, availableReplicas: available } } });

/** Sources of a world where blue (the current color) is failing and green is fine. */
function failingCurrentWorld(): GateSources {
    return {
        traffic: {
            appMinutes: async (_app, color, start, end) => {
                const out: TrafficMinute[] = [];
                for (let t = start.getTime(); t < end.getTime(); t += 60_000) out.push({ ...(color === "blue" ? minute(900, 90, 2500) : minute(100, 0, 100)), minute: new Date(t) });
                return out;
            },
            loadBalancerMinutes: async (start, end) => {
                const out = [];
                for (let t = start.getTime(); t < end.getTime(); t += 60_000) out.push({ minute: new Date(t), requests: 1000, elb5xx: 0 });
                return out;
            },
        },
        targets: { targets: async (_app, color): Promise<RegisteredTarget[]> => (color === "blue" ? [{ id: "10.0.0.1", state: "unhealthy" }] : [{ id: "10.0.1.1", state: "healthy" }]) },
        endpoints: { readyAddresses: async (_app, color) => (color === "blue" ? [] : ["10.0.1.1"]) },
        workloads: { workloads: async (color) => [deployment("shop", color === "blue" ? 0 : 2)], applications: async () => undefined },
        workloadColors: ["blue", "green"],
        notes: [],
    };
}

describe("the gate set", () => {
    const settings = resolveGateSettings({ max5xxRate: 0.005 }, { minRequests: "100" });

    test("alb mode with metrics: traffic, health, endpoints and workload gates for both colors, described with thresholds and origins", () => {
        const { gates, notes } = buildGates(view(), { settings, sources: failingCurrentWorld(), now: () => 0 });
        expect(gates.map((g) => `${g.name}:${g.kind}`)).toEqual([
            "target-5xx:traffic", "elb-5xx:traffic", "connection-errors:traffic", "p99-latency:traffic", "compare-colors:traffic",
            "target-health:health", "endpoints:health", "workloads:workload",
        ]);
        const lines = describeGates(gates, notes);
        expect(lines[0]).toBe("target-5xx [traffic]: HTTPCode_Target_5XX_Count / RequestCount per app ≤ 0.50% (max5xxRate, stack config); at least 100 requests (minRequests, flag)");
        expect(lines.find((l) => l.startsWith("p99-latency"))).toMatch(/≤ 2000 ms \(maxP99Ms, default\)/);
        expect(lines.find((l) => l.startsWith("workloads"))).toMatch(/in shop rolled out/);
        requireTrafficGate(gates, false);
    });

    test("a failing current color is reported as warnings and never fails the candidate's decision", async () => {
        const { gates } = buildGates(view(), { settings, sources: failingCurrentWorld(), now: () => 0 });
        const context: GateContext = { candidate: "green", current: "blue", weights: { blue: 90, green: 10 }, window: { start: new Date("2026-11-27T10:00:00Z"), end: new Date("2026-11-27T10:15:00Z") }, phase: "bake" };
        const checks = (await Promise.all(gates.map((g) => g.check(context)))).flat();
        const blueFailures = checks.filter((c) => c.color === "blue" && c.result === "fail");
        expect(blueFailures.map((c) => c.gate).sort()).toEqual(["p99-latency", "target-5xx", "target-health"]);
        expect(blueFailures.every((c) => c.warning)).toBe(true);
        expect(checks.filter((c) => c.gate === "workloads" && c.color === "blue").map((c) => `${c.result}:${c.warning}`)).toEqual(["inconclusive:true"]);
        expect(checks.filter((c) => !c.warning && c.result !== "pass")).toEqual([]);
    });

    // dns mode with its records followed has every gate: test/cutover/gates-dns.test.ts
    test("dns mode whose weighted records were not followed (a rollback past a broken record) has no AWS gate: refused unless --allow-ungated, with the reason", () => {
        const sources = realGateSources(view({ mode: "dns" }), settings.values);
        const { gates, notes } = buildGates(view({ mode: "dns" }), { settings, sources, now: () => 0 });
        expect(gates.map((g) => g.name)).toEqual(["workloads"]);
        expect(() => requireTrafficGate(gates, false, notes)).toThrow(/^no traffic gate is active \(dns mode: the weighted records were not followed to the colors' load balancers.*pass --allow-ungated/);
        expect(() => requireTrafficGate(gates, true, notes)).not.toThrow();
        expect(describeGates(gates, notes)[1]).toMatch(/^not gated: dns mode/);
    });

    test("without the stack's region no AWS source is made (never the shell's region)", () => {
        const sources = realGateSources(view({ region: undefined }), settings.values);
        expect([sources.traffic, sources.targets]).toEqual([undefined, undefined]);
        expect(sources.notes).toEqual([expect.stringMatching(/^the stack gives no region/)]);
    });

    test("the real sources: CloudWatch and ELBv2 in the stack's region, one Kubernetes client per color", async () => {
        const sources = realGateSources(view(), settings.values);
        expect(sources.targets).toBeDefined();
        expect(sources.endpoints).toBeDefined();
        expect(sources.workloadColors).toEqual(["blue", "green"]);
        expect(sources.notes).toEqual([]);
        const built = buildGates(view({ profile: "prod-admin" }), { settings, sources: realGateSources(view({ profile: "prod-admin" }), settings.values), now: () => 0 });
        expect(describeGates(built.gates, built.notes, built.info)[0]).toBe("AWS region eu-west-1 (from the stack), credentials from profile prod-admin (aws:profile)");
        // bound to the stack's region: a client in another region would be refused here
        await expect(sources.traffic!.appMinutes("shop", "green", new Date(0), new Date(0))).resolves.toEqual([]);
    });

    test("--pause-before takes steps of the cutover only", () => {
        expect(parsePauseBefore(["50", "100%"], [10, 50])).toEqual([50, 100]);
        expect(() => parsePauseBefore(["30"], [10, 50, 100])).toThrow('--pause-before "30" is not one of the steps 10, 50, 100');
        expect(parsePauseBefore(undefined, [10])).toEqual([]);
    });

    test("timing after flags: --interval 30s with traffic gates is refused with the flag's name and the reason", () => {
        const { gates } = buildGates(view(), { settings, sources: failingCurrentWorld(), now: () => 0 });
        const fast = resolveGateSettings({}, { interval: "30s" });
        expect(() => checkTiming(fast, gates)).toThrow(/^--interval \(30 s\) must be at least 60 s while traffic gates run/);
        expect(() => checkTiming(fast, gates.filter((g) => g.kind !== "traffic"))).not.toThrow();
        expect(() => checkTiming(resolveGateSettings({ bake: "1m" }, {}), gates)).toThrow(/^bluegreen:cutover\.bake \(60 s\) must be at least one metric period/);
    });
});
