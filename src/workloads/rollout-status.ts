/**
 * Whether a Deployment, StatefulSet or DaemonSet has finished rolling out, judged the way
 * `kubectl rollout status` judges it (k8s.io/kubectl/pkg/polymorphichelpers/rollout_status.go):
 * the controller has observed the latest spec, every replica is updated and available, partitions
 * of a StatefulSet respected, and a Deployment past its progress deadline is a failure, not a wait.
 * Where kubectl refuses to judge (an `OnDelete` StatefulSet or DaemonSet) a gate still must: such a
 * set is judged by readiness of all its pods once its spec is observed, never passed unseen.
 * Pure: it reads the objects as the API returns them.
 */

export type RolloutVerdict = { state: "done"; message: string } | { state: "progressing"; message: string } | { state: "failed"; message: string };

interface Meta {
    name?: string;
    namespace?: string;
    generation?: number;
}

export interface DeploymentLike {
    metadata?: Meta;
    spec?: { replicas?: number };
    status?: {
        observedGeneration?: number;
        replicas?: number;
        updatedReplicas?: number;
        availableReplicas?: number;
        conditions?: Array<{ type?: string; reason?: string; status?: string }>;
    };
}

export interface StatefulSetLike {
    metadata?: Meta;
    spec?: { replicas?: number; updateStrategy?: { type?: string; rollingUpdate?: { partition?: number } } };
    status?: {
        observedGeneration?: number;
        replicas?: number;
        readyReplicas?: number;
        updatedReplicas?: number;
        currentRevision?: string;
        updateRevision?: string;
    };
}

export interface DaemonSetLike {
    metadata?: Meta;
    spec?: { updateStrategy?: { type?: string } };
    status?: {
        observedGeneration?: number;
        desiredNumberScheduled?: number;
        updatedNumberScheduled?: number;
        numberAvailable?: number;
    };
}

const observed = (meta: Meta | undefined, observedGeneration: number | undefined): boolean =>
    (meta?.generation ?? 0) <= (observedGeneration ?? 0);

export function deploymentRollout(d: DeploymentLike): RolloutVerdict {
    const s = d.status ?? {};
    if (!observed(d.metadata, s.observedGeneration)) return { state: "progressing", message: "waiting for the deployment spec update to be observed" };
    const progressing = s.conditions?.find((c) => c.type === "Progressing");
    if (progressing?.reason === "ProgressDeadlineExceeded") return { state: "failed", message: "exceeded its progress deadline" };
    const wanted = d.spec?.replicas ?? 1;
    const updated = s.updatedReplicas ?? 0;
    if (updated < wanted) return { state: "progressing", message: `${updated} of ${wanted} new replicas updated` };
    if ((s.replicas ?? 0) > updated) return { state: "progressing", message: `${(s.replicas ?? 0) - updated} old replicas pending termination` };
    if ((s.availableReplicas ?? 0) < updated) return { state: "progressing", message: `${s.availableReplicas ?? 0} of ${updated} updated replicas available` };
    return { state: "done", message: `${updated} replicas updated and available` };
}

export function statefulSetRollout(st: StatefulSetLike): RolloutVerdict {
    const strategy = st.spec?.updateStrategy?.type ?? "RollingUpdate";
    const s = st.status ?? {};
    if (!s.observedGeneration || !observed(st.metadata, s.observedGeneration)) return { state: "progressing", message: "waiting for the statefulset spec update to be observed" };
    const wanted = st.spec?.replicas ?? 1;
    if ((s.readyReplicas ?? 0) < wanted) return { state: "progressing", message: `${s.readyReplicas ?? 0} of ${wanted} pods ready` };
    if (strategy !== "RollingUpdate") return { state: "done", message: `${wanted} pods ready (update strategy ${strategy}: revisions not tracked)` };
    // kubectl: a partition that is set (0 included) is judged by the count of updated pods above it.
    const partition = st.spec?.updateStrategy?.rollingUpdate?.partition;
    if (partition !== undefined) {
        const toUpdate = Math.max(0, wanted - partition);
        if ((s.updatedReplicas ?? 0) < toUpdate) return { state: "progressing", message: `partitioned rollout: ${s.updatedReplicas ?? 0} of ${toUpdate} new pods updated` };
        return { state: "done", message: `partitioned rollout complete: ${s.updatedReplicas ?? 0} new pods` };
    }
    if (s.updateRevision !== s.currentRevision) return { state: "progressing", message: `${s.updatedReplicas ?? 0} of ${wanted} pods at revision ${s.updateRevision ?? "?"}` };
    return { state: "done", message: `${wanted} pods at revision ${s.currentRevision ?? "?"}` };
}

export function daemonSetRollout(ds: DaemonSetLike): RolloutVerdict {
    const strategy = ds.spec?.updateStrategy?.type ?? "RollingUpdate";
    const s = ds.status ?? {};
    if (!observed(ds.metadata, s.observedGeneration)) return { state: "progressing", message: "waiting for the daemon set spec update to be observed" };
    const wanted = s.desiredNumberScheduled ?? 0;
    if (strategy === "RollingUpdate" && (s.updatedNumberScheduled ?? 0) < wanted) return { state: "progressing", message: `${s.updatedNumberScheduled ?? 0} of ${wanted} updated pods scheduled` };
    if ((s.numberAvailable ?? 0) < wanted) return { state: "progressing", message: `${s.numberAvailable ?? 0} of ${wanted} pods available` };
    if (strategy !== "RollingUpdate") return { state: "done", message: `${wanted} pods available (update strategy ${strategy}: revisions not tracked)` };
    return { state: "done", message: `${wanted} pods updated and available` };
}
