/**
 * Kubernetes API versions deprecated and removed upstream, from the Kubernetes deprecated API
 * migration guide: one row per (apiVersion, kind). `replacement` is the apiVersion the guide names
 * for the same kind (the scanner follows it onward when the replacement is itself removed by the
 * target), or null when the kind has no successor.
 */

export interface ApiRule {
    apiVersion: string;
    /** A kind, or "*" for every kind served by that apiVersion (extra rules for custom resources). */
    kind: string;
    /** The Kubernetes minor version that deprecated it ("1.NN"). */
    deprecatedIn: string;
    /** The Kubernetes minor version that stops serving it, or null when no removal is scheduled. */
    removedIn: string | null;
    replacement: string | null;
    /** What to do when there is no replacement apiVersion (human output only). */
    note?: string;
}

type Row = [apiVersion: string, kinds: string[], deprecatedIn: string, removedIn: string, replacement: string | null, note?: string];

const ROWS: Row[] = [
    // Removed in 1.16
    ["extensions/v1beta1", ["Deployment", "DaemonSet", "ReplicaSet"], "1.9", "1.16", "apps/v1"],
    ["apps/v1beta1", ["Deployment", "StatefulSet", "ControllerRevision"], "1.9", "1.16", "apps/v1"],
    ["apps/v1beta2", ["Deployment", "DaemonSet", "ReplicaSet", "StatefulSet", "ControllerRevision"], "1.9", "1.16", "apps/v1"],
    ["extensions/v1beta1", ["NetworkPolicy"], "1.9", "1.16", "networking.k8s.io/v1"],
    ["extensions/v1beta1", ["PodSecurityPolicy"], "1.11", "1.16", "policy/v1beta1"],

    // Removed in 1.22
    ["admissionregistration.k8s.io/v1beta1", ["MutatingWebhookConfiguration", "ValidatingWebhookConfiguration"], "1.16", "1.22", "admissionregistration.k8s.io/v1"],
    ["apiextensions.k8s.io/v1beta1", ["CustomResourceDefinition"], "1.16", "1.22", "apiextensions.k8s.io/v1"],
    ["apiregistration.k8s.io/v1beta1", ["APIService"], "1.19", "1.22", "apiregistration.k8s.io/v1"],
    ["authentication.k8s.io/v1beta1", ["TokenReview"], "1.19", "1.22", "authentication.k8s.io/v1"],
    [
        "authorization.k8s.io/v1beta1",
        ["SubjectAccessReview", "LocalSubjectAccessReview", "SelfSubjectAccessReview", "SelfSubjectRulesReview"],
        "1.19",
        "1.22",
        "authorization.k8s.io/v1",
    ],
    ["certificates.k8s.io/v1beta1", ["CertificateSigningRequest"], "1.19", "1.22", "certificates.k8s.io/v1"],
    ["coordination.k8s.io/v1beta1", ["Lease"], "1.19", "1.22", "coordination.k8s.io/v1"],
    ["extensions/v1beta1", ["Ingress"], "1.14", "1.22", "networking.k8s.io/v1"],
    ["networking.k8s.io/v1beta1", ["Ingress", "IngressClass"], "1.19", "1.22", "networking.k8s.io/v1"],
    ["rbac.authorization.k8s.io/v1beta1", ["ClusterRole", "ClusterRoleBinding", "Role", "RoleBinding"], "1.17", "1.22", "rbac.authorization.k8s.io/v1"],
    ["scheduling.k8s.io/v1beta1", ["PriorityClass"], "1.14", "1.22", "scheduling.k8s.io/v1"],
    ["storage.k8s.io/v1beta1", ["CSIDriver", "StorageClass", "VolumeAttachment"], "1.19", "1.22", "storage.k8s.io/v1"],
    ["storage.k8s.io/v1beta1", ["CSINode"], "1.17", "1.22", "storage.k8s.io/v1"],

    // Removed in 1.25
    ["batch/v1beta1", ["CronJob"], "1.21", "1.25", "batch/v1"],
    ["discovery.k8s.io/v1beta1", ["EndpointSlice"], "1.21", "1.25", "discovery.k8s.io/v1"],
    ["events.k8s.io/v1beta1", ["Event"], "1.19", "1.25", "events.k8s.io/v1"],
    ["autoscaling/v2beta1", ["HorizontalPodAutoscaler"], "1.23", "1.25", "autoscaling/v2"],
    ["policy/v1beta1", ["PodDisruptionBudget"], "1.21", "1.25", "policy/v1"],
    [
        "policy/v1beta1",
        ["PodSecurityPolicy"],
        "1.21",
        "1.25",
        null,
        "PodSecurityPolicy has no successor API: delete it and enforce with Pod Security Admission (pod-security.kubernetes.io/* namespace labels) or a policy engine",
    ],
    ["node.k8s.io/v1beta1", ["RuntimeClass"], "1.20", "1.25", "node.k8s.io/v1"],

    // Removed in 1.26
    ["flowcontrol.apiserver.k8s.io/v1beta1", ["FlowSchema", "PriorityLevelConfiguration"], "1.23", "1.26", "flowcontrol.apiserver.k8s.io/v1beta2"],
    ["autoscaling/v2beta2", ["HorizontalPodAutoscaler"], "1.23", "1.26", "autoscaling/v2"],

    // Removed in 1.27
    ["storage.k8s.io/v1beta1", ["CSIStorageCapacity"], "1.24", "1.27", "storage.k8s.io/v1"],

    // Removed in 1.29
    ["flowcontrol.apiserver.k8s.io/v1beta2", ["FlowSchema", "PriorityLevelConfiguration"], "1.26", "1.29", "flowcontrol.apiserver.k8s.io/v1"],

    // Removed in 1.32
    ["flowcontrol.apiserver.k8s.io/v1beta3", ["FlowSchema", "PriorityLevelConfiguration"], "1.29", "1.32", "flowcontrol.apiserver.k8s.io/v1"],
];

export const BUILT_IN_API_RULES: readonly ApiRule[] = ROWS.flatMap(([apiVersion, kinds, deprecatedIn, removedIn, replacement, note]) =>
    kinds.map((kind) => ({ apiVersion, kind, deprecatedIn, removedIn, replacement, ...(note ? { note } : {}) })),
);
