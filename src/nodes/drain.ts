/**
 * Drains the nodes of an old node group the way the surge method needs it (`kubectl drain
 * --ignore-daemonsets --delete-emptydir-data`, then "are the workloads really available?"):
 * 1. with a replacement group named, nothing happens until one of its nodes is Ready; then cordon
 *    every selected node;
 * 2. per node, evict its pods through the Eviction API (policy/v1), so PodDisruptionBudgets decide:
 *    a 429 is a PDB saying "not now", retried with backoff until the node's timeout, then reported
 *    with the pods and the refusal that blocked it;
 * 3. wait until every Deployment, StatefulSet and DaemonSet has rolled out (judged as `kubectl
 *    rollout status` judges it) and no evictable pod is left on the old nodes.
 * Every step reads the cluster's state before acting, so running it again continues where it
 * stopped; `until` stops after a step. Clients and the clock are injected.
 */
import type { AppsV1Api, CoreV1Api, V1Pod } from "@kubernetes/client-node";
import { daemonSetRollout, deploymentRollout, statefulSetRollout, RolloutVerdict } from "../workloads/rollout-status";
import { Clock } from "./clock";
import { decideForPod, podId } from "./pods";

export const DRAIN_STEPS = ["cordon", "evict", "wait"] as const;
export type DrainStep = (typeof DRAIN_STEPS)[number];

export interface DrainClients {
    core: CoreV1Api;
    apps: AppsV1Api;
}

export interface DrainOptions {
    /** Label selector of the nodes to drain, e.g. "eks.amazonaws.com/nodegroup=system-1a2b3c4d". */
    nodeSelector: string;
    nodeTimeoutMs: number;
    workloadTimeoutMs: number;
    /** Time between two looks at the cluster while waiting. */
    pollMs: number;
    /** Evict pods no controller manages (they will not come back). */
    force: boolean;
    /** The replacement group's nodes: nothing is cordoned until at least one of them is Ready. */
    replacementSelector?: string;
    /** Stop after this step; the next run continues. */
    until?: DrainStep;
    progress?: (line: string) => void;
}

export interface NodeDrainReport {
    node: string;
    state: "drained" | "timed out" | "blocked";
    evicted: string[];
    /** Evicted pods whose emptyDir data went with them. */
    emptyDirDeleted: string[];
    /** DaemonSet and mirror pods, left alone. */
    leftAlone: string[];
    /** Pods whose eviction a PodDisruptionBudget refused at least once before it went through. */
    waitedOnDisruptionBudget: string[];
    /** What keeps the node from draining, one line per pod. */
    blockers: string[];
}

export interface WorkloadWait {
    ok: boolean;
    /** Workloads not yet rolled out, and pods still on the old nodes. */
    waiting: string[];
    failed: string[];
}

export interface DrainReport {
    selector: string;
    nodes: string[];
    cordoned: string[];
    alreadyCordoned: string[];
    drains: NodeDrainReport[];
    workloads?: WorkloadWait;
    stoppedAfter?: DrainStep;
    /** Why nothing was done (the replacement has no Ready node). */
    notStarted?: string;
    ok: boolean;
}

const MAX_BACKOFF_MS = 30_000;
const FIRST_BACKOFF_MS = 1_000;

export async function drainNodes(clients: DrainClients, clock: Clock, options: DrainOptions): Promise<DrainReport> {
    const say = options.progress ?? (() => undefined);
    const nodes = (await clients.core.listNode({ labelSelector: options.nodeSelector })).items;
    const report: DrainReport = { selector: options.nodeSelector, nodes: nodes.map((n) => n.metadata!.name!), cordoned: [], alreadyCordoned: [], drains: [], ok: false };
    if (nodes.length === 0) {
        report.ok = true;
        say(`no node matches ${options.nodeSelector}: nothing to drain (already removed, or a wrong selector)`);
        return report;
    }
    if (options.replacementSelector !== undefined) {
        const replacement = (await clients.core.listNode({ labelSelector: options.replacementSelector })).items;
        const ready = replacement.filter((n) => !n.spec?.unschedulable && n.status?.conditions?.some((c) => c.type === "Ready" && c.status === "True"));
        if (ready.length === 0) {
            report.notStarted = `the replacement (${options.replacementSelector}) has no Ready, schedulable node (${replacement.length} node(s) found): the old nodes' pods would have nowhere to go; run pulumi up with the replacement block and wait until its nodes are Ready, then run again`;
            return report;
        }
    }
    for (const node of nodes) {
        const name = node.metadata!.name!;
        if (node.spec?.unschedulable) {
            report.alreadyCordoned.push(name);
            continue;
        }
        await clients.core.patchNode({ name, body: [{ op: "add", path: "/spec/unschedulable", value: true }] });
        report.cordoned.push(name);
        say(`cordoned ${name}`);
    }
    if (options.until === "cordon") return stop(report, "cordon");

    for (const name of report.nodes) {
        const drained = await drainNode(clients, clock, name, options);
        report.drains.push(drained);
        // Stop at the first node that does not drain: the operator fixes the cause and runs again.
        if (drained.state !== "drained") return report;
    }
    if (options.until === "evict") return stop(report, "evict");

    report.workloads = await waitForWorkloads(clients, clock, report.nodes, options);
    report.ok = report.workloads.ok;
    return report;
}

