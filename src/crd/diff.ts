/**
 * The semantic CRD diff: CRD by CRD, version by version, schema path by schema path, each change
 * classified by a rule of `RULES`. Pure, and linear in the size of the schemas.
 */
import { CrdSet, JsonObject, ParsedCrd } from "./parse";
import { ChangeClass, classOf, maxVerdict, RuleId, RuleOverrides, Verdict } from "./rules";

export interface CrdChange {
    crd: string;
    /** The CRD version the change is in; "" for changes to the CRD as a whole. */
    version: string;
    /** JSON path in the custom resource, e.g. `.spec.syncPolicy.automated.enabled`; "" for the CRD or version itself. */
    path: string;
    class: ChangeClass;
    rule: RuleId;
    message: string;
}

export interface CrdDiffSummary {
    breaking: number;
    compatible: number;
    cosmetic: number;
}

export interface CrdDiffResult {
    verdict: Verdict;
    changes: CrdChange[];
    summary: CrdDiffSummary;
}

export interface CrdDiffOptions {
    ruleOverrides?: RuleOverrides;
}

type Emit = (rule: RuleId, path: string, message: string) => void;

const isObject = (v: unknown): v is JsonObject => v !== null && typeof v === "object" && !Array.isArray(v);
const asObject = (v: unknown): JsonObject => (isObject(v) ? v : {});
const asArray = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);

export function deepEqual(a: unknown, b: unknown): boolean {
    if (a === b) return true;
    if (Array.isArray(a)) {
        if (!Array.isArray(b) || a.length !== b.length) return false;
        for (let i = 0; i < a.length; i++) if (!deepEqual(a[i], b[i])) return false;
        return true;
    }
    if (isObject(a) && isObject(b)) {
        const keys = Object.keys(a);
        if (keys.length !== Object.keys(b).length) return false;
        for (const k of keys) if (!(k in b) || !deepEqual(a[k], b[k])) return false;
        return true;
    }
    return false;
}

const show = (v: unknown): string => {
    const text = JSON.stringify(v);
    return text === undefined ? "nothing" : text.length > 80 ? `${text.slice(0, 77)}...` : text;
};

export function diffCrdSets(oldSet: CrdSet, newSet: CrdSet, options: CrdDiffOptions = {}): CrdDiffResult {
    const overrides = options.ruleOverrides ?? {};
    const changes: CrdChange[] = [];
    const emitter = (crd: string, version: string): Emit => (rule, path, message) =>
        changes.push({ crd, version, path, class: classOf(rule, overrides), rule, message });

    for (const [name, oldCrd] of oldSet.crds) {
        const newCrd = newSet.crds.get(name);
        if (!newCrd) {
            emitter(name, "")("crd-removed", "", `CRD ${name} is removed: its custom resources would be deleted with it`);
            continue;
        }
        diffCrd(oldCrd, newCrd, oldSet.live, emitter);
    }
    for (const name of newSet.crds.keys()) {
        if (!oldSet.crds.has(name)) emitter(name, "")("crd-added", "", `CRD ${name} is added`);
    }
    return summarize(changes);
}

export function summarize(changes: CrdChange[]): CrdDiffResult {
    const summary: CrdDiffSummary = { breaking: 0, compatible: 0, cosmetic: 0 };
    let verdict: Verdict = "identical";
    for (const change of changes) {
        summary[change.class]++;
        verdict = maxVerdict(verdict, change.class);
    }
    return { verdict, changes, summary };
}

/** Labels and annotations that tools write and that say nothing about the API. */
function isMetadataNoise(key: string): boolean {
    return (
        key.startsWith("helm.sh/") ||
        key.startsWith("meta.helm.sh/") ||
        key === "app.kubernetes.io/managed-by" ||
        key === "app.kubernetes.io/version" ||
        key === "app.kubernetes.io/instance" ||
        key === "helm.sh/chart" ||
        key === "chart" ||
        key === "heritage" ||
        key === "release" ||
        key === "controller-gen.kubebuilder.io/version" ||
        key === "kubectl.kubernetes.io/last-applied-configuration" ||
        key === "deprecated.daemonset.template.generation" ||
        key.startsWith("pulumi.com/") ||
        key.startsWith("argocd.argoproj.io/") ||
        key.startsWith("kustomize.toolkit.fluxcd.io/")
    );
}

