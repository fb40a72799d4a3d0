/**
 * `bluegreen promote --stack <name> [--abort]`: decides the pause a cutover waits at
 * (`--pause-before <percent>`), from any operator's machine: the pause lives in the environment's
 * record, not in the waiting process. Exit codes: 0 decided, 1 nothing is paused, 2 bad input.
 */
import { Command } from "commander";
import * as os from "os";
import { NoPauseError, PauseStore } from "../../cutover/gates/manual";
import { reportFailure } from "../failure";
import { CommandIO, processIO } from "../io";

export interface PromoteCommandOptions {
    stack: string;
    abort: boolean;
    cwd: string;
}

export interface PromoteDeps {
    store: PauseStore;
    /** Who decides, recorded with the decision (user@host). */
    who: string;
    now: () => Date;
}

export async function runPromoteCommand(options: PromoteCommandOptions, io: CommandIO, deps: PromoteDeps): Promise<number> {
    try {
        const waiting = await deps.store.waiting(options.stack);
        if (!waiting) {
            io.stderr(`bluegreen promote: no cutover of stack ${options.stack} is paused: nothing to ${options.abort ? "abort" : "promote"}\n`);
            return 1;
        }
        const decided = await deps.store.decide(options.stack, options.abort ? "aborted" : "promoted", deps.who, deps.now());
        io.stdout(
            options.abort
                ? `Aborted the cutover of ${options.stack} paused before ${decided.percent}% (waiting since ${decided.since}): it falls back at its next check.\n`
                : `Promoted the cutover of ${options.stack} to ${decided.percent}% (paused since ${decided.since}): it moves on at its next check.\n`,
        );
        return 0;
    } catch (err) {
        if (err instanceof NoPauseError) {
            io.stderr(`bluegreen promote: ${err.message}\n`);
            return 1;
        }
        return reportFailure(err, io, "promote");
    }
}

/** `openStore` opens the environment's pause record (the cutover's DynamoDB table) for a stack. */
export function registerPromoteCommand(program: Command, openStore: (stack: string, cwd: string) => Promise<PauseStore>): void {
    program
        .command("promote")
        .description("let a cutover paused with --pause-before move on (or --abort it: it falls back); exit 0 decided, 1 nothing paused, 2 error")
        .requiredOption("--stack <name>", "Pulumi stack")
        .option("--abort", "abort the paused cutover instead: it falls back as on a failed gate", false)
        .option("--cwd <dir>", "Pulumi project directory", process.cwd())
        .action(async (opts: PromoteCommandOptions) => {
            const store = await openStore(opts.stack, opts.cwd);
            process.exitCode = await runPromoteCommand(opts, processIO, { store, who: `${os.userInfo().username}@${os.hostname()}`, now: () => new Date() });
        });
}
