/**
 * Turns CRD text streams into a set of CRDs keyed by name. Only `apiextensions.k8s.io/v1`
 * CustomResourceDefinitions are kept; `v1beta1` ones are refused (removed in Kubernetes 1.22).
 */
import { UserInputError } from "../errors";
import { loadYamlDocuments, YamlLimitError } from "../yaml";
import { CrdStream } from "./sources/types";

export type JsonObject = Record<string, unknown>;

export interface ParsedCrd {
    name: string;
    origin: string;
    /** The CRD as written, for applying it to a cluster. */
    object: JsonObject;
    /** `status.storedVersions`: meaningful only when read from a live cluster. */
    storedVersions: string[];
}

export interface CrdSet {
    crds: Map<string, ParsedCrd>;
    live: boolean;
}

export class CrdInputError extends UserInputError {}

const CRD_V1 = "apiextensions.k8s.io/v1";
const CRD_V1BETA1 = "apiextensions.k8s.io/v1beta1";

function parseDocuments(stream: CrdStream): unknown[] {
    const text = stream.text;
    const first = text.trimStart()[0];
    try {
        // JSON (what the Kubernetes API returns) parses far faster as JSON than as YAML.
        if (first === "{" || first === "[") {
            try {
                return [JSON.parse(text)];
            } catch {
                // YAML flow style also starts with { or [: fall through.
            }
        }
        return loadYamlDocuments(text, { file: stream.origin });
    } catch (err) {
        if (err instanceof YamlLimitError) throw err;
        const reason = (err as Error).message.split("\n")[0];
        throw new CrdInputError(`${stream.origin} is not valid YAML or JSON: ${reason}`);
    }
}

function* unpackLists(document: unknown): Generator<JsonObject> {
    if (document === null || typeof document !== "object" || Array.isArray(document)) return;
    const object = document as JsonObject;
    if (typeof object.kind === "string" && object.kind.endsWith("List") && Array.isArray(object.items)) {
        for (const item of object.items) yield* unpackLists(item);
        return;
    }
    yield object;
}

export function parseCrdStreams(streams: CrdStream[], options: { live?: boolean; label?: string } = {}): CrdSet {
    const label = options.label ?? "the CRD set";
    if (streams.length === 0) throw new CrdInputError(`${label} is empty: no file or URL was given`);
    const crds = new Map<string, ParsedCrd>();
    for (const stream of streams) {
        let found = 0;
        for (const document of parseDocuments(stream)) {
            for (const object of unpackLists(document)) {
                if (object.kind !== "CustomResourceDefinition") continue;
                const metadata = (object.metadata ?? {}) as JsonObject;
                const name = typeof metadata.name === "string" ? metadata.name : undefined;
                if (object.apiVersion === CRD_V1BETA1) {
                    throw new CrdInputError(
                        `${stream.origin}: CRD ${name ?? "(unnamed)"} is ${CRD_V1BETA1}, which Kubernetes removed in 1.22; only ${CRD_V1} CRDs can be compared — use the add-on's newer manifests`,
                    );
                }
                if (object.apiVersion !== CRD_V1) continue;
                if (!name) throw new CrdInputError(`${stream.origin}: a CustomResourceDefinition has no metadata.name`);
                const previous = crds.get(name);
                if (previous) throw new CrdInputError(`CRD ${name} is defined twice: in ${previous.origin} and in ${stream.origin}`);
                const status = (object.status ?? {}) as JsonObject;
                crds.set(name, {
                    name,
                    origin: stream.origin,
                    object,
                    storedVersions: Array.isArray(status.storedVersions) ? status.storedVersions.map(String) : [],
                });
                found++;
            }
        }
        if (found === 0) throw new CrdInputError(`${stream.origin} contains no ${CRD_V1} CustomResourceDefinition`);
    }
    return { crds, live: options.live ?? false };
}
