/**
 * `bluegreen promote --stack <name> [--abort] [--json]`: decides the pause a cutover waits at
 * (`cutover --pause-before <percent>`), from any operator's machine: the pause lives in the
 * environment's cutover table, not in the waiting process. The decision names the pause it read
 * (run id and percentage), so it never resolves a newer pause, and of two operators deciding at
 * once exactly one wins. Exit codes: 0 decided, 1 nothing is paused (or someone decided first),
 * 2 bad input or no access to the table.
 */
import { Command } from "commander";
import { describeNotWaiting, NoPauseError, PauseRecord, PauseStore } from "../../cutover/gates/manual";
import { CommandIO, processIO } from "../io";
import { localIdentity, realPauseStore, reportOperatorFailure } from "./operator";

export interface PromoteCommandOptions {
    stack: string;
    abort: boolean;
    json: boolean;
    cwd: string;
}

export interface PromoteDeps {
    store: PauseStore;
    /** Who decides, recorded with the decision (user@host). */
    who: string;
    now: () => Date;
}

export const NOTHING_PAUSED_EXIT = 1;

function answer(io: CommandIO, options: PromoteCommandOptions, status: string, exitCode: number, pause: PauseRecord | undefined, message: string): number {
    if (options.json) io.stdout(JSON.stringify({ status, exitCode, message, ...(pause ? { pause } : {}) }, null, 2) + "\n");
    else if (exitCode === 0) io.stdout(`${message}\n`);
    else io.stderr(`bluegreen promote: ${message}\n`);
    return exitCode;
}

export async function runPromoteCommand(options: PromoteCommandOptions, io: CommandIO, deps: PromoteDeps | (() => Promise<PromoteDeps>)): Promise<number> {
    const verb = options.abort ? "abort" : "promote";
    try {
        const d = typeof deps === "function" ? await deps() : deps;
        const current = await d.store.read(options.stack);
        if (!current || current.state !== "waiting") {
            return answer(io, options, "nothing-paused", NOTHING_PAUSED_EXIT, current, `${describeNotWaiting(options.stack, current)}: nothing to ${verb}`);
        }
        const decided = await d.store.decide(options.stack, { runId: current.runId, percent: current.percent }, options.abort ? "aborted" : "promoted", d.who, d.now());
        const which = `the cutover of ${options.stack} (run ${decided.runId} of ${decided.waiter}, paused before ${decided.percent}% since ${decided.since})`;
        const message = options.abort
            ? `Aborted ${which}: at its next check it puts all traffic back on the color it came from and exits 1.`
            : `Promoted ${which}: at its next check it moves to ${decided.percent}%.`;
        return answer(io, options, decided.state, 0, decided, message);
    } catch (err) {
        if (err instanceof NoPauseError) return answer(io, options, "nothing-paused", NOTHING_PAUSED_EXIT, err.current, `${err.message}: nothing to ${verb}`);
        return reportOperatorFailure(err, io, "promote", options.json);
    }
}

export function registerPromoteCommand(program: Command): void {
    program
        .command("promote")
        .description("let a cutover paused with --pause-before move on, or --abort it (it falls back); from any machine (exit 0 decided, 1 nothing paused, 2 bad input)")
        .requiredOption("--stack <name>", "Pulumi stack (stack or org/project/stack)")
        .option("--abort", "abort the paused cutover instead: all traffic goes back to the color it came from", false)
        .option("--cwd <dir>", "Pulumi project directory", process.cwd())
        .option("--json", "print the decision as JSON", false)
        .action(async (opts: PromoteCommandOptions) => {
            const identity = localIdentity();
            process.exitCode = await runPromoteCommand(opts, processIO, async () => ({ store: await realPauseStore(opts), who: `${identity.owner}@${identity.host}`, now: () => new Date() }));
        });
}
