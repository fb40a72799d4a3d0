/**
 * CRDs from a Helm chart version in a chart repository: the repository's index.yaml gives the
 * archive's URL, digest and appVersion; the archive's `crds/` holds the CRDs Helm installs (plus
 * `templates/crds/` files without templating).
 */
import { loadYaml, YamlLimitError } from "../../yaml";
import * as semver from "semver";
import { Parser, ReadEntry } from "tar";
import { fetchBytes, fetchText, FetchOptions, sha256 } from "./http";
import { CrdSourceError, CrdStream } from "./types";

export interface ChartVersionEntry {
    version: string;
    appVersion?: string;
    digest?: string;
    urls: string[];
}

export interface ChartRef {
    repository: string;
    chart: string;
    version: string;
}

const indexUrl = (repository: string): string => `${repository.replace(/\/+$/, "")}/index.yaml`;

export async function findChartVersion(ref: ChartRef, options: FetchOptions): Promise<ChartVersionEntry> {
    const url = indexUrl(ref.repository);
    const text = await fetchText(url, { ...options, immutable: false, what: "the chart repository index" });
    let index: { entries?: Record<string, ChartVersionEntry[]> };
    try {
        index = loadYaml(text, { file: url }) as typeof index;
    } catch (err) {
        if (err instanceof YamlLimitError) throw err;
        throw new CrdSourceError(`${url} is not a chart repository index (invalid YAML: ${(err as Error).message.split("\n")[0]})`);
    }
    const versions = index?.entries?.[ref.chart];
    if (!versions || versions.length === 0) {
        throw new CrdSourceError(`chart ${ref.chart} is not in ${url}${index?.entries ? ` (charts there: ${Object.keys(index.entries).slice(0, 10).join(", ")})` : ""}`);
    }
    const entry = versions.find((v) => String(v.version) === ref.version || String(v.version) === ref.version.replace(/^v/, ""));
    if (!entry) {
        throw new CrdSourceError(`chart ${ref.chart} has no version ${ref.version} in ${url}; nearest: ${nearestVersions(versions.map((v) => String(v.version)), ref.version).join(", ")}`);
    }
    if (!entry.urls?.length) throw new CrdSourceError(`chart ${ref.chart} ${ref.version} in ${url} has no download URL`);
    return entry;
}

function nearestVersions(available: string[], wanted: string): string[] {
    const target = semver.coerce(wanted);
    const valid = available.filter((v) => semver.valid(v));
    if (!target || valid.length === 0) return available.slice(0, 5);
    const distance = (v: string) => {
        const c = semver.coerce(v)!;
        return Math.abs(c.major - target.major) * 1e6 + Math.abs(c.minor - target.minor) * 1e3 + Math.abs(c.patch - target.patch);
    };
    return [...valid].sort((a, b) => distance(a) - distance(b)).slice(0, 5);
}

export async function downloadChartArchive(ref: ChartRef, entry: ChartVersionEntry, options: FetchOptions): Promise<Buffer> {
    const archiveUrl = new URL(entry.urls[0], indexUrl(ref.repository)).toString();
    const data = await fetchBytes(archiveUrl, { ...options, immutable: Boolean(entry.digest), what: `the ${ref.chart} ${ref.version} chart archive` });
    if (entry.digest && sha256(data) !== entry.digest) {
        throw new CrdSourceError(`the ${ref.chart} ${ref.version} chart archive from ${archiveUrl} does not match the digest in the repository index (${entry.digest}); the download or the mirror is corrupt`);
    }
    return data;
}

/** The files of a chart archive (.tgz) whose path satisfies `wanted`, in archive order. */
export async function readArchiveFiles(archive: Buffer, origin: string, wanted: (path: string) => boolean): Promise<Array<{ path: string; text: string }>> {
    const files: Array<{ path: string; text: string }> = [];
    await new Promise<void>((resolve, reject) => {
        const parser = new Parser({
            strict: true,
            onReadEntry: (entry: ReadEntry) => {
                if (entry.type !== "File" || !wanted(entry.path)) {
                    entry.resume();
                    return;
                }
                const chunks: Buffer[] = [];
                entry.on("data", (c: Buffer) => chunks.push(c));
                entry.on("end", () => files.push({ path: entry.path, text: Buffer.concat(chunks).toString("utf8") }));
            },
        });
        parser.on("error", (err: Error) => reject(new CrdSourceError(`${origin} is not a valid chart archive: ${err.message}`)));
        parser.on("end", () => resolve());
        parser.end(archive);
    });
    return files;
}

/** Plain CRD manifests of a chart: `<chart>/crds/**` and untemplated `<chart>/templates/crds/**`. */
export async function chartCrdStreams(ref: ChartRef, options: FetchOptions): Promise<{ streams: CrdStream[]; entry: ChartVersionEntry }> {
    const entry = await findChartVersion(ref, options);
    const archive = await downloadChartArchive(ref, entry, options);
    const origin = `${ref.repository}/${ref.chart}-${ref.version}.tgz`;
    const isManifest = (p: string) => /\.(ya?ml|json)$/.test(p);
    const files = await readArchiveFiles(archive, origin, (p) => isManifest(p) && /^[^/]+\/(crds|templates\/crds)\//.test(p));
    const streams: CrdStream[] = [];
    const templated: string[] = [];
    for (const file of files) {
        const inTemplates = /^[^/]+\/templates\/crds\//.test(file.path);
        if (inTemplates && file.text.includes("{{")) {
            templated.push(file.path);
            continue;
        }
        streams.push({ origin: `${origin}:${file.path}`, text: file.text });
    }
    if (streams.length === 0) {
        throw new CrdSourceError(
            templated.length
                ? `${origin} templates its CRDs (${templated.join(", ")}), which cannot be read without rendering; use the add-on's upstream CRD source (addon:<name>@<version>) or a local copy`
                : `${origin} has no CRDs under crds/ or templates/crds/`,
        );
    }
    return { streams, entry };
}
