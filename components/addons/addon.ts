/**
 * The mechanism every add-on shares: its namespace, its CRDs (applied by Pulumi with server-side
 * apply before the chart, kept when the add-on is removed), an IAM role reached through EKS Pod
 * Identity, and the Helm release itself (`skipCrds`: Helm never upgrades CRDs). An add-on is a
 * catalog entry (src/addons/<id>.ts) and an `AddonDefinition` in its own folder; this file knows
 * none of them.
 */
import * as pulumi from "@pulumi/pulumi";
import * as aws from "@pulumi/aws";
import * as k8s from "@pulumi/kubernetes";
import { Color } from "../../src/config";
import { ADDON_CATALOG, AddonId } from "../../src/addons/registry";
import { createHash } from "crypto";
import { ADDON_CRD_LABEL, AddonCrdsOfColor } from "../../src/addons/crd-gate";

/** What an add-on's values and policy may depend on. */
export interface AddonContext {
    environment: string;
    color: Color;
    clusterName: string;
    region: string;
    vpcId: pulumi.Input<string>;
    /** The hostnames the program publishes in Route 53 itself (routing.apps): no add-on may claim them. */
    routedHostnames: readonly string[];
    /** The ArgoCD admin password (a Pulumi secret); without one, the chart generates argocd-initial-admin-secret. */
    argocdAdminPassword?: pulumi.Input<string>;
}

export interface PolicyDocument {
    Version: "2012-10-17";
    Statement: Array<Record<string, unknown>>;
}

export interface AddonDefinition<Settings> {
    id: AddonId;
    /** The IAM policy of the role its catalog service account gets, when the add-on calls AWS. */
    policy?(context: AddonContext, settings: Settings): PolicyDocument;
    /** Helm values; the user's `values` are merged over them. */
    values(context: AddonContext, settings: Settings): pulumi.Input<Record<string, unknown>>;
    /** Resources of the add-on's own kinds (e.g. ArgoCD's root Application), created after the release. */
    resources?(addon: ClusterAddon<Settings>, context: AddonContext, settings: Settings): void;
}

export interface ClusterAddonArgs<Settings> {
    definition: AddonDefinition<Settings>;
    settings: Settings & { values: Record<string, unknown> };
    context: AddonContext;
    crds: AddonCrdsOfColor;
    /** The cluster's resources workloads need (node groups, coredns, the pod identity agent). */
    clusterReady: pulumi.Input<pulumi.Resource>[];
    /**
     * The provider CRDs are applied with: one that adopts an existing object (server-side apply
     * upsert). Safe for CRDs only: they are never deleted by Pulumi (retainOnDelete), so a
     * create-then-delete cannot remove an adopted object, and the CRD gate judged their change.
     */
    crdProvider?: k8s.Provider;
    /** Releases this add-on's release waits for (and outlives it on destroy): add-ons whose webhooks cover its objects. */
    after?: pulumi.Resource[];
}

const POD_IDENTITY_TRUST = JSON.stringify({
    Version: "2012-10-17",
    Statement: [{ Effect: "Allow", Principal: { Service: "pods.eks.amazonaws.com" }, Action: ["sts:AssumeRole", "sts:TagSession"] }],
});

const isPlainRecord = (v: unknown): v is Record<string, unknown> =>
    v !== null && typeof v === "object" && Object.getPrototypeOf(v) === Object.prototype;

/** Deep merge of plain objects; the override wins, lists (and Pulumi outputs) are replaced whole. */
export function mergeValues(base: Record<string, unknown>, override: Record<string, unknown>): Record<string, unknown> {
    const out: Record<string, unknown> = { ...base };
    for (const [key, value] of Object.entries(override)) {
        const current = out[key];
        out[key] = isPlainRecord(current) && isPlainRecord(value) ? mergeValues(current, value) : value;
    }
    return out;
}

/** pulumi-kubernetes: server-side apply takes over fields other field managers own. */
export const PATCH_FORCE = "pulumi.com/patchForce";

/**
 * The CRD as it is applied: status and server-set metadata dropped, labelled with its add-on (so the
 * CRD gate can tell it from other CRDs of the same API group).
 */
export function crdManifest(object: Record<string, unknown>, addon: AddonId): Record<string, unknown> {
    const { status: _status, metadata, ...rest } = object as { status?: unknown; metadata?: Record<string, unknown> };
    const { resourceVersion: _rv, uid: _uid, generation: _g, creationTimestamp: _c, managedFields: _m, ...keptMetadata } = metadata ?? {};
    const labels = (keptMetadata.labels ?? {}) as Record<string, string>;
    const annotations = (keptMetadata.annotations ?? {}) as Record<string, string>;
    // A retained CRD of an earlier install is adopted on re-enable (see ClusterAddons' adopting provider);
    // its fields belong to that install's field manager, so the apply takes them over (a change the CRD gate judged).
    return { ...rest, metadata: { ...keptMetadata, labels: { ...labels, [ADDON_CRD_LABEL]: addon }, annotations: { ...annotations, [PATCH_FORCE]: "true" } } };
}

const IAM_ROLE_NAME_MAX = 64;