function stop(report: DrainReport, step: DrainStep): DrainReport {
    report.stoppedAfter = step;
    report.ok = true;
    return report;
}

async function podsOn(clients: DrainClients, node: string): Promise<V1Pod[]> {
    return (await clients.core.listPodForAllNamespaces({ fieldSelector: `spec.nodeName=${node}` })).items;
}

async function drainNode(clients: DrainClients, clock: Clock, node: string, options: DrainOptions): Promise<NodeDrainReport> {
    const say = options.progress ?? (() => undefined);
    const report: NodeDrainReport = { node, state: "drained", evicted: [], emptyDirDeleted: [], leftAlone: [], waitedOnDisruptionBudget: [], blockers: [] };
    const deadline = clock.now() + options.nodeTimeoutMs;
    const refusals = new Map<string, string>();
    let backoff = FIRST_BACKOFF_MS;
    for (;;) {
        const pods = await podsOn(clients, node);
        const decided = pods.map((pod) => ({ pod, decision: decideForPod(pod, options) }));
        report.leftAlone = decided.filter((d) => d.decision.action === "skip").map((d) => podId(d.pod));
        const blocked = decided.flatMap((d) => (d.decision.action === "block" ? [d.decision.reason] : []));
        if (blocked.length) {
            // As kubectl: nothing is evicted from a node that cannot be drained completely.
            return { ...report, state: "blocked", blockers: blocked };
        }
        const remaining = decided.filter((d) => d.decision.action === "evict");
        if (remaining.length === 0) {
            say(`drained ${node}`);
            return report;
        }
        let refusedThisRound = false;
        let evictedThisRound = false;
        for (const { pod, decision } of remaining) {
            if (pod.metadata?.deletionTimestamp) continue;
            const id = podId(pod);
            const outcome = await evict(clients, pod);
            if (outcome.ok) {
                evictedThisRound = true;
                if (!report.evicted.includes(id)) report.evicted.push(id);
                if (decision.action === "evict" && decision.emptyDir && !report.emptyDirDeleted.includes(id)) report.emptyDirDeleted.push(id);
                if (refusals.has(id) && !report.waitedOnDisruptionBudget.includes(id)) report.waitedOnDisruptionBudget.push(id);
                say(`evicted ${id} from ${node}`);
            } else {
                refusedThisRound = true;
                refusals.set(id, outcome.reason);
            }
        }
        if (clock.now() >= deadline) {
            const still = (await podsOn(clients, node)).filter((pod) => decideForPod(pod, options).action === "evict");
            if (still.length === 0) return report;
            report.state = "timed out";
            report.blockers = still.map((pod) => {
                const id = podId(pod);
                if (pod.metadata?.deletionTimestamp) return `${id}: evicted, still terminating (grace period ${pod.spec?.terminationGracePeriodSeconds ?? 30}s, finalizers ${(pod.metadata.finalizers ?? []).join(", ") || "none"})`;
                return `${id}: ${refusals.get(id) ?? "not evicted yet"}`;
            });
            say(`${node} did not drain within ${Math.round(options.nodeTimeoutMs / 1000)}s`);
            return report;
        }
        // Everything asked to go went: look again at once (the pods may already be gone).
        if (evictedThisRound && !refusedThisRound) continue;
        const wait = refusedThisRound ? backoff : options.pollMs;
        backoff = refusedThisRound ? Math.min(backoff * 2, MAX_BACKOFF_MS) : FIRST_BACKOFF_MS;
        await clock.sleep(Math.min(wait, Math.max(deadline - clock.now(), 0)));
    }
}

type Eviction = { ok: true } | { ok: false; reason: string };