function meaningfulMetadata(value: unknown): JsonObject {
    const out: JsonObject = {};
    for (const [k, v] of Object.entries(asObject(value))) if (!isMetadataNoise(k)) out[k] = v;
    return out;
}

function diffCrd(oldCrd: ParsedCrd, newCrd: ParsedCrd, oldIsLive: boolean, emitter: (crd: string, version: string) => Emit): void {
    const name = newCrd.name;
    const emit = emitter(name, "");
    const oldSpec = asObject(oldCrd.object.spec);
    const newSpec = asObject(newCrd.object.spec);

    for (const field of ["labels", "annotations"] as const) {
        const before = meaningfulMetadata(asObject(oldCrd.object.metadata)[field]);
        const after = meaningfulMetadata(asObject(newCrd.object.metadata)[field]);
        if (!deepEqual(before, after)) emit("metadata-changed", "", `metadata.${field} changed`);
    }
    if (oldSpec.scope !== newSpec.scope) emit("scope-changed", "", `scope changed from ${show(oldSpec.scope)} to ${show(newSpec.scope)}`);
    if (oldSpec.group !== newSpec.group) emit("names-changed", "", `group changed from ${show(oldSpec.group)} to ${show(newSpec.group)}`);

    const oldNames = asObject(oldSpec.names);
    const newNames = asObject(newSpec.names);
    for (const key of ["kind", "plural", "singular", "listKind"]) {
        if (!deepEqual(oldNames[key], newNames[key])) emit("names-changed", "", `names.${key} changed from ${show(oldNames[key])} to ${show(newNames[key])}`);
    }
    for (const [key, rule] of [["shortNames", "short-names-changed"], ["categories", "categories-changed"]] as const) {
        const before = [...asArray(oldNames[key])].map(String).sort();
        const after = [...asArray(newNames[key])].map(String).sort();
        if (!deepEqual(before, after)) emit(rule, "", `names.${key} changed from ${show(before)} to ${show(after)}`);
    }
    if (!deepEqual(oldSpec.conversion ?? { strategy: "None" }, newSpec.conversion ?? { strategy: "None" })) {
        emit("conversion-changed", "", `conversion changed from ${show(oldSpec.conversion)} to ${show(newSpec.conversion)}`);
    }
    if (oldSpec.preserveUnknownFields === true && newSpec.preserveUnknownFields !== true) {
        emit("unknown-fields-pruned", "", "spec.preserveUnknownFields was turned off: unknown fields will be pruned");
    }

    const oldVersions = byName(oldSpec.versions);
    const newVersions = byName(newSpec.versions);
    const oldStorage = storageVersion(oldSpec.versions);
    const newStorage = storageVersion(newSpec.versions);
    if (oldStorage !== newStorage) {
        emit("storage-version-changed", "", `storage version changed from ${show(oldStorage)} to ${show(newStorage)}: objects are rewritten in the new version`);
    }
    if (oldIsLive) {
        for (const stored of oldCrd.storedVersions) {
            if (!newVersions.has(stored)) {
                emit("stored-version-removed", "", `version ${stored} is removed but the cluster still stores objects in it (status.storedVersions); migrate them first`);
            }
        }
    }
    for (const [versionName, oldVersion] of oldVersions) {
        const newVersion = newVersions.get(versionName);
        const emitVersion = emitter(name, versionName);
        if (!newVersion) {
            emitVersion("version-removed", "", `version ${versionName} is removed`);
            continue;
        }
        diffVersion(oldVersion, newVersion, emitVersion);
    }
    for (const [versionName, newVersion] of newVersions) {
        if (oldVersions.has(versionName)) continue;
        // A new storage version is already reported as storage-version-changed.
        if (newVersion.storage === true) continue;
        emitter(name, versionName)("version-added", "", `version ${versionName} is added${newVersion.served === false ? " (not served)" : ""}`);
    }
}

function byName(list: unknown): Map<string, JsonObject> {
    const map = new Map<string, JsonObject>();
    for (const item of asArray(list)) {
        if (isObject(item) && typeof item.name === "string") map.set(item.name, item);
    }
    return map;
}

