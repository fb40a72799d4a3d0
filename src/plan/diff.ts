/**
 * Compares two recorded plans the way `pulumi preview` compares a program with its last state:
 * by URN, then input by input. Pure.
 */
import { Plan, PlannedResource } from "./model";
import { replacementPaths } from "./replacement-rules";

export type StepOperation = "create" | "delete" | "update" | "replace" | "same";

export interface InputChange {
    path: string;
    before: unknown;
    after: unknown;
}

export interface PlanStep {
    op: StepOperation;
    urn: string;
    type: string;
    name: string;
    changes: InputChange[];
    /** Why a replacement: the inputs (or provider) whose change forces it. */
    replaceReasons: string[];
    /** `protect` before and after, when it changes (an option change: no update of the resource itself). */
    protectChange?: { before: boolean; after: boolean };
}

export interface PlanDiff {
    steps: PlanStep[];
    summary: Record<Exclude<StepOperation, "same">, number> & { same: number };
}

export function diffPlans(before: Plan, after: Plan): PlanDiff {
    const old = new Map(before.resources.map((r) => [r.urn, r]));
    const next = new Map(after.resources.map((r) => [r.urn, r]));
    const steps: PlanStep[] = [];
    for (const resource of after.resources) {
        const previous = old.get(resource.urn);
        steps.push(previous ? compareResource(previous, resource) : { ...identity(resource), op: "create", changes: [], replaceReasons: [] });
    }
    followReplacements(steps, next, after);
    for (const resource of before.resources) {
        if (!next.has(resource.urn)) steps.push({ ...identity(resource), op: "delete", changes: [], replaceReasons: [] });
    }
    steps.sort((a, b) => a.urn.localeCompare(b.urn));
    const summary = { create: 0, update: 0, delete: 0, replace: 0, same: 0 };
    for (const step of steps) summary[step.op]++;
    return { steps, summary };
}

/** `<name.property>` labels in a string. */
const REFERENCE_LABEL = /<[^<>\s]+\.[A-Za-z]+>/g;

/** Every string input holding a reference label, with its path. */
function referencingInputs(value: unknown, path: string, out: { path: string; value: string; labels: string[] }[] = []) {
    if (typeof value === "string") {
        const labels = value.match(REFERENCE_LABEL);
        if (labels) out.push({ path, value, labels });
    } else if (Array.isArray(value)) {
        value.forEach((item, index) => referencingInputs(item, join(path, index), out));
    } else if (isPlainObject(value)) {
        for (const key of Object.keys(value)) referencingInputs(value[key], join(path, key), out);
    }
    return out;
}

/**
 * A reference that did not change is no change, unless the resource it names is replaced: then
 * its id and ARN are new and every input holding it changes too (an update, or a replacement when
 * the input forces one), as `pulumi preview` would show once the new values are known.
 */
function followReplacements(steps: PlanStep[], resources: Map<string, PlannedResource>, after: Plan): void {
    const references = after.references ?? {};
    const replaced = new Set<string>();
    let changed = true;
    while (changed) {
        changed = false;
        for (const step of steps) if (step.op === "replace") replaced.add(step.urn);
        for (const step of steps) {
            if (step.op !== "same" && step.op !== "update") continue;
            const resource = resources.get(step.urn)!;
            const ignored = resource.ignoreChanges;
            for (const input of referencingInputs(resource.inputs, "")) {
                const producer = input.labels.map((l) => references[l]?.urn).find((urn) => urn !== undefined && replaced.has(urn));
                if (!producer || step.changes.some((c) => c.path === input.path) || ignored.some((p) => isWithin(input.path, p))) continue;
                step.changes.push({ path: input.path, before: input.value, after: `${input.value} (new: its producer is replaced)` });
                const forcing = [...replacementPaths(resource.type), ...resource.replaceOnChanges];
                if (forcing.some((p) => isWithin(input.path, p))) {
                    step.replaceReasons.push(input.path);
                    step.op = "replace";
                    changed = true;
                } else {
                    step.op = "update";
                }
            }
        }
    }
}

function identity(resource: PlannedResource): Pick<PlanStep, "urn" | "type" | "name"> {
    return { urn: resource.urn, type: resource.type, name: resource.name };
}

function compareResource(before: PlannedResource, after: PlannedResource): PlanStep {
    const ignored = after.ignoreChanges;
    const changes = diffValues(before.inputs, after.inputs, "").filter((c) => !ignored.some((p) => isWithin(c.path, p)));
    const forcing = [...replacementPaths(after.type), ...after.replaceOnChanges];
    const replaceReasons = [...new Set(changes.filter((c) => forcing.some((p) => isWithin(c.path, p))).map((c) => c.path))];
    if (before.provider !== after.provider && before.provider !== undefined && after.provider !== undefined) {
        replaceReasons.push(`provider ${before.provider} → ${after.provider}`);
    }
    const op: StepOperation = replaceReasons.length > 0 ? "replace" : changes.length > 0 ? "update" : "same";
    const step: PlanStep = { ...identity(after), op, changes, replaceReasons };
    if (before.protect !== after.protect) step.protectChange = { before: before.protect, after: after.protect };
    return step;
}

/** True when `path` is `prefix` or lies below it (`a.b` is within `a`; `a[0].b` is within `a`). */
export function isWithin(path: string, prefix: string): boolean {
    if (path === prefix) return true;
    return path.startsWith(prefix) && (path[prefix.length] === "." || path[prefix.length] === "[");
}

function join(base: string, key: string | number): string {
    if (typeof key === "number") return `${base}[${key}]`;
    return base ? `${base}.${key}` : key;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
    return value !== null && typeof value === "object" && !Array.isArray(value);
}

/** Leaf-level differences between two JSON-like values; a key present on one side only is one change. */
export function diffValues(before: unknown, after: unknown, path: string): InputChange[] {
    if (isPlainObject(before) && isPlainObject(after)) {
        const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])].sort();
        return keys.flatMap((key) => diffValues(before[key], after[key], join(path, key)));
    }
    if (Array.isArray(before) && Array.isArray(after) && before.length === after.length) {
        return before.flatMap((item, index) => diffValues(item, after[index], join(path, index)));
    }
    return deepEqual(before, after) ? [] : [{ path, before, after }];
}

export function deepEqual(a: unknown, b: unknown): boolean {
    if (a === b) return true;
    if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((v, i) => deepEqual(v, b[i]));
    if (isPlainObject(a) && isPlainObject(b)) {
        const keys = Object.keys(a);
        if (keys.length !== Object.keys(b).length) return false;
        return keys.every((k) => k in b && deepEqual(a[k], b[k]));
    }
    return false;
}

export function summaryLine(diff: PlanDiff): string {
    const s = diff.summary;
    return `${s.update} to update, ${s.create} to create, ${s.delete} to delete, ${s.replace} to replace`;
}
