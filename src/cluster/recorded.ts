/**
 * What the last deployment recorded about a color's cluster in the stack's outputs
 * (`clusters.<color>`), read back so decisions made once stay made: who created the cluster (its
 * creator has an access entry from EKS itself) and which EKS managed add-on versions were resolved.
 * Pure: the outputs are handed over as plain data; anything malformed counts as not recorded.
 */
export const MANAGED_ADDON_NAMES = ["vpc-cni", "kube-proxy", "eks-pod-identity-agent", "coredns"] as const;
export type ManagedAddonName = (typeof MANAGED_ADDON_NAMES)[number];

export interface RecordedAddonVersion {
    version: string;
    /** The cluster's Kubernetes version the add-on version was chosen for. */
    kubernetesVersion: string;
    /** `pinned` in the config, or `resolved` (EKS's default for the Kubernetes version at that time). */
    source: "pinned" | "resolved";
}

export interface RecordedCluster {
    /** The last deployment had this color's cluster. */
    deployed: boolean;
    creator?: string;
    managedAddons: Partial<Record<ManagedAddonName, RecordedAddonVersion>>;
}

const NOT_DEPLOYED: RecordedCluster = { deployed: false, managedAddons: {} };

function isRecord(value: unknown): value is Record<string, unknown> {
    return value !== null && typeof value === "object" && !Array.isArray(value);
}

function recordedAddon(value: unknown): RecordedAddonVersion | undefined {
    if (!isRecord(value)) return undefined;
    const { version, kubernetesVersion, source } = value;
    if (typeof version !== "string" || typeof kubernetesVersion !== "string" || (source !== "pinned" && source !== "resolved")) return undefined;
    return { version, kubernetesVersion, source };
}

/** One color's record, from the previous outputs' `clusters` value. */
export function recordedCluster(previousClusters: unknown, color: string): RecordedCluster {
    if (!isRecord(previousClusters)) return NOT_DEPLOYED;
    const cluster = previousClusters[color];
    if (!isRecord(cluster)) return NOT_DEPLOYED;
    const managedAddons: RecordedCluster["managedAddons"] = {};
    const addons = isRecord(cluster.managedAddons) ? cluster.managedAddons : {};
    for (const name of MANAGED_ADDON_NAMES) {
        const addon = recordedAddon(addons[name]);
        if (addon) managedAddons[name] = addon;
    }
    const creator = typeof cluster.creator === "string" ? cluster.creator : undefined;
    return { deployed: true, ...(creator ? { creator } : {}), managedAddons };
}

export type AddonVersionChoice = { kind: "pinned"; version: string } | { kind: "kept"; version: string } | { kind: "resolve" };

/**
 * Resolve once and keep: a pin wins; a version resolved for the same Kubernetes version is kept, so
 * an unrelated update never rolls an add-on on a live cluster; a new Kubernetes version, or a pin
 * just removed, resolves EKS's default again.
 */
export function chooseAddonVersion(pinned: string | undefined, kubernetesVersion: string, recorded: RecordedAddonVersion | undefined): AddonVersionChoice {
    if (pinned !== undefined) return { kind: "pinned", version: pinned };
    if (recorded && recorded.source === "resolved" && recorded.kubernetesVersion === kubernetesVersion) return { kind: "kept", version: recorded.version };
    return { kind: "resolve" };
}
