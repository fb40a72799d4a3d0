/**
 * The built-in removal table checked row by row against the Kubernetes deprecated API migration
 * guide (https://kubernetes.io/docs/reference/using-api/deprecation-guide/), typed here from the
 * guide and not read from src/apis/api-table.ts: every (apiVersion, kind) the guide lists as
 * removed is in the table with the guide's removal version and replacement, and the table has no
 * row the guide does not have (except the few documented below).
 */
import { BUILT_IN_API_RULES } from "../../src/apis";

/** [removed in, apiVersion, kinds, replacements the guide names (null: no successor)]. */
const GUIDE: Array<[string, string, string[], Array<string | null>]> = [
    ["1.16", "extensions/v1beta1", ["NetworkPolicy"], ["networking.k8s.io/v1"]],
    ["1.16", "extensions/v1beta1", ["PodSecurityPolicy"], ["policy/v1beta1"]],
    ["1.16", "extensions/v1beta1", ["DaemonSet", "Deployment", "ReplicaSet"], ["apps/v1"]],
    ["1.16", "apps/v1beta1", ["Deployment", "StatefulSet"], ["apps/v1"]],
    ["1.16", "apps/v1beta2", ["DaemonSet", "Deployment", "StatefulSet", "ReplicaSet"], ["apps/v1"]],
    ["1.22", "admissionregistration.k8s.io/v1beta1", ["MutatingWebhookConfiguration", "ValidatingWebhookConfiguration"], ["admissionregistration.k8s.io/v1"]],
    ["1.22", "apiextensions.k8s.io/v1beta1", ["CustomResourceDefinition"], ["apiextensions.k8s.io/v1"]],
    ["1.22", "apiregistration.k8s.io/v1beta1", ["APIService"], ["apiregistration.k8s.io/v1"]],
    ["1.22", "authentication.k8s.io/v1beta1", ["TokenReview"], ["authentication.k8s.io/v1"]],
    ["1.22", "authorization.k8s.io/v1beta1", ["SubjectAccessReview", "LocalSubjectAccessReview", "SelfSubjectAccessReview", "SelfSubjectRulesReview"], ["authorization.k8s.io/v1"]],
    ["1.22", "certificates.k8s.io/v1beta1", ["CertificateSigningRequest"], ["certificates.k8s.io/v1"]],
    ["1.22", "coordination.k8s.io/v1beta1", ["Lease"], ["coordination.k8s.io/v1"]],
    ["1.22", "extensions/v1beta1", ["Ingress"], ["networking.k8s.io/v1"]],
    ["1.22", "networking.k8s.io/v1beta1", ["Ingress", "IngressClass"], ["networking.k8s.io/v1"]],
    ["1.22", "rbac.authorization.k8s.io/v1beta1", ["ClusterRole", "ClusterRoleBinding", "Role", "RoleBinding"], ["rbac.authorization.k8s.io/v1"]],
    ["1.22", "scheduling.k8s.io/v1beta1", ["PriorityClass"], ["scheduling.k8s.io/v1"]],
    ["1.22", "storage.k8s.io/v1beta1", ["CSIDriver", "CSINode", "StorageClass", "VolumeAttachment"], ["storage.k8s.io/v1"]],
    ["1.25", "batch/v1beta1", ["CronJob"], ["batch/v1"]],
    ["1.25", "discovery.k8s.io/v1beta1", ["EndpointSlice"], ["discovery.k8s.io/v1"]],
    ["1.25", "events.k8s.io/v1beta1", ["Event"], ["events.k8s.io/v1"]],
    ["1.25", "autoscaling/v2beta1", ["HorizontalPodAutoscaler"], ["autoscaling/v2"]],
    ["1.25", "policy/v1beta1", ["PodDisruptionBudget"], ["policy/v1"]],
    ["1.25", "policy/v1beta1", ["PodSecurityPolicy"], [null]],
    ["1.25", "node.k8s.io/v1beta1", ["RuntimeClass"], ["node.k8s.io/v1"]],
    ["1.26", "flowcontrol.apiserver.k8s.io/v1beta1", ["FlowSchema", "PriorityLevelConfiguration"], ["flowcontrol.apiserver.k8s.io/v1beta2"]],
    ["1.26", "autoscaling/v2beta2", ["HorizontalPodAutoscaler"], ["autoscaling/v2"]],
    ["1.27", "storage.k8s.io/v1beta1", ["CSIStorageCapacity"], ["storage.k8s.io/v1"]],
    ["1.29", "flowcontrol.apiserver.k8s.io/v1beta2", ["FlowSchema", "PriorityLevelConfiguration"], ["flowcontrol.apiserver.k8s.io/v1", "flowcontrol.apiserver.k8s.io/v1beta3"]],
    ["1.32", "flowcontrol.apiserver.k8s.io/v1beta3", ["FlowSchema", "PriorityLevelConfiguration"], ["flowcontrol.apiserver.k8s.io/v1"]],
];

/**
 * Rows the table has beyond the guide, with why: apps/v1beta1 and apps/v1beta2 stopped being served
 * as whole group versions in 1.16, ControllerRevision included (the guide lists workload kinds only).
 */
const BEYOND_THE_GUIDE = new Set(["apps/v1beta1 ControllerRevision", "apps/v1beta2 ControllerRevision"]);

const guideRows = GUIDE.flatMap(([removedIn, apiVersion, kinds, replacements]) => kinds.map((kind) => ({ key: `${apiVersion} ${kind}`, removedIn, replacements })));

describe("the API removal table against the Kubernetes deprecation guide", () => {
    test.each(guideRows.map((r) => [r.key, r] as const))("%s: in the table, removed in the guide's version, with its replacement", (key, row) => {
        const [apiVersion, kind] = key.split(" ");
        const rule = BUILT_IN_API_RULES.find((r) => r.apiVersion === apiVersion && r.kind === kind);
        expect(rule).toBeDefined();
        expect(rule!.removedIn).toBe(row.removedIn);
        expect(row.replacements).toContain(rule!.replacement);
        expect(Number(rule!.deprecatedIn.split(".")[1])).toBeLessThan(Number(row.removedIn.split(".")[1]));
    });

    test("the table has no row the guide does not list (besides the documented ones)", () => {
        const listed = new Set(guideRows.map((r) => r.key));
        const extra = BUILT_IN_API_RULES.map((r) => `${r.apiVersion} ${r.kind}`).filter((k) => !listed.has(k) && !BEYOND_THE_GUIDE.has(k));
        expect(extra).toEqual([]);
    });

    test("every removal release of the guide is covered, all 49 removed kinds", () => {
        const releases = [...new Set(BUILT_IN_API_RULES.map((r) => r.removedIn))].sort();
        expect(releases).toEqual(["1.16", "1.22", "1.25", "1.26", "1.27", "1.29", "1.32"]);
        expect(guideRows).toHaveLength(49);
    });
});
