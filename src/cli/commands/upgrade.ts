/**
 * `bluegreen upgrade plan --stack <s> --color <c> --to <minor>`: the ordered in-place upgrade steps of
 * one color (src/upgrade/plan.ts). Online it pins EKS managed add-on versions from the EKS API and runs
 * the CRD gate on changed add-ons; `--offline` uses the stack file and the version rules only.
 * Exit 0 when the plan can be carried out in place, 1 when it is refused or calls for a new color,
 * 2 on bad input. `bluegreen upgrade check` (checks between steps) is registered here too.
 */
import * as fs from "fs";
import * as path from "path";
import { Command } from "commander";
import { isColor } from "../../config";
import { environmentInputsOf, readStackFile } from "../../config/stack-file";
import { UserInputError } from "../../errors";
import { BUILT_IN_API_RULES, indexApiRules, scanManifestPaths } from "../../apis";
import { isMinorVersion } from "../../versions";
import { ADDON_IDS, AddonId } from "../../addons/registry";
import { parsePreviousDeployment } from "../../preflight/previous";
import { planUpgrade, UpgradePlanDeps } from "../../upgrade/plan";
import { formatUpgradePlanHuman } from "../../upgrade/format";
import { CommandIO, processIO } from "../io";
import { registerUpgradeCheckCommand } from "./upgrade-check";

export interface UpgradePlanOptions {
    stack: string;
    color: string;
    to: string;
    previous?: string;
    addon?: string[];
    manifests?: string;
    offline?: boolean;
    json?: boolean;
    cwd: string;
    region?: string;
}

export function parseAddonTargets(values: string[] = []): Partial<Record<AddonId, string>> {
    const targets: Partial<Record<AddonId, string>> = {};
    for (const value of values) {
        const match = /^([a-z-]+)=(\S+)$/.exec(value);
        if (!match || !(ADDON_IDS as readonly string[]).includes(match[1])) {
            throw new UserInputError(`--addon "${value}" is not <add-on>=<version> with an add-on among ${ADDON_IDS.join(", ")}`);
        }
        targets[match[1] as AddonId] = match[2];
    }
    return targets;
}

/** The online look-ups, loaded on use (the AWS SDK and the CRD sources take a moment to load). */
export async function onlineUpgradeDeps(region: string, projectDir: string): Promise<UpgradePlanDeps> {
    const [{ EKSClient }, { eksAddonVersionResolver }, { loadAddonCrdSet }] = await Promise.all([
        import("@aws-sdk/client-eks"),
        import("../../upgrade/eks-addons"),
        import("../../addons/online-crds"),
    ]);
    return { managedAddonVersions: explainEksFailures(eksAddonVersionResolver(new EKSClient({ region })), region), loadAddonCrds: (addon, version) => loadAddonCrdSet(addon, version, projectDir) };
}

/** An EKS API failure (no credentials, no network) says what it was and how to plan without it. */
export function explainEksFailures(resolve: NonNullable<UpgradePlanDeps["managedAddonVersions"]>, region: string): NonNullable<UpgradePlanDeps["managedAddonVersions"]> {
    return (addon, version) =>
        resolve(addon, version).catch((err: Error) => {
            throw new Error(`could not ask the EKS API in ${region} for ${addon} versions on ${version} (${(err.message ?? String(err)).split("\n")[0]}): set AWS credentials for the account, or plan with --offline (managed add-on versions are then resolved at deploy time)`);
        });
}

export async function runUpgradePlanCommand(options: UpgradePlanOptions, io: CommandIO, online: (region: string, projectDir: string) => Promise<UpgradePlanDeps> = onlineUpgradeDeps): Promise<number> {
    if (!isColor(options.color)) throw new UserInputError(`--color "${options.color}" is not a color: use blue or green`);
    // Two digits, as the stack file writes versions: "1.3" is a typo of 1.30-something, not Kubernetes 1.3.
    if (!isMinorVersion(options.to) || !/^1\.\d{2}$/.test(options.to)) throw new UserInputError(`--to "${options.to}" is not a Kubernetes minor version like 1.33`);
    const addonTargets = parseAddonTargets(options.addon);
    const stackFile = readStackFile(options.cwd, options.stack);
    const { config, region } = environmentInputsOf(stackFile);
    const cluster = config.clusters[options.color];
    if (!cluster) throw new UserInputError(`clusters.${options.color} is not in ${stackFile.file}: an in-place upgrade needs the color to exist`);
    let from: string | undefined;
    let runningAddons: Partial<Record<AddonId, string>> | undefined;
    if (options.previous !== undefined) {
        const parsed = parsePreviousDeployment(readText(options.previous, "--previous"), options.previous);
        if (!parsed.ok) throw new UserInputError(parsed.problems.join("\n"));
        const deployed = parsed.previous.clusters[options.color];
        from = deployed?.version;
        runningAddons = Object.fromEntries(Object.entries(deployed?.addons ?? {}).map(([k, v]) => [k, v?.version]).filter(([, v]) => v)) as Partial<Record<AddonId, string>>;
    }
    const deps: UpgradePlanDeps = options.offline ? {} : await online(options.region ?? region, options.cwd);
    const manifests = options.manifests !== undefined ? path.resolve(options.manifests) : config.gitops.manifestsPath !== undefined ? path.resolve(options.cwd, config.gitops.manifestsPath) : undefined;
    if (manifests !== undefined) {
        const rules = indexApiRules(BUILT_IN_API_RULES);
        deps.scanManifests = (target) => scanManifestPaths([manifests], target, rules, () => Promise.reject(new Error("no stdin")));
    }
    const plan = await planUpgrade({ stack: stackFile.stack, config, color: options.color, to: options.to, from, runningAddons, addonTargets }, deps);
    io.stdout(options.json ? JSON.stringify(plan, null, 2) + "\n" : formatUpgradePlanHuman(plan));
    return plan.refusals.length > 0 || plan.method === "new color" ? 1 : 0;
}

function readText(file: string, flag: string): string {
    try {
        return fs.readFileSync(file, "utf8");
    } catch (err) {
        throw new UserInputError(`cannot read ${flag} ${file}: ${(err as Error).message}`);
    }
}

export function registerUpgradeCommand(program: Command): void {
    const upgrade = program.command("upgrade").description("in-place upgrade of one color: plan the steps, check between them");
    upgrade
        .command("plan")
        .description("print the ordered steps of an in-place upgrade of one color (exit 1 when refused or a new color is needed)")
        .requiredOption("--stack <name>", "stack whose stacks/Pulumi.<name>.yaml to read")
        .requiredOption("--color <color>", "blue or green")
        .requiredOption("--to <minor>", "target Kubernetes minor version, e.g. 1.33")
        .option("--previous <json-file>", "the stack's outputs as deployed (`pulumi stack output --json`): the running control-plane and add-on versions")
        .option("--addon <id=version...>", "add-on chart versions to move to (default: the stack file's)")
        .option("--manifests <path>", "GitOps manifests to scan for APIs removed by each intermediate version")
        .option("--offline", "no EKS API, no CRD download: managed add-on versions resolved at deploy time, CRD gate not run", false)
        .option("--region <region>", "AWS region of the EKS API (default: the stack's)")
        .option("--json", "print JSON", false)
        .option("--cwd <dir>", "project directory", process.cwd())
        .action(async (opts: UpgradePlanOptions) => {
            process.exitCode = await runUpgradePlanCommand(opts, processIO);
        });
    registerUpgradeCheckCommand(upgrade);
}
