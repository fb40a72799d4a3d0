/**
 * `bluegreen cutover`, `bluegreen rollback` and `bluegreen status`: the operator's commands around
 * `pulumi up` with changed weights. Exit codes: 0 done, 1 a gate failed (weights set back), 2 bad
 * input or a failed operation, 130 interrupted (last applied weights left in place).
 */
import { Command, Option } from "commander";
import { Color, COLORS, ConfigError, CutoverConfig, cutoverDefaults, loadEnvironmentConfig } from "../../../stacks/config";
import { readStackFile, StackFileError } from "../../config/stack-file";
import { Clock, formatWeights, Gate, StackOperations, StackView, systemClock } from "../../cutover/model";
import { EXIT_CODES, runCutover, runRollback } from "../../cutover/run";
import { CutoverInputError, FailurePolicy, parseDuration } from "../../cutover/steps";
import { CommandIO, processIO } from "../io";

export interface CutoverCommandOptions {
    stack: string;
    to: Color;
    steps?: string;
    bake?: string;
    interval?: string;
    minHealthyTargets?: string;
    max5xxRate?: string;
    onFailure: FailurePolicy;
    cwd: string;
    json: boolean;
}

export interface OperatorDeps {
    stack: StackOperations;
    gates: (view: StackView, candidate: Color, thresholds: { minHealthyTargets: number; max5xxRate: number }) => Gate[];
    clock: Clock;
    signal?: AbortSignal;
}

/** Thresholds: flags first, then the stack file's `bluegreen:cutover`, then the schema's defaults. */
export function cutoverSettings(options: Pick<CutoverCommandOptions, "stack" | "cwd" | "steps" | "bake" | "interval" | "minHealthyTargets" | "max5xxRate">) {
    let config: CutoverConfig;
    try {
        config = loadEnvironmentConfig(readStackFile(options.cwd, options.stack).values).cutover;
    } catch (err) {
        // The stack may live elsewhere (--cwd at another project layout): flags and defaults still apply.
        if (!(err instanceof StackFileError)) throw err;
        config = cutoverDefaults();
    }
    const number = (flag: string | undefined, fallback: number, name: string) => {
        if (flag === undefined) return fallback;
        const n = Number(flag);
        if (!Number.isFinite(n)) throw new CutoverInputError(`--${name} must be a number, not "${flag}"`);
        return n;
    };
    return {
        steps: options.steps ? options.steps.split(",").map((s) => Number(s.trim())) : config.steps,
        bakeMs: parseDuration(options.bake ?? config.bake),
        intervalMs: parseDuration(options.interval ?? config.interval),
        minHealthyTargets: number(options.minHealthyTargets, config.minHealthyTargets, "min-healthy-targets"),
        max5xxRate: number(options.max5xxRate, config.max5xxRate, "max-5xx-rate"),
    };
}

// The AWS SDK, the Kubernetes client and the Automation API are loaded on use, so other commands start fast.
async function realDeps(options: { stack: string; cwd: string }, signal?: AbortSignal): Promise<OperatorDeps> {
    const { PulumiStackOperations } = await import("../../cutover/automation");
    const { awsGates } = await import("../../cutover/aws-gates");
    return { stack: await PulumiStackOperations.select(options.stack, options.cwd), gates: awsGates, clock: systemClock, signal };
}

function handleError(err: unknown, io: CommandIO, command: string): number {
    if (err instanceof CutoverInputError || err instanceof ConfigError || err instanceof StackFileError) {
        io.stderr(`bluegreen ${command}: ${err.message}\n`);
        return 2;
    }
    io.stderr(`bluegreen ${command}: ${(err as Error).message}\n`);
    return 2;
}

export async function runCutoverCommand(options: CutoverCommandOptions, io: CommandIO, deps: OperatorDeps): Promise<number> {
    try {
        if (!COLORS.includes(options.to)) throw new CutoverInputError(`--to must be blue or green, not "${options.to}"`);
        const settings = cutoverSettings(options);
        const view = await deps.stack.read();
        const lines: string[] = [];
        const outcome = await runCutover(
            { target: options.to, steps: settings.steps, bakeMs: settings.bakeMs, intervalMs: settings.intervalMs, onFailure: options.onFailure },
            {
                stack: deps.stack,
                gates: deps.gates(view, options.to, settings),
                clock: deps.clock,
                signal: deps.signal,
                log: (line) => (options.json ? lines.push(line) : io.stdout(`${line}\n`)),
            },
        );
        if (options.json) io.stdout(JSON.stringify({ ...outcome, log: lines }, null, 2) + "\n");
        return EXIT_CODES[outcome.status];
    } catch (err) {
        return handleError(err, io, "cutover");
    }
}

export async function runRollbackCommand(options: { json: boolean }, io: CommandIO, deps: Pick<OperatorDeps, "stack">): Promise<number> {
    try {
        const lines: string[] = [];
        const outcome = await runRollback({ stack: deps.stack, log: (line) => (options.json ? lines.push(line) : io.stdout(`${line}\n`)) });
        if (options.json) io.stdout(JSON.stringify({ ...outcome, log: lines }, null, 2) + "\n");
        return 0;
    } catch (err) {
        return handleError(err, io, "rollback");
    }
}

export type TargetHealthReader = (targetGroupArn: string) => Promise<Record<string, number>>;

