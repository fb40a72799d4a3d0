/**
 * The one way this program reads YAML: stack files, manifests for check-apis, CRD sources, chart
 * indexes, kustomizations and rules files all come through here. js-yaml parses an alias as a
 * second reference to the anchored node, so a 1 KB "billion laughs" file parses in microseconds
 * and only explodes when something walks it (the API scan, the CRD diff, JSON.stringify). Before
 * a document is handed over, its size as a tree (every alias expanded) is counted once per node,
 * memoised by identity, and a document whose aliases multiply it past a limit is refused with the
 * file named, as the `yaml` package's `maxAliasCount` does. The text's size is bounded too.
 */
import * as yaml from "js-yaml";
import { UserInputError } from "./errors";

/** A YAML input refused before it is used: too large, or aliases that expand too far. */
export class YamlLimitError extends UserInputError {}

export interface SafeYamlOptions {
    /** Named in every message: a path, a URL, "<stdin>". */
    file: string;
    /** js-yaml's json mode: a later duplicate key wins instead of being an error (kubectl's behaviour). */
    json?: boolean;
    /** Characters of text accepted; default MAX_YAML_CHARS. */
    maxChars?: number;
    /** Nodes the aliases may add to a document beyond those written in the text; default MAX_ALIAS_EXPANSION. */
    maxAliasExpansion?: number;
}

/** 64 MiB of text: several times the largest CRD bundle or chart repository index in use. */
export const MAX_YAML_CHARS = 64 * 1024 * 1024;
/** Nodes aliases may add: generous for anchors in Helm values, far below what a bomb needs. */
export const MAX_ALIAS_EXPANSION = 100_000;

/** Every document of a YAML stream; throws `YamlLimitError` past the limits, js-yaml's own error on invalid YAML. */
export function loadYamlDocuments(text: string, options: SafeYamlOptions): unknown[] {
    checkSize(text, options);
    const documents = yaml.loadAll(text, undefined, { filename: options.file, json: options.json ?? false });
    for (const document of documents) checkAliasExpansion(document, options);
    return documents;
}

/** The single document of a YAML text (undefined for an empty one), under the same limits. */
export function loadYaml(text: string, options: SafeYamlOptions): unknown {
    checkSize(text, options);
    const document = yaml.load(text, { filename: options.file, json: options.json ?? false });
    checkAliasExpansion(document, options);
    return document;
}

function checkSize(text: string, options: SafeYamlOptions): void {
    const max = options.maxChars ?? MAX_YAML_CHARS;
    if (text.length > max) {
        throw new YamlLimitError(`${options.file} is ${text.length} characters, more than the ${max} a YAML input may have here: split it, or check that it is the file you meant`);
    }
}

function checkAliasExpansion(document: unknown, options: SafeYamlOptions): void {
    const max = options.maxAliasExpansion ?? MAX_ALIAS_EXPANSION;
    const { expanded, unique } = treeSize(document);
    if (expanded - unique > max) {
        throw new YamlLimitError(
            `${options.file} uses YAML aliases (*name) that expand ${unique} nodes into ${expanded > 1e15 ? "more than 10^15" : expanded}, more than the ${max} extra nodes allowed (a "billion laughs" document?): write the values out, or remove the anchors (&name) and aliases`,
        );
    }
}

/** The node count of a document as a tree (aliases expanded), and as written (each shared node once). */
function treeSize(root: unknown): { expanded: number; unique: number } {
    const sizes = new Map<object, number>();
    const inProgress = new Set<object>();
    const sizeOf = (node: unknown): number => {
        if (node === null || typeof node !== "object") return 1;
        const known = sizes.get(node);
        if (known !== undefined) return known;
        // A node that contains itself would be infinite as a tree.
        if (inProgress.has(node)) return Infinity;
        inProgress.add(node);
        let total = 1;
        for (const child of Array.isArray(node) ? node : Object.values(node)) total += sizeOf(child);
        inProgress.delete(node);
        sizes.set(node, total);
        return total;
    };
    const expanded = sizeOf(root);
    let unique = 1;
    for (const node of sizes.keys()) unique += Array.isArray(node) ? node.length : Object.keys(node).length;
    return { expanded, unique };
}
