/**
 * Follows a kustomization's `resources` (files, nested kustomizations, URLs), locally or over HTTP.
 * Fields that would change the output (patches, transformers, name prefixes…) are refused rather
 * than ignored, so a comparison never silently differs from what `kubectl apply -k` installs.
 */
import * as fs from "fs";
import * as path from "path";
import { loadYaml, YamlLimitError } from "../../yaml";
import { fetchText, FetchOptions } from "./http";
import { CrdSourceError, CrdStream } from "./types";

export const KUSTOMIZATION_FILES = ["kustomization.yaml", "kustomization.yml", "Kustomization"];

const OUTPUT_CHANGING_FIELDS = [
    "patches", "patchesStrategicMerge", "patchesJson6902", "transformers", "generators", "replacements",
    "components", "namePrefix", "nameSuffix", "namespace", "crds", "helmCharts",
];

function parseKustomization(text: string, origin: string): string[] {
    let document: unknown;
    try {
        document = loadYaml(text, { file: origin });
    } catch (err) {
        if (err instanceof YamlLimitError) throw err;
        throw new CrdSourceError(`${origin} is not valid YAML: ${(err as Error).message.split("\n")[0]}`);
    }
    const fields = (document ?? {}) as Record<string, unknown>;
    const unsupported = OUTPUT_CHANGING_FIELDS.filter((f) => fields[f] !== undefined);
    if (unsupported.length) {
        throw new CrdSourceError(
            `${origin} uses ${unsupported.join(", ")}, which change the manifests; bluegreen compares plain resources only — run \`kubectl kustomize\` and pass its output file instead`,
        );
    }
    const resources = fields.resources ?? [];
    if (!Array.isArray(resources) || resources.some((r) => typeof r !== "string")) {
        throw new CrdSourceError(`${origin}: resources must be a list of paths or URLs`);
    }
    return resources as string[];
}

export function findKustomization(dir: string): string | undefined {
    for (const name of KUSTOMIZATION_FILES) {
        const candidate = path.join(dir, name);
        if (fs.existsSync(candidate)) return candidate;
    }
    return undefined;
}

export async function loadLocalKustomization(file: string, options: FetchOptions, seen = new Set<string>()): Promise<CrdStream[]> {
    const resolved = path.resolve(file);
    if (seen.has(resolved)) throw new CrdSourceError(`${resolved} includes itself through its resources`);
    seen.add(resolved);
    const dir = path.dirname(resolved);
    const streams: CrdStream[] = [];
    for (const resource of parseKustomization(fs.readFileSync(resolved, "utf8"), resolved)) {
        if (/^https?:\/\//.test(resource)) {
            streams.push(...(await loadRemoteResource(resource, options, seen)));
            continue;
        }
        const target = path.resolve(dir, resource);
        if (!fs.existsSync(target)) throw new CrdSourceError(`${resolved} lists ${resource}, which does not exist (${target})`);
        if (fs.statSync(target).isDirectory()) {
            const nested = findKustomization(target);
            if (!nested) throw new CrdSourceError(`${resolved} lists the directory ${resource}, which has no kustomization.yaml`);
            streams.push(...(await loadLocalKustomization(nested, options, seen)));
        } else {
            streams.push({ origin: target, text: fs.readFileSync(target, "utf8") });
        }
    }
    return streams;
}

export function isKustomizationUrl(url: string): boolean {
    const last = new URL(url).pathname.split("/").pop() ?? "";
    return KUSTOMIZATION_FILES.includes(last);
}

async function loadRemoteResource(url: string, options: FetchOptions, seen: Set<string>): Promise<CrdStream[]> {
    if (isKustomizationUrl(url)) return loadRemoteKustomization(url, options, seen);
    return [{ origin: url, text: await fetchText(url, { ...options, what: "the CRD manifest" }) }];
}

export async function loadRemoteKustomization(url: string, options: FetchOptions, seen = new Set<string>()): Promise<CrdStream[]> {
    if (seen.has(url)) throw new CrdSourceError(`${url} includes itself through its resources`);
    seen.add(url);
    const resources = parseKustomization(await fetchText(url, { ...options, what: "the kustomization" }), url);
    const streams: CrdStream[] = [];
    for (const resource of resources) {
        const target = new URL(resource, url).toString();
        if (!/^https?:\/\//.test(resource) && !/\.(ya?ml|json)$/.test(resource)) {
            // A remote directory: kustomize would read its kustomization.yaml.
            streams.push(...(await loadRemoteKustomization(`${target.replace(/\/$/, "")}/kustomization.yaml`, options, seen)));
        } else {
            streams.push(...(await loadRemoteResource(target, options, seen)));
        }
    }
    return streams;
}
