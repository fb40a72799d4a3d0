/**
 * `bluegreen rollback`: all traffic back to the color that carried it before the cutover, in one
 * targeted update. Exit 0 done, 2 bad input or a failed operation.
 */
import { Command } from "commander";
import { runRollback } from "../../cutover/run";
import { reportFailure } from "../failure";
import { CommandIO, processIO } from "../io";
import { OperatorDeps, realDeps } from "./operator";

export async function runRollbackCommand(options: { json: boolean }, io: CommandIO, deps: Pick<OperatorDeps, "stack">): Promise<number> {
    try {
        const lines: string[] = [];
        const outcome = await runRollback({ stack: deps.stack, log: (line) => (options.json ? lines.push(line) : io.stdout(`${line}\n`)) });
        if (options.json) io.stdout(JSON.stringify({ ...outcome, log: lines }, null, 2) + "\n");
        return 0;
    } catch (err) {
        return reportFailure(err, io, "rollback");
    }
}

export function registerRollbackCommand(program: Command): void {
    program
        .command("rollback")
        .description("give 100% back to the color that carried traffic before the cutover, in one targeted update")
        .requiredOption("--stack <name>", "Pulumi stack")
        .option("--cwd <dir>", "Pulumi project directory", process.cwd())
        .option("--json", "print JSON", false)
        .action(async (opts: { stack: string; cwd: string; json: boolean }) => {
            process.exitCode = await runRollbackCommand(opts, processIO, await realDeps(opts));
        });
}
