/**
 * Where the CRD gate gets its inputs when Pulumi runs for real: add-on CRDs from their default
 * sources (the same as `bluegreen crd-diff addon:…`), live CRDs through the previous deployment's
 * kubeconfig, and that previous deployment from the stack's own last outputs.
 */
import * as pulumi from "@pulumi/pulumi";
import { AddonCrdDeps, PreviousDeployment } from "../../src/addons/crd-gate";
import { parseCrdStreams } from "../../src/crd";
import { loadAddonCrds, readLiveCrds } from "../../src/crd/sources";

export function pulumiAddonCrdDeps(): AddonCrdDeps {
    return {
        loadAddonCrds: async (addon, version) => parseCrdStreams(await loadAddonCrds(addon, version), { label: `${addon} ${version} CRDs` }),
        readLiveCrds: async (kubeconfig, groups) => {
            const streams = await readLiveCrds({ kubeconfig, groups });
            return { crds: streams.length ? parseCrdStreams(streams, { live: true }).crds : new Map(), live: true };
        },
        previousDeployment: async () => {
            const self = new pulumi.StackReference(`${pulumi.getStack()}-previous-outputs`, { name: `${pulumi.getOrganization()}/${pulumi.getProject()}/${pulumi.getStack()}` });
            const clusters = await self.getOutputDetails("clusters");
            const value = (clusters.value ?? clusters.secretValue) as PreviousDeployment["clusters"] | undefined;
            return value ? { clusters: value } : undefined;
        },
    };
}
