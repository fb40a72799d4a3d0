/**
 * The drain against a local server speaking the Kubernetes API (test/helpers/fake-kube-api.ts), with
 * PodDisruptionBudgets enforced by the server as the API server enforces them, and a fake clock.
 */
import { AppsV1Api, CoreV1Api, KubeConfig } from "@kubernetes/client-node";
import { drainNodes, DrainOptions, uncordonNodes } from "../../src/nodes/drain";
import { deployment, emptyCluster, FakeCluster, fakeClock, FakeKubeServer, node, pod, startFakeKube } from "../helpers/fake-kube-api";

const OLD = "eks.amazonaws.com/nodegroup=system-aaaa1111";
const options = (extra: Partial<DrainOptions> = {}): DrainOptions => ({ nodeSelector: OLD, nodeTimeoutMs: 600_000, workloadTimeoutMs: 600_000, pollMs: 5_000, force: false, ...extra });

let server: FakeKubeServer;
afterEach(() => server?.close());

async function start(setup: (cluster: FakeCluster) => void) {
    const cluster = emptyCluster();
    cluster.nodes.push(
        node("old-1", { "eks.amazonaws.com/nodegroup": "system-aaaa1111" }),
        node("old-2", { "eks.amazonaws.com/nodegroup": "system-aaaa1111" }),
        node("new-1", { "eks.amazonaws.com/nodegroup": "system-bbbb2222" }),
    );
    setup(cluster);
    server = await startFakeKube(cluster);
    const kc = new KubeConfig();
    kc.loadFromString(server.kubeconfig);
    return { clients: { core: kc.makeApiClient(CoreV1Api), apps: kc.makeApiClient(AppsV1Api) }, cluster };
}

/** A Deployment's pod moving to the new node when evicted, as its ReplicaSet would recreate it. */
const rescheduleOnNewNode = (cluster: FakeCluster) => (evicted: Record<string, any>) => {
    if (evicted.metadata.ownerReferences?.[0]?.kind === "ReplicaSet") cluster.pods.push(pod(evicted.metadata.namespace, `${evicted.metadata.name}-new`, "new-1", { labels: evicted.metadata.labels }));
};

test("cordons only the old group's nodes, evicts their pods, leaves DaemonSet pods, lets emptyDir pods go, then waits for the workloads", async () => {
    const { clients, cluster } = await start((c) => {
        c.pods.push(
            pod("shop", "web-1", "old-1", { labels: { app: "web" } }),
            pod("shop", "web-2", "new-1", { labels: { app: "web" } }),
            pod("kube-system", "agent-x", "old-1", { owner: "DaemonSet" }),
            pod("shop", "cache-1", "old-2", { emptyDir: true }),
            pod("kube-system", "agent-y", "old-2", { owner: "DaemonSet" }),
        );
        c.budgets.push({ namespace: "shop", name: "web", matchLabels: { app: "web" }, minAvailable: 1 });
        c.deployments.push(deployment("shop", "web", 2));
        c.onEvicted = rescheduleOnNewNode(c);
    });
    const clock = fakeClock();
    const report = await drainNodes(clients, clock, options());
    expect(report.ok).toBe(true);
    expect(report.cordoned).toEqual(["old-1", "old-2"]);
    expect(cluster.nodes.map((n) => [n.metadata.name, n.spec.unschedulable === true])).toEqual([["old-1", true], ["old-2", true], ["new-1", false]]);
    expect(cluster.evictions).toEqual(["shop/web-1 201", "shop/cache-1 201"]);
    expect(report.drains.map((d) => [d.node, d.state])).toEqual([["old-1", "drained"], ["old-2", "drained"]]);
    expect(report.drains[0].leftAlone).toEqual(["kube-system/agent-x"]);
    expect(report.drains[1].emptyDirDeleted).toEqual(["shop/cache-1"]);
    expect(cluster.pods.filter((p) => p.spec.nodeName !== "new-1").map((p) => p.metadata.name)).toEqual(["agent-x", "agent-y"]);
    expect(report.workloads).toEqual({ ok: true, waiting: [], failed: [] });
    expect(clock.slept).toEqual([]);
});

