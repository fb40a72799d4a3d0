/**
 * Every gate decision of the real gate set (src/cutover/gates, built by `buildGates`) rehearsed on
 * the simulated world: the scenario files of test/cutover/scenarios name the situation, these tests
 * say what an operator must see — the status, exit code and final weights, and which gate failed or
 * stayed inconclusive, when, with which figures. The figures are worked out by hand from the
 * scenario (requests per minute × weight, error rates, minutes in the window), never read back.
 */
import * as fs from "fs";
import * as path from "path";
import { runRehearseCommand } from "../../src/cli/commands/rehearse";
import type { CutoverEvent } from "../../src/cutover/contract";
import { rehearse, RehearsalResult } from "../../src/cutover/rehearsal/rehearse";
import { parseScenario } from "../../src/cutover/rehearsal/scenario";
import { expectEnd, expectSafeEnd, runScenario } from "./scenario-runner";
import { tempDir } from "../helpers/temp-dir";

const gateEvents = (r: RehearsalResult, gate: string, app?: string, color?: string) =>
    r.events.filter((e) => e.type === "gate" && e.gate === gate && (app === undefined || e.app === app) && (color === undefined || e.color === color));
const isWarning = (e: CutoverEvent) => e.message?.startsWith("warning:") === true;
/** Checks that count against a step (not warnings): failures and errors. */
const decisive = (r: RehearsalResult) => r.events.filter((e) => e.type === "gate" && !isWarning(e) && (e.result === "fail" || e.result === "error"));
const clock = (e: CutoverEvent) => e.ts.slice(11, 19);
const brief = (e: CutoverEvent) => ({ at: clock(e), step: e.step, gate: e.gate, app: e.app, color: e.color, result: e.result, value: e.value, threshold: e.threshold });

