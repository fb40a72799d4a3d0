/**
 * `bluegreen preflight --stack <name>`: everything that can be known before a cutover or an upgrade
 * from the stack config alone. Exit 0 when nothing fails, 1 when something does, 2 on bad input.
 */
import * as fs from "fs";
import { CommandIO, processIO } from "../io";
import { onlineCrdLoaders } from "../../addons/online-crds";
import * as path from "path";
import { Command } from "commander";
import { fullConfigOf, readStackFile, StackFileError } from "../../config/stack-file";
import { BUILT_IN_API_RULES, indexApiRules, scanManifestPaths } from "../../apis";
import { formatPreflightHuman, parsePreviousDeployment, PreflightDeps, preflightToJson, PreviousDeployment, runPreflight } from "../../preflight";
import { isoDate, parseIsoDate } from "../../versions";

export interface PreflightCommandOptions {
    stack: string;
    manifests?: string;
    previous?: string;
    json: boolean;
    /** "YYYY-MM-DD"; today (UTC) when absent. */
    today?: string;
    cwd: string;
}

export type PreflightIO = CommandIO;

export const defaultPreflightDeps: PreflightDeps = {
    scanManifests: (manifestsPath, target) =>
        scanManifestPaths([manifestsPath], target, indexApiRules(BUILT_IN_API_RULES), () => Promise.reject(new Error("preflight does not read stdin"))),
};

export async function runPreflightCommand(options: PreflightCommandOptions, io: PreflightIO, deps: PreflightDeps = defaultPreflightDeps): Promise<number> {
    const today = options.today ?? isoDate(new Date());
    if (parseIsoDate(today) === undefined) {
        io.stderr(`--today "${today}" is not a date like 2025-11-25 (YYYY-MM-DD)\n`);
        return 2;
    }
    let stackFile;
    try {
        stackFile = readStackFile(options.cwd, options.stack);
    } catch (err) {
        if (err instanceof StackFileError) {
            io.stderr(`${err.message}\n`);
            return 2;
        }
        throw err;
    }
    let previous: PreviousDeployment | undefined;
    if (options.previous !== undefined) {
        let text: string;
        try {
            text = fs.readFileSync(options.previous, "utf8");
        } catch (err) {
            io.stderr(`cannot read --previous ${options.previous}: ${(err as Error).message}\n`);
            return 2;
        }
        const parsed = parsePreviousDeployment(text, options.previous);
        if (!parsed.ok) {
            io.stderr(parsed.problems.map((p) => `${p}\n`).join(""));
            return 2;
        }
        previous = parsed.previous;
    }
    const report = await runPreflight(
        {
            stack: stackFile.stack,
            stackFile: stackFile.file,
            values: stackFile.values,
            secretPaths: stackFile.secretPaths,
            otherConfig: fullConfigOf(stackFile, {}),
            today,
            projectDir: options.cwd,
            manifestsPath: options.manifests !== undefined ? path.resolve(options.manifests) : undefined,
            previous,
        },
        deps,
    );
    io.stdout(options.json ? JSON.stringify(preflightToJson(report), null, 2) + "\n" : formatPreflightHuman(report, today));
    if (report.items.some((i) => i.status === "fail" && i.badInput)) return 2;
    return report.summary.fail > 0 ? 1 : 0;
}

export function registerPreflightCommand(program: Command): void {
    program
        .command("preflight")
        .description("check a stack before a cutover or an upgrade: config, version rules, EKS support, removed APIs, add-on CRD gate, weights plan (exit 1 on any failure)")
        .requiredOption("--stack <name>", "stack whose stacks/Pulumi.<name>.yaml to read")
        .option("--manifests <path>", "GitOps manifests to scan for removed APIs, relative to the current directory (default: gitops.manifestsPath from the config, relative to --cwd)")
        .option("--previous <json-file>", 'the stack\'s outputs as deployed, e.g. `pulumi stack output --json` ({ "clusters": { "blue": { "version": "1.32" } } })')
        .option("--today <YYYY-MM-DD>", "judge EKS support on this day instead of today")
        .option("--offline", "do not fetch add-on CRDs or read clusters: the CRD gate is reported as not checked", false)
        .option("--json", "print JSON", false)
        .option("--cwd <dir>", "project directory", process.cwd())
        .action(async (opts: PreflightCommandOptions & { offline: boolean }) => {
            const deps = opts.offline ? defaultPreflightDeps : { ...defaultPreflightDeps, addonCrds: onlineCrdLoaders(path.resolve(opts.cwd)) };
            process.exitCode = await runPreflightCommand(opts, processIO, deps);
        });
}