test("an eviction a PDB refuses is retried with backoff until a replica elsewhere is ready", async () => {
    const { clients, cluster } = await start((c) => {
        c.pods.push(pod("shop", "web-1", "old-1", { labels: { app: "web" } }), pod("shop", "web-2", "new-1", { labels: { app: "web" }, ready: false }));
        c.budgets.push({ namespace: "shop", name: "web", matchLabels: { app: "web" }, minAvailable: 1 });
        c.deployments.push(deployment("shop", "web", 2));
    });
    const clock = fakeClock();
    // web-2 on the new node becomes ready 3 s in: the PDB then allows web-1 to go.
    clock.onSleep = (elapsed) => {
        if (elapsed >= 3_000) cluster.pods.find((p) => p.metadata.name === "web-2")!.status.conditions[0].status = "True";
    };
    const report = await drainNodes(clients, clock, options());
    expect(cluster.evictions).toEqual(["shop/web-1 429", "shop/web-1 429", "shop/web-1 201"]);
    expect(clock.slept).toEqual([1_000, 2_000]);
    expect(report.drains[0]).toMatchObject({ node: "old-1", state: "drained", evicted: ["shop/web-1"], waitedOnDisruptionBudget: ["shop/web-1"] });
    expect(report.ok).toBe(true);
});

test("a node that never drains times out with a report of the pod and the budget that block it; backoff is capped", async () => {
    const { clients, cluster } = await start((c) => {
        c.pods.push(pod("db", "pg-0", "old-1", { owner: "StatefulSet", labels: { app: "pg" } }), pod("db", "pg-1", "new-1", { owner: "StatefulSet", labels: { app: "pg" } }));
        c.budgets.push({ namespace: "db", name: "pg", matchLabels: { app: "pg" }, minAvailable: 2 });
    });
    const clock = fakeClock();
    const report = await drainNodes(clients, clock, options({ nodeTimeoutMs: 120_000 }));
    expect(report.ok).toBe(false);
    expect(report.drains).toHaveLength(1);
    expect(report.drains[0].state).toBe("timed out");
    expect(report.drains[0].blockers).toEqual(["db/pg-0: eviction refused by a PodDisruptionBudget (HTTP 429): Cannot evict pod as it would violate the pod's disruption budget."]);
    expect(clock.now() - Date.parse("2026-11-25T10:00:00Z")).toBe(120_000);
    expect(Math.max(...clock.slept)).toBeLessThanOrEqual(30_000);
    expect(cluster.evictions.every((e) => e === "db/pg-0 429")).toBe(true);
    // The second node is not touched while the first one is stuck: the operator fixes the cause and reruns.
    expect(report.workloads).toBeUndefined();
});

test("a pod that is evicted but never terminates is reported with its finalizers", async () => {
    const { clients, cluster } = await start((c) => {
        c.pods.push(pod("shop", "worker-1", "old-1"));
        c.stuck = new Set(["shop/worker-1"]);
    });
    const report = await drainNodes(clients, fakeClock(), options({ nodeTimeoutMs: 60_000 }));
    expect(cluster.evictions).toEqual(["shop/worker-1 201"]);
    expect(report.drains[0].state).toBe("timed out");
    expect(report.drains[0].blockers[0]).toMatch(/^shop\/worker-1: evicted, still terminating .*finalizers example\.com\/hold/);
});

test("a pod no controller manages blocks its node before anything is evicted there; --force evicts it", async () => {
    const setup = (c: FakeCluster) => c.pods.push(pod("shop", "debug", "old-1", { owner: "none" }), pod("shop", "web-1", "old-1"));
    let { clients, cluster } = await start(setup);
    const blocked = await drainNodes(clients, fakeClock(), options());
    expect(blocked.ok).toBe(false);
    expect(blocked.drains[0].state).toBe("blocked");
    expect(blocked.drains[0].blockers[0]).toMatch(/shop\/debug is not managed by a controller.*--force/);
    expect(cluster.evictions).toEqual([]);
    await server.close();
    ({ clients, cluster } = await start(setup));
    const forced = await drainNodes(clients, fakeClock(), options({ force: true }));
    expect(forced.ok).toBe(true);
    expect(cluster.evictions.sort()).toEqual(["shop/debug 201", "shop/web-1 201"]);
});

