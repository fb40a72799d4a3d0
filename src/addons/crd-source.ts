/**
 * An add-on's CRDs from its default source (its catalog entry), and the `addon:<id>@<version>`
 * scheme that the CLI, preflight and the program pass to the CRD source library, which itself
 * knows nothing of add-ons.
 */
import { chartCrdStreams, findChartVersion } from "../crd/sources/chart";
import { fetchText } from "../crd/sources/http";
import { splitAtVersion } from "../crd/sources";
import { CrdSourceError, CrdSourceOptions, CrdSourceScheme, CrdStream } from "../crd/sources/types";
import { ADDON_CATALOG, ADDON_IDS, ADDON_SOURCE_FORM, AddonId, isAddonId } from "./registry";

/** What an add-on version's download gave: the CRD streams and the chart's identity in its repository. */
export interface AddonCrdDownload {
    streams: CrdStream[];
    chartDigest?: string;
    appVersion?: string;
}

export async function downloadAddonCrds(addon: AddonId, chartVersion: string, options: CrdSourceOptions = {}): Promise<AddonCrdDownload> {
    const entry = ADDON_CATALOG[addon];
    const ref = { repository: entry.repository, chart: entry.chart, version: chartVersion };
    if (entry.crds.kind === "chart-crds") {
        const { streams, entry: version } = await chartCrdStreams(ref, options);
        return { streams, chartDigest: version.digest, appVersion: version.appVersion };
    }
    const chartVersionEntry = await findChartVersion(ref, options);
    if (!chartVersionEntry.appVersion) throw new CrdSourceError(`${entry.chart} ${chartVersion} in ${entry.repository} has no appVersion, so its upstream CRDs cannot be located`);
    const base = entry.crds.baseUrl(chartVersionEntry.appVersion);
    const streams = await Promise.all(
        entry.crds.files.map(async (file) => ({
            origin: `${base}/${file}`,
            text: await fetchText(`${base}/${file}`, { ...options, immutable: true, what: `${addon} ${chartVersionEntry.appVersion} CRD` }),
        })),
    );
    return { streams, chartDigest: chartVersionEntry.digest, appVersion: chartVersionEntry.appVersion };
}

export async function loadAddonCrds(addon: AddonId, chartVersion: string, options: CrdSourceOptions = {}): Promise<CrdStream[]> {
    return (await downloadAddonCrds(addon, chartVersion, options)).streams;
}

/** Parses `<id>@<version>` of an `addon:` spec. */
export function parseAddonSpec(rest: string): { addon: AddonId; version: string } {
    const [addon, version] = splitAtVersion(rest, ADDON_SOURCE_FORM);
    if (!isAddonId(addon)) throw new CrdSourceError(`"${addon}" is not an add-on (known: ${ADDON_IDS.join(", ")})`);
    return { addon, version };
}

/** `addon:<id>@<chart-version>`, loaded with `load` (by default straight from the add-on's source). */
export function addonCrdScheme(load: (addon: AddonId, version: string, options: CrdSourceOptions) => Promise<CrdStream[]> = loadAddonCrds): CrdSourceScheme {
    return {
        prefix: "addon:",
        form: ADDON_SOURCE_FORM,
        load: (rest, options) => {
            const { addon, version } = parseAddonSpec(rest);
            return load(addon, version, options);
        },
    };
}