export async function runStatusCommand(options: { stack: string; json: boolean }, io: CommandIO, deps: { stack: StackOperations; targetHealth: TargetHealthReader }): Promise<number> {
    try {
        const view = await deps.stack.read();
        const colors = COLORS.filter((c) => view.clusters[c] || view.weights[c] > 0);
        const report = [];
        for (const color of colors) {
            const cluster = view.clusters[color] ?? {};
            const apps: Record<string, string> = {};
            for (const [name, app] of Object.entries(view.apps)) {
                const arn = app.targetGroupArns[color];
                if (!arn) continue;
                try {
                    const counts = await deps.targetHealth(arn);
                    apps[name] = Object.entries(counts).map(([state, n]) => `${n} ${state}`).join(", ") || "no targets";
                } catch (err) {
                    apps[name] = `unknown (${(err as Error).message.split("\n")[0]})`;
                }
            }
            report.push({
                color,
                weight: view.weights[color],
                cluster: cluster.name ?? null,
                version: cluster.version ?? null,
                nodeGroups: cluster.nodeGroups ?? [],
                addons: Object.fromEntries(Object.entries(cluster.addons ?? {}).map(([k, v]) => [k, v.version ?? null])),
                targetHealth: apps,
            });
        }
        if (options.json) {
            io.stdout(JSON.stringify({ stack: options.stack, mode: view.mode, weights: view.weights, previousColor: view.previousColor ?? null, colors: report }, null, 2) + "\n");
            return 0;
        }
        io.stdout(`Stack ${options.stack} (${view.mode} mode): ${formatWeights(view.weights)}${view.previousColor ? `; rollback goes to ${view.previousColor}` : ""}\n`);
        for (const r of report) {
            io.stdout(`\n${r.color}  ${r.weight}%  cluster ${r.cluster ?? "(none)"} on ${r.version ?? "?"}\n`);
            io.stdout(`  node groups: ${r.nodeGroups.join(", ") || "-"}\n`);
            io.stdout(`  add-ons:     ${Object.entries(r.addons).map(([k, v]) => `${k} ${v ?? "?"}`).join(", ") || "-"}\n`);
            for (const [app, health] of Object.entries(r.targetHealth)) io.stdout(`  ${app}: ${health}\n`);
        }
        return 0;
    } catch (err) {
        return handleError(err, io, "status");
    }
}

function withInterrupt<T>(run: (signal: AbortSignal) => Promise<T>): Promise<T> {
    const controller = new AbortController();
    const onSigint = () => {
        process.stderr.write("\nInterrupt received: finishing the current operation, then stopping (no further weight change).\n");
        controller.abort();
    };
    process.once("SIGINT", onSigint);
    return run(controller.signal).finally(() => process.removeListener("SIGINT", onSigint));
}

export function registerOperatorCommands(program: Command): void {
    program
        .command("cutover")
        .description("move traffic to a color in steps, baking and checking gates after each; set the weights back when a gate fails (exit 0 done, 1 rolled back, 2 error, 130 interrupted)")
        .requiredOption("--stack <name>", "Pulumi stack")
        .addOption(new Option("--to <color>", "color to move traffic to").choices([...COLORS]).makeOptionMandatory())
        .option("--steps <list>", "percentages, e.g. 10,50,100 (default: bluegreen:cutover.steps)")
        .option("--bake <duration>", "time to watch each step, e.g. 10m (default: bluegreen:cutover.bake)")
        .option("--interval <duration>", "time between gate checks, e.g. 30s (default: bluegreen:cutover.interval)")
        .option("--min-healthy-targets <n>", "healthy targets required per target group")
        .option("--max-5xx-rate <ratio>", "highest tolerated share of 5xx responses, e.g. 0.01")
        .addOption(new Option("--on-failure <policy>", "where to go when a gate fails").choices(["previous-step", "previous-color"]).default("previous-step"))
        .option("--cwd <dir>", "Pulumi project directory", process.cwd())
        .option("--json", "print a JSON report at the end", false)
        .action(async (opts: CutoverCommandOptions) => {
            process.exitCode = await withInterrupt(async (signal) => runCutoverCommand(opts, processIO, await realDeps(opts, signal)));
        });
    program
        .command("rollback")
        .description("give 100% back to the color that carried traffic before the cutover, in one targeted update")
        .requiredOption("--stack <name>", "Pulumi stack")
        .option("--cwd <dir>", "Pulumi project directory", process.cwd())
        .option("--json", "print JSON", false)
        .action(async (opts: { stack: string; cwd: string; json: boolean }) => {
            process.exitCode = await runRollbackCommand(opts, processIO, await realDeps(opts));
        });
    program
        .command("status")
        .description("per color: cluster, version, node groups, add-on versions, weight and live target health")
        .requiredOption("--stack <name>", "Pulumi stack")
        .option("--cwd <dir>", "Pulumi project directory", process.cwd())
        .option("--json", "print JSON", false)
        .action(async (opts: { stack: string; cwd: string; json: boolean }) => {
            const { PulumiStackOperations } = await import("../../cutover/automation");
            const { elbTargetHealthReader } = await import("../../cutover/aws-gates");
            process.exitCode = await runStatusCommand(opts, processIO, { stack: await PulumiStackOperations.select(opts.stack, opts.cwd), targetHealth: elbTargetHealthReader() });
        });
}
