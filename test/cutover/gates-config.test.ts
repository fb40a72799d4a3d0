import { cutoverDefaults, cutoverTimingProblems, parseEnvironmentConfig } from "../../src/config";
import { rawConfig } from "../helpers/raw-config";
import { albRouting } from "../routing/fixtures";

function problems(cutover: Record<string, unknown>, routing?: Record<string, unknown>): string[] {
    const result = parseEnvironmentConfig(rawConfig({ cutover, ...(routing ? { routing } : {}) }));
    return result.ok ? [] : result.problems.map((p) => `${p.path} ${p.message}`);
}

describe("bluegreen:cutover timing and thresholds", () => {
    test("defaults are safe with traffic gates: a 1 m interval, a 2 m settle delay, 50 requests before judging", () => {
        expect(cutoverDefaults()).toMatchObject({ interval: "1m", bake: "10m", settleDelay: "2m", minRequests: 50, max5xxRate: 0.01, maxP99Ms: 2000, progressingGrace: "5m" });
        expect(problems({}, albRouting())).toEqual([]);
    });

    test.each<[string, Record<string, unknown>, boolean, string[]]>([
        ["interval 0s is a busy loop", { interval: "0s" }, false, ["cutover.interval (0 s) must be at least 10 s: a shorter interval is a busy loop of AWS and Kubernetes API calls"]],
        ["interval 10s without traffic gates is fine", { interval: "10s" }, false, []],
        ["interval 30s with traffic gates rereads a minute", { interval: "30s" }, true, [expect.stringMatching(/^cutover\.interval \(30 s\) must be at least 60 s while traffic gates run: CloudWatch publishes one data point per minute/) as unknown as string]],
        ["bake shorter than a metric period plus the settle delay never sees a minute", { bake: "2m" }, true, ["cutover.bake (120 s) must be at least one metric period (60 s) plus settleDelay (120 s) = 180 s: a shorter bake can never see a complete, published minute"]],
        ["a shorter settle delay allows a shorter bake", { bake: "2m", settleDelay: "1m" }, true, []],
        ["bake rule only for traffic gates", { bake: "1m" }, false, []],
    ])("%s", (_name, cutover, traffic, expected) => {
        expect(problems(cutover, traffic ? albRouting() : undefined)).toEqual(expected);
    });

    test("a bad duration is reported once, at its own path", () => {
        expect(problems({ settleDelay: "soon" }, albRouting())).toEqual([expect.stringMatching(/^cutover\.settleDelay /)]);
    });

    test("the pure timing check serves the CLI after flags override the stack", () => {
        expect(cutoverTimingProblems({ intervalMs: 30_000, bakeMs: 600_000, settleDelayMs: 120_000 }, true).map((p) => p.path)).toEqual(["interval"]);
        expect(cutoverTimingProblems({ intervalMs: 60_000, bakeMs: 600_000, settleDelayMs: 120_000 }, true)).toEqual([]);
    });
});