/** `<cluster>-<add-on>`, shortened with a hash of the whole when longer than IAM allows. */
export function addonRoleName(clusterName: string, addon: AddonId): string {
    const full = `${clusterName}-${addon}`;
    if (full.length <= IAM_ROLE_NAME_MAX) return full;
    const hash = createHash("sha256").update(full).digest("hex").slice(0, 8);
    return `${full.slice(0, IAM_ROLE_NAME_MAX - hash.length - 1)}-${hash}`;
}

/** Offline the CRDs are known by name only; their contents come from the add-on's CRD source at deploy time. */
export const CRD_CONTENT_FETCHED_AT_DEPLOY = "<fetched at deploy time from the add-on's CRD source>";

/** Merged outside an `apply` where possible, so values computed later (a VPC id) don't hide the rest in a preview. */
function withUserValues(values: pulumi.Input<Record<string, unknown>>, userValues: Record<string, unknown>): pulumi.Input<Record<string, unknown>> {
    if (pulumi.Output.isInstance(values)) return values.apply((v) => mergeValues(v, userValues));
    return mergeValues(values as Record<string, unknown>, userValues);
}

export class ClusterAddon<Settings> extends pulumi.ComponentResource {
    readonly crds: pulumi.Resource[];
    readonly release: k8s.helm.v3.Release;
    readonly roleArn?: pulumi.Output<string>;
    readonly version: string;

    constructor(name: string, args: ClusterAddonArgs<Settings>, opts?: pulumi.ComponentResourceOptions) {
        super("bluegreen:index:ClusterAddon", name, {}, opts);
        const { definition, context } = args;
        const catalog = ADDON_CATALOG[definition.id];
        this.version = args.crds.version;
        const parent = { parent: this };

        const namespace = catalog.namespace === "kube-system"
            ? undefined
            : new k8s.core.v1.Namespace(`${name}-namespace`, { metadata: { name: catalog.namespace } }, { parent: this, dependsOn: args.clusterReady });

        this.crds = this.applyCrds(name, definition.id, args.crds, args.clusterReady, args.crdProvider);

        const dependsOn: pulumi.Input<pulumi.Resource>[] = [...this.crds, ...args.clusterReady, ...(namespace ? [namespace] : [])];
        const account = catalog.serviceAccount;
        if (account && definition.policy) {
            const role = new aws.iam.Role(`${name}-role`, {
                name: addonRoleName(context.clusterName, definition.id),
                assumeRolePolicy: POD_IDENTITY_TRUST,
            }, parent);
            // A dependency of the release: on destroy the add-on keeps its permissions until its release is gone
            // (the controller's TargetGroupBinding finalizers call AWS while they run).
            const policy = new aws.iam.RolePolicy(`${name}-policy`, { role: role.name, policy: JSON.stringify(definition.policy(context, args.settings)) }, parent);
            const association = new aws.eks.PodIdentityAssociation(`${name}-pod-identity`, {
                clusterName: context.clusterName,
                namespace: catalog.namespace,
                serviceAccount: account.name,
                roleArn: role.arn,
            }, { parent: this, dependsOn: args.clusterReady });
            this.roleArn = role.arn;
            dependsOn.push(policy, association);
        }

        this.release = new k8s.helm.v3.Release(`${name}-release`, {
            name: definition.id,
            chart: catalog.chart,
            version: args.crds.version,
            repositoryOpts: { repo: catalog.repository },
            namespace: catalog.namespace,
            skipCrds: true,
            timeout: 900,
            // Helm's own history (for `helm history` / `helm rollback`), bounded.
            maxHistory: 10,
            values: withUserValues(definition.values(context, args.settings), args.settings.values),
        }, { parent: this, dependsOn: [...dependsOn, ...(args.after ?? [])] });

        definition.resources?.(this, context, args.settings);
        this.registerOutputs({ version: this.version, roleArn: this.roleArn });
    }

    private applyCrds(name: string, addon: AddonId, crds: AddonCrdsOfColor, clusterReady: pulumi.Input<pulumi.Resource>[], provider?: k8s.Provider): pulumi.Resource[] {
        // Kept on removal: deleting a CRD deletes every custom resource of its kinds. Kept CRDs are
        // adopted when the add-on is enabled again (pulumi-kubernetes >= 4.29 refuses to create an
        // object that exists unless its provider upserts).
        const options = { parent: this, retainOnDelete: true, dependsOn: clusterReady, ...(provider ? { provider } : {}) };
        const apply = (crdName: string, manifest: Record<string, unknown>) =>
            new k8s.apiextensions.v1.CustomResourceDefinition(`${name}-crd-${crdName}`, manifest as unknown as k8s.apiextensions.v1.CustomResourceDefinitionArgs, options);
        if (crds.crds) return crds.crds.map((crd) => apply(crd.name, crdManifest(crd.object, addon)));
        return crds.crdNames.map((crdName) => apply(crdName, {
            metadata: { name: crdName, labels: { [ADDON_CRD_LABEL]: addon }, annotations: { [PATCH_FORCE]: "true" } },
            spec: crds.lockRefs?.[crdName] ? `<${crds.lockRefs[crdName]}, read from the cache or verified against it at deploy time>` : CRD_CONTENT_FETCHED_AT_DEPLOY,
        }));
    }
}
