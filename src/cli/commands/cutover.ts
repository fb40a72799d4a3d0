/**
 * `bluegreen cutover`: move traffic to a color in steps, each applied with a targeted weights-only
 * update, read back from the load balancer and baked while the gates are checked; traffic goes back
 * on its own when a step fails. Exit codes: 0 done, 1 fell back / refused / update failed (weights
 * known and reported), 2 bad input, 3 another run holds the lease, 130 interrupted.
 */
import { Command, Option } from "commander";
import { Color, COLORS } from "../../config/colors";
import { runCutover, RunOutcome } from "../../cutover/run";
import { parsePauseBefore, publicationDelay } from "../../cutover/gates/set";
import { CutoverInputError } from "../../cutover/steps";
import { CommandIO, processIO } from "../io";
import { newRunId, OperatorDeps, operatorEvents, operatorSettings, realDeps, SettingsFlags, withInterrupt, engineDeps, reportOperatorFailure, addGateFlags } from "./operator";

export interface CutoverCommandOptions extends SettingsFlags {
    to: Color;
    json: boolean;
    events?: string;
    breakLease?: boolean;
    /** `--pause-before <percent...>`: wait before these percentages for `bluegreen promote`. */
    pauseBefore?: string[];
}

export function printOutcome(io: CommandIO, json: boolean, outcome: RunOutcome, events: unknown[]): void {
    if (json) io.stdout(JSON.stringify({ status: outcome.status, exitCode: outcome.exitCode, finalWeights: outcome.weights, failures: outcome.failures, ...(outcome.holder ? { leaseHolder: outcome.holder } : {}), events }, null, 2) + "\n");
}

export async function runCutoverCommand(options: CutoverCommandOptions, io: CommandIO, deps: OperatorDeps | (() => Promise<OperatorDeps>)): Promise<number> {
    try {
        if (!COLORS.includes(options.to)) throw new CutoverInputError(`--to must be blue or green, not "${options.to}"`);
        const settings = operatorSettings(options); // flags first: nothing touched yet
        settings.pauseBefore = parsePauseBefore(options.pauseBefore, settings.steps);
        const d = typeof deps === "function" ? await deps() : deps;
        const view = await d.stack.read();
        const runId = d.runId ?? newRunId(d.clock);
        const events = operatorEvents(io, options, runId, d.clock);
        try {
            const gates = await d.gates(view, options.to, settings, "cutover");
            const engine = { ...settings, ...publicationDelay(gates, settings.gates.values.settleDelayMs) };
            const outcome = await runCutover({ target: options.to }, engine, engineDeps(d, { runId, events: events.sink, breakLease: options.breakLease, gates, stackName: options.stack }));
            printOutcome(io, options.json, outcome, events.sink.events);
            return outcome.exitCode;
        } finally {
            events.close();
        }
    } catch (err) {
        return reportOperatorFailure(err, io, "cutover", options.json);
    }
}

export function registerCutoverCommand(program: Command): void {
    const command = program
        .command("cutover")
        .description("move traffic to a color in steps, baking and checking gates after each; traffic goes back on its own when a step fails (exit 0 done, 1 fell back or refused, 2 bad input, 3 lease held, 130 interrupted)")
        .requiredOption("--stack <name>", "Pulumi stack (stack or org/project/stack)")
        .addOption(new Option("--to <color>", "color to move traffic to").choices([...COLORS]).makeOptionMandatory())
        .option("--steps <list>", "percentages, e.g. 10,50,100 (default: bluegreen:cutover.steps)")
        .option("--bake <duration>", "time to watch each step, e.g. 10m (default: bluegreen:cutover.bake)")
        .option("--interval <duration>", "time between gate checks, e.g. 30s (default: bluegreen:cutover.interval)")
        .option("--min-healthy-targets <n>", "healthy targets required per target group")
        .option("--max-5xx-rate <ratio>", "highest tolerated share of 5xx responses, e.g. 0.01")
        .addOption(new Option("--on-failure <policy>", "abort: all traffic back to the color that carried it (default: bluegreen:cutover.onFailure); previous-step: back to the last baked step, 0 on the next failure").choices(["abort", "previous-step", "previous-color"]))
        .option("--pause-before <percent...>", "wait before moving to this percentage until `bluegreen promote --stack <name>` (or `--abort`) from any machine; the gates are still watched (repeatable)")
        .option("--break-lease", "take over a lease whose holder stopped renewing it (expired)", false)
        .option("--allow-ungated", "cut over although no traffic gate (CloudWatch metrics) can run, on health and workload gates alone", false)
        .option("--events <file|->", "write every event as NDJSON to a file, or - for stdout")
        .option("--cwd <dir>", "Pulumi project directory", process.cwd())
        .option("--json", "print a JSON report at the end", false);
    addGateFlags(command) // every other threshold of bluegreen:cutover
        .action(async (opts: CutoverCommandOptions) => {
            process.exitCode = await withInterrupt((signal) => runCutoverCommand(opts, processIO, () => realDeps(opts, signal)));
        });
}
