/** The offline plan of a stack file: validate its config, run the program under mocks, record the graph. */
import { ConfigError, environmentName, loadEnvironmentConfig } from "../../stacks/config";
import { StackFileConfig } from "../config/stack-file";
import { deployEnvironment, EnvironmentInputs } from "../../components/environment";
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

export async function planEnvironment(inputs: EnvironmentInputs, stack: string): Promise<Plan> {
    return recordPlan(() => deployEnvironment(inputs), { stack, region: inputs.region });
}