function storageVersion(versions: unknown): string | undefined {
    for (const v of asArray(versions)) if (isObject(v) && v.storage === true) return String(v.name);
    return undefined;
}

function diffVersion(oldVersion: JsonObject, newVersion: JsonObject, emit: Emit): void {
    const oldServed = oldVersion.served !== false;
    const newServed = newVersion.served !== false;
    if (oldServed && !newServed) emit("version-unserved", "", `version ${String(newVersion.name)} is no longer served`);
    if (!oldServed && newServed) emit("version-served", "", `version ${String(newVersion.name)} is now served`);
    if (oldVersion.deprecated !== newVersion.deprecated || oldVersion.deprecationWarning !== newVersion.deprecationWarning) {
        emit("version-deprecation-changed", "", `deprecation changed from ${show(oldVersion.deprecated ?? false)} to ${show(newVersion.deprecated ?? false)}`);
    }

    const oldColumns = byName(oldVersion.additionalPrinterColumns);
    const newColumns = byName(newVersion.additionalPrinterColumns);
    for (const [column, definition] of oldColumns) {
        const next = newColumns.get(column);
        if (!next) emit("printer-columns-changed", "", `printer column "${column}" removed`);
        else if (!deepEqual(definition, next)) emit("printer-columns-changed", "", `printer column "${column}" changed`);
    }
    for (const column of newColumns.keys()) if (!oldColumns.has(column)) emit("printer-columns-changed", "", `printer column "${column}" added`);

    const oldSub = asObject(oldVersion.subresources);
    const newSub = asObject(newVersion.subresources);
    for (const key of new Set([...Object.keys(oldSub), ...Object.keys(newSub)])) {
        if (!deepEqual(oldSub[key], newSub[key])) {
            const what = !(key in oldSub) ? "added" : !(key in newSub) ? "removed" : "changed";
            emit("subresources-changed", "", `subresource ${key} ${what}`);
        }
    }

    const oldFields = new Set(asArray(oldVersion.selectableFields).map((f) => String(asObject(f).jsonPath)));
    const newFields = new Set(asArray(newVersion.selectableFields).map((f) => String(asObject(f).jsonPath)));
    for (const f of oldFields) if (!newFields.has(f)) emit("selectable-fields-removed", f, `selectable field ${f} removed`);
    for (const f of newFields) if (!oldFields.has(f)) emit("selectable-fields-added", f, `selectable field ${f} added`);

    const oldSchema = asObject(asObject(oldVersion.schema).openAPIV3Schema);
    const newSchema = asObject(asObject(newVersion.schema).openAPIV3Schema);
    diffSchema(oldSchema, newSchema, "", emit);
}

const DOCUMENTATION_KEYWORDS = new Set(["description", "title", "example", "externalDocs"]);
const HANDLED_KEYWORDS = new Set([
    ...DOCUMENTATION_KEYWORDS,
    "type", "properties", "required", "items", "additionalProperties", "enum", "pattern", "format", "default", "nullable",
    "x-kubernetes-validations", "x-kubernetes-preserve-unknown-fields", "x-kubernetes-int-or-string", "x-kubernetes-embedded-resource",
    "x-kubernetes-list-type", "x-kubernetes-list-map-keys", "x-kubernetes-map-type",
    "minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "minLength", "maxLength", "minItems", "maxItems",
    "minProperties", "maxProperties", "multipleOf", "uniqueItems",
]);

/** Limits where a larger value restricts more (lower bounds) and where a smaller one does (upper bounds). */
const LOWER_BOUNDS = ["minimum", "minLength", "minItems", "minProperties"];
const UPPER_BOUNDS = ["maximum", "maxLength", "maxItems", "maxProperties"];

const propertyPath = (path: string, key: string): string => `${path}.${/^[A-Za-z_][A-Za-z0-9_-]*$/.test(key) ? key : JSON.stringify(key)}`;

