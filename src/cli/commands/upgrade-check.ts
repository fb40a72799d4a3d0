/**
 * `bluegreen upgrade check --stack <s> --color <c> [--version <minor>]`: the checks between two steps
 * of an in-place upgrade (src/upgrade/check.ts), against the color's cluster. Exit 0 when every check
 * passes, 1 when one fails (with what failed and how to continue or go back), 2 on bad input.
 */
import { Command } from "commander";
import { Color, isColor, environmentName } from "../../config";
import { nodeGroupInstances } from "../../config/node-groups";
import { environmentInputsOf, readStackFile } from "../../config/stack-file";
import { UserInputError } from "../../errors";
import { isMinorVersion } from "../../versions";
import { CheckClients, formatUpgradeCheckHuman, runUpgradeChecks } from "../../upgrade/check";
import { CommandIO, processIO } from "../io";
import { EKS_NODEGROUP_LABEL, kubeClients } from "./nodes";

export interface UpgradeCheckOptions {
    stack: string;
    color: string;
    version?: string;
    kubeconfig?: string;
    context?: string;
    json?: boolean;
    cwd: string;
}

async function connect(kubeconfig: string | undefined, context: string): Promise<CheckClients> {
    const k8s = await import("@kubernetes/client-node");
    const clients = await kubeClients(kubeconfig, context);
    return { ...clients, custom: clients.kc.makeApiClient(k8s.CustomObjectsApi) };
}

export async function runUpgradeCheckCommand(options: UpgradeCheckOptions, io: CommandIO, clientsFor: (kubeconfig: string | undefined, context: string) => Promise<CheckClients> = connect): Promise<number> {
    if (!isColor(options.color)) throw new UserInputError(`--color "${options.color}" is not a color: use blue or green`);
    if (options.version !== undefined && (!isMinorVersion(options.version) || !/^1\.\d{2}$/.test(options.version))) throw new UserInputError(`--version "${options.version}" is not a Kubernetes minor version like 1.33`);
    const stackFile = readStackFile(options.cwd, options.stack);
    const { config } = environmentInputsOf(stackFile);
    const spec = config.clusters[options.color as Color];
    if (!spec) throw new UserInputError(`clusters.${options.color} is not in ${stackFile.file}`);
    const replaced = spec.nodeGroups.filter((g) => g.replacement);
    const oldNodeSelectors = replaced.map((g) => `${EKS_NODEGROUP_LABEL}=${nodeGroupInstances(g, spec.version)[0].nodeGroupName}`);
    const context = options.context ?? `${environmentName(config, stackFile.stack)}-${options.color}`;
    const clients = await clientsFor(options.kubeconfig, context);
    const base = `--stack ${options.stack} --color ${options.color}`;
    const report = await runUpgradeChecks(clients, {
        controlPlane: spec.version,
        expectedVersion: options.version,
        oldNodeSelectors,
        rerun: `bluegreen upgrade check ${base}${options.version ? ` --version ${options.version}` : ""}`,
        goBack: replaced.length
            ? replaced.map((g) => `bluegreen nodes drain ${base} --node-group ${g.name} --uncordon`).join("; ") + "; then remove the replacement block(s) and pulumi up (the control plane cannot go back: fix forward or move traffic to the other color)"
            : "the control plane cannot be downgraded: fix forward, or shift traffic to the other color (bluegreen rollback)",
    });
    io.stdout(options.json ? JSON.stringify(report, null, 2) + "\n" : formatUpgradeCheckHuman(report));
    return report.ok ? 0 : 1;
}

export function registerUpgradeCheckCommand(upgrade: Command): void {
    upgrade
        .command("check")
        .description("between steps: nodes Ready on supported kubelets, no pod left on replaced groups, workloads rolled out, ArgoCD apps Synced/Healthy (exit 1 on a failure)")
        .requiredOption("--stack <name>", "stack whose stacks/Pulumi.<name>.yaml to read")
        .requiredOption("--color <color>", "blue or green")
        .option("--version <minor>", "kubelet minor the nodes outside replaced groups must run")
        .option("--kubeconfig <file>", "kubeconfig (default: KUBECONFIG or ~/.kube/config)")
        .option("--context <name>", "kubeconfig context (default: the color's cluster name, <environment>-<color>)")
        .option("--json", "print JSON", false)
        .option("--cwd <dir>", "project directory", process.cwd())
        .action(async (opts: UpgradeCheckOptions) => {
            process.exitCode = await runUpgradeCheckCommand(opts, processIO);
        });
}
