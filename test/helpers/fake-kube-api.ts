/**
 * A local HTTP server speaking the part of the Kubernetes API that drains and upgrade checks use,
 * over an in-memory cluster the test owns: nodes (list by label selector, JSON/merge patch), pods
 * (list by spec.nodeName), the policy/v1 Eviction subresource with PodDisruptionBudgets enforced
 * as the API server does (429 when the eviction would take the healthy pods below minAvailable),
 * Deployments, StatefulSets, DaemonSets and ArgoCD Applications.
 */
import * as http from "http";
import { AddressInfo } from "net";
import * as yaml from "js-yaml";
import { testKubeconfig } from "./kubeconfig";

type Obj = Record<string, any>;

export interface FakeBudget {
    namespace: string;
    name: string;
    matchLabels: Record<string, string>;
    minAvailable: number;
}

export interface FakeCluster {
    nodes: Obj[];
    pods: Obj[];
    budgets: FakeBudget[];
    deployments: Obj[];
    statefulsets: Obj[];
    daemonsets: Obj[];
    /** Undefined: ArgoCD not installed (404). */
    applications?: Obj[];
    /** "ns/name 201" or "ns/name 429", in order. */
    evictions: string[];
    /** Called after an eviction is accepted (the pod is removed from `pods` first). */
    onEvicted?: (pod: Obj) => void;
    /** Pods that are marked terminating on eviction but never go away (a stuck finalizer). */
    stuck?: Set<string>;
    requests: string[];
}

export interface FakeKubeServer {
    cluster: FakeCluster;
    url: string;
    kubeconfig: string;
    close(): Promise<void>;
}

export const node = (name: string, labels: Record<string, string>, extra: { kubelet?: string; ready?: boolean; unschedulable?: boolean } = {}): Obj => ({
    metadata: { name, labels },
    spec: extra.unschedulable ? { unschedulable: true } : {},
    status: {
        conditions: [{ type: "Ready", status: extra.ready === false ? "False" : "True" }],
        nodeInfo: { kubeletVersion: extra.kubelet ?? "v1.32.9-eks-1234567" },
    },
});

export const pod = (namespace: string, name: string, nodeName: string, extra: { owner?: string; labels?: Record<string, string>; ready?: boolean; emptyDir?: boolean; phase?: string } = {}): Obj => ({
    metadata: {
        namespace,
        name,
        labels: extra.labels ?? {},
        ownerReferences: extra.owner === "none" ? [] : [{ apiVersion: "apps/v1", kind: extra.owner ?? "ReplicaSet", name: `${name}-owner`, uid: `${name}-uid`, controller: true }],
    },
    spec: { nodeName, containers: [{ name: "c", image: "x" }], volumes: extra.emptyDir ? [{ name: "scratch", emptyDir: {} }] : [] },
    status: { phase: extra.phase ?? "Running", conditions: [{ type: "Ready", status: extra.ready === false ? "False" : "True" }] },
});

export const deployment = (namespace: string, name: string, replicas: number, available = replicas): Obj => ({
    metadata: { namespace, name, generation: 1 },
    spec: { replicas, selector: { matchLabels: { app: name } }, template: {} },
    status: { observedGeneration: 1, replicas, updatedReplicas: replicas, availableReplicas: available, readyReplicas: available },
});

export function emptyCluster(): FakeCluster {
    return { nodes: [], pods: [], budgets: [], deployments: [], statefulsets: [], daemonsets: [], evictions: [], requests: [] };
}

const list = (kind: string, items: Obj[]) => ({ apiVersion: "v1", kind: `${kind}List`, metadata: {}, items });

function matchesSelector(labels: Record<string, string> = {}, selector: string | null): boolean {
    if (!selector) return true;
    return selector.split(",").every((term) => {
        const [key, value] = term.split("=");
        return value === undefined ? key in labels : labels[key] === value;
    });
}

const isReady = (p: Obj) => !p.metadata.deletionTimestamp && (p.status?.conditions ?? []).some((c: Obj) => c.type === "Ready" && c.status === "True");

function evict(cluster: FakeCluster, namespace: string, name: string): { status: number; body: Obj } {
    const target = cluster.pods.find((p) => p.metadata.namespace === namespace && p.metadata.name === name);
    if (!target) return { status: 404, body: { kind: "Status", code: 404, reason: "NotFound", message: `pods "${name}" not found` } };
    for (const budget of cluster.budgets.filter((b) => b.namespace === namespace && matchesSelector(target.metadata.labels, Object.entries(b.matchLabels).map(([k, v]) => `${k}=${v}`).join(",")))) {
        const healthy = cluster.pods.filter((p) => p.metadata.namespace === namespace && isReady(p) && Object.entries(budget.matchLabels).every(([k, v]) => p.metadata.labels?.[k] === v));
        const after = healthy.length - (isReady(target) ? 1 : 0);
        if (after < budget.minAvailable) {
            cluster.evictions.push(`${namespace}/${name} 429`);
            return { status: 429, body: { kind: "Status", apiVersion: "v1", status: "Failure", code: 429, reason: "TooManyRequests", message: "Cannot evict pod as it would violate the pod's disruption budget.", details: { causes: [{ reason: "DisruptionBudget", message: `The disruption budget ${budget.name} needs ${budget.minAvailable} healthy pods and has ${healthy.length} currently` }] } } };
        }
    }
    cluster.evictions.push(`${namespace}/${name} 201`);
    if (cluster.stuck?.has(`${namespace}/${name}`)) {
        target.metadata.deletionTimestamp = "2026-11-25T10:00:00Z";
        target.metadata.finalizers = ["example.com/hold"];
    } else {
        cluster.pods.splice(cluster.pods.indexOf(target), 1);
        cluster.onEvicted?.(target);
    }
    return { status: 201, body: { apiVersion: "policy/v1", kind: "Eviction", metadata: { name, namespace } } };
}

