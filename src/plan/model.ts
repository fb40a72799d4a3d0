import type { PlanReference } from "./references";

/** What the offline plan records about one resource, in the form an operator reviews. */
export interface PlannedResource {
    urn: string;
    type: string;
    name: string;
    /** URN of the parent resource, or undefined for a root resource. */
    parent?: string;
    custom: boolean;
    protect: boolean;
    retainOnDelete: boolean;
    deleteBeforeReplace: boolean;
    provider?: string;
    dependencies: string[];
    replaceOnChanges: string[];
    ignoreChanges: string[];
    /** The old names this resource adopts (`aliases`), only when it has any. */
    aliases?: PlannedAlias[];
    /**
     * Inputs with computed values as `UNKNOWN`, secrets as `SECRET`, resource objects as their URN,
     * and values another resource produced as a reference label (`<prod-api-blue.arn>`).
     */
    inputs: Record<string, unknown>;
}

/**
 * One alias as the engine receives it: a whole URN, or the parts that differ from the resource's own
 * (`parent` is the old parent's URN; `noParent` an old root resource).
 */
export interface PlannedAlias {
    urn?: string;
    name?: string;
    type?: string;
    stack?: string;
    project?: string;
    parent?: string;
    noParent?: true;
}

export interface Plan {
    project: string;
    stack: string;
    resources: PlannedResource[];
    outputs: Record<string, unknown>;
    /** What each reference label in the inputs and outputs resolves to. */
    references?: Record<string, PlanReference>;
}

export const UNKNOWN = "<computed>";
export const SECRET = "<secret>";
