/**
 * The pure core of the API removal scan: manifest text in, findings out. Knows nothing of files.
 */
import { loadYamlDocuments, YamlLimitError } from "../yaml";
import { minorOf } from "../versions";
import { ApiRule } from "./api-table";

export interface ApiFinding {
    file: string;
    /** 0-based position of the YAML document in its file (empty documents count too). */
    index: number;
    kind: string;
    /** "namespace/name" when the manifest sets a namespace, else "name". */
    name: string;
    apiVersion: string;
    deprecatedIn: string;
    removedIn: string | null;
    /** The apiVersion to move to that the target still serves, or null when the kind has no successor. */
    replacement: string | null;
}

/** The rules by apiVersion and kind; a later rule for the same pair replaces an earlier one. */
export interface ApiRuleIndex {
    find(apiVersion: string, kind: string): ApiRule | undefined;
}

export function indexApiRules(rules: readonly ApiRule[]): ApiRuleIndex {
    const byKey = new Map<string, ApiRule>();
    for (const rule of rules) byKey.set(`${rule.apiVersion}\u0000${rule.kind}`, rule);
    return {
        find: (apiVersion, kind) => byKey.get(`${apiVersion}\u0000${kind}`) ?? byKey.get(`${apiVersion}\u0000*`),
    };
}

/** Whether the target version no longer serves the finding's API. */
export function isRemovedBy(finding: Pick<ApiFinding, "removedIn">, target: string): boolean {
    return finding.removedIn !== null && minorOf(finding.removedIn) <= minorOf(target);
}

export type ManifestParse = { ok: true; documents: unknown[] } | { ok: false; error: string };

export function parseManifestDocuments(text: string, file: string): ManifestParse {
    try {
        // json: later duplicate keys win, as in kubectl; the scan is about API versions, not linting.
        return { ok: true, documents: loadYamlDocuments(text, { file, json: true }) };
    } catch (err) {
        if (err instanceof YamlLimitError) return { ok: false, error: err.message };
        const mark = (err as { mark?: { line: number; column: number } }).mark;
        const reason = (err as { reason?: string }).reason ?? (err as Error).message;
        const where = mark ? ` (line ${mark.line + 1}, column ${mark.column + 1})` : "";
        return { ok: false, error: `${file} is not valid YAML${where}: ${reason}: fix it (render Helm templates with \`helm template\` first)` };
    }
}

interface ManifestObject {
    apiVersion: string;
    kind: string;
    metadata: unknown;
}

/** The Kubernetes objects of one document; a `List` (or a typed `…List`) yields its items. */
export function manifestObjects(document: unknown): ManifestObject[] {
    if (!isRecord(document)) return [];
    const { apiVersion, kind, items } = document;
    if (typeof kind === "string" && kind.endsWith("List") && Array.isArray(items)) {
        // Items of a typed list (DeploymentList) may leave out their apiVersion and kind.
        const itemKind = kind === "List" ? undefined : kind.slice(0, -"List".length);
        return items.flatMap((item) =>
            manifestObjects(isRecord(item) ? { ...item, apiVersion: item.apiVersion ?? apiVersion, kind: item.kind ?? itemKind } : item),
        );
    }
    if (typeof apiVersion !== "string" || typeof kind !== "string") return [];
    return [{ apiVersion, kind, metadata: document.metadata }];
}

function objectName(metadata: unknown): string {
    if (!isRecord(metadata)) return "<no name>";
    const name = typeof metadata.name === "string" ? metadata.name : typeof metadata.generateName === "string" ? `${metadata.generateName}*` : "<no name>";
    return typeof metadata.namespace === "string" && metadata.namespace !== "" ? `${metadata.namespace}/${name}` : name;
}

/**
 * The replacement to recommend on the target: the rule's replacement, followed onward while the
 * replacement is itself removed by the target (extensions/v1beta1 PodSecurityPolicy → policy/v1beta1 → none).
 */
export function replacementOn(rule: ApiRule, kind: string, target: string, rules: ApiRuleIndex): string | null {
    let replacement = rule.replacement;
    const seen = new Set<string>([rule.apiVersion]);
    while (replacement !== null && !seen.has(replacement)) {
        seen.add(replacement);
        const next = rules.find(replacement, kind);
        if (!next || !isRemovedBy(next, target)) return replacement;
        replacement = next.replacement;
    }
    return replacement;
}

/** Findings for documents already parsed: APIs deprecated in or before the target, removed or not. */
export function findingsInDocuments(documents: readonly unknown[], file: string, target: string, rules: ApiRuleIndex): ApiFinding[] {
    const targetMinor = minorOf(target);
    const findings: ApiFinding[] = [];
    documents.forEach((document, index) => {
        for (const object of manifestObjects(document)) {
            const rule = rules.find(object.apiVersion, object.kind);
            if (!rule || minorOf(rule.deprecatedIn) > targetMinor) continue;
            findings.push({
                file,
                index,
                kind: object.kind,
                name: objectName(object.metadata),
                apiVersion: object.apiVersion,
                deprecatedIn: rule.deprecatedIn,
                removedIn: rule.removedIn,
                replacement: replacementOn(rule, object.kind, target, rules),
            });
        }
    });
    return findings;
}

export type ManifestScan = { ok: true; findings: ApiFinding[]; documents: number } | { ok: false; error: string };

/** Scans the text of one manifest file (or stdin): YAML or JSON, any number of documents. */
export function scanManifestText(text: string, file: string, target: string, rules: ApiRuleIndex): ManifestScan {
    const parsed = parseManifestDocuments(text, file);
    if (!parsed.ok) return parsed;
    return { ok: true, findings: findingsInDocuments(parsed.documents, file, target, rules), documents: parsed.documents.length };
}

function isRecord(value: unknown): value is Record<string, unknown> {
    return typeof value === "object" && value !== null && !Array.isArray(value);
}
