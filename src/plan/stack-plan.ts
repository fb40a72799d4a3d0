/** The offline plan of a stack file: validate its config, run the program under mocks, record the graph. */
import { ConfigError, environmentName, loadEnvironmentConfig } from "../../stacks/config";
import { StackFileConfig } from "../config/stack-file";
import { deployEnvironment, EnvironmentInputs } from "../../components/environment";
import { AddonCrdDeps } from "../addons/crd-gate";
import { Plan } from "./model";
import { recordPlan } from "./run";

/** `stack` names the stack the config is deployed to (its default environment name); by default the file's own. */
export function environmentInputsFromStackFile(
    stackFile: StackFileConfig,
    values: Record<string, unknown> = stackFile.values,
    stack: string = stackFile.stack,
): EnvironmentInputs {
    const config = loadEnvironmentConfig(values);
    const region = config.region ?? stackFile.awsRegion;
    if (!region) {
        throw new ConfigError([{ path: "region", message: `is not set in ${stackFile.file}, and neither is aws:region: add "aws:region: <region>" to its config` }]);
    }
    return { config, environment: environmentName(config, stack), region };
}

/** Offline: no CRD is fetched and the CRD gate does not run; the plan says so. */
export const OFFLINE_CRD_DEPS: AddonCrdDeps = {
    offline: true,
    loadAddonCrds: () => Promise.reject(new Error("the offline plan fetches no CRDs")),
    readLiveCrds: () => Promise.reject(new Error("the offline plan reads no cluster")),
    previousDeployment: async () => undefined,
};

export async function planEnvironment(inputs: EnvironmentInputs, stack: string, crdDeps: AddonCrdDeps = OFFLINE_CRD_DEPS): Promise<Plan> {
    return recordPlan(() => deployEnvironment(inputs, crdDeps), { stack, region: inputs.region });
}