function diffSchema(before: JsonObject, after: JsonObject, path: string, emit: Emit): void {
    const at = path || ".";
    for (const keyword of DOCUMENTATION_KEYWORDS) {
        if (!deepEqual(before[keyword], after[keyword])) emit("description-changed", path, `${keyword} of ${at} changed`);
    }
    if (!deepEqual(before.type, after.type)) emit("type-changed", path, `type of ${at} changed from ${show(before.type)} to ${show(after.type)}`);
    for (const keyword of ["x-kubernetes-int-or-string", "x-kubernetes-embedded-resource"]) {
        if ((before[keyword] === true) !== (after[keyword] === true)) emit("type-changed", path, `${keyword} of ${at} changed from ${show(before[keyword])} to ${show(after[keyword])}`);
    }
    if ((before.nullable === true) !== (after.nullable === true)) emit("nullable-changed", path, `nullable of ${at} changed from ${show(before.nullable ?? false)} to ${show(after.nullable ?? false)}`);
    if (!deepEqual(before.default, after.default)) emit("default-changed", path, `default of ${at} changed from ${show(before.default)} to ${show(after.default)}`);

    diffEnum(before.enum, after.enum, path, emit);
    diffLimits(before, after, path, emit);
    for (const keyword of ["pattern", "format"]) {
        if (deepEqual(before[keyword], after[keyword])) continue;
        if (after[keyword] === undefined) emit("pattern-removed", path, `${keyword} of ${at} removed (was ${show(before[keyword])})`);
        else emit("pattern-changed", path, `${keyword} of ${at} ${before[keyword] === undefined ? "added" : "changed"}: ${show(after[keyword])}`);
    }
    const beforePreserve = before["x-kubernetes-preserve-unknown-fields"] === true;
    const afterPreserve = after["x-kubernetes-preserve-unknown-fields"] === true;
    if (beforePreserve && !afterPreserve) emit("unknown-fields-pruned", path, `${at} no longer preserves unknown fields`);
    if (!beforePreserve && afterPreserve) emit("unknown-fields-preserved", path, `${at} now preserves unknown fields`);
    for (const keyword of ["x-kubernetes-list-type", "x-kubernetes-list-map-keys", "x-kubernetes-map-type"]) {
        if (!deepEqual(before[keyword], after[keyword])) emit("list-semantics-changed", path, `${keyword} of ${at} changed from ${show(before[keyword])} to ${show(after[keyword])}`);
    }
    diffValidations(before["x-kubernetes-validations"], after["x-kubernetes-validations"], path, emit);
    diffProperties(before, after, path, emit);
    diffAdditionalProperties(before.additionalProperties, after.additionalProperties, path, emit);

    if (isObject(before.items) || isObject(after.items)) {
        diffSchema(asObject(before.items), asObject(after.items), `${path}[*]`, emit);
    } else if (!deepEqual(before.items, after.items)) {
        emit("schema-keyword-changed", path, `items of ${at} changed`);
    }

    for (const keyword of new Set([...Object.keys(before), ...Object.keys(after)])) {
        if (HANDLED_KEYWORDS.has(keyword)) continue;
        if (!deepEqual(before[keyword], after[keyword])) emit("schema-keyword-changed", path, `${keyword} of ${at} changed from ${show(before[keyword])} to ${show(after[keyword])}`);
    }
}

function diffProperties(before: JsonObject, after: JsonObject, path: string, emit: Emit): void {
    const oldProps = asObject(before.properties);
    const newProps = asObject(after.properties);
    const oldRequired = new Set(asArray(before.required).map(String));
    const newRequired = new Set(asArray(after.required).map(String));
    for (const key of Object.keys(oldProps)) {
        const child = propertyPath(path, key);
        if (!(key in newProps)) {
            emit("field-removed", child, `${child} is removed`);
            continue;
        }
        if (!oldRequired.has(key) && newRequired.has(key)) emit("field-made-required", child, `${child} is now required`);
        if (oldRequired.has(key) && !newRequired.has(key)) emit("field-made-optional", child, `${child} is no longer required`);
        diffSchema(asObject(oldProps[key]), asObject(newProps[key]), child, emit);
    }
    for (const key of Object.keys(newProps)) {
        if (key in oldProps) continue;
        const child = propertyPath(path, key);
        if (newRequired.has(key)) emit("required-field-added", child, `${child} is added as a required field`);
        else emit("field-added", child, `${child} is added`);
    }
    for (const key of newRequired) {
        if (!(key in newProps) && !oldRequired.has(key)) emit("field-made-required", propertyPath(path, key), `${propertyPath(path, key)} is now required`);
    }
}

