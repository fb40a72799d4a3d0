/**
 * The `bluegreen` command line: one program, one sub-command per file under `commands/`.
 * Each command sets `process.exitCode`; nothing here calls `process.exit` so output is flushed.
 */
import { Command } from "commander";
import { registerCheckApisCommand } from "./commands/check-apis";
import { registerCrdDiffCommand } from "./commands/crd-diff";
import { registerPlanCommand } from "./commands/plan";
import { registerOperatorCommands } from "./commands/cutover";
import { registerPreflightCommand } from "./commands/preflight";

export function buildProgram(): Command {
    const program = new Command("bluegreen")
        .description("Blue/green Amazon EKS upgrades: offline plan, CRD diff, API checks, preflight, gated cutover and rollback")
        .showHelpAfterError()
        .exitOverride((err) => {
            // Usage errors (unknown option, missing argument) are bad input: exit code 2, like every command's.
            process.exitCode = err.exitCode === 0 ? 0 : 2;
            throw err;
        });
    registerPlanCommand(program);
    registerCrdDiffCommand(program);
    registerOperatorCommands(program);
    registerCheckApisCommand(program);
    registerPreflightCommand(program);
    return program;
}

export async function main(argv: string[]): Promise<void> {
    const program = buildProgram();
    try {
        await program.parseAsync(argv);
    } catch (err) {
        if ((err as { code?: string }).code?.startsWith("commander.")) return;
        process.stderr.write(`bluegreen: ${(err as Error).message}\n`);
        process.exitCode = 2;
    }
}

if (require.main === module) {
    void main(process.argv);
}
