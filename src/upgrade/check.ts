/**
 * The checks between the steps of an in-place upgrade, read from the cluster: nodes Ready on kubelet
 * versions the control plane supports (and on the expected version where a step moved them), no pod
 * left on the nodes of a group being replaced, every workload rolled out as `kubectl rollout status`
 * judges it, and every ArgoCD Application Synced and Healthy. A failing check says what failed and
 * how to continue or go back. Clients are injected.
 */
import type { AppsV1Api, CoreV1Api, CustomObjectsApi } from "@kubernetes/client-node";
import { checkNodeGroupVersion, minorOf, minorVersion } from "../versions";
import { podsLeftOn, workloadsNotRolledOut } from "../nodes/drain";

export interface CheckClients {
    core: CoreV1Api;
    apps: AppsV1Api;
    custom: CustomObjectsApi;
}

export interface UpgradeCheckInput {
    /** The control plane's minor (the stack file's). */
    controlPlane: string;
    /** Nodes outside the old groups must run this kubelet minor (after a node-group step). */
    expectedVersion?: string;
    /** Label selectors of the node groups being replaced (their pods must have moved). */
    oldNodeSelectors: string[];
    /** Commands for the way forward and back, filled in by the caller. */
    rerun: string;
    goBack: string;
}

export interface CheckResult {
    id: "nodes" | "old-nodes" | "workloads" | "argocd";
    ok: boolean;
    summary: string;
    problems: string[];
}

export interface UpgradeCheckReport {
    ok: boolean;
    checks: CheckResult[];
    /** What to do when a check failed. */
    next: string[];
}

/** "v1.33.4-eks-1234567" → "1.33". */
export function kubeletMinor(kubeletVersion: string | undefined): string | undefined {
    const match = /^v?1\.(\d+)\./.exec(kubeletVersion ?? "");
    return match ? minorVersion(Number(match[1])) : undefined;
}

async function nodesCheck(clients: CheckClients, input: UpgradeCheckInput, oldNodes: Set<string>): Promise<CheckResult> {
    const nodes = (await clients.core.listNode()).items;
    const problems: string[] = [];
    const versions = new Map<string, number>();
    for (const node of nodes) {
        const name = node.metadata?.name ?? "?";
        const ready = node.status?.conditions?.find((c) => c.type === "Ready")?.status === "True";
        const kubelet = node.status?.nodeInfo?.kubeletVersion;
        const minor = kubeletMinor(kubelet);
        versions.set(minor ?? "unknown", (versions.get(minor ?? "unknown") ?? 0) + 1);
        if (!ready && !oldNodes.has(name)) problems.push(`node ${name} is not Ready`);
        if (!minor) {
            problems.push(`node ${name}: kubelet version "${kubelet ?? ""}" not understood`);
            continue;
        }
        const skew = checkNodeGroupVersion(input.controlPlane, minor);
        if (!skew.allowed) problems.push(`node ${name}: ${skew.detail}`);
        else if (input.expectedVersion && !oldNodes.has(name) && minorOf(minor) !== minorOf(input.expectedVersion)) problems.push(`node ${name} runs kubelet ${minor}, expected ${input.expectedVersion}`);
    }
    if (nodes.length === 0) problems.push("the cluster has no node");
    const summary = `${nodes.length} nodes: ${[...versions].map(([v, n]) => `${n} on ${v}`).join(", ")} (control plane ${input.controlPlane})`;
    return { id: "nodes", ok: problems.length === 0, summary, problems };
}

async function argoCheck(clients: CheckClients): Promise<CheckResult> {
    try {
        const list = (await clients.custom.listCustomObjectForAllNamespaces({ group: "argoproj.io", version: "v1alpha1", plural: "applications" })) as {
            items?: Array<{ metadata?: { namespace?: string; name?: string }; status?: { sync?: { status?: string }; health?: { status?: string } } }>;
        };
        const items = list.items ?? [];
        const problems = items
            .filter((a) => a.status?.sync?.status !== "Synced" || a.status?.health?.status !== "Healthy")
            .map((a) => `application ${a.metadata?.namespace}/${a.metadata?.name}: ${a.status?.sync?.status ?? "Unknown"}, ${a.status?.health?.status ?? "Unknown"}`);
        return { id: "argocd", ok: problems.length === 0, summary: `${items.length} ArgoCD applications`, problems };
    } catch (err) {
        if ((err as { code?: number }).code === 404) return { id: "argocd", ok: true, summary: "ArgoCD not installed", problems: [] };
        throw err;
    }
}

export async function runUpgradeChecks(clients: CheckClients, input: UpgradeCheckInput): Promise<UpgradeCheckReport> {
    const oldNodes = new Set<string>();
    for (const selector of input.oldNodeSelectors) {
        for (const node of (await clients.core.listNode({ labelSelector: selector })).items) oldNodes.add(node.metadata!.name!);
    }
    const left = await podsLeftOn(clients, [...oldNodes]);
    const rollout = await workloadsNotRolledOut(clients);
    const checks: CheckResult[] = [
        await nodesCheck(clients, input, oldNodes),
        {
            id: "old-nodes",
            ok: left.length === 0,
            summary: oldNodes.size ? `${oldNodes.size} nodes of replaced groups, ${left.length} pods still on them` : "no node group being replaced",
            problems: left,
        },
        { id: "workloads", ok: rollout.waiting.length + rollout.failed.length === 0, summary: `${rollout.counts} rolled out`, problems: [...rollout.failed, ...rollout.waiting] },
        await argoCheck(clients),
    ];
    const ok = checks.every((c) => c.ok);
    return { ok, checks, next: ok ? [] : [`fix what failed, or wait for it, then run again: ${input.rerun}`, `to go back: ${input.goBack}`] };
}

export function formatUpgradeCheckHuman(report: UpgradeCheckReport): string {
    const lines: string[] = [];
    for (const check of report.checks) {
        lines.push(`${check.ok ? "PASS" : "FAIL"}  ${check.id}: ${check.summary}`);
        for (const problem of check.problems) lines.push(`        ${problem}`);
    }
    lines.push(...report.next, report.ok ? "every check passed: go on with the next step" : "stopped: a check failed");
    return lines.join("\n") + "\n";
}