function diffAdditionalProperties(before: unknown, after: unknown, path: string, emit: Emit): void {
    if (deepEqual(before, after)) return;
    const at = path || ".";
    if (isObject(before) && isObject(after)) {
        diffSchema(before, after, `${path}.*`, emit);
        return;
    }
    const openness = (v: unknown): number => (v === undefined || v === true ? 2 : isObject(v) ? 1 : 0);
    if (openness(after) < openness(before)) emit("additional-properties-restricted", path, `additionalProperties of ${at} restricted from ${show(before)} to ${show(after)}`);
    else emit("additional-properties-allowed", path, `additionalProperties of ${at} loosened from ${show(before)} to ${show(after)}`);
}

function diffEnum(before: unknown, after: unknown, path: string, emit: Emit): void {
    const at = path || ".";
    if (before === undefined && after === undefined) return;
    if (before === undefined) {
        emit("enum-added", path, `${at} is now restricted to ${show(after)}`);
        return;
    }
    if (after === undefined) {
        emit("enum-removed", path, `${at} is no longer restricted to ${show(before)}`);
        return;
    }
    const oldValues = new Set(asArray(before).map((v) => JSON.stringify(v)));
    const newValues = new Set(asArray(after).map((v) => JSON.stringify(v)));
    for (const v of oldValues) if (!newValues.has(v)) emit("enum-value-removed", path, `${at} no longer accepts ${v}`);
    for (const v of newValues) if (!oldValues.has(v)) emit("enum-value-added", path, `${at} now accepts ${v}`);
}

function diffLimits(before: JsonObject, after: JsonObject, path: string, emit: Emit): void {
    const at = path || ".";
    const compare = (keyword: string, tighter: (b: number, a: number) => boolean) => {
        const b = before[keyword];
        const a = after[keyword];
        if (deepEqual(b, a)) return;
        if (typeof a !== "number") emit("limit-loosened", path, `${keyword} of ${at} removed (was ${show(b)})`);
        else if (typeof b !== "number" || tighter(b, a)) emit("limit-tightened", path, `${keyword} of ${at} ${typeof b === "number" ? `tightened from ${b}` : "added:"} ${typeof b === "number" ? `to ${a}` : a}`);
        else emit("limit-loosened", path, `${keyword} of ${at} loosened from ${b} to ${a}`);
    };
    for (const keyword of LOWER_BOUNDS) compare(keyword, (b, a) => a > b);
    for (const keyword of UPPER_BOUNDS) compare(keyword, (b, a) => a < b);
    for (const keyword of ["exclusiveMinimum", "exclusiveMaximum", "uniqueItems"]) {
        const b = before[keyword] === true;
        const a = after[keyword] === true;
        if (b !== a) emit(a ? "limit-tightened" : "limit-loosened", path, `${keyword} of ${at} ${a ? "added" : "removed"}`);
    }
    if (!deepEqual(before.multipleOf, after.multipleOf)) {
        emit(after.multipleOf === undefined ? "limit-loosened" : "limit-tightened", path, `multipleOf of ${at} changed from ${show(before.multipleOf)} to ${show(after.multipleOf)}`);
    }
}

function diffValidations(before: unknown, after: unknown, path: string, emit: Emit): void {
    const at = path || ".";
    const byRule = (list: unknown) => new Map(asArray(list).map((v) => [String(asObject(v).rule), asObject(v)] as const));
    const oldRules = byRule(before);
    const newRules = byRule(after);
    for (const [rule, definition] of newRules) {
        const previous = oldRules.get(rule);
        if (!previous) emit("validation-rule-added", path, `validation rule added on ${at}: ${show(rule)}`);
        else if (!deepEqual(previous, definition)) {
            const { message: _m1, messageExpression: _e1, reason: _r1, ...restBefore } = previous;
            const { message: _m2, messageExpression: _e2, reason: _r2, ...restAfter } = definition;
            emit(deepEqual(restBefore, restAfter) ? "validation-message-changed" : "validation-rule-added", path, `validation rule on ${at} changed: ${show(rule)}`);
        }
    }
    for (const rule of oldRules.keys()) if (!newRules.has(rule)) emit("validation-rule-removed", path, `validation rule removed from ${at}: ${show(rule)}`);
}
