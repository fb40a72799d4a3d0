/**
 * `bluegreen preflight --stack <name>`: everything that can be known before a cutover or an upgrade
 * from the stack config alone, and the cutover's step plan and gates as `bluegreen cutover` would run
 * them with the same flags; with `--live`, what the running environment says too (live weights,
 * target health, lease, stickiness, region, verification traffic, the stack file in git).
 * Exit 0 when nothing fails, 1 when something does, 2 on bad input.
 */
import * as fs from "fs";
import { CommandIO, processIO } from "../io";
import { onlineCrdLoaders } from "../../addons/online-crds";
import * as path from "path";
import { Command, Option } from "commander";
import { fullConfigOf, readStackFile, StackFileError } from "../../config/stack-file";
import { BUILT_IN_API_RULES, indexApiRules, scanManifestPaths } from "../../apis";
import { formatPreflightHuman, parsePreviousDeployment, PlanSettings, PreflightDeps, preflightToJson, PreviousDeployment, runPreflight } from "../../preflight";
import type { LiveReaders } from "../../preflight/model";
import { isoDate, parseIsoDate } from "../../versions";
import { Color, COLORS } from "../../config/colors";
import { ConfigError } from "../../config/problems";
import { UserInputError } from "../../errors";
import { addGateFlags, gateFlagsOf, operatorSettings, SettingsFlags } from "./operator";

/** The cutover's own flags, planned with the same meaning (see `bluegreen cutover --help`). */
/** The cutover's own flags (SettingsFlags: steps, on-failure and every gate setting), for the same plan. */
export interface PlanFlags extends Omit<SettingsFlags, "stack" | "cwd"> {
    to?: Color;
    allowUngated?: boolean;
}

export interface PreflightCommandOptions extends PlanFlags {
    stack: string;
    /** Read the running environment too (needs the Pulumi CLI and AWS credentials). */
    live?: boolean;
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
    let cutover: PlanSettings | undefined;
    try {
        cutover = planSettings(options, stackFile.values);
    } catch (err) {
        // An invalid config is the config item's to report; a bad flag is bad input.
        if (!(err instanceof UserInputError)) throw err;
        if (!(err instanceof ConfigError)) {
            io.stderr(`${err.message}\n`);
            return 2;
        }
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
            ...(cutover ? { cutover } : {}),
        },
        options.live ? { ...deps, live: deps.live ?? ((aws) => realLiveReaders(options, aws)) } : { ...deps, live: undefined },
    );
    io.stdout(options.json ? JSON.stringify(preflightToJson(report), null, 2) + "\n" : formatPreflightHuman(report, today));
    if (report.items.some((i) => i.status === "fail" && i.badInput)) return 2;
    return report.summary.fail > 0 ? 1 : 0;
}

/**
 * The cutover's settings from the same flags, resolved by the same functions `bluegreen cutover` uses:
 * `operatorSettings` for the engine, `resolveGateSettings` for the gates (flags, then the stack's
 * `bluegreen:cutover`, then the defaults).
 */
export function planSettings(options: PreflightCommandOptions, values: Record<string, unknown>): PlanSettings {
    if (options.to !== undefined && !COLORS.includes(options.to)) throw new UserInputError(`--to must be blue or green, not "${options.to}"`);
    const engine = operatorSettings({ ...gateFlagsOf(options), stack: options.stack, cwd: options.cwd, steps: options.steps, onFailure: options.onFailure });
    const stackCutover = values.cutover as Record<string, unknown> | undefined;
    const origin = (flag: string | undefined, key: string) => (flag !== undefined ? "flag" : stackCutover && key in stackCutover ? "stack config" : "default") as "flag" | "stack config" | "default";
    return {
        engine,
        gates: engine.gates,
        origins: { steps: origin(options.steps, "steps"), onFailure: origin(options.onFailure, "onFailure") },
        ...(options.to ? { target: options.to } : {}),
        allowUngated: options.allowUngated === true,
    };
}

/**
 * The real readers of --live: the stack's outputs through Pulumi (read only), AWS clients in the
 * stack's region with its profile. Missing credentials or a missing Pulumi CLI are said at once.
 */
async function realLiveReaders(options: PreflightCommandOptions, aws: { region: string; profile?: string }): Promise<LiveReaders> {
    const { awsLiveReaders, createLiveClients } = await import("../../preflight/live-aws");
    const clients = createLiveClients({ region: aws.region, ...(aws.profile ? { profile: aws.profile } : {}) });
    try {
        await clients.elbv2.config.credentials();
    } catch (err) {
        const how = aws.profile ? `profile ${aws.profile} (aws:profile)` : "the default chain (no aws:profile in the stack)";
        throw new UserInputError(`no AWS credentials from ${how}: ${(err as Error).message.split("\n")[0]}. Log in (${aws.profile ? `aws sso login --profile ${aws.profile}` : "aws sso login, or set AWS_PROFILE"}) and run preflight --live again, or drop --live`);
    }
    const { PulumiStackOperations } = await import("../../cutover/automation");
    const stack = await PulumiStackOperations.select(options.stack, options.cwd, { readOnly: true });
    const [view, tableName] = await Promise.all([stack.read(), stack.cutoverTableName()]);
    return awsLiveReaders({ view, region: aws.region, ...(tableName ? { tableName } : {}), clients });
}

export function registerPreflightCommand(program: Command): void {
    const command = program
        .command("preflight")
        .description("check a stack before a cutover or an upgrade: config, version rules, EKS support, removed APIs, add-on CRD gate, weights plan (exit 1 on any failure)")
        .requiredOption("--stack <name>", "stack whose stacks/Pulumi.<name>.yaml to read")
        .option("--manifests <path>", "GitOps manifests to scan for removed APIs, relative to the current directory (default: gitops.manifestsPath from the config, relative to --cwd)")
        .option("--previous <json-file>", 'the stack\'s outputs as deployed, e.g. `pulumi stack output --json` ({ "clusters": { "blue": { "version": "1.32" } } })')
        .option("--today <YYYY-MM-DD>", "judge EKS support on this day instead of today")
        .option("--offline", "do not fetch add-on CRDs or read clusters: the CRD gate is reported as not checked", false)
        .option("--live", "read the running environment too: live weights, candidate target health, lease holder, stack file in git, stickiness, region and profile, verification traffic (needs the Pulumi CLI and AWS credentials)", false)
        .addOption(new Option("--to <color>", "plan the cutover to this color (default: the config's candidate)").choices([...COLORS]))
        .option("--steps <list>", "as for cutover: percentages, e.g. 10,50,100")
        .option("--bake <duration>", "as for cutover: time to watch each step")
        .option("--interval <duration>", "as for cutover: time between gate checks")
        .addOption(new Option("--on-failure <policy>", "as for cutover").choices(["abort", "previous-step", "previous-color"]))
        .option("--allow-ungated", "as for cutover: do not count a plan without traffic gate as a failure", false)
        .option("--json", "print JSON", false)
        .option("--cwd <dir>", "project directory", process.cwd());
    addGateFlags(command) // the cutover's thresholds, for the same plan
        .action(async (opts: PreflightCommandOptions & { offline: boolean }) => {
            const deps = opts.offline ? defaultPreflightDeps : { ...defaultPreflightDeps, addonCrds: onlineCrdLoaders(path.resolve(opts.cwd)) };
            process.exitCode = await runPreflightCommand(opts, processIO, deps);
        });
}
