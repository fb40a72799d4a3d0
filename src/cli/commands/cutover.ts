/**
 * `bluegreen cutover`: move traffic to a color in steps around `pulumi up` with changed weights.
 * Exit codes: 0 done, 1 a gate failed (weights set back), 2 bad input or a failed operation,
 * 130 interrupted (last applied weights left in place).
 */
import { Command, Option } from "commander";
import { Color, COLORS, CutoverConfig, cutoverDefaults, loadEnvironmentConfig } from "../../config";
import { readStackFile, StackFileError } from "../../config/stack-file";
import { EXIT_CODES, runCutover } from "../../cutover/run";
import { CutoverInputError, FailurePolicy, parseDuration } from "../../cutover/steps";
import { reportFailure } from "../failure";
import { CommandIO, processIO } from "../io";
import { OperatorDeps, realDeps, withInterrupt } from "./operator";

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
        return reportFailure(err, io, "cutover");
    }
}

export function registerCutoverCommand(program: Command): void {
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
}
