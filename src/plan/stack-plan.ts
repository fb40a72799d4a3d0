/** The offline plan of a stack file: validate its config, run the program under mocks, record the graph. */
import { EnvironmentInputs } from "../config";
import { AddonCrdDeps } from "../addons/crd-gate";
import { Plan } from "./model";
import { recordPlan } from "./run";

/** The Pulumi program of an environment (components/environment.ts's `deployEnvironment`), injected so the core never imports the shell. */
export type EnvironmentProgram = (inputs: EnvironmentInputs, crdDeps: AddonCrdDeps) => Promise<Record<string, unknown>>;

/** Offline: no CRD is fetched and the CRD gate does not run; the plan says so. */
export const OFFLINE_CRD_DEPS: AddonCrdDeps = {
    offline: true,
    loadAddonCrds: () => Promise.reject(new Error("the offline plan fetches no CRDs")),
    readLiveCrds: () => Promise.reject(new Error("the offline plan reads no cluster")),
    previousDeployment: async () => undefined,
};

export async function planEnvironment(inputs: EnvironmentInputs, stack: string, program: EnvironmentProgram, crdDeps: AddonCrdDeps = OFFLINE_CRD_DEPS): Promise<Plan> {
    return recordPlan(() => program(inputs, crdDeps), { stack, region: inputs.region });
}
