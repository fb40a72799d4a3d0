/**
 * The `bluegreen` command line: one program, one sub-command per file under `commands/`.
 * Each command sets `process.exitCode`; nothing here calls `process.exit` so output is flushed.
 * What the core must not import (the Pulumi program in components/) is handed in by `cli.ts`.
 */
import { Command } from "commander";
import type { EnvironmentProgram } from "../plan/stack-plan";
import { registerAddonsCommand } from "./commands/addons-lock";
import { registerCheckApisCommand } from "./commands/check-apis";
import { registerCrdDiffCommand } from "./commands/crd-diff";
import { registerCutoverCommand } from "./commands/cutover";
import { registerPlanCommand } from "./commands/plan";
import { registerPreflightCommand } from "./commands/preflight";
import { registerPromoteCommand } from "./commands/promote";
import { registerReportCommand } from "./commands/report";
import { registerRehearseCommand } from "./commands/rehearse";
import { registerRollbackCommand } from "./commands/rollback";
import { registerStatusCommand } from "./commands/status";
import { registerUpgradeCommand } from "./commands/upgrade";
import { registerNodesCommand } from "./commands/nodes";
import { reportFailure } from "./failure";
import { processIO } from "./io";

export interface CliWiring {
    /** The environment's Pulumi program, loaded on use (the SDK takes a second to load). */
    loadProgram: () => Promise<EnvironmentProgram>;
}

export function buildProgram(wiring: CliWiring): Command {
    const program = new Command("bluegreen")
        .description("Blue/green Amazon EKS upgrades: offline plan, CRD diff, API checks, preflight, gated cutover and rollback")
        .showHelpAfterError()
        .exitOverride((err) => {
            // Usage errors (unknown option, missing argument) are bad input: exit code 2, like every command's.
            process.exitCode = err.exitCode === 0 ? 0 : 2;
            throw err;
        });
    registerPlanCommand(program, wiring.loadProgram);
    registerCrdDiffCommand(program);
    registerCutoverCommand(program);
    registerRollbackCommand(program);
    registerPromoteCommand(program);
    registerRehearseCommand(program);
    registerStatusCommand(program);
    registerCheckApisCommand(program);
    registerPreflightCommand(program);
    registerUpgradeCommand(program);
    registerNodesCommand(program);
    registerReportCommand(program);
    registerAddonsCommand(program);
    return program;
}

export async function main(argv: string[], wiring: CliWiring): Promise<void> {
    const program = buildProgram(wiring);
    try {
        await program.parseAsync(argv);
    } catch (err) {
        if ((err as { code?: string }).code?.startsWith("commander.")) return;
        process.exitCode = reportFailure(err, processIO, program.args[0] ?? "");
    }
}
