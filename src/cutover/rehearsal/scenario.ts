/**
 * The rehearsal scenario file (`bluegreen rehearse <scenario.yaml>`): where traffic starts, what each
 * color reports from a simulated time on, which faults strike when. Validated with zod so a mistake
 * is refused with its path (exit 2) before anything runs. Names follow issue 11; additions are
 * `start.config` (stack config ahead of the load balancer), `start.record` (a previous run's record,
 * to rehearse a resume), `rollback` (force, watch), per-app `world` entries with what the real gates
 * read (traffic per minute, ELBv2 target states, rollouts, ArgoCD applications), `regions` and
 * `allowUngated`. `settings` are `bluegreen:cutover` itself (same keys, checks and defaults), so the
 * gates are built from them exactly as a cutover builds them from the stack.
 */
import * as fs from "fs";
import * as yaml from "js-yaml";
import { z } from "zod";
import { COLORS } from "../../config/colors";
import { cutoverSchema } from "../../config/schema";
import { parseDurationMs } from "../../config/values";
import { UserInputError } from "../../errors";

const duration = z.string().refine((v) => parseDurationMs(v) !== undefined, { message: 'is not a duration like "10m", "30s" or "1h30m"' });
const weights = z.strictObject({ blue: z.int().min(0).max(100), green: z.int().min(0).max(100) }).refine((w) => w.blue + w.green === 100, { message: "weights must add up to 100" });
const color = z.enum(COLORS);

const ratio = z.number().min(0).max(1);
const count = z.int().min(0);
const name = z.string().regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/, { message: "must be a Kubernetes name (lowercase letters, digits, -)" });

/** ELBv2 target states (DescribeTargetHealth) and how many targets are in each. */
const targetStates = z.strictObject({
    healthy: count.optional(),
    initial: count.optional(),
    unhealthy: count.optional(),
    "unhealthy.draining": count.optional(),
    draining: count.optional(),
    unused: count.optional(),
    unavailable: count.optional(),
});

/**
 * A Deployment, StatefulSet or DaemonSet of the color's cluster from `at` on. With `app` it is the
 * app's own workload (namespace and name default to the app's); without, `namespace` is required.
 * rolling: new replicas not all updated yet; stuck: past its progress deadline (a StatefulSet or
 * DaemonSet never gets there: pods stay unready); done: rolled out.
 */
const rollout = z.strictObject({
    kind: z.enum(["Deployment", "StatefulSet", "DaemonSet"]).default("Deployment"),
    namespace: name.optional(),
    name: name.optional(),
    state: z.enum(["rolling", "stuck", "done"]),
});

/** An ArgoCD Application of the color's cluster, deploying into `destination` (default: the app's namespace). */
const application = z.strictObject({
    name,
    destination: name.optional(),
    sync: z.enum(["Synced", "OutOfSync", "Unknown"]).default("Synced"),
    health: z.enum(["Healthy", "Progressing", "Degraded", "Suspended", "Missing", "Unknown"]).default("Healthy"),
});

const worldEntry = z.strictObject({
    at: duration.default("0m"),
    color,
    app: z.string().min(1).optional(),
    healthyTargets: count.optional(),
    unhealthyTargets: count.optional(),
    /** Targets per ELBv2 state; a state not named keeps its count. */
    targets: targetStates.optional(),
    /** Requests per minute the app's rule sends here at 100 % weight (scaled by the live weight). */
    requestsPerMinute: z.number().min(0).optional(),
    /** HTTPCode_Target_5XX_Count / RequestCount: errors the targets answer. */
    errorRate5xx: ratio.optional(),
    /** HTTPCode_ELB_5XX_Count share of the requests sent here: 502/503/504 the load balancer answers itself, targets healthy. */
    elb5xxRate: ratio.optional(),
    /** TargetConnectionErrorCount / RequestCount. */
    connectionErrorRate: ratio.optional(),
    /** p99 TargetResponseTime in milliseconds. */
    p99Ms: z.number().positive().optional(),
    /** false: the app's pods are not ready (no ready endpoints, its Deployment not available). */
    workloadsReady: z.boolean().optional(),
    rollout: rollout.optional(),
    application: application.optional(),
});

/** `bluegreen:cutover` without previousColor (the rehearsal's start says where traffic was). */
const cutoverSettings = cutoverSchema.omit({ previousColor: true });

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
        /** `bluegreen:cutover` of the rehearsed stack: the same keys, checks and defaults; `asWritten` for where each value came from. */
        settings: z
            .record(z.string(), z.unknown())
            .default({})
            .transform((asWritten, ctx) => {
                const parsed = cutoverSettings.safeParse(asWritten);
                if (parsed.success) return { ...parsed.data, asWritten };
                for (const issue of parsed.error.issues) ctx.addIssue({ code: "custom", message: issue.message, path: issue.path as PropertyKey[] });
                return z.NEVER;
            }),
        /**
         * The stack's region (output `region`; null: the stack gives none) and the region its load
         * balancer, target groups and metrics are in. They differ: the metrics are not where the gates look.
         */
        regions: z.strictObject({ stack: z.string().min(1).nullable().default("eu-west-1"), metrics: z.string().min(1).default("eu-west-1") }).prefault({}),
        /** As `cutover --allow-ungated`: go on without any traffic gate. */
        allowUngated: z.boolean().default(false),
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
        if (s.pauseBefore?.length && s.decisions.length === 0 && !s.faults.some((f) => f.kind === "interrupt")) {
            ctx.addIssue({ code: "custom", path: ["decisions"], message: "pauseBefore needs a promote or abort decision (or an interrupt fault): a pause waits for an operator, forever" });
        }
        s.pauseBefore?.forEach((p, i) => {
            if (!steps.includes(p)) ctx.addIssue({ code: "custom", path: ["pauseBefore", i], message: `${p} is not one of settings.steps (${steps.join(", ")})` });
        });
        s.world.forEach((w, i) => {
            if (w.app && !s.apps.includes(w.app)) ctx.addIssue({ code: "custom", path: ["world", i, "app"], message: `"${w.app}" is not one of apps (${s.apps.join(", ")})` });
            if (w.rollout && !w.app && !w.rollout.namespace) ctx.addIssue({ code: "custom", path: ["world", i, "rollout", "namespace"], message: "is required without `app`: name the namespace the workload rolls in" });
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
        const message = (m: string) => (m === "DURATION" ? 'is not a duration like "10m", "30s" or "1h30m"' : m); // the config schema's code
        throw new ScenarioError(`${file}: ${parsed.error.issues.map((i) => `${pathOf(i.path) || "(top level)"}: ${message(i.message)}`).join("; ")}`);
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
