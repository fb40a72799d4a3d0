/**
 * The gates a real `cutover` builds from its flags and the stack (operator.ts): every threshold of
 * `bluegreen:cutover` can be given on the command line, a bad one is refused before the stack is
 * touched, each printed threshold says where it came from, and the timing rules (interval, bake
 * against the metric period and settle delay) apply after the flags, to a cutover but never to a rollback.
 */
import * as path from "path";
import { buildProgram } from "../../src/cli/main";
import { operatorSettings, realGateSet, SettingsFlags } from "../../src/cli/commands/operator";
import { runCutoverCommand } from "../../src/cli/commands/cutover";
import type { StackView } from "../../src/cutover/model";

const projectDir = path.join(__dirname, "..", "..");
const TG = (color: string) => `arn:aws:elasticloadbalancing:eu-west-1:123456789012:targetgroup/prod-shop-${color}/0123456789abcdef`;
const view: StackView = {
    mode: "alb",
    weights: { blue: 100, green: 0 },
    clusters: { blue: {}, green: {} },
    apps: { shop: { hostnames: ["shop.example.com"], targetGroupArns: { blue: TG("blue"), green: TG("green") }, loadBalancerArnSuffix: "app/prod-edge/1111111111111111" } },
    weightedResourceUrns: [],
};

async function gateLines(flags: Partial<SettingsFlags>, command: "cutover" | "rollback" = "cutover"): Promise<string[]> {
    const options = { stack: "prod", cwd: projectDir, ...flags };
    const lines: string[] = [];
    await realGateSet(view, "green", operatorSettings(options), { ...options, region: "eu-west-1", command, write: (l) => lines.push(l.trimEnd()) });
    return lines;
}

describe("cutover gate flags", () => {
    test("every gate threshold is a cutover flag", () => {
        const cutover = buildProgram({ loadProgram: async () => { throw new Error("not used"); } }).commands.find((c) => c.name() === "cutover")!;
        const flags = cutover.options.map((o) => o.long);
        for (const flag of ["--bake", "--interval", "--min-requests", "--settle-delay", "--max-5xx-rate", "--max-elb-5xx-increase", "--baseline", "--max-connection-error-rate", "--max-p99-ms", "--max-relative-5xx", "--max-relative-p99", "--min-healthy-targets", "--progressing-grace", "--workload-selector"]) {
            expect(flags).toContain(flag);
        }
    });

    test("a bad threshold flag is refused (exit 2) before the stack is read", async () => {
        let touched = false;
        let stderr = "";
        const code = await runCutoverCommand({ stack: "prod", cwd: projectDir, to: "green", json: false, maxP99Ms: "fast" }, { stdout: () => undefined, stderr: (t) => (stderr += t) }, async () => {
            touched = true;
            throw new Error("the stack must not be touched");
        });
        expect(code).toBe(2);
        expect(touched).toBe(false);
        expect(stderr).toContain('--max-p99-ms "fast"');
    });

    test("thresholds printed at start say flag only for what was given; the stack's own say stack config", async () => {
        const lines = await gateLines({ maxP99Ms: "800" });
        const target5xx = lines.find((l) => l.includes("target-5xx") || /target 5xx/i.test(l))!;
        const p99 = lines.find((l) => /p99/i.test(l) && !/relative|current/i.test(l))!;
        // prod's stack file sets max5xxRate 0.005; the flag sets the p99 limit.
        expect(target5xx).toMatch(/0\.5(0)?\s?%.*stack config|stack config.*0\.5(0)?\s?%/);
        expect(target5xx).not.toContain("flag");
        expect(p99).toMatch(/800 ?ms/);
        expect(p99).toContain("flag");
    });

    test("--bake shorter than a metric period plus the settle delay is refused for a cutover, with the flag named", async () => {
        await expect(gateLines({ bake: "1m" })).rejects.toThrow(/^--bake \(60 s\) must be at least .* = 180 s/);
        await expect(gateLines({ interval: "30s" })).rejects.toThrow(/^--interval \(30 s\) must be at least 60 s while traffic gates run/);
    });

    test("a rollback is never refused for its timing", async () => {
        await expect(gateLines({ bake: "1m", interval: "30s" }, "rollback")).resolves.toEqual(expect.arrayContaining([expect.stringContaining("gate: ")]));
    });
});
