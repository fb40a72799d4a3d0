/**
 * `bluegreen rollback`: all traffic back to the color that carried it before the cutover (from the
 * record, else bluegreen:cutover.previousColor), after checking that color can take it; then keeps
 * checking it. `--direct` moves the listener rules with the ELBv2 API when Pulumi, its backend or its
 * lock is unavailable. Exit 0 rolled back, 1 refused / failed after the switch / update failed,
 * 2 bad input, 3 lease held, 130 interrupted.
 */
import { Command } from "commander";
import { rollbackColor, runRollback } from "../../cutover/run";
import { CutoverInputError, parseDuration } from "../../cutover/steps";
import { CommandIO, processIO } from "../io";
import { printOutcome } from "./cutover";
import { directDeps, newRunId, OperatorDeps, operatorEvents, operatorSettings, realDeps, withInterrupt, engineDeps, reportOperatorFailure } from "./operator";

export interface RollbackCommandOptions {
    stack: string;
    cwd: string;
    json: boolean;
    force?: boolean;
    direct?: boolean;
    watch?: string;
    events?: string;
    breakLease?: boolean;
    /** With --direct: the environment's cutover table and region, so Pulumi is not needed at all. */
    table?: string;
    region?: string;
}

export async function runRollbackCommand(options: RollbackCommandOptions, io: CommandIO, deps: OperatorDeps | (() => Promise<OperatorDeps>)): Promise<number> {
    try {
        if ((options.table || options.region) && !options.direct) throw new CutoverInputError("--table and --region go with --direct");
        if (options.direct && !!options.table !== !!options.region) throw new CutoverInputError("--direct takes --table and --region together (to run without Pulumi), or neither (table and region from the stack)");
        const settings = operatorSettings(options);
        const watchMs = parseDuration(options.watch ?? "2m");
        const d = typeof deps === "function" ? await deps() : deps;
        const view = await d.stack.read();
        const runId = d.runId ?? newRunId(d.clock);
        const events = operatorEvents(io, options, runId, d.clock);
        try {
            const to = rollbackColor(await d.store.readRecord(), view);
            const outcome = await runRollback(
                { force: options.force === true, watchMs, direct: options.direct ? d.direct : undefined, targetHealth: d.targetHealth },
                settings,
                engineDeps(d, { runId, events: events.sink, breakLease: options.breakLease, gates: await d.gates(view, to, settings, "rollback") }),
            );
            printOutcome(io, options.json, outcome, events.sink.events);
            return outcome.exitCode;
        } finally {
            events.close();
        }
    } catch (err) {
        return reportOperatorFailure(err, io, "rollback", options.json);
    }
}

export function registerRollbackCommand(program: Command): void {
    program
        .command("rollback")
        .description("give 100% back to the color that carried traffic before the cutover, after checking it can take it (exit 0 done, 1 refused or failed, 2 bad input, 3 lease held)")
        .requiredOption("--stack <name>", "Pulumi stack (stack or org/project/stack)")
        .option("--force", "roll back even when the receiving color has fewer healthy targets", false)
        .option("--direct", "move the listener rules with the ELBv2 API (when Pulumi, its backend or its lock is unavailable)", false)
        .option("--table <name>", "with --direct: the environment's cutover table (stack output cutoverState.tableName), to run without Pulumi")
        .option("--region <region>", "with --direct and --table: the environment's region")
        .option("--watch <duration>", "keep checking the receiving color this long after the switch", "2m")
        .option("--break-lease", "take over a lease whose holder stopped renewing it (expired)", false)
        .option("--events <file|->", "write every event as NDJSON to a file, or - for stdout")
        .option("--cwd <dir>", "Pulumi project directory", process.cwd())
        .option("--json", "print JSON", false)
        .action(async (opts: RollbackCommandOptions) => {
            process.exitCode = await withInterrupt((signal) => runRollbackCommand(opts, processIO, () => (opts.direct && opts.table && opts.region ? directDeps({ table: opts.table, region: opts.region }, signal) : realDeps(opts, signal))));
        });
}
