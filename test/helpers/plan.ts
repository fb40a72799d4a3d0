import * as pulumi from "@pulumi/pulumi";
import { loadEnvironmentConfig } from "../../src/config";
import { Plan, PlannedResource } from "../../src/plan/model";
import { deployEnvironment } from "../../components/environment";
import { OFFLINE_CRD_DEPS, planEnvironment } from "../../src/plan/stack-plan";
import { PreviousDeployment } from "../../src/addons/crd-gate";

/** Runs the whole program offline for a raw config (as in a stack file) under the given stack name. */
export async function planFor(raw: Record<string, unknown>, stack = "dev"): Promise<Plan> {
    const config = loadEnvironmentConfig(raw);
    return planEnvironment({ config, environment: config.environment ?? stack, region: config.region ?? "eu-west-1" }, stack, deployEnvironment);
}

export function resourcesOfType(plan: Plan, type: string): PlannedResource[] {
    return plan.resources.filter((r) => r.type === type);
}

export function resourceNamed(plan: Plan, type: string, name: string): PlannedResource {
    const found = plan.resources.find((r) => r.type === type && r.name === name);
    if (!found) {
        const names = resourcesOfType(plan, type).map((r) => r.name);
        throw new Error(`no ${type} named ${name} in the plan (have: ${names.join(", ") || "none"})`);
    }
    return found;
}

/** Every resource below `ancestor` (by URN), at any depth. */
export function descendantsOf(plan: Plan, ancestor: string): PlannedResource[] {
    const byUrn = new Map(plan.resources.map((r) => [r.urn, r]));
    return plan.resources.filter((r) => {
        for (let p = r.parent; p; p = byUrn.get(p)?.parent) if (p === ancestor) return true;
        return false;
    });
}

export interface PlanDeps {
    /** The stack's previous outputs (what `clusters.<color>` recorded at the last update), or the error reading them. */
    previous?: Record<string, unknown> | Error;
    /** The IAM principal running the update. */
    deployer?: string;
    stack?: string;
    /** `aws:profile` of the stack. */
    awsProfile?: string;
}

/** Like planFor, with the stack's previous outputs and the deploying identity injected. */
export async function planWith(raw: Record<string, unknown>, deps: PlanDeps): Promise<Plan> {
    return (await planWithOutputs(raw, deps)).plan;
}

/**
 * The plan and the stack outputs the program returned, before they are serialized (the plan's own
 * `outputs` show a value holding a secret, like `clusters` with its kubeconfigs, as one secret).
 */
export async function planWithOutputs(raw: Record<string, unknown>, deps: PlanDeps): Promise<{ plan: Plan; outputs: Record<string, unknown> }> {
    let outputs: Record<string, unknown> = {};
    const config = loadEnvironmentConfig(raw);
    const stack = deps.stack ?? "dev";
    const crdDeps = {
        ...OFFLINE_CRD_DEPS,
        previousDeployment: async () => {
            if (deps.previous instanceof Error) throw deps.previous;
            return deps.previous as PreviousDeployment | undefined;
        },
    };
    const clusterDeps = deps.deployer ? { deployerPrincipal: async () => deps.deployer! } : undefined;
    return planEnvironment(
        { config, environment: config.environment ?? stack, region: config.region ?? "eu-west-1", ...(deps.awsProfile ? { awsProfile: deps.awsProfile } : {}) },
        stack,
        async (inputs, crd) => (outputs = await deployEnvironment(inputs, crd, { cluster: clusterDeps })),
        crdDeps,
    ).then((plan) => ({ plan, outputs }));
}

/** The value of a stack output (or part of one) as the program computed it: Outputs resolved, secrets unwrapped. */
export async function outputValue(value: unknown): Promise<unknown> {
    if (pulumi.Output.isInstance(value)) {
        return outputValue(await (value as unknown as { promise(withUnknowns?: boolean): Promise<unknown> }).promise(true));
    }
    if (Array.isArray(value)) return Promise.all(value.map(outputValue));
    if (value !== null && typeof value === "object") {
        const out: Record<string, unknown> = {};
        for (const [key, v] of Object.entries(value)) out[key] = await outputValue(v);
        return out;
    }
    return value;
}
