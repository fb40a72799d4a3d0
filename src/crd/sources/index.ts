/**
 * Resolves a CRD source spec to text streams:
 *   <path>                               a file, or a directory (its kustomization.yaml when it has one)
 *   <url>                                manifests or a kustomization.yaml over HTTP(S)
 *   <path-or-url>,<path-or-url>…         several of the above, as one set
 *   chart:<repo-url>/<chart>@<version>   the CRDs a chart version installs
 *   <scheme>:<rest>                      a scheme the caller passes in `options.schemes` (the CLI and
 *                                        the program pass `addon:<id>@<chart-version>`, src/addons/crd-source.ts)
 *   kube:<group>[,<group>…]              a live cluster's CRDs of those API groups (kubeconfig)
 */
import * as fs from "fs";
import * as path from "path";
import { chartCrdStreams } from "./chart";
import { fetchText } from "./http";
import { findKustomization, isKustomizationUrl, loadLocalKustomization, loadRemoteKustomization } from "./kustomization";
import { readLiveCrds } from "./kube";
import { CrdSourceError, CrdSourceOptions, CrdSourceResult, CrdStream } from "./types";

export { CrdSourceError } from "./types";
export type { CrdSourceOptions, CrdSourceResult, CrdSourceScheme, CrdStream } from "./types";
export { readLiveCrds, loadKubeConfig } from "./kube";
export type { LiveCrdRequest } from "./kube";
export { rewriteUrl, defaultCacheDir } from "./http";

const MANIFEST = /\.(ya?ml|json)$/i;

function listManifests(dir: string): string[] {
    const out: string[] = [];
    for (const entry of fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
        const full = path.join(dir, entry.name);
        if (entry.isDirectory()) out.push(...listManifests(full));
        else if (MANIFEST.test(entry.name)) out.push(full);
    }
    return out;
}

const CRD_KIND = /^kind:\s*["']?CustomResourceDefinition["']?\s*$/m;

/** CRD files under a kustomization's directory that it does not list: kustomize leaves them out, and so does the comparison. */
function unlistedCrdFiles(dir: string, streams: readonly CrdStream[]): string[] {
    const read = new Set(streams.map((s) => path.resolve(s.origin)));
    return listManifests(dir).filter((file) => {
        if (read.has(path.resolve(file)) || /^(kustomization\.ya?ml|Kustomization)$/.test(path.basename(file))) return false;
        return CRD_KIND.test(fs.readFileSync(file, "utf8"));
    });
}

async function loadLocal(spec: string, options: CrdSourceOptions, notes: string[] = []): Promise<CrdStream[]> {
    if (!fs.existsSync(spec)) throw new CrdSourceError(`${spec} does not exist (expected a file, directory, URL, chart:${(options.schemes ?? []).map((s) => `, ${s.prefix}`).join("")} or kube: source)`);
    if (fs.statSync(spec).isDirectory()) {
        const kustomization = findKustomization(spec);
        if (kustomization) {
            const streams = await loadLocalKustomization(kustomization, options);
            for (const file of unlistedCrdFiles(spec, streams)) {
                notes.push(`skipped ${file}: it holds a CRD but ${kustomization} does not list it, so \`kubectl apply -k\` would not install it either; name the file as a source too (comma-separated) to compare it`);
            }
            return streams;
        }
        const files = listManifests(spec);
        if (files.length === 0) throw new CrdSourceError(`${spec} holds no .yaml, .yml or .json file`);
        return files.map((file) => ({ origin: file, text: fs.readFileSync(file, "utf8") }));
    }
    if (path.basename(spec).match(/^(kustomization\.ya?ml|Kustomization)$/)) return loadLocalKustomization(spec, options);
    return [{ origin: spec, text: fs.readFileSync(spec, "utf8") }];
}

export function splitAtVersion(spec: string, form: string): [string, string] {
    const at = spec.lastIndexOf("@");
    if (at <= 0 || at === spec.length - 1) throw new CrdSourceError(`"${spec}" must look like ${form}`);
    return [spec.slice(0, at), spec.slice(at + 1)];
}

export async function loadCrdSource(spec: string, options: CrdSourceOptions = {}): Promise<CrdSourceResult> {
    const result = (streams: CrdStream[], live = false): CrdSourceResult => ({ spec, streams, live });
    const scheme = options.schemes?.find((s) => spec.startsWith(s.prefix));
    if (scheme) return result(await scheme.load(spec.slice(scheme.prefix.length), options));
    if (spec.startsWith("chart:")) {
        const [location, version] = splitAtVersion(spec.slice("chart:".length), "chart:<repo-url>/<chart>@<version>");
        const slash = location.lastIndexOf("/");
        if (slash <= 0) throw new CrdSourceError(`"${spec}" must look like chart:<repo-url>/<chart>@<version>`);
        return result((await chartCrdStreams({ repository: location.slice(0, slash), chart: location.slice(slash + 1), version }, options)).streams);
    }
    if (spec.startsWith("kube:")) {
        const groups = spec.slice("kube:".length).split(",").map((g) => g.trim()).filter(Boolean);
        if (groups.length === 0) throw new CrdSourceError(`"${spec}" must name API groups: kube:<group>[,<group>…], e.g. kube:argoproj.io`);
        const streams = await readLiveCrds({ groups, kubeconfig: options.kubeconfig, kubeconfigPath: options.kubeconfigPath });
        if (streams.length === 0) throw new CrdSourceError(`the cluster has no CRD in the group(s) ${groups.join(", ")}`);
        return result(streams, true);
    }
    // URLs and paths, one or several separated by commas.
    const streams: CrdStream[] = [];
    const notes: string[] = [];
    for (const part of spec.split(",").map((p) => p.trim()).filter(Boolean)) {
        if (!/^https?:\/\//.test(part)) streams.push(...(await loadLocal(part, options, notes)));
        else if (isKustomizationUrl(part)) streams.push(...(await loadRemoteKustomization(part, options)));
        else streams.push({ origin: part, text: await fetchText(part, { ...options, what: "the CRD manifest" }) });
    }
    return notes.length ? { ...result(streams), notes } : result(streams);
}
