/**
 * `bluegreen nodes drain --stack <s> --color <c> --node-group <name>` (or `--selector`): the Kubernetes
 * part of a surge replacement, between the `pulumi up` that created the new node group and the one
 * that removes the old (src/nodes/drain.ts). `--uncordon` goes back. The kubeconfig context defaults
 * to the color's cluster name (`aws eks update-kubeconfig --name <env>-<color> --alias <env>-<color>`).
 * Exit 0 when drained and the workloads are available, 1 when something blocks, 2 on bad input.
 */
import { Command } from "commander";
import type * as K8s from "@kubernetes/client-node";
import { Color, environmentName, isColor, parseDurationMs } from "../../config";
import { nodeGroupInstances } from "../../config/node-groups";
import { environmentInputsOf, readStackFile } from "../../config/stack-file";
import { UserInputError } from "../../errors";
import { Clock, systemClock } from "../../nodes/clock";
import { DRAIN_STEPS, DrainClients, DrainReport, DrainStep, drainNodes, uncordonNodes } from "../../nodes/drain";
import { CommandIO, processIO } from "../io";

export interface NodesDrainOptions {
    stack: string;
    color: string;
    nodeGroup?: string;
    selector?: string;
    kubeconfig?: string;
    context?: string;
    nodeTimeout: string;
    timeout: string;
    until?: string;
    force?: boolean;
    uncordon?: boolean;
    json?: boolean;
    cwd: string;
}

export const EKS_NODEGROUP_LABEL = "eks.amazonaws.com/nodegroup";

/** The selector of the nodes to drain, and the cluster (context) they belong to. */
export function drainTarget(options: NodesDrainOptions): { selector: string; cluster: string; what: string; replacementSelector?: string } {
    if (!isColor(options.color)) throw new UserInputError(`--color "${options.color}" is not a color: use blue or green`);
    if ((options.nodeGroup === undefined) === (options.selector === undefined)) throw new UserInputError("give either --node-group <name> or --selector <label selector>");
    const stackFile = readStackFile(options.cwd, options.stack);
    const { config } = environmentInputsOf(stackFile);
    const spec = config.clusters[options.color as Color];
    if (!spec) throw new UserInputError(`clusters.${options.color} is not in ${stackFile.file}`);
    const cluster = `${environmentName(config, stackFile.stack)}-${options.color}`;
    if (options.selector !== undefined) return { selector: options.selector, cluster, what: `nodes matching ${options.selector}` };
    const index = spec.nodeGroups.findIndex((g) => g.name === options.nodeGroup);
    if (index < 0) {
        const known = spec.nodeGroups.flatMap((g) => nodeGroupInstances(g, spec.version).map((i) => i.nodeGroupName));
        if (!known.includes(options.nodeGroup!)) {
            throw new UserInputError(`--node-group "${options.nodeGroup}" is neither a node group of clusters.${options.color} (${spec.nodeGroups.map((g) => g.name).join(", ")}) nor one of their EKS names (${known.join(", ")})`);
        }
        return { selector: `${EKS_NODEGROUP_LABEL}=${options.nodeGroup}`, cluster, what: `EKS node group ${options.nodeGroup}` };
    }
    const group = spec.nodeGroups[index];
    const [current, replacement] = nodeGroupInstances(group, spec.version);
    if (!replacement && !options.uncordon) {
        throw new UserInputError(
            `clusters.${options.color}.nodeGroups[${index}] (${group.name}) has no replacement: its pods would have nowhere to go. ` +
                `Set clusters.${options.color}.nodeGroups[${index}].replacement (e.g. { version: "<minor>" }) and run pulumi up first, so the new group's nodes are Ready`,
        );
    }
    return {
        selector: `${EKS_NODEGROUP_LABEL}=${current.nodeGroupName}`,
        replacementSelector: replacement ? `${EKS_NODEGROUP_LABEL}=${replacement.nodeGroupName}` : undefined,
        cluster,
        what: `node group ${group.name} (EKS ${current.nodeGroupName}${replacement ? `, replaced by ${replacement.nodeGroupName}` : ""})`,
    };
}

export async function kubeClients(kubeconfig: string | undefined, context: string): Promise<DrainClients & { kc: K8s.KubeConfig }> {
    const k8s = await import("@kubernetes/client-node");
    const kc = new k8s.KubeConfig();
    try {
        if (kubeconfig !== undefined) kc.loadFromFile(kubeconfig);
        else kc.loadFromDefault();
    } catch (err) {
        throw new UserInputError(`could not load the kubeconfig${kubeconfig ? ` ${kubeconfig}` : ""}: ${(err as Error).message}`);
    }
    if (!kc.getContexts().some((c) => c.name === context)) {
        throw new UserInputError(`the kubeconfig has no context "${context}": run aws eks update-kubeconfig --name ${context} --alias ${context}, or pass --context`);
    }
    kc.setCurrentContext(context);
    return { kc, core: kc.makeApiClient(k8s.CoreV1Api), apps: kc.makeApiClient(k8s.AppsV1Api) };
}

function parseDuration(flag: string, value: string): number {
    const ms = parseDurationMs(value);
    if (ms === undefined || ms <= 0) throw new UserInputError(`${flag} "${value}" is not a duration like 10m or 90s`);
    return ms;
}

