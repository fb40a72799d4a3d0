/**
 * Resolves a CRD source spec to text streams:
 *   <path>                               a file, or a directory (its kustomization.yaml when it has one)
 *   <url>                                manifests or a kustomization.yaml over HTTP(S)
 *   <path-or-url>,<path-or-url>…         several of the above, as one set
 *   chart:<repo-url>/<chart>@<version>   the CRDs a chart version installs
 *   addon:<id>@<chart-version>           an add-on's built-in default source (src/addons/catalog.ts)
 *   kube:<group>[,<group>…]              a live cluster's CRDs of those API groups (kubeconfig)
 */
import * as fs from "fs";
import * as path from "path";
import { ADDON_CATALOG, ADDON_IDS, AddonId, isAddonId } from "../../addons/catalog";
import { chartCrdStreams, findChartVersion } from "./chart";
import { fetchText } from "./http";
import { findKustomization, isKustomizationUrl, loadLocalKustomization, loadRemoteKustomization } from "./kustomization";
import { readLiveCrds } from "./kube";
import { CrdSourceError, CrdSourceOptions, CrdSourceResult, CrdStream } from "./types";

export { CrdSourceError } from "./types";
export type { CrdSourceOptions, CrdSourceResult, CrdStream } from "./types";
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
    if (!fs.existsSync(spec)) throw new CrdSourceError(`${spec} does not exist (expected a file, directory, URL, chart:, addon: or kube: source)`);
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

function splitAtVersion(spec: string, form: string): [string, string] {
    const at = spec.lastIndexOf("@");
    if (at <= 0 || at === spec.length - 1) throw new CrdSourceError(`"${spec}" must look like ${form}`);
    return [spec.slice(0, at), spec.slice(at + 1)];
}

export async function loadAddonCrds(addon: AddonId, chartVersion: string, options: CrdSourceOptions = {}): Promise<CrdStream[]> {
    const entry = ADDON_CATALOG[addon];
    const ref = { repository: entry.repository, chart: entry.chart, version: chartVersion };
    if (entry.crds.kind === "chart-crds") return (await chartCrdStreams(ref, options)).streams;
    const chartVersionEntry = await findChartVersion(ref, options);
    if (!chartVersionEntry.appVersion) throw new CrdSourceError(`${entry.chart} ${chartVersion} in ${entry.repository} has no appVersion, so its upstream CRDs cannot be located`);
    const base = entry.crds.baseUrl(chartVersionEntry.appVersion);
    return Promise.all(
        entry.crds.files.map(async (file) => ({
            origin: `${base}/${file}`,
            text: await fetchText(`${base}/${file}`, { ...options, immutable: true, what: `${addon} ${chartVersionEntry.appVersion} CRD` }),
        })),
    );
}

export async function loadCrdSource(spec: string, options: CrdSourceOptions = {}): Promise<CrdSourceResult> {
    const result = (streams: CrdStream[], live = false): CrdSourceResult => ({ spec, streams, live });
    if (spec.startsWith("addon:")) {
        const [addon, version] = splitAtVersion(spec.slice("addon:".length), "addon:<argocd|aws-load-balancer-controller|external-dns>@<chart-version>");
        if (!isAddonId(addon)) throw new CrdSourceError(`"${addon}" is not an add-on (known: ${ADDON_IDS.join(", ")})`);
        return result(await loadAddonCrds(addon, version, options));
    }
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
