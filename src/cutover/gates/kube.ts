/**
 * The Kubernetes API of one color, opened once per run (one client, one token process) and shared by
 * the workload gate and the endpoint source. Every request carries a timeout, so an unreachable API
 * server is an `error` check after `timeoutMs`, not a cutover that hangs.
 */
import type * as K8s from "@kubernetes/client-node";
import type { Color } from "../../config/colors";
import type { EndpointSource } from "../sources";

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
