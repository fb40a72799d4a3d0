/**
 * ArgoCD's pure part: where its chart and CRDs come from, and its settings under
 * `clusters.<color>.addons.argocd`. Its Pulumi part is components/addons/argocd/.
 */
import { z } from "zod";
import { addonBaseSettings, defineAddon } from "./addon";

export const argocdSettings = z.strictObject({
    ...addonBaseSettings,
    enabled: z.boolean().default(true),
    highAvailability: z.boolean().default(false),
    bootstrap: z
        .strictObject({
            repoURL: z.string().min(1),
            path: z.string().min(1),
            targetRevision: z.string().min(1).default("HEAD"),
            /** The path is a Helm chart: the root app passes it `bluegreen: { environment, color, clusterName }` as values. */
            helmValues: z.boolean().default(false),
        })
        .optional(),
});

export const argocd = defineAddon({
    id: "argocd",
    chart: "argo-cd",
    repository: "https://argoproj.github.io/argo-helm",
    // Chart 8.5.0 ships Argo CD v3.1.5.
    defaultVersion: "8.5.0",
    namespace: "argocd",
    crdGroups: ["argoproj.io"],
    knownCrds: ["applications.argoproj.io", "applicationsets.argoproj.io", "appprojects.argoproj.io"],
    crds: {
        kind: "upstream-at-app-version",
        baseUrl: (appVersion) => `https://raw.githubusercontent.com/argoproj/argo-cd/${appVersion.startsWith("v") ? appVersion : `v${appVersion}`}/manifests/crds`,
        files: ["application-crd.yaml", "applicationset-crd.yaml", "appproject-crd.yaml"],
    },
    settings: argocdSettings,
});