describe("gate scenarios on the real gate set", () => {
    test.each([
        ["no-traffic", "fell-back", 1, { blue: 100, green: 0 }],
        ["slow-burn", "fell-back", 1, { blue: 100, green: 0 }],
        ["late-burn", "fell-back", 1, { blue: 100, green: 0 }],
        ["alb-503", "fell-back", 1, { blue: 100, green: 0 }],
        ["latency-regression", "fell-back", 1, { blue: 100, green: 0 }],
        ["unrelated-rollout", "completed", 0, { blue: 0, green: 100 }],
        ["routed-rollout-stuck", "fell-back", 1, { blue: 100, green: 0 }],
        ["region-mismatch", "precheck-failed", 1, { blue: 100, green: 0 }],
        ["current-fails", "completed", 0, { blue: 0, green: 100 }],
    ])("%s ends %s (exit %i) at known weights", async (name, status, exitCode, weights) => {
        const result = await runScenario(name);
        expectEnd(result, status, exitCode, weights);
        expectSafeEnd(result);
    });

    test("errors in a step's last minutes are judged: the step waits for them to be published before it counts as baked", async () => {
        const result = await runScenario("late-burn");
        // 40 requests a minute at 10 %; minutes 00:08 and 00:09 each have 20 target 5xx. The bake's time is
        // up at 00:10:20, when 00:01–00:08 are published (clean); the step waits for its last minutes
        // (until 00:11 + 2m) and the next check, at 00:11:20, sees minute 00:08.
        const failed = decisive(result).find((e) => e.gate === "target-5xx")!;
        expect(brief(failed)).toMatchObject({ at: "00:11:20", step: 1, result: "fail", value: 20 / 320, threshold: 0.01 });
        expect(failed.message).toBe("shop on green: 20 target 5xx of 320 requests = 6.25% > 1.00% (00:01–00:09 UTC (8 min))");
        expect(result.events.filter((e) => e.type === "step-baked")).toEqual([]);
        // no weight beyond 10 % was ever applied
        expect(result.events.filter((e) => e.type === "verify" && (e.weights?.green ?? 0) > 10)).toEqual([]);
    });

    test("zero traffic on the candidate: inconclusive every round, never a pass; the step fails after one extension", async () => {
        const result = await runScenario("no-traffic");
        for (const gate of ["target-5xx", "connection-errors", "p99-latency", "compare-colors"]) {
            const results = new Set(gateEvents(result, gate, "shop", "green").filter((e) => e.step === 1).map((e) => e.result));
            expect({ gate, results: [...results] }).toEqual({ gate, results: ["inconclusive"] });
        }
        const judged = gateEvents(result, "target-5xx", "shop", "green").filter((e) => e.value !== undefined);
        // bake to 00:10:20, its last minutes published at 00:13; extended 10m to 00:23, published at 00:25
        expect(brief(judged[judged.length - 1])).toEqual({ at: "00:25:00", step: 1, gate: "target-5xx", app: "shop", color: "green", result: "inconclusive", value: 0, threshold: 50 });
        expect(judged[judged.length - 1].message).toMatch(/^shop on green: 0 requests, fewer than minRequests 50: too little traffic to judge/);
        const steps = result.events.filter((e) => ["bake-extended", "fallback"].includes(e.type)).map((e) => `${clock(e)} ${e.type} ${e.step}`);
        expect(steps).toEqual(["00:13:00 bake-extended 1", "00:25:00 fallback 1"]);
        expect(result.events.find((e) => e.type === "fallback")!.message).toMatch(/^too few conclusive checks after an extended bake: target-5xx shop green passed 0\/26/);
    });

    test("a slow burn that starts late in the bake fails the step on its last check, over the whole window", async () => {
        const result = await runScenario("slow-burn");
        // 40 requests a minute at 10 %: one minute alone is too little to judge
        const oneMinute = gateEvents(result, "target-5xx", "shop", "green").find((e) => / \(1 min\)\)$/.test(e.message ?? ""))!;
        expect(brief(oneMinute)).toMatchObject({ at: "00:04:20", result: "inconclusive", value: 40, threshold: 50 });
        // the check before the last sees 00:01–00:07: clean
        expect(brief(gateEvents(result, "target-5xx", "shop", "green").find((e) => clock(e) === "00:09:20")!)).toMatchObject({ result: "pass", value: 0 });
        // the last check of the 10 % step sees 00:01–00:08, the minute the errors began included
        expect(decisive(result).map(brief)).toEqual([
            { at: "00:10:20", step: 1, gate: "target-5xx", app: "shop", color: "green", result: "fail", value: 4 / 280, threshold: 0.01 },
            { at: "00:10:20", step: 1, gate: "compare-colors", app: "shop", color: "green", result: "fail", value: 4 / 280, threshold: 0 * 2 + 0.001 },
        ]);
        expect(decisive(result)[0].message).toBe("shop on green: 4 target 5xx of 280 requests = 1.43% > 1.00% (00:01–00:08 UTC (7 min))");
        expect(result.events.filter((e) => e.type === "fallback").map((e) => e.step)).toEqual([1]);
    });

    test("ALB-generated 503s with healthy targets: the load balancer 5xx gate fails while target 5xx is clean", async () => {
        const result = await runScenario("alb-503");
        // per minute at 50 %: 2 apps × (500 blue + 500 green) requests, 2 × 25 answered by the load balancer.
        // The 50 % bake starts 00:13:20; its first whole minute, 00:14, is published at 00:17.
        expect(decisive(result).map(brief)).toEqual([{ at: "00:17:20", step: 2, gate: "elb-5xx", app: undefined, color: undefined, result: "fail", value: 50 / 2000, threshold: 0 + 0.005 }]);
        expect(decisive(result)[0].message).toMatch(/^load balancer: 50 load balancer 5xx of 2,000 requests = 2\.50% > baseline 0\.00% \+ 0\.50% \(00:14–00:15 UTC \(1 min\); baseline 23:30–00:00 UTC/);
        const sameRound = result.events.filter((e) => e.type === "gate" && clock(e) === "00:17:20" && e.color === "green" && ["target-5xx", "target-health"].includes(e.gate!));
        expect(sameRound.map((e) => `${e.gate} ${e.app} ${e.result} ${e.value}`).sort()).toEqual(["target-5xx api pass 0", "target-5xx shop pass 0", "target-health api pass 3", "target-health shop pass 3"]);
        expect(gateEvents(result, "target-5xx", "shop", "green").find((e) => clock(e) === "00:17:20")!.message).toMatch(/^shop on green: 0 target 5xx of 475 requests/);
    });

    test("a latency regression without errors: the comparison with the current color fails, the absolute p99 and 5xx pass", async () => {
        const result = await runScenario("latency-regression");
        expect(decisive(result).map(brief)).toEqual([{ at: "00:04:20", step: 1, gate: "compare-colors", app: "shop", color: "green", result: "fail", value: 450, threshold: 1.5 * 120 }]);
        expect(decisive(result)[0].message).toBe("shop green vs blue: p99 450 ms > 1.5 × current 120 ms (00:01–00:02 UTC (1 min))");
        const sameRound = result.events.filter((e) => e.type === "gate" && clock(e) === "00:04:20" && e.color === "green" && ["p99-latency", "target-5xx"].includes(e.gate!));
        expect(sameRound.map(brief)).toEqual([
            { at: "00:04:20", step: 1, gate: "target-5xx", app: "shop", color: "green", result: "pass", value: 0, threshold: 0.01 },
            { at: "00:04:20", step: 1, gate: "p99-latency", app: "shop", color: "green", result: "pass", value: 450, threshold: 2000 },
        ]);
    });

    test("a rollout outside the routed namespaces is a warning and the cutover completes; one stuck in the routed namespace fails the step", async () => {
        const unrelated = await runScenario("unrelated-rollout");
        const warnings = gateEvents(unrelated, "workloads", undefined, "green").filter(isWarning);
        expect([...new Set(warnings.map((e) => `${e.result} ${e.message}`))]).toEqual([
            "inconclusive warning: green: deployment monitoring/prometheus: 1 of 3 new replicas updated (outside the routed namespaces: warning only)",
            "fail warning: green: application argocd/monitoring: OutOfSync, Healthy (outside the routed namespaces: warning only)",
        ]);
        expect(decisive(unrelated)).toEqual([]);
        expect(gateEvents(unrelated, "workloads", undefined, "green").filter((e) => !isWarning(e)).every((e) => e.result === "pass" && /^green: 1 workloads in shop rolled out; 1 ArgoCD applications Synced and Healthy$/.test(e.message!))).toBe(true);

        const stuck = await runScenario("routed-rollout-stuck");
        expect(decisive(stuck).map((e) => `${clock(e)} step ${e.step} ${e.gate} ${e.color} ${e.result}: ${e.message}`)).toEqual(["00:15:20 step 2 workloads green fail: green: deployment shop/shop: exceeded its progress deadline"]);
    });

    test("a region mismatch reads no data and no target group: never a pass, refused before any traffic moves", async () => {
        const result = await runScenario("region-mismatch");
        expect(result.world.calls.update).toBeUndefined();
        const health = gateEvents(result, "target-health", "shop", "green");
        expect(health.map((e) => e.result)).toEqual(["error", "error", "error", "error"]); // consecutiveErrorLimit attempts
        expect(health[0].message).toMatch(/TargetGroupNotFound.*us-east-1.*asked in eu-west-1/);
        const traffic = ["target-5xx", "elb-5xx", "connection-errors", "p99-latency", "compare-colors", "target-health", "endpoints"];
        expect(result.events.filter((e) => e.type === "gate" && traffic.includes(e.gate!) && !isWarning(e) && e.result === "pass")).toEqual([]);
        expect(gateEvents(result, "elb-5xx")[0].message).toMatch(/^warning: load balancer: no baseline \(0 requests in 23:30–00:00 UTC/);
        expect(result.events.find((e) => e.type === "precheck")!.message).toBe("2 check(s) do not pass on green: target-health shop error, endpoints shop error");
    });

    test("a failing current color is reported and is no reason to move traffic faster: every step bakes its full time", async () => {
        const result = await runScenario("current-fails");
        const blue = gateEvents(result, "target-5xx", "shop", "blue").filter((e) => e.result === "fail");
        expect(blue.length).toBeGreaterThan(0);
        expect(blue.every(isWarning)).toBe(true);
        expect(brief(blue[0])).toEqual({ at: "00:04:20", step: 1, gate: "target-5xx", app: "shop", color: "blue", result: "fail", value: 0.05, threshold: 0.01 });
        // each step: its 10 minutes, then until its last minutes are published (00:10:20 → 00:11 + 2m)
        expect(result.events.filter((e) => e.type === "step-baked").map((e) => `${e.step} ${e.durationMs}`)).toEqual(["1 760000", "2 760000", "3 760000"]);
        expect(result.elapsedMs).toBe(3 * (20_000 + 10 * 60_000 + 160_000));
        expect(decisive(result)).toEqual([]);
    });

    test("workloadSelector narrows the hard scope: a stuck workload in the routed namespace but outside the selector is a warning", async () => {
        const scenario = (selector: string) => parseScenario(`
command: cutover
to: green
start: { weights: { blue: 100, green: 0 } }
apps: [shop]
settings: { steps: [100], ${selector} }
world: [{ color: green, rollout: { namespace: shop, name: worker, state: stuck } }]
`);
        const narrowed = await rehearse(scenario('workloadSelector: "app=shop"'));
        expect(narrowed.status).toBe("completed");
        expect(gateEvents(narrowed, "workloads", undefined, "green").find((e) => /worker/.test(e.message!))).toMatchObject({ result: "fail", message: expect.stringMatching(/^warning: green: deployment shop\/worker: exceeded its progress deadline/) });
        const whole = await rehearse(scenario("bake: 10m"));
        expect(whole.status).toBe("precheck-failed");
        expect(decisive(whole).map((e) => e.message)).toEqual(["green: deployment shop/worker: exceeded its progress deadline"]);
    });

    test("draining and initial targets are not healthy: the pre-check refuses", async () => {
        const result = await rehearse(parseScenario(`
command: cutover
to: green
start: { weights: { blue: 100, green: 0 } }
apps: [shop]
world: [{ color: green, targets: { healthy: 0, draining: 2, initial: 1 } }]
`));
        expect(result.status).toBe("precheck-failed");
        const check = gateEvents(result, "target-health", "shop", "green")[0];
        expect(brief(check)).toMatchObject({ result: "fail", value: 0, threshold: 1 });
        expect(check.message).toBe("shop on green: 0 healthy of 3 targets (2 draining, 1 initial): fewer than 1 healthy");
    });
});

describe("the gate set of a rehearsal is the cutover's", () => {
    test("the active gates are said at start with their thresholds and where each came from", async () => {
        const lines: string[] = [];
        await rehearse(parseScenario("command: cutover\nto: green\nstart: { weights: { blue: 100, green: 0 } }\nsettings: { max5xxRate: 0.02 }\nworld: [{ color: green, requestsPerMinute: 0 }]"), { human: (l) => lines.push(l) });
        const start = lines.slice(0, lines.findIndex((l) => !l.startsWith("gate: ")));
        expect(start[0]).toBe("gate: AWS region eu-west-1 (from the stack; simulated)");
        expect(start.map((l) => l.split(" [")[0])).toEqual(["gate: AWS region eu-west-1 (from the stack; simulated)", ...["target-5xx", "elb-5xx", "connection-errors", "p99-latency", "compare-colors", "target-health", "endpoints", "workloads"].map((g) => `gate: ${g}`)]);
        expect(start[1]).toMatch(/≤ 2\.00% \(max5xxRate, stack config\); at least 50 requests \(minRequests, default\)/);
    });

    test("a threshold in the scenario's settings changes the decision: at max5xxRate 0.02 the slow burn's target 5xx passes", async () => {
        const text = fs.readFileSync(path.join(__dirname, "scenarios", "slow-burn.yaml"), "utf8").replace("bake: 10m,", "bake: 10m, max5xxRate: 0.02,");
        const result = await rehearse(parseScenario(text));
        expect(brief(gateEvents(result, "target-5xx", "shop", "green").find((e) => clock(e) === "00:10:20")!)).toMatchObject({ result: "pass", value: 4 / 280, threshold: 0.02 });
        expect(decisive(result).map((e) => `${clock(e)} ${e.gate}`)).toEqual(["00:10:20 compare-colors"]); // blue had no 5xx at all
    });

    test("without a traffic gate (the stack gives no region) the rehearsal is refused like a cutover, exit 2; --allow-ungated runs on health and workloads", async () => {
        const text = "command: cutover\nto: green\nstart: { weights: { blue: 100, green: 0 } }\napps: [shop]\nregions: { stack: null }\n";
        await expect(rehearse(parseScenario(text))).rejects.toThrow(/^no traffic gate is active \(the stack gives no region \(output region \/ aws:region\).*pass --allow-ungated/);
        const dir = tempDir("rehearse-ungated-");
        const file = path.join(dir, "s.yaml");
        fs.writeFileSync(file, text);
        const out = { stdout: "", stderr: "" };
        const io = { stdout: (t: string) => (out.stdout += t), stderr: (t: string) => (out.stderr += t) };
        expect(await runRehearseCommand(file, { json: false }, io)).toBe(2);
        expect(out.stderr).toMatch(/no traffic gate is active/);
        expect(await runRehearseCommand(file, { json: true, allowUngated: true }, io)).toBe(0);
        const ungated = await rehearse(parseScenario(`${text}allowUngated: true\n`));
        expect(ungated.status).toBe("completed");
        expect(ungated.gateLines).toContain("not gated: the stack gives no region (output region / aws:region): no AWS metrics or target health are read rather than reading another region's");
        expect([...new Set(ungated.events.filter((e) => e.type === "gate").map((e) => e.gate))]).toEqual(["workloads"]);
    });

    test("a bad world entry is refused with its path", () => {
        const base = "command: cutover\nto: green\nstart: { weights: { blue: 100, green: 0 } }\napps: [shop]\n";
        expect(() => parseScenario(`${base}world: [{ color: green, rollout: { state: rolling } }]`, "s.yaml")).toThrow(/^s\.yaml: world\[0\]\.rollout\.namespace: is required without `app`/);
        expect(() => parseScenario(`${base}world: [{ color: green, targets: { draning: 1 } }]`, "s.yaml")).toThrow(/^s\.yaml: world\[0\]\.targets: Unrecognized key: "draning"/);
        expect(() => parseScenario(`${base}world: [{ color: green, elb5xxRate: 5 }]`, "s.yaml")).toThrow(/^s\.yaml: world\[0\]\.elb5xxRate: /);
        expect(() => parseScenario(`${base}settings: { settleDelay: soon }`, "s.yaml")).toThrow(/^s\.yaml: settings\.settleDelay: is not a duration like "10m"/);
        expect(() => parseScenario(`${base}settings: { maxP99: 300 }`, "s.yaml")).toThrow(/^s\.yaml: settings: Unrecognized key: "maxP99"/);
    });
});
