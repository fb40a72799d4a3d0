/**
 * ArgoCD, installed by Pulumi because ArgoCD cannot install itself. Optionally bootstrapped with a
 * root Application (app of apps) so a new cluster gets every Kubernetes resource of the environment
 * from Git. Both colors point at the same repository; the in-cluster cluster secret carries
 * `bluegreen/color` and `bluegreen/environment` labels for ApplicationSet cluster generators, and a
 * Helm root app gets them as values, so manifests can differ per color.
 */
import { createHash } from "crypto";
import * as pulumi from "@pulumi/pulumi";
import * as k8s from "@pulumi/kubernetes";
import bcrypt from "bcryptjs";
import { ADDON_CATALOG, AddonSettings } from "../../../src/addons/registry";
import { AddonContext, AddonDefinition } from "../addon";

/** Argo CD's foreground cascading delete of an Application's resources. */
export const ROOT_APP_FINALIZER = "resources-finalizer.argocd.argoproj.io";

const BCRYPT_ALPHABET = "./ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

/**
 * ArgoCD wants a bcrypt hash. The salt is derived from the password and cluster, not random, so the
 * hash (and with it the Helm release) only changes when the password does.
 */
export function adminPasswordHash(password: string, clusterName: string): string {
    const digest = createHash("sha256").update(`bluegreen:${clusterName}:${password}`).digest();
    const salt = Array.from(digest.subarray(0, 22), (byte) => BCRYPT_ALPHABET[byte % 64]).join("");
    return bcrypt.hashSync(password, `$2a$10$${salt}`);
}

/** The chart's admin password values: the bcrypt hash only (see the values below for the mtime). */
export function adminPasswordValues(password: string, clusterName: string): Record<string, string> {
    return { argocdServerAdminPassword: adminPasswordHash(password, clusterName) };
}

const HIGH_AVAILABILITY = {
    "redis-ha": { enabled: true },
    controller: { replicas: 1 },
    server: { replicas: 2 },
    repoServer: { replicas: 2 },
    applicationSet: { replicas: 2 },
};

/**
 * Argo CD's declarative cluster secret for the cluster it runs in, labelled with the color and
 * environment for ApplicationSet cluster generators.
 */
export function inClusterSecret(context: Pick<AddonContext, "color" | "environment">): { metadata: { name: string; namespace: string; labels: Record<string, string> }; stringData: Record<string, string> } {
    return {
        metadata: {
            name: "in-cluster",
            namespace: ADDON_CATALOG.argocd.namespace,
            labels: { "bluegreen/color": context.color, "bluegreen/environment": context.environment, "argocd.argoproj.io/secret-type": "cluster" },
        },
        stringData: { name: "in-cluster", server: "https://kubernetes.default.svc", config: JSON.stringify({ tlsClientConfig: { insecure: false } }) },
    };
}

export const definition: AddonDefinition<AddonSettings<"argocd">> = {
    id: "argocd",
    values: (context, settings) => {
        const base: Record<string, unknown> = {
            // CRDs are applied by Pulumi from the same source the CRD gate compares.
            crds: { install: false, keep: true },
            global: { additionalLabels: { "bluegreen/color": context.color, "bluegreen/environment": context.environment } },
            ...(settings.highAvailability ? HIGH_AVAILABILITY : {}),
        };
        if (context.argocdAdminPassword === undefined) return base;
        return pulumi.secret(pulumi.output(context.argocdAdminPassword).apply((password) => ({
            ...base,
            // No argocdServerAdminPasswordMtime: the chart then stamps the time it renders the secret
            // (templates/argocd-configs/argocd-secret.yaml), and it renders only when these values change,
            // i.e. when the password does: Argo CD refuses tokens issued before that time, so a rotation
            // ends every old session. (A fixed or hash-derived time cannot: it must lie after the old
            // tokens and before the new ones.)
            configs: { secret: adminPasswordValues(password, context.clusterName) },
        })));
    },
    resources: (addon, context, settings) => {
        const namespace = ADDON_CATALOG.argocd.namespace;
        const labels = { "bluegreen/color": context.color, "bluegreen/environment": context.environment };
        const options = { parent: addon, dependsOn: [addon.release, ...addon.crds] };
        new k8s.core.v1.Secret(`${context.clusterName}-argocd-in-cluster`, inClusterSecret(context), options);
        if (!settings.bootstrap) return;
        new k8s.apiextensions.CustomResource(`${context.clusterName}-argocd-root-app`, {
            apiVersion: "argoproj.io/v1alpha1",
            kind: "Application",
            // The resources finalizer: deleting the root app (a teardown) first deletes what it synced, the apps'
            // Ingresses among them, while the load balancer controller still runs (ArgoCD's release depends on it).
            metadata: { name: "root", namespace, labels, finalizers: [ROOT_APP_FINALIZER] },
            spec: {
                project: "default",
                source: {
                    repoURL: settings.bootstrap.repoURL,
                    path: settings.bootstrap.path,
                    targetRevision: settings.bootstrap.targetRevision,
                    // Only for a Helm chart: a `helm` block on a plain directory would make Argo CD render it as a chart.
                    ...(settings.bootstrap.helmValues
                        ? { helm: { valuesObject: { bluegreen: { environment: context.environment, color: context.color, clusterName: context.clusterName } } } }
                        : {}),
                },
                destination: { server: "https://kubernetes.default.svc", namespace },
                syncPolicy: { automated: { prune: true, selfHeal: true }, syncOptions: ["CreateNamespace=true"] },
            },
        }, options);
    },
};
