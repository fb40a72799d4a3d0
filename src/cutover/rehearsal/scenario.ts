/**
 * The rehearsal scenario file (`bluegreen rehearse <scenario.yaml>`): where traffic starts, what each
 * color reports from a simulated time on, which faults strike when. Validated with zod so a mistake
 * is refused with its path (exit 2) before anything runs. Names follow issue 11; additions are
 * `start.config` (stack config ahead of the load balancer), `start.record` (a previous run's record,
 * to rehearse a resume), `rollback` (force, watch) and per-app `world` entries.
 */
import * as fs from "fs";
import * as yaml from "js-yaml";
import { z } from "zod";
import { COLORS } from "../../config/colors";
import { parseDurationMs } from "../../config/values";
import { UserInputError } from "../../errors";

const duration = z.string().refine((v) => parseDurationMs(v) !== undefined, { message: 'is not a duration like "10m", "30s" or "1h30m"' });
const weights = z.strictObject({ blue: z.int().min(0).max(100), green: z.int().min(0).max(100) }).refine((w) => w.blue + w.green === 100, { message: "weights must add up to 100" });
const color = z.enum(COLORS);

const worldEntry = z.strictObject({
    at: duration.default("0m"),
    color,
    app: z.string().min(1).optional(),
    healthyTargets: z.int().min(0).optional(),
    unhealthyTargets: z.int().min(0).optional(),
    requestsPerMinute: z.number().min(0).optional(),
    errorRate5xx: z.number().min(0).max(1).optional(),
    workloadsReady: z.boolean().optional(),
});

const fault = z.discriminatedUnion("kind", [
    z.strictObject({ at: duration, kind: z.literal("update-fails") }),
    z.strictObject({ at: duration, kind: z.literal("update-fails-partially") }),
    z.strictObject({ at: duration, kind: z.literal("update-locked"), holder: z.string().default("ci@runner-7") }),
    z.strictObject({ at: duration, kind: z.literal("interrupt") }),
    z.strictObject({ at: duration, kind: z.literal("api-errors"), api: z.enum(["cloudwatch", "elbv2", "kubernetes"]), count: z.int().min(1) }),
    z.strictObject({ at: duration, kind: z.literal("lease-held"), owner: z.string().default("alice"), host: z.string().default("laptop-42") }),
]);

export const scenarioSchema = z
    .strictObject({
        command: z.enum(["cutover", "rollback"]),
        to: color.optional(),
        start: z.strictObject({
            weights,
            previousColor: color.optional(),
            /** The stack config's weights when they differ from the load balancer's. */
            config: weights.optional(),
            /** A previous run's record: the step it reached and what it baked. */
            record: z
                .strictObject({
                    from: color,
                    to: color,
                    phase: z.enum(["running", "interrupted", "update-failed", "fell-back", "completed"]).default("interrupted"),
                    stepIndex: z.int().min(0).default(0),
                    verifiedWeights: weights,
                    bakedPercents: z.array(z.int().min(1).max(100)).default([]),
                    baked: duration.optional(),
                })
                .optional(),
        }),
        apps: z.array(z.string().regex(/^[a-z0-9-]+$/)).min(1).default(["app"]),
        settings: z
            .strictObject({
                steps: z.array(z.int().min(1).max(100)).min(1).default([10, 50, 100]),
                bake: duration.default("10m"),
                interval: duration.default("30s"),
                max5xxRate: z.number().min(0).max(1).default(0.01),
                minRequests: z.int().min(0).default(50),
                minHealthyTargets: z.int().min(1).default(1),
                consecutiveErrorLimit: z.int().min(1).default(4),
                failureLimit: z.int().min(0).default(0),
                onFailure: z.enum(["abort", "previous-step"]).default("abort"),
            })
            .prefault({}),
        rollback: z.strictObject({ force: z.boolean().default(false), watch: duration.default("2m") }).prefault({}),
        world: z.array(worldEntry).default([]),
        faults: z.array(fault).default([]),
        /** `--pause-before`: percentages the cutover waits before, for a `decisions` entry (bluegreen promote). */
        pauseBefore: z.array(z.int().min(1).max(100)).optional(),
        /** Operators running `bluegreen promote [--abort]` at a simulated time. */
        decisions: z.array(z.strictObject({ at: duration, action: z.enum(["promote", "abort"]), by: z.string().min(1).default("ana@laptop") })).default([]),
    })
    .superRefine((s, ctx) => {
        if (s.command === "cutover" && !s.to) ctx.addIssue({ code: "custom", path: ["to"], message: "is required for a cutover: blue or green" });
        const steps = s.settings.steps;
        if (steps[steps.length - 1] !== 100 || steps.some((p, i) => i > 0 && p <= steps[i - 1])) {
            ctx.addIssue({ code: "custom", path: ["settings", "steps"], message: "must be increasing and end at 100" });
        }
        if (s.pauseBefore?.length && s.decisions.length === 0 && !s.faults.some((f) => f.kind === "interrupt")) {
            ctx.addIssue({ code: "custom", path: ["decisions"], message: "pauseBefore needs a promote or abort decision (or an interrupt fault): a pause waits for an operator, forever" });
        }
        s.pauseBefore?.forEach((p, i) => {
            if (!steps.includes(p)) ctx.addIssue({ code: "custom", path: ["pauseBefore", i], message: `${p} is not one of settings.steps (${steps.join(", ")})` });
        });
        s.world.forEach((w, i) => {
            if (w.app && !s.apps.includes(w.app)) ctx.addIssue({ code: "custom", path: ["world", i, "app"], message: `"${w.app}" is not one of apps (${s.apps.join(", ")})` });
        });
    });

export type Scenario = z.output<typeof scenarioSchema>;
export type WorldEntry = Scenario["world"][number];
export type Fault = Scenario["faults"][number];

export class ScenarioError extends UserInputError {}

const pathOf = (path: ReadonlyArray<PropertyKey>) => path.map((p, i) => (typeof p === "number" ? `[${p}]` : `${i ? "." : ""}${String(p)}`)).join("");

/** Parses a scenario from its text; a `ScenarioError` naming the file and the path of each mistake. */
export function parseScenario(text: string, file = "scenario"): Scenario {
    let raw: unknown;
    try {
        raw = yaml.load(text, { json: false });
    } catch (err) {
        throw new ScenarioError(`${file}: not valid YAML: ${(err as Error).message.split("\n")[0]}`);
    }
    const parsed = scenarioSchema.safeParse(raw ?? {});
    if (!parsed.success) {
        throw new ScenarioError(`${file}: ${parsed.error.issues.map((i) => `${pathOf(i.path) || "(top level)"}: ${i.message}`).join("; ")}`);
    }
    return parsed.data;
}

export function readScenario(file: string): Scenario {
    let text: string;
    try {
        text = fs.readFileSync(file, "utf8");
    } catch (err) {
        throw new ScenarioError(`${file}: cannot be read (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
    }
    if (text.length > 1_000_000) throw new ScenarioError(`${file}: larger than 1 MB; a scenario is a short YAML file`);
    return parseScenario(text, file);
}
