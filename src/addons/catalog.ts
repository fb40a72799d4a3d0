/**
 * The one place where each add-on's defaults are written down: chart, repository, default chart
 * version, namespace, the API groups of its CRDs, and where its CRDs come from for a chart version.
 * Pure data: the CLI (`addon:<id>@<version>`), the CRD gate and the Pulumi components all read it.
 */

export const ADDON_IDS = ["argocd", "aws-load-balancer-controller", "external-dns"] as const;
export type AddonId = (typeof ADDON_IDS)[number];

/**
 * Where an add-on's CRDs come from:
 * - `chart-crds`: every plain manifest under the chart archive's `crds/` directory;
 * - `upstream-at-app-version`: the chart templates its CRDs, so take the upstream project's CRD
 *   files at the chart's `appVersion` (read from the chart repository's index).
 */
export type CrdLocation =
    | { kind: "chart-crds" }
    | { kind: "upstream-at-app-version"; baseUrl: (appVersion: string) => string; files: string[] };

export interface AddonCatalogEntry {
    id: AddonId;
    chart: string;
    repository: string;
    defaultVersion: string;
    namespace: string;
    /** API groups of the CRDs the add-on installs: what the live reader looks for on a cluster. */
    crdGroups: string[];
    crds: CrdLocation;
    /** The CRDs the default version installs, by name: what the offline plan shows without downloading them. */
    knownCrds: string[];
}

export const ADDON_CATALOG: Record<AddonId, AddonCatalogEntry> = {
    argocd: {
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
    },
    "aws-load-balancer-controller": {
        id: "aws-load-balancer-controller",
        chart: "aws-load-balancer-controller",
        repository: "https://aws.github.io/eks-charts",
        // Chart 1.14.0 ships controller v2.14.0; its crds/ holds crds.yaml and gateway-crds.yaml.
        defaultVersion: "1.14.0",
        namespace: "kube-system",
        crdGroups: ["elbv2.k8s.aws", "gateway.k8s.aws"],
        crds: { kind: "chart-crds" },
        knownCrds: [
            "ingressclassparams.elbv2.k8s.aws",
            "targetgroupbindings.elbv2.k8s.aws",
            "listenerruleconfigurations.gateway.k8s.aws",
            "loadbalancerconfigurations.gateway.k8s.aws",
            "targetgroupconfigurations.gateway.k8s.aws",
        ],
    },
    "external-dns": {
        id: "external-dns",
        chart: "external-dns",
        repository: "https://kubernetes-sigs.github.io/external-dns",
        defaultVersion: "1.15.0",
        namespace: "external-dns",
        crdGroups: ["externaldns.k8s.io"],
        crds: { kind: "chart-crds" },
        knownCrds: ["dnsendpoints.externaldns.k8s.io"],
    },
};

export function isAddonId(value: string): value is AddonId {
    return (ADDON_IDS as readonly string[]).includes(value);
}