test("stop after a step and run again: the second run continues (already cordoned nodes are left as they are)", async () => {
    const { clients, cluster } = await start((c) => {
        c.pods.push(pod("shop", "web-1", "old-1"));
        c.deployments.push(deployment("shop", "web", 1));
    });
    const first = await drainNodes(clients, fakeClock(), options({ until: "cordon" }));
    expect(first).toMatchObject({ ok: true, stoppedAfter: "cordon", cordoned: ["old-1", "old-2"] });
    expect(cluster.evictions).toEqual([]);
    const patches = cluster.requests.filter((r) => r.startsWith("PATCH")).length;
    const second = await drainNodes(clients, fakeClock(), options());
    expect(second).toMatchObject({ ok: true, cordoned: [], alreadyCordoned: ["old-1", "old-2"] });
    expect(cluster.requests.filter((r) => r.startsWith("PATCH")).length).toBe(patches);
    expect(cluster.evictions).toEqual(["shop/web-1 201"]);
    // A third run finds nothing left to do.
    const third = await drainNodes(clients, fakeClock(), options());
    expect(third.ok).toBe(true);
    expect(cluster.evictions).toEqual(["shop/web-1 201"]);
});

test("waits until workloads are available again; a Deployment past its progress deadline fails the wait", async () => {
    const { clients, cluster } = await start((c) => {
        c.pods.push(pod("shop", "web-1", "old-1"));
        c.deployments.push(deployment("shop", "web", 2, 1));
    });
    const clock = fakeClock();
    clock.onSleep = (elapsed) => {
        if (elapsed >= 10_000) cluster.deployments[0].status.availableReplicas = 2;
    };
    const report = await drainNodes(clients, clock, options());
    expect(report.ok).toBe(true);
    expect(clock.slept).toEqual([5_000, 5_000]);

    cluster.deployments[0].status.conditions = [{ type: "Progressing", status: "False", reason: "ProgressDeadlineExceeded" }];
    const failed = await drainNodes(clients, fakeClock(), options());
    expect(failed.ok).toBe(false);
    expect(failed.workloads!.failed).toEqual(["deployment shop/web: exceeded its progress deadline"]);
});

test("going back: uncordon makes the old nodes schedulable again", async () => {
    const { clients, cluster } = await start(() => undefined);
    await drainNodes(clients, fakeClock(), options({ until: "cordon" }));
    expect(await uncordonNodes(clients, OLD)).toEqual(["old-1", "old-2"]);
    expect(cluster.nodes.every((n) => n.spec.unschedulable !== true)).toBe(true);
});

test("no node left in the old group (already removed, or resumed after the end) is nothing to do, not an error", async () => {
    const { clients, cluster } = await start((c) => c.nodes.splice(0, 2));
    const report = await drainNodes(clients, fakeClock(), options());
    expect(report).toMatchObject({ ok: true, nodes: [], drains: [] });
    expect(report.stoppedAfter).toBeUndefined();
    expect(cluster.evictions).toEqual([]);
});

test("nothing is cordoned while the replacement group has no Ready node", async () => {
    const NEW = "eks.amazonaws.com/nodegroup=system-bbbb2222";
    const { clients, cluster } = await start((c) => {
        c.nodes[2].status.conditions[0].status = "False";
        c.pods.push(pod("shop", "web-1", "old-1"));
    });
    const report = await drainNodes(clients, fakeClock(), options({ replacementSelector: NEW }));
    expect(report.ok).toBe(false);
    expect(report.notStarted).toMatch(/the replacement \(eks\.amazonaws\.com\/nodegroup=system-bbbb2222\) has no Ready, schedulable node \(1 node\(s\) found\)/);
    expect(cluster.requests.filter((r) => r.startsWith("PATCH"))).toEqual([]);
    expect(cluster.nodes.some((n) => n.spec.unschedulable)).toBe(false);
    expect(cluster.evictions).toEqual([]);
    cluster.nodes[2].status.conditions[0].status = "True";
    expect((await drainNodes(clients, fakeClock(), options({ replacementSelector: NEW }))).ok).toBe(true);
});
