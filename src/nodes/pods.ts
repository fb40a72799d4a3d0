/**
 * What a drain does with each pod on a node, decided as `kubectl drain --ignore-daemonsets
 * --delete-emptydir-data` decides it (k8s.io/kubectl/pkg/drain/filters.go): DaemonSet pods and
 * mirror (static) pods stay, pods already finished are removed without ceremony, pods with emptyDir
 * volumes are evicted (their scratch data goes with them), pods no controller would recreate are not
 * evicted without --force. Pure.
 */
import type { V1Pod } from "@kubernetes/client-node";

export type PodDecision =
    | { action: "skip"; reason: "daemonset" | "mirror" }
    | { action: "evict"; emptyDir: boolean; finished: boolean }
    | { action: "block"; reason: string };

export const podId = (pod: V1Pod): string => `${pod.metadata?.namespace ?? ""}/${pod.metadata?.name ?? ""}`;

export function decideForPod(pod: V1Pod, options: { force: boolean }): PodDecision {
    if (pod.metadata?.annotations?.["kubernetes.io/config.mirror"] !== undefined) return { action: "skip", reason: "mirror" };
    const controller = pod.metadata?.ownerReferences?.find((o) => o.controller);
    if (controller?.kind === "DaemonSet") return { action: "skip", reason: "daemonset" };
    const finished = pod.status?.phase === "Succeeded" || pod.status?.phase === "Failed";
    const emptyDir = (pod.spec?.volumes ?? []).some((v) => v.emptyDir !== undefined);
    if (!controller && !finished && !options.force) {
        return { action: "block", reason: `${podId(pod)} is not managed by a controller (no ReplicaSet, StatefulSet, Job…): evicted, it would not come back; move it yourself or rerun with --force` };
    }
    return { action: "evict", emptyDir, finished };
}
