/**
 * Kubernetes gates on the candidate cluster: every Deployment fully updated and available, every
 * StatefulSet and DaemonSet fully ready, and, where ArgoCD runs, every Application Synced and Healthy.
 */
import type * as K8s from "@kubernetes/client-node";
import { Gate, GateResult } from "../model";

interface WorkloadClients {
    apps: K8s.AppsV1Api;
    custom: K8s.CustomObjectsApi;
}

export async function kubernetesClients(kubeconfig: string): Promise<WorkloadClients> {
    const k8s = await import("@kubernetes/client-node");
    const kc = new k8s.KubeConfig();
    kc.loadFromString(kubeconfig);
    return { apps: kc.makeApiClient(k8s.AppsV1Api), custom: kc.makeApiClient(k8s.CustomObjectsApi) };
}

const id = (o: { metadata?: { namespace?: string; name?: string } }) => `${o.metadata?.namespace ?? ""}/${o.metadata?.name ?? ""}`;

export function deploymentProblems(items: K8s.V1Deployment[]): string[] {
    return items.flatMap((d) => {
        const wanted = d.spec?.replicas ?? 1;
        const s = d.status ?? {};
        const problems: string[] = [];
        if ((s.observedGeneration ?? 0) < (d.metadata?.generation ?? 0)) problems.push("rollout not yet observed");
        if ((s.updatedReplicas ?? 0) < wanted) problems.push(`${s.updatedReplicas ?? 0}/${wanted} updated`);
        if ((s.availableReplicas ?? 0) < wanted) problems.push(`${s.availableReplicas ?? 0}/${wanted} available`);
        if ((s.replicas ?? 0) > wanted) problems.push(`${s.replicas} replicas while ${wanted} wanted (old ones still running)`);
        return problems.length ? [`deployment ${id(d)}: ${problems.join(", ")}`] : [];
    });
}

export function statefulSetProblems(items: K8s.V1StatefulSet[]): string[] {
    return items.flatMap((s) => {
        const wanted = s.spec?.replicas ?? 1;
        const st = s.status ?? { replicas: 0 };
        const problems: string[] = [];
        if ((st.readyReplicas ?? 0) < wanted) problems.push(`${st.readyReplicas ?? 0}/${wanted} ready`);
        if ((st.updatedReplicas ?? 0) < wanted) problems.push(`${st.updatedReplicas ?? 0}/${wanted} updated`);
        return problems.length ? [`statefulset ${id(s)}: ${problems.join(", ")}`] : [];
    });
}

export function daemonSetProblems(items: K8s.V1DaemonSet[]): string[] {
    return items.flatMap((d) => {
        const st = d.status ?? { currentNumberScheduled: 0, desiredNumberScheduled: 0, numberMisscheduled: 0, numberReady: 0 };
        const wanted = st.desiredNumberScheduled ?? 0;
        const problems: string[] = [];
        if ((st.numberReady ?? 0) < wanted) problems.push(`${st.numberReady ?? 0}/${wanted} ready`);
        if ((st.updatedNumberScheduled ?? 0) < wanted) problems.push(`${st.updatedNumberScheduled ?? 0}/${wanted} updated`);
        if ((st.numberUnavailable ?? 0) > 0) problems.push(`${st.numberUnavailable} unavailable`);
        return problems.length ? [`daemonset ${id(d)}: ${problems.join(", ")}`] : [];
    });
}

interface ArgoApplication {
    metadata?: { namespace?: string; name?: string };
    status?: { sync?: { status?: string }; health?: { status?: string } };
}

export function applicationProblems(items: ArgoApplication[]): string[] {
    return items.flatMap((a) => {
        const sync = a.status?.sync?.status ?? "Unknown";
        const health = a.status?.health?.status ?? "Unknown";
        return sync === "Synced" && health === "Healthy" ? [] : [`application ${id(a)}: ${sync}, ${health}`];
    });
}

export function workloadGate(clients: () => Promise<WorkloadClients>): Gate {
    return {
        name: "workloads",
        async check(context): Promise<GateResult> {
            const { apps, custom } = await clients();
            const [deployments, statefulSets, daemonSets] = await Promise.all([
                apps.listDeploymentForAllNamespaces(),
                apps.listStatefulSetForAllNamespaces(),
                apps.listDaemonSetForAllNamespaces(),
            ]);
            const problems = [
                ...deploymentProblems(deployments.items),
                ...statefulSetProblems(statefulSets.items),
                ...daemonSetProblems(daemonSets.items),
            ];
            let argo = "ArgoCD not installed";
            try {
                const applications = (await custom.listCustomObjectForAllNamespaces({ group: "argoproj.io", version: "v1alpha1", plural: "applications" })) as { items?: ArgoApplication[] };
                const items = applications.items ?? [];
                problems.push(...applicationProblems(items));
                argo = `${items.length} ArgoCD applications`;
            } catch (err) {
                if ((err as { code?: number }).code !== 404) throw err;
            }
            const summary = `${context.candidate}: ${deployments.items.length} deployments, ${statefulSets.items.length} statefulsets, ${daemonSets.items.length} daemonsets, ${argo}`;
            return { gate: this.name, ok: problems.length === 0, details: [summary, ...problems] };
        },
    };
}