function applyPatch(target: Obj, patch: unknown): void {
    if (Array.isArray(patch)) {
        for (const op of patch as Array<{ op: string; path: string; value: unknown }>) {
            const keys = op.path.split("/").slice(1);
            let at = target;
            for (const key of keys.slice(0, -1)) at = at[key] ??= {};
            at[keys[keys.length - 1]] = op.value;
        }
        return;
    }
    const merge = (into: Obj, from: Obj) => {
        for (const [k, v] of Object.entries(from)) {
            if (v && typeof v === "object" && !Array.isArray(v)) merge((into[k] ??= {}), v as Obj);
            else into[k] = v;
        }
    };
    merge(target, patch as Obj);
}

function route(cluster: FakeCluster, method: string, url: URL, body: string, contentType: string): { status: number; body: Obj } {
    const path = url.pathname;
    if (method === "GET" && path === "/api/v1/nodes") return { status: 200, body: list("Node", cluster.nodes.filter((n) => matchesSelector(n.metadata.labels, url.searchParams.get("labelSelector")))) };
    const nodePatch = /^\/api\/v1\/nodes\/([^/]+)$/.exec(path);
    if (method === "PATCH" && nodePatch) {
        const target = cluster.nodes.find((n) => n.metadata.name === nodePatch[1]);
        if (!target) return { status: 404, body: { kind: "Status", code: 404, message: "node not found" } };
        const patch = JSON.parse(body);
        // As the API server: a JSON patch (an array) only under its own media type.
        if (Array.isArray(patch) !== (contentType === "application/json-patch+json")) return { status: 415, body: { kind: "Status", code: 415, message: `patch body does not match ${contentType}` } };
        applyPatch(target, patch);
        return { status: 200, body: target };
    }
    if (method === "GET" && path === "/api/v1/pods") {
        const field = url.searchParams.get("fieldSelector");
        const nodeName = field?.startsWith("spec.nodeName=") ? field.slice("spec.nodeName=".length) : undefined;
        return { status: 200, body: list("Pod", cluster.pods.filter((p) => nodeName === undefined || p.spec.nodeName === nodeName)) };
    }
    const eviction = /^\/api\/v1\/namespaces\/([^/]+)\/pods\/([^/]+)\/eviction$/.exec(path);
    if (method === "POST" && eviction) return evict(cluster, eviction[1], eviction[2]);
    const apps = /^\/apis\/apps\/v1\/(deployments|statefulsets|daemonsets)$/.exec(path);
    if (method === "GET" && apps) return { status: 200, body: list(apps[1], cluster[apps[1] as "deployments"]) };
    if (method === "GET" && path === "/apis/argoproj.io/v1alpha1/applications" && cluster.applications) return { status: 200, body: list("Application", cluster.applications) };
    return { status: 404, body: { kind: "Status", code: 404, reason: "NotFound", message: `${method} ${path} not served` } };
}

export async function startFakeKube(cluster: FakeCluster = emptyCluster()): Promise<FakeKubeServer> {
    const server = http.createServer((req, res) => {
        const chunks: Buffer[] = [];
        req.on("data", (c: Buffer) => chunks.push(c));
        req.on("end", () => {
            const url = new URL(req.url ?? "/", "http://localhost");
            cluster.requests.push(`${req.method} ${url.pathname}${url.search}`);
            const answer = route(cluster, req.method ?? "GET", url, Buffer.concat(chunks).toString("utf8"), String(req.headers["content-type"] ?? "").split(";")[0]);
            res.writeHead(answer.status, { "content-type": "application/json" }).end(JSON.stringify(answer.body));
        });
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    return {
        cluster,
        url,
        kubeconfig: yaml.dump(testKubeconfig(url, "blue")),
        close: () => new Promise<void>((resolve) => {
            server.closeAllConnections();
            server.close(() => resolve());
        }),
    };
}

/** A clock that only moves when slept on; `onSleep` lets a test change the cluster as time passes. */
export function fakeClock(start = Date.parse("2026-11-25T10:00:00Z")) {
    const clock = {
        time: start,
        slept: [] as number[],
        onSleep: undefined as undefined | ((elapsed: number) => void),
        now: () => clock.time,
        sleep: async (ms: number) => {
            clock.time += ms;
            clock.slept.push(ms);
            clock.onSleep?.(clock.time - start);
        },
    };
    return clock;
}
