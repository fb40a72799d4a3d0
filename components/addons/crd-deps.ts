/**
 * Where the CRD gate gets its inputs when Pulumi runs for real: add-on CRDs as addons.lock.json
 * pins them, live CRDs through the previous deployment's kubeconfig, and that previous deployment
 * from the stack's own last outputs.
 */
import * as pulumi from "@pulumi/pulumi";
import { AddonCrdDeps, PreviousDeployment } from "../../src/addons/crd-gate";
import { onlineCrdLoaders } from "../../src/addons/online-crds";

export function pulumiAddonCrdDeps(projectDir: string = process.cwd()): AddonCrdDeps {
    return {
        // Pulumi runs the program in the project directory, where addons.lock.json lives.
        ...onlineCrdLoaders(projectDir),
        previousDeployment: async () => {
            const self = new pulumi.StackReference(`${pulumi.getStack()}-previous-outputs`, { name: `${pulumi.getOrganization()}/${pulumi.getProject()}/${pulumi.getStack()}` });
            const clusters = await self.getOutputDetails("clusters");
            const value = (clusters.value ?? clusters.secretValue) as PreviousDeployment["clusters"] | undefined;
            return value ? { clusters: value } : undefined;
        },
    };
}