async function evict(clients: DrainClients, pod: V1Pod): Promise<Eviction> {
    const name = pod.metadata!.name!;
    const namespace = pod.metadata!.namespace!;
    try {
        await clients.core.createNamespacedPodEviction({ name, namespace, body: { apiVersion: "policy/v1", kind: "Eviction", metadata: { name, namespace } } });
        return { ok: true };
    } catch (err) {
        const code = (err as { code?: number }).code;
        if (code === 404) return { ok: true };
        const message = statusMessage(err);
        if (code === 429) return { ok: false, reason: `eviction refused by a PodDisruptionBudget (HTTP 429): ${message}` };
        return { ok: false, reason: `eviction failed (HTTP ${code ?? "?"}): ${message}` };
    }
}

function statusMessage(err: unknown): string {
    const body = (err as { body?: unknown }).body;
    try {
        const parsed = typeof body === "string" ? JSON.parse(body) : body;
        if (parsed && typeof parsed === "object" && typeof (parsed as { message?: unknown }).message === "string") return (parsed as { message: string }).message;
    } catch {
        // not JSON: fall through
    }
    return ((err as Error).message ?? String(err)).split("\n")[0];
}

/** Every workload rolled out, as `kubectl rollout status` judges it. */
export async function workloadsNotRolledOut(clients: Pick<DrainClients, "apps">): Promise<{ waiting: string[]; failed: string[]; counts: string }> {
    const [deployments, statefulSets, daemonSets] = await Promise.all([
        clients.apps.listDeploymentForAllNamespaces(),
        clients.apps.listStatefulSetForAllNamespaces(),
        clients.apps.listDaemonSetForAllNamespaces(),
    ]);
    const verdicts: Array<[string, { metadata?: { namespace?: string; name?: string } }, RolloutVerdict]> = [
        ...deployments.items.map((d) => ["deployment", d, deploymentRollout(d)] as [string, typeof d, RolloutVerdict]),
        ...statefulSets.items.map((s) => ["statefulset", s, statefulSetRollout(s)] as [string, typeof s, RolloutVerdict]),
        ...daemonSets.items.map((d) => ["daemonset", d, daemonSetRollout(d)] as [string, typeof d, RolloutVerdict]),
    ];
    const line = ([kind, o, v]: (typeof verdicts)[number]) => `${kind} ${o.metadata?.namespace}/${o.metadata?.name}: ${v.message}`;
    return {
        waiting: verdicts.filter(([, , v]) => v.state === "progressing").map(line),
        failed: verdicts.filter(([, , v]) => v.state === "failed").map(line),
        counts: `${deployments.items.length} deployments, ${statefulSets.items.length} statefulsets, ${daemonSets.items.length} daemonsets`,
    };
}

/** Pods a drain would move that are still on the given nodes. */
export async function podsLeftOn(clients: Pick<DrainClients, "core">, nodes: string[]): Promise<string[]> {
    const left: string[] = [];
    for (const node of nodes) {
        for (const pod of await podsOn(clients as DrainClients, node)) {
            if (decideForPod(pod, { force: true }).action === "evict") left.push(`pod ${podId(pod)} still on ${node}`);
        }
    }
    return left;
}

async function waitForWorkloads(clients: DrainClients, clock: Clock, nodes: string[], options: DrainOptions): Promise<WorkloadWait> {
    const deadline = clock.now() + options.workloadTimeoutMs;
    for (;;) {
        const rollout = await workloadsNotRolledOut(clients);
        const left = await podsLeftOn(clients, nodes);
        const waiting = [...rollout.waiting, ...left];
        if (rollout.failed.length > 0) return { ok: false, waiting, failed: rollout.failed };
        if (waiting.length === 0) {
            options.progress?.(`every workload rolled out (${rollout.counts}), no pod left on the drained nodes`);
            return { ok: true, waiting: [], failed: [] };
        }
        if (clock.now() >= deadline) return { ok: false, waiting, failed: [] };
        await clock.sleep(Math.min(options.pollMs, Math.max(deadline - clock.now(), 0)));
    }
}

/** Going back: make the old nodes schedulable again. */
export async function uncordonNodes(clients: Pick<DrainClients, "core">, nodeSelector: string): Promise<string[]> {
    const nodes = (await clients.core.listNode({ labelSelector: nodeSelector })).items.filter((n) => n.spec?.unschedulable);
    for (const node of nodes) await clients.core.patchNode({ name: node.metadata!.name!, body: [{ op: "replace", path: "/spec/unschedulable", value: false }] });
    return nodes.map((n) => n.metadata!.name!);
}
