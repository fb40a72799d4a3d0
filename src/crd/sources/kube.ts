/**
 * CRDs as a live cluster has them, read through the Kubernetes API with a kubeconfig. The custom
 * objects API returns them as the API server sends them (no client-side renaming of schema keys).
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import type * as K8s from "@kubernetes/client-node";
import { CrdSourceError, CrdStream } from "./types";

export interface LiveCrdRequest {
    groups: string[];
    /** Kubeconfig content (YAML or JSON), e.g. a stack output. */
    kubeconfig?: string;
    kubeconfigPath?: string;
    /** Context to use instead of the kubeconfig's current one. */
    context?: string;
    /** How long to wait for the API server's answer; no limit when absent. */
    timeoutMs?: number;
}

/**
 * Where the usual loading rules would find a kubeconfig: $KUBECONFIG's files, ~/.kube/config, or
 * the in-cluster service account. Without any, client-node falls back to http://localhost:8080 and
 * the read fails with a misleading connection or TLS error, so that case is named instead.
 */
export function defaultKubeconfigProblem(env: NodeJS.ProcessEnv = process.env, home: string = env.HOME || os.homedir(), exists: (file: string) => boolean = fs.existsSync): string | undefined {
    const listed = (env.KUBECONFIG ?? "").split(path.delimiter).filter((f) => f !== "");
    if (listed.some(exists)) return undefined;
    if (listed.length === 0 && exists(path.join(home, ".kube", "config"))) return undefined;
    if (env.KUBERNETES_SERVICE_HOST && exists("/var/run/secrets/kubernetes.io/serviceaccount/token")) return undefined;
    const looked = listed.length ? `$KUBECONFIG (${listed.join(path.delimiter)}) names no existing file` : `KUBECONFIG is not set and ${path.join(home, ".kube", "config")} does not exist`;
    return `no kubeconfig found: ${looked}; pass --kubeconfig <file>, or write one with \`aws eks update-kubeconfig --name <cluster> --region <region>\``;
}

export async function loadKubeConfig(request: Omit<LiveCrdRequest, "groups">): Promise<K8s.KubeConfig> {
    if (request.kubeconfig === undefined && request.kubeconfigPath === undefined) {
        const problem = defaultKubeconfigProblem();
        if (problem) throw new CrdSourceError(problem);
    }
    const k8s = await import("@kubernetes/client-node");
    const kc = new k8s.KubeConfig();
    try {
        if (request.kubeconfig !== undefined) kc.loadFromString(request.kubeconfig);
        else if (request.kubeconfigPath !== undefined) kc.loadFromFile(request.kubeconfigPath);
        else kc.loadFromDefault();
    } catch (err) {
        throw new CrdSourceError(`could not load the kubeconfig${request.kubeconfigPath ? ` ${request.kubeconfigPath}` : ""}: ${(err as Error).message}`);
    }
    if (request.context) kc.setCurrentContext(request.context);
    if (!kc.getCurrentCluster()) throw new CrdSourceError("the kubeconfig has no current cluster: pass --kubeconfig or set a context");
    return kc;
}

/** The call's answer, or a CrdSourceError once `timeoutMs` has passed without one. */
async function withTimeout<T>(call: Promise<T>, timeoutMs: number | undefined, server: string): Promise<T> {
    if (timeoutMs === undefined) return call;
    let timer: NodeJS.Timeout | undefined;
    const expired = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new CrdSourceError(`could not read CustomResourceDefinitions from ${server}: no answer within ${timeoutMs} ms`)), timeoutMs);
        timer.unref();
    });
    try {
        return await Promise.race([call, expired]);
    } finally {
        clearTimeout(timer);
    }
}

export async function readLiveCrds(request: LiveCrdRequest): Promise<CrdStream[]> {
    const kc = await loadKubeConfig(request);
    const k8s = await import("@kubernetes/client-node");
    const server = kc.getCurrentCluster()!.server;
    const api = kc.makeApiClient(k8s.CustomObjectsApi);
    let list: { items?: Array<Record<string, unknown>> };
    try {
        const call = api.listClusterCustomObject({ group: "apiextensions.k8s.io", version: "v1", plural: "customresourcedefinitions" });
        list = (await withTimeout(call, request.timeoutMs, server)) as typeof list;
    } catch (err) {
        if (err instanceof CrdSourceError) throw err;
        const e = err as { code?: number; message?: string };
        throw new CrdSourceError(`could not read CustomResourceDefinitions from ${server}: ${e.code ? `HTTP ${e.code}` : ""} ${(e.message ?? String(err)).split("\n")[0]}`.trim());
    }
    const wanted = new Set(request.groups);
    const streams: CrdStream[] = [];
    for (const item of list.items ?? []) {
        const spec = (item.spec ?? {}) as { group?: string };
        if (!spec.group || !wanted.has(spec.group)) continue;
        const name = String((item.metadata as { name?: string } | undefined)?.name);
        // The list's items lack apiVersion/kind; restore them so the stream parses like a file.
        streams.push({ origin: `kube:${server}/${name}`, text: JSON.stringify({ apiVersion: "apiextensions.k8s.io/v1", kind: "CustomResourceDefinition", ...item }) });
    }
    return streams;
}
