/**
 * The Kubernetes API of one color, opened once per run (one client, one token process) and shared by
 * the workload gate and the endpoint source. Every request carries a timeout, so an unreachable API
 * server is an `error` check after `timeoutMs`, not a cutover that hangs.
 */
import type * as K8s from "@kubernetes/client-node";
import type { Color } from "../../config/colors";
import type { ArgoApplicationState, EndpointSource, Workload, WorkloadSource } from "../sources";

export interface KubeApis {
    apps: K8s.AppsV1Api;
    discovery: K8s.DiscoveryV1Api;
    custom: K8s.CustomObjectsApi;
    /** Wrap every call: rejects after the request timeout. */
    timed<T>(what: string, request: Promise<T>): Promise<T>;
}

export const DEFAULT_KUBE_TIMEOUT_MS = 15_000;

/** Opens the API once; later calls share the same clients. */
export function kubeApis(kubeconfig: string, timeoutMs = DEFAULT_KUBE_TIMEOUT_MS): () => Promise<KubeApis> {
    let opened: Promise<KubeApis> | undefined;
    return () =>
        (opened ??= (async () => {
            const k8s = await import("@kubernetes/client-node");
            const kc = new k8s.KubeConfig();
            kc.loadFromString(kubeconfig);
            return {
                apps: kc.makeApiClient(k8s.AppsV1Api),
                discovery: kc.makeApiClient(k8s.DiscoveryV1Api),
                custom: kc.makeApiClient(k8s.CustomObjectsApi),
                timed: (what, request) => withTimeout(what, request, timeoutMs),
            };
        })());
}

/** Rejects when `request` has not settled after `ms` (the request itself is abandoned). */
export function withTimeout<T>(what: string, request: Promise<T>, ms: number): Promise<T> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`${what}: no answer from the Kubernetes API within ${Math.round(ms / 1000)} s`)), ms);
        timer.unref();
    });
    return Promise.race([request, timeout]).finally(() => clearTimeout(timer));
}

/** Where each routed app's Service lives. */
export interface RoutedService {
    namespace: string;
    service: string;
}

/**
 * Ready endpoint addresses of an app's Service (EndpointSlices labelled with its name). An endpoint
 * is ready unless `conditions.ready` is false (absent means ready, as the EndpointSlice API says);
 * terminating endpoints are not ready.
 */
export class KubernetesEndpointSource implements EndpointSource {
    constructor(
        private readonly clusters: Partial<Record<Color, () => Promise<KubeApis>>>,
        private readonly services: Record<string, RoutedService>,
    ) {}

    async readyAddresses(app: string, color: Color): Promise<string[]> {
        const service = this.services[app];
        const open = this.clusters[color];
        if (!service) throw new Error(`${app}: the stack names no Service for it (routing.apps[].service)`);
        if (!open) throw new Error(`${color} has no kubeconfig in the stack outputs (clusters.${color}.kubeconfig)`);
        const api = await open();
        const slices = await api.timed(`EndpointSlices of ${service.namespace}/${service.service}`, api.discovery.listNamespacedEndpointSlice({ namespace: service.namespace, labelSelector: `kubernetes.io/service-name=${service.service}` }));
        const ready = new Set<string>();
        for (const slice of slices.items) {
            for (const endpoint of slice.endpoints ?? []) {
                if (endpoint.conditions?.ready === false) continue;
                for (const address of endpoint.addresses ?? []) ready.add(address);
            }
        }
        return [...ready].sort();
    }
}

interface ArgoApplicationObject {
    metadata?: { namespace?: string; name?: string };
    spec?: { destination?: { namespace?: string } };
    status?: { sync?: { status?: string }; health?: { status?: string } };
}

/** Deployments, StatefulSets, DaemonSets and ArgoCD Applications of each color's cluster, cluster-wide lists. */
export class KubernetesWorkloadSource implements WorkloadSource {
    constructor(private readonly clusters: Partial<Record<Color, () => Promise<KubeApis>>>) {}

    private open(color: Color): Promise<KubeApis> {
        const open = this.clusters[color];
        if (!open) throw new Error(`${color} has no kubeconfig in the stack outputs (clusters.${color}.kubeconfig)`);
        return open();
    }

    async workloads(color: Color, labelSelector?: string): Promise<Workload[]> {
        const api = await this.open(color);
        const q = labelSelector ? { labelSelector } : {};
        const [deployments, statefulSets, daemonSets] = await Promise.all([
            api.timed("list Deployments", api.apps.listDeploymentForAllNamespaces(q)),
            api.timed("list StatefulSets", api.apps.listStatefulSetForAllNamespaces(q)),
            api.timed("list DaemonSets", api.apps.listDaemonSetForAllNamespaces(q)),
        ]);
        return [
            ...deployments.items.map((object): Workload => ({ kind: "Deployment", object })),
            ...statefulSets.items.map((object): Workload => ({ kind: "StatefulSet", object })),
            ...daemonSets.items.map((object): Workload => ({ kind: "DaemonSet", object })),
        ];
    }

    async applications(color: Color): Promise<ArgoApplicationState[] | undefined> {
        const api = await this.open(color);
        try {
            const list = (await api.timed("list ArgoCD Applications", api.custom.listCustomObjectForAllNamespaces({ group: "argoproj.io", version: "v1alpha1", plural: "applications" }))) as { items?: ArgoApplicationObject[] };
            return (list.items ?? []).map((a) => ({
                namespace: a.metadata?.namespace ?? "",
                name: a.metadata?.name ?? "",
                ...(a.spec?.destination?.namespace ? { destinationNamespace: a.spec.destination.namespace } : {}),
                ...(a.status?.sync?.status ? { sync: a.status.sync.status } : {}),
                ...(a.status?.health?.status ? { health: a.status.health.status } : {}),
            }));
        } catch (err) {
            if ((err as { code?: number }).code === 404) return undefined; // ArgoCD not installed
            throw err;
        }
    }
}
