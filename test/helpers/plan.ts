import { loadEnvironmentConfig } from "../../src/config";
import { Plan, PlannedResource } from "../../src/plan/model";
import { deployEnvironment } from "../../components/environment";
import { planEnvironment } from "../../src/plan/stack-plan";

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
