/**
 * The CRD gate's real inputs, shared by the Pulumi program and `bluegreen preflight`: each add-on's
 * CRDs as the project's lock file pins them (from the digest cache, or downloaded and verified), and
 * a cluster's live CRDs through a kubeconfig, within a time limit. Loaded on use: the sources pull
 * in the Kubernetes client.
 */
import { CrdSet } from "../crd";
import { AddonId } from "./registry";
import { AddonCrdDeps } from "./crd-gate";
import { readLockFile } from "./lock";

/** How long the gate waits for a cluster's CRD list before deciding without it (and saying so). */
export const LIVE_CRD_READ_TIMEOUT_MS = 30_000;

export async function loadAddonCrdSet(addon: AddonId, version: string, projectDir: string): Promise<CrdSet> {
    const [{ loadLockedAddonCrds }, { parseCrdStreams }] = await Promise.all([import("./locked-crds"), import("../crd")]);
    const streams = await loadLockedAddonCrds(addon, version, { lock: readLockFile(projectDir), projectDir });
    return parseCrdStreams(streams, { label: `${addon} ${version} CRDs` });
}

/** An empty set when the cluster has none of the groups: the add-on is not installed there. */
export async function readLiveCrdSet(kubeconfig: string, groups: string[], timeoutMs: number = LIVE_CRD_READ_TIMEOUT_MS): Promise<CrdSet> {
    const [{ readLiveCrds }, { parseCrdStreams }] = await Promise.all([import("../crd/sources/kube"), import("../crd")]);
    const streams = await readLiveCrds({ kubeconfig, groups, timeoutMs });
    return { crds: streams.length ? parseCrdStreams(streams, { live: true }).crds : new Map(), live: true };
}

/** The loaders for a project: its lock file is read from `projectDir`. */
export function onlineCrdLoaders(projectDir: string): Pick<AddonCrdDeps, "loadAddonCrds" | "readLiveCrds" | "lockEntry"> {
    return {
        loadAddonCrds: (addon, version) => loadAddonCrdSet(addon, version, projectDir),
        readLiveCrds: (kubeconfig, groups) => readLiveCrdSet(kubeconfig, groups),
        lockEntry: lockEntryReader(projectDir),
    };
}

/** The lock entry of an add-on version, read from the project's lock file (no network): what the plan shows. */
export function lockEntryReader(projectDir: string): NonNullable<AddonCrdDeps["lockEntry"]> {
    return (addon, version) => readLockFile(projectDir)?.addons[addon]?.[version];
}
