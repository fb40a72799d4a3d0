/**
 * What the weight-shift tests share: the stages of a staged cutover, the transitions between them
 * (forward and back), and the check that a change of weights only updates the weighted resources.
 */
import { PlanDiff } from "../../src/plan/diff";
import { Plan } from "../../src/plan/model";
import { routedApp } from "./fixtures";

export type Weights = { blue: number; green: number };
export const STAGES: Weights[] = [
    { blue: 100, green: 0 },
    { blue: 90, green: 10 },
    { blue: 50, green: 50 },
    { blue: 0, green: 100 },
];
/** Forward through every stage, then back (the rollback) one stage at a time, plus the one-step rollback. */
export const TRANSITIONS: [number, number][] = [[0, 1], [1, 2], [2, 3], [3, 2], [2, 1], [1, 0], [3, 0], [0, 3]];

/** Types whose `protect` follows the weights: the target groups and the clusters (with their secrets key). */
const PROTECT_FOLLOWS_WEIGHTS = new Set(["aws:lb/targetGroup:TargetGroup", "eks:index:Cluster", "aws:kms/key:Key"]);

export function appsOf(count: number, withPaths: boolean) {
    return Array.from({ length: count }, (_, i) => routedApp(`app-${String(i).padStart(2, "0")}`, withPaths && i % 5 === 0 ? { paths: ["/api/*"] } : {}));
}

export function expectOnlyWeightedUpdates(diff: PlanDiff, after: Plan, routingType: string, weightPath: RegExp, candidatePath?: RegExp): void {
    expect(diff.summary).toMatchObject({ create: 0, delete: 0, replace: 0 });
    expect(diff.summary.update).toBeGreaterThan(0);
    const weighted = new Set((after.outputs.routing as { weightedResourceUrns: string[] }).weightedResourceUrns);
    // Every unexpected change at once, one assertion (hundreds of steps at 50 apps; an expect each costs more than the diff).
    const unexpected = diff.steps.flatMap((step): string[] => {
        const problems: string[] = [];
        if (step.op === "update") {
            if (step.type !== routingType) problems.push(`${step.name}: ${step.type} updated`);
            if (!weighted.has(step.urn)) problems.push(`${step.name}: updated but not among the weighted resources`);
            // Weighted rules change their weights; verification rules (when the candidate flips) their one target group.
            const path = step.name.endsWith("-verify") && candidatePath ? candidatePath : weightPath;
            for (const change of step.changes) if (!path.test(change.path)) problems.push(`${step.name}: ${change.path} changed`);
        } else if (step.op !== "same") {
            problems.push(`${step.name}: ${step.op}`);
        }
        if (step.protectChange && !PROTECT_FOLLOWS_WEIGHTS.has(step.type)) problems.push(`${step.name}: protect of a ${step.type} changed`);
        return problems;
    });
    expect(unexpected).toEqual([]);
}

export const label = ([from, to]: [number, number], stages: Weights[] = STAGES) => `${stages[from].blue}/${stages[from].green} → ${stages[to].blue}/${stages[to].green}`;

