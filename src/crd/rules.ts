/**
 * The classification rules of the CRD diff, as data: each rule has an id, a default class and what
 * it means. Users move a rule to another class with overrides (e.g. treat enum additions as breaking).
 */
import { UserInputError } from "../errors";

export const CHANGE_CLASSES = ["cosmetic", "compatible", "breaking"] as const;
export type ChangeClass = (typeof CHANGE_CLASSES)[number];
export type Verdict = "identical" | ChangeClass;

export const VERDICT_ORDER: Record<Verdict, number> = { identical: 0, cosmetic: 1, compatible: 2, breaking: 3 };

export interface RuleDefinition {
    class: ChangeClass;
    description: string;
}

export const RULES = {
    "crd-removed": { class: "breaking", description: "a CRD is no longer installed" },
    "crd-added": { class: "compatible", description: "a new CRD is installed" },
    "scope-changed": { class: "breaking", description: "the CRD moved between Namespaced and Cluster scope" },
    "names-changed": { class: "breaking", description: "kind, plural, singular or listKind changed" },
    "short-names-changed": { class: "compatible", description: "shortNames changed" },
    "categories-changed": { class: "compatible", description: "categories changed" },
    "conversion-changed": { class: "breaking", description: "the conversion strategy or webhook changed" },
    "version-removed": { class: "breaking", description: "a version is no longer defined" },
    "version-unserved": { class: "breaking", description: "a version is no longer served" },
    "version-served": { class: "compatible", description: "a version is now served" },
    "version-added": { class: "compatible", description: "a version that is not the storage version was added" },
    "stored-version-removed": { class: "breaking", description: "a version still listed in the cluster's status.storedVersions was removed" },
    "storage-version-changed": { class: "breaking", description: "the storage version changed" },
    "version-deprecation-changed": { class: "compatible", description: "a version's deprecated flag or warning changed" },
    "printer-columns-changed": { class: "compatible", description: "additionalPrinterColumns changed" },
    "subresources-changed": { class: "breaking", description: "the status or scale subresource was added, removed or changed" },
    "selectable-fields-added": { class: "compatible", description: "selectableFields were added" },
    "selectable-fields-removed": { class: "breaking", description: "selectableFields were removed" },
    "field-removed": { class: "breaking", description: "a field was removed from the schema" },
    "field-added": { class: "compatible", description: "an optional field was added" },
    "required-field-added": { class: "breaking", description: "a new required field in an existing object" },
    "field-made-required": { class: "breaking", description: "an existing field became required" },
    "field-made-optional": { class: "compatible", description: "a required field became optional" },
    "type-changed": { class: "breaking", description: "a field's type (or int-or-string / embedded-resource) changed" },
    "enum-added": { class: "breaking", description: "an enum now restricts a field that had none" },
    "enum-removed": { class: "compatible", description: "an enum restriction was removed" },
    "enum-value-added": { class: "compatible", description: "an enum value was added" },
    "enum-value-removed": { class: "breaking", description: "an enum value was removed" },
    "limit-tightened": { class: "breaking", description: "a min/max/length/items/properties limit was added or tightened" },
    "limit-loosened": { class: "compatible", description: "a min/max/length/items/properties limit was removed or loosened" },
    "pattern-changed": { class: "breaking", description: "a pattern or format was added or changed" },
    "pattern-removed": { class: "compatible", description: "a pattern or format was removed" },
    "default-changed": { class: "breaking", description: "a default was added, changed or removed" },
    "nullable-changed": { class: "breaking", description: "nullable changed" },
    "validation-rule-added": { class: "breaking", description: "an x-kubernetes-validations rule was added or its expression changed" },
    "validation-rule-removed": { class: "compatible", description: "an x-kubernetes-validations rule was removed" },
    "validation-message-changed": { class: "cosmetic", description: "the message or reason of a validation rule changed" },
    "unknown-fields-pruned": { class: "breaking", description: "x-kubernetes-preserve-unknown-fields was turned off" },
    "unknown-fields-preserved": { class: "compatible", description: "x-kubernetes-preserve-unknown-fields was turned on" },
    "additional-properties-restricted": { class: "breaking", description: "additionalProperties was restricted" },
    "additional-properties-allowed": { class: "compatible", description: "additionalProperties was allowed" },
    "list-semantics-changed": { class: "breaking", description: "x-kubernetes-list-type, list-map-keys or map-type changed" },
    "schema-keyword-changed": { class: "breaking", description: "a schema keyword the engine does not classify changed (fail-closed)" },
    "description-changed": { class: "cosmetic", description: "a description, title or example changed" },
    "metadata-changed": { class: "cosmetic", description: "labels or annotations of the CRD changed (tooling noise already removed)" },
} as const satisfies Record<string, RuleDefinition>;

export type RuleId = keyof typeof RULES;
export const RULE_IDS = Object.keys(RULES) as RuleId[];

export type RuleOverrides = Partial<Record<RuleId, ChangeClass>>;

export class RuleOverridesError extends UserInputError {}

/** Validates overrides from a user's file (`{ rules: { enum-value-added: breaking } }` or the bare map). */
export function parseRuleOverrides(document: unknown, origin: string): RuleOverrides {
    const map = document !== null && typeof document === "object" && "rules" in (document as object) ? (document as { rules: unknown }).rules : document;
    if (map === null || typeof map !== "object" || Array.isArray(map)) {
        throw new RuleOverridesError(`${origin}: expected a map like { rules: { enum-value-added: breaking } }`);
    }
    const problems: string[] = [];
    const overrides: RuleOverrides = {};
    for (const [rule, cls] of Object.entries(map as Record<string, unknown>)) {
        if (!(rule in RULES)) problems.push(`"${rule}" is not a rule id (valid: ${RULE_IDS.join(", ")})`);
        else if (!CHANGE_CLASSES.includes(cls as ChangeClass)) problems.push(`${rule}: "${String(cls)}" is not a class (valid: ${CHANGE_CLASSES.join(", ")})`);
        else overrides[rule as RuleId] = cls as ChangeClass;
    }
    if (problems.length) throw new RuleOverridesError(`${origin} has ${problems.length} problem(s):\n  - ${problems.join("\n  - ")}`);
    return overrides;
}

export function classOf(rule: RuleId, overrides: RuleOverrides = {}): ChangeClass {
    return overrides[rule] ?? RULES[rule].class;
}

export function maxVerdict(a: Verdict, b: Verdict): Verdict {
    return VERDICT_ORDER[a] >= VERDICT_ORDER[b] ? a : b;
}

/** True when `verdict` is no worse than `level` (e.g. a cosmetic diff under a `compatible` allowance). */
export function verdictAtMost(verdict: Verdict, level: Verdict): boolean {
    return VERDICT_ORDER[verdict] <= VERDICT_ORDER[level];
}