export async function runNodesDrainCommand(
    options: NodesDrainOptions,
    io: CommandIO,
    connect: (kubeconfig: string | undefined, context: string) => Promise<DrainClients> = kubeClients,
    clock: Clock = systemClock,
): Promise<number> {
    if (options.until !== undefined && !(DRAIN_STEPS as readonly string[]).includes(options.until)) throw new UserInputError(`--until "${options.until}" is not one of ${DRAIN_STEPS.join(", ")}`);
    const nodeTimeoutMs = parseDuration("--node-timeout", options.nodeTimeout);
    const workloadTimeoutMs = parseDuration("--timeout", options.timeout);
    const target = drainTarget(options);
    const clients = await connect(options.kubeconfig, options.context ?? target.cluster);
    if (options.uncordon) {
        const nodes = await uncordonNodes(clients, target.selector);
        io.stdout(options.json ? JSON.stringify({ uncordoned: nodes }) + "\n" : `uncordoned ${nodes.length} node(s) of ${target.what}: ${nodes.join(", ") || "none was cordoned"}\n`);
        return 0;
    }
    const progress = options.json ? undefined : (line: string) => io.stdout(`  ${line}\n`);
    if (!options.json) io.stdout(`Draining ${target.what} on ${options.context ?? target.cluster}\n`);
    const report = await drainNodes(clients, clock, { nodeSelector: target.selector, replacementSelector: target.replacementSelector, nodeTimeoutMs, workloadTimeoutMs, pollMs: 5_000, force: options.force ?? false, until: options.until as DrainStep | undefined, progress });
    io.stdout(options.json ? JSON.stringify(report, null, 2) + "\n" : formatDrainReport(report, options));
    return report.ok ? 0 : 1;
}

export function formatDrainReport(report: DrainReport, options: NodesDrainOptions): string {
    const rerun = `bluegreen nodes drain --stack ${options.stack} --color ${options.color} ${options.nodeGroup ? `--node-group ${options.nodeGroup}` : `--selector '${options.selector}'`}`;
    if (report.notStarted) return `nothing done: ${report.notStarted}\n`;
    const lines: string[] = [
        report.nodes.length === 0
            ? `no node matches ${report.selector}: nothing to drain (the group is already empty or removed, or the selector is wrong)`
            : `${report.nodes.length} node(s): ${report.cordoned.length} cordoned now, ${report.alreadyCordoned.length} already cordoned`,
    ];
    for (const drain of report.drains) {
        lines.push(`${drain.node}: ${drain.state}; evicted ${drain.evicted.length}${drain.emptyDirDeleted.length ? ` (emptyDir data deleted: ${drain.emptyDirDeleted.join(", ")})` : ""}; left alone ${drain.leftAlone.length} (DaemonSet/mirror pods)${drain.waitedOnDisruptionBudget.length ? `; waited on a PodDisruptionBudget for ${drain.waitedOnDisruptionBudget.join(", ")}` : ""}`);
        for (const blocker of drain.blockers) lines.push(`  blocked by ${blocker}`);
    }
    if (report.workloads) {
        lines.push(report.workloads.ok ? "workloads: every Deployment, StatefulSet and DaemonSet rolled out; no pod left on the drained nodes" : "workloads: not yet available");
        for (const failed of report.workloads.failed) lines.push(`  failed: ${failed}`);
        for (const waiting of report.workloads.waiting) lines.push(`  waiting: ${waiting}`);
    }
    if (report.stoppedAfter) lines.push(`stopped after ${report.stoppedAfter} (--until); run again without --until to continue: ${rerun}`);
    else if (report.ok) lines.push(`next: bluegreen upgrade check --stack ${options.stack} --color ${options.color}, then promote the replacement and pulumi up to remove the old group`);
    else {
        lines.push(`The old nodes stay cordoned. Fix what blocks (a budget that allows no disruption, a replica that does not become ready), then rerun: ${rerun}`);
        lines.push(`To go back instead: ${rerun} --uncordon, then remove the replacement block and pulumi up`);
    }
    return lines.join("\n") + "\n";
}

export function registerNodesCommand(program: Command): void {
    const nodes = program.command("nodes").description("node groups of one color: drain the old group of a surge replacement");
    nodes
        .command("drain")
        .description("cordon an old node group, evict its pods through the Eviction API (PDBs respected), wait until workloads are available (exit 1 when blocked)")
        .requiredOption("--stack <name>", "stack whose stacks/Pulumi.<name>.yaml to read")
        .requiredOption("--color <color>", "blue or green")
        .option("--node-group <name>", "the config's node group (its current, old EKS group is drained) or an EKS node group name")
        .option("--selector <labels>", "label selector of the nodes instead of --node-group")
        .option("--kubeconfig <file>", "kubeconfig (default: KUBECONFIG or ~/.kube/config)")
        .option("--context <name>", "kubeconfig context (default: the color's cluster name, <environment>-<color>)")
        .option("--node-timeout <duration>", "how long one node may take to drain", "10m")
        .option("--timeout <duration>", "how long to wait for the workloads after the drain", "15m")
        .option("--until <step>", `stop after this step (${DRAIN_STEPS.join(", ")}); running again continues`)
        .option("--force", "also evict pods that no controller manages (they do not come back)", false)
        .option("--uncordon", "go back: make the old group's nodes schedulable again", false)
        .option("--json", "print JSON", false)
        .option("--cwd <dir>", "project directory", process.cwd())
        .action(async (opts: NodesDrainOptions) => {
            process.exitCode = await runNodesDrainCommand(opts, processIO);
        });
}
