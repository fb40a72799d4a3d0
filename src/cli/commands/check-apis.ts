/**
 * `bluegreen check-apis --target 1.NN [--json] [--extra-rules file] <paths…|->`: the manifests'
 * API versions deprecated or removed by a Kubernetes version. Exit 0 when nothing is removed,
 * 1 when something is, 2 on bad input.
 */
import * as fs from "fs";
import { CommandIO, processIO } from "../io";
import { Command } from "commander";
import {
    ApiRule,
    apiScanToJson,
    BUILT_IN_API_RULES,
    formatApiScanHuman,
    indexApiRules,
    isRemovedBy,
    parseExtraRules,
    scanManifestPaths,
} from "../../apis";
import { EKS_SUPPORT_CALENDAR, minorOf, parseMinorVersion } from "../../versions";

/** The oldest target the removal table starts at, and how far past the newest EKS version a target may go. */
const OLDEST_TARGET = 16;
const NEWEST_TARGET = minorOf(EKS_SUPPORT_CALENDAR[EKS_SUPPORT_CALENDAR.length - 1].version) + 2;

/** Why `--target` is not a version this check can judge, or undefined. "1.3" is most likely 1.30. */
export function targetProblem(target: string): string | undefined {
    const minor = parseMinorVersion(target);
    if (minor === undefined) return `--target "${target}" is not a Kubernetes minor version like "1.33"`;
    if (minor < 10 && minor * 10 >= OLDEST_TARGET && minor * 10 <= NEWEST_TARGET) return `--target "${target}" is not a version this check knows (did you mean "1.${minor}0"?)`;
    if (minor < OLDEST_TARGET) return `--target "${target}" is older than the removals this check knows (from 1.${OLDEST_TARGET}): give a version between 1.${OLDEST_TARGET} and 1.${NEWEST_TARGET}`;
    if (minor > NEWEST_TARGET) return `--target "${target}" is newer than any Kubernetes version this check knows (up to 1.${NEWEST_TARGET}): its removals would be missed; give a version between 1.${OLDEST_TARGET} and 1.${NEWEST_TARGET}`;
    return undefined;
}

export interface CheckApisOptions {
    target: string;
    json: boolean;
    extraRules?: string;
    paths: string[];
}

export interface CheckApisIO extends CommandIO {
    readStdin: () => Promise<string>;
}

export async function runCheckApisCommand(options: CheckApisOptions, io: CheckApisIO): Promise<number> {
    const badTarget = targetProblem(options.target);
    if (badTarget) {
        io.stderr(`${badTarget}\n`);
        return 2;
    }
    if (options.paths.length === 0) {
        io.stderr("give the manifests to check: files, directories, or - to read stdin\n");
        return 2;
    }
    let extraRules: ApiRule[] = [];
    if (options.extraRules !== undefined) {
        let text: string;
        try {
            text = fs.readFileSync(options.extraRules, "utf8");
        } catch (err) {
            io.stderr(`cannot read the extra rules file ${options.extraRules}: ${(err as Error).message}\n`);
            return 2;
        }
        const parsed = parseExtraRules(text, options.extraRules);
        if (!parsed.ok) {
            io.stderr(`The extra rules have ${parsed.problems.length} problem${parsed.problems.length === 1 ? "" : "s"}; please fix them:\n${parsed.problems.map((p) => `  - ${p}\n`).join("")}`);
            return 2;
        }
        extraRules = parsed.rules;
    }
    // Extra rules come last so that they override a built-in row for the same apiVersion and kind.
    const rules = indexApiRules([...BUILT_IN_API_RULES, ...extraRules]);
    const scan = await scanManifestPaths(options.paths, options.target, rules, io.readStdin);
    for (const note of scan.skipped) io.stderr(`skipped ${note}\n`);
    for (const error of scan.errors) io.stderr(`${error}\n`);
    if (scan.errors.length === 0 && scan.files === 0) {
        io.stderr(`no .yaml, .yml or .json file under ${options.paths.join(", ")}: nothing was checked; give the manifests' folder (render Helm charts with \`helm template\` and pipe them with -)\n`);
        return 2;
    }
    // A scan that could not read everything is no verdict: what was found is shown, but never a
    // "nothing removed" line, and the exit code is 2.
    if (scan.errors.length > 0) {
        if (scan.findings.length > 0) io.stdout(options.json ? JSON.stringify(apiScanToJson(options.target, scan.findings), null, 2) + "\n" : formatApiScanHuman(options.target, scan.findings, scan, rules));
        io.stderr(`${scan.errors.length} input${scan.errors.length === 1 ? "" : "s"} could not be scanned (above): fix or remove ${scan.errors.length === 1 ? "it" : "them"} and run again\n`);
        return 2;
    }
    io.stdout(options.json ? JSON.stringify(apiScanToJson(options.target, scan.findings), null, 2) + "\n" : formatApiScanHuman(options.target, scan.findings, scan, rules));
    return scan.findings.some((f) => isRemovedBy(f, options.target)) ? 1 : 0;
}

export function readProcessStdin(): Promise<string> {
    return new Promise((resolve, reject) => {
        let text = "";
        process.stdin.setEncoding("utf8");
        process.stdin.on("data", (chunk: string) => (text += chunk));
        process.stdin.on("end", () => resolve(text));
        process.stdin.on("error", reject);
    });
}

export function registerCheckApisCommand(program: Command): void {
    program
        .command("check-apis")
        .description("find API versions in manifests that a Kubernetes version deprecates or removes (exit 1 when something is removed)")
        .requiredOption("--target <1.NN>", "the Kubernetes minor version the manifests must run on")
        .option("--json", "print JSON", false)
        .option("--extra-rules <file>", "more rules, for custom resources: a YAML/JSON list of { apiVersion, kind, deprecatedIn, removedIn, replacement }")
        .argument("<paths...>", "manifest files, directories (searched for .yaml, .yml, .json), or - for stdin")
        .action(async (paths: string[], opts: Omit<CheckApisOptions, "paths">) => {
            process.exitCode = await runCheckApisCommand(
                { ...opts, paths },
                { ...processIO, readStdin: readProcessStdin },
            );
        });
}
