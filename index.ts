/**
 * The Pulumi program: the stack's config, read and validated before any resource is registered,
 * then the environment it describes. The CRD gate's inputs come from the internet and the stack's
 * own previous outputs (components/addons/crd-deps.ts); the cutover's record and weights-only mode
 * from components/cutover-deps.ts.
 */
import * as pulumi from "@pulumi/pulumi";
import { pulumiAddonCrdDeps } from "./components/addons/crd-deps";
import { pulumiCutoverDeps } from "./components/cutover-deps";
import { deployEnvironment } from "./components/environment";
import { readEnvironmentInputs, secretKeysFromEnvironment } from "./src/config";

export = async () => {
    const inputs = readEnvironmentInputs(pulumi.runtime.allConfig(), {
        stack: pulumi.getStack(),
        // The AWS provider's own fallback when aws:region is not set.
        fallbackRegion: process.env.AWS_REGION ?? process.env.AWS_DEFAULT_REGION,
        secretKeys: secretKeysFromEnvironment(process.env.PULUMI_CONFIG_SECRET_KEYS),
    });
    return deployEnvironment(inputs, pulumiAddonCrdDeps(), { cutover: pulumiCutoverDeps(inputs.region) });
};
