/**
 * The CRD gate's real inputs, shared by the Pulumi program and `bluegreen preflight`: each add-on's
 * CRDs from its default source (as `bluegreen crd-diff addon:…` reads them), and a cluster's live
 * CRDs through a kubeconfig. Loaded on use: the sources pull in the Kubernetes client.
 */
import { CrdSet } from "../crd";
import { AddonId } from "./registry";
import { AddonCrdDeps } from "./crd-gate";

export async function loadAddonCrdSet(addon: AddonId, version: string): Promise<CrdSet> {
    const [{ loadAddonCrds }, { parseCrdStreams }] = await Promise.all([import("./crd-source"), import("../crd")]);
    return parseCrdStreams(await loadAddonCrds(addon, version), { label: `${addon} ${version} CRDs` });
}

/** An empty set when the cluster has none of the groups: the add-on is not installed there. */
export async function readLiveCrdSet(kubeconfig: string, groups: string[]): Promise<CrdSet> {
    const [{ readLiveCrds }, { parseCrdStreams }] = await Promise.all([import("../crd/sources/kube"), import("../crd")]);
    const streams = await readLiveCrds({ kubeconfig, groups });
    return { crds: streams.length ? parseCrdStreams(streams, { live: true }).crds : new Map(), live: true };
}

export const onlineCrdLoaders: Pick<AddonCrdDeps, "loadAddonCrds" | "readLiveCrds"> = {
    loadAddonCrds: loadAddonCrdSet,
    readLiveCrds: readLiveCrdSet,
};
