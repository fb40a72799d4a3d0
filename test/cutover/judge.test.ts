import fc from "fast-check";
import type { CheckResult, GateCheck } from "../../src/cutover/contract";
import { errorBackoffMs, precheckPasses, StepJudge } from "../../src/cutover/judge";
import { fallbackWeights, remainingSteps } from "../../src/cutover/steps";

const check = (result: CheckResult, app = "shop", gate = "5xx rate"): GateCheck => ({ gate, app, color: "green", result, message: result });
const limits = { consecutiveErrorLimit: 4, failureLimit: 0 };

describe("step judge", () => {
    test.each<[string, CheckResult[], boolean]>([
        ["three errors in a row are retried", ["error", "error", "error"], false],
        ["the fourth error in a row is a failure", ["error", "error", "error", "error"], true],
        ["a pass in between resets the count", ["error", "error", "error", "pass", "error", "error", "error"], false],
        ["an inconclusive check resets it too but is no pass", ["error", "error", "inconclusive", "error"], false],
        ["one fail with failureLimit 0 fails the step", ["pass", "fail"], true],
    ])("%s", (_name, results, failed) => {
        const judge = new StepJudge(limits);
        let verdict = { failed: false };
        for (const r of results) verdict = judge.observe([check(r)]);
        expect(verdict.failed).toBe(failed);
    });

    test("failureLimit failures are tolerated per step, one more is not", () => {
        const judge = new StepJudge({ consecutiveErrorLimit: 4, failureLimit: 2 });
        expect(judge.observe([check("fail")]).failed).toBe(false);
        expect(judge.observe([check("fail")]).failed).toBe(false);
        expect(judge.observe([check("fail")]).failed).toBe(true);
    });

    test("errors are counted per gate and app: errors spread over apps don't add up", () => {
        const judge = new StepJudge(limits);
        for (const app of ["a", "b", "c", "d", "e"]) expect(judge.observe([check("error", app)]).failed).toBe(false);
    });

    test("inconclusive never counts as a pass: a bake of inconclusive checks is not enough", () => {
        const judge = new StepJudge(limits);
        for (let i = 0; i < 10; i++) judge.observe([check("pass", "shop"), check("inconclusive", "api")]);
        expect(judge.enoughConclusive()).toBe(false);
        expect(judge.shortOfPasses()).toEqual(["5xx rate api green passed 0/10"]);
    });

    test("enough when every gate passed in at least half of the rounds", () => {
        const judge = new StepJudge(limits);
        for (let i = 0; i < 10; i++) judge.observe([check(i < 5 ? "inconclusive" : "pass")]);
        expect(judge.enoughConclusive()).toBe(true);
        judge.observe([check("inconclusive")]);
        expect(judge.enoughConclusive()).toBe(false);
    });

    test("warnings never fail a step", () => {
        const judge = new StepJudge(limits);
        expect(judge.observe([{ ...check("fail"), warning: true }]).failed).toBe(false);
    });

    test("the pre-check needs every gate to pass: one failing among passing ones is refused, inconclusive too", () => {
        expect(precheckPasses([check("pass"), check("pass", "api")])).toBe(true);
        expect(precheckPasses([check("pass"), check("fail", "api")])).toBe(false);
        expect(precheckPasses([check("pass"), check("inconclusive", "api")])).toBe(false);
        expect(precheckPasses([check("pass"), { ...check("fail", "api"), warning: true }])).toBe(true);
    });

    test("backoff doubles and never exceeds the interval", () => {
        expect([1, 2, 3, 4, 5].map((n) => errorBackoffMs(n, 2000, 30_000))).toEqual([2000, 4000, 8000, 16_000, 30_000]);
    });
});

describe("step planning and fallbacks", () => {
    test("abort goes to 0; previous-step to the highest baked weight below the failed one", () => {
        expect(fallbackWeights("green", 50, [10], "abort")).toEqual({ blue: 100, green: 0 });
        expect(fallbackWeights("green", 50, [10], "previous-step")).toEqual({ blue: 90, green: 10 });
        expect(fallbackWeights("green", 50, [], "previous-step")).toEqual({ blue: 100, green: 0 });
        expect(fallbackWeights("blue", 100, [10, 50], "previous-step")).toEqual({ blue: 50, green: 50 });
    });

    test("property: a fallback is never 0/0 and never above the failed weight", () => {
        fc.assert(fc.property(fc.integer({ min: 1, max: 100 }), fc.array(fc.integer({ min: 1, max: 100 })), fc.constantFrom("abort" as const, "previous-step" as const), fc.constantFrom("blue" as const, "green" as const), (failed, baked, policy, target) => {
            const w = fallbackWeights(target, failed, baked, policy);
            expect(w.blue + w.green).toBe(100);
            expect(w[target]).toBeLessThan(failed);
            if (w[target] > 0) expect(baked).toContain(w[target]);
        }));
    });

    test("remaining steps skip those at or below the current weight and always end at 100", () => {
        expect(remainingSteps({ blue: 100, green: 0 }, "green", [10, 50])).toEqual([10, 50, 100]);
        expect(remainingSteps({ blue: 50, green: 50 }, "green", [50, 10, 100])).toEqual([100]);
    });
});

describe("one gate, several measures per app and color (compare-colors: 5xx and p99)", () => {
    const measured = (measure: string, result: CheckResult): GateCheck => ({ gate: "compare-colors", app: "shop", color: "green", measure, result, message: `${measure} ${result}` });

    test("a measure that is never conclusive is not made up for by another one passing", () => {
        const judge = new StepJudge(limits);
        for (let i = 0; i < 6; i++) judge.observe([measured("5xx", "inconclusive"), measured("p99", "pass")]);
        expect(judge.enoughConclusive()).toBe(false);
        expect(judge.shortOfPasses()).toEqual(["compare-colors shop green 5xx passed 0/6"]);
    });

    test("errors in a row are counted per measure: another measure's pass does not reset them", () => {
        const judge = new StepJudge(limits);
        let verdict = { failed: false };
        for (let i = 0; i < 4; i++) verdict = judge.observe([measured("5xx", "error"), measured("p99", "pass")]);
        expect(verdict.failed).toBe(true);
    });
});
