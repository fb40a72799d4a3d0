/**
 * `bluegreen plan` (`npm run plan`): the offline plan. Runs the Pulumi program in-process under mocks
 * with a stack file's config and prints the resource graph, or what would change between two configs.
 */
import * as path from "path";
import { Command } from "commander";
import { applyOverrides, environmentInputsOf, readStackFile } from "../../config/stack-file";
import type { EnvironmentProgram } from "../../plan/stack-plan";
import { diffPlans } from "../../plan/diff";
import { diffToJson, formatDiffHuman, formatPlanHuman, planToJson } from "../../plan/format";
import { reportFailure } from "../failure";
import { lockEntryReader } from "../../addons/online-crds";
import { CommandIO, processIO } from "../io";

export interface PlanCommandOptions {
    stack: string;
    set: string[];
    against?: string;
    json: boolean;
    cwd: string;
}

/** `program` is the Pulumi program to plan (components/environment.ts's `deployEnvironment`, wired in cli.ts). */
export async function runPlanCommand(options: PlanCommandOptions, io: CommandIO, program: EnvironmentProgram): Promise<number> {
    try {
        const stackFile = readStackFile(options.cwd, options.stack);
        const afterInputs = environmentInputsOf(stackFile, applyOverrides(stackFile.values, options.set));
        const baseFile = options.against ? readStackFile(options.cwd, options.against) : stackFile;
        // Compared under the same stack name, so URNs line up as they would in one stack's history.
        const beforeInputs = options.against || options.set.length ? environmentInputsOf(baseFile, baseFile.values, stackFile.stack) : undefined;
        // Loaded once the config is valid: the Pulumi SDK and providers take seconds to load, and bad input is refused without them.
        const { planEnvironment, OFFLINE_CRD_DEPS } = await import("../../plan/stack-plan");
        // No network: the add-on CRDs are shown with the addons.lock.json entry each comes from.
        const crdDeps = { ...OFFLINE_CRD_DEPS, lockEntry: lockEntryReader(options.cwd) };
        const after = await planEnvironment(afterInputs, stackFile.stack, program, crdDeps);
        if (beforeInputs === undefined) {
            io.stdout(options.json ? JSON.stringify(planToJson(after), null, 2) + "\n" : formatPlanHuman(after));
            return 0;
        }
        const before = await planEnvironment(beforeInputs, stackFile.stack, program, crdDeps);
        const diff = diffPlans(before, after);
        if (options.json) {
            io.stdout(JSON.stringify(diffToJson(diff), null, 2) + "\n");
        } else {
            io.stdout(`Offline plan diff: ${options.against ? `stack file ${shownPath(options.cwd, baseFile.file)}` : `stack ${stackFile.stack}`} → ${stackFile.stack}${options.set.length ? ` with ${options.set.join(" ")}` : ""}\n\n`);
            io.stdout(formatDiffHuman(diff));
        }
        return 0;
    } catch (err) {
        return reportFailure(err, io, "plan");
    }
}

/** The base file as the user would type it: relative to the project directory, so the header is the same on every machine. */
function shownPath(cwd: string, file: string): string {
    const relative = path.relative(cwd, file);
    return relative && !path.isAbsolute(relative) ? relative : file;
}

export function registerPlanCommand(cli: Command, loadProgram: () => Promise<EnvironmentProgram>): void {
    cli
        .command("plan")
        .description("offline plan: the resources a stack would register, or what changes between two configs (no AWS, no Pulumi CLI; a review tool — `pulumi preview` is the real thing)")
        .requiredOption("--stack <name>", "stack whose stacks/Pulumi.<name>.yaml to read")
        .option("--set <key=value>", "override a config value (path inside bluegreen:, value as JSON or string); shows the diff against the stack file", (v: string, acc: string[]) => [...acc, v], [] as string[])
        .option("--against <stack-or-file>", "show the diff from this stack (or stack config file) to --stack")
        .option("--json", "print JSON", false)
        .option("--cwd <dir>", "project directory", process.cwd())
        .action(async (opts: PlanCommandOptions) => {
            process.exitCode = await runPlanCommand(opts, processIO, await loadProgram());
        });
}
