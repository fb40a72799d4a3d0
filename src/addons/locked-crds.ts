/**
 * Add-on CRDs through the lock file: what the program and preflight use. A locked version is read
 * from the content-addressed cache when every document is there (no network), otherwise downloaded,
 * compared with the lock (chart digest, each CRD document's SHA-256) and cached. A version missing
 * from the lock, or content that differs from it, is refused with what to do.
 */
import * as path from "path";
import { defaultCacheDir } from "../crd/sources/http";
import { readByDigest, writeByDigest } from "../crd/sources/content-store";
import { CrdSourceOptions, CrdStream } from "../crd/sources/types";
import { AddonCrdDownload, downloadAddonCrds } from "./crd-source";
import { AddonId, ADDON_CATALOG } from "./registry";
import { AddonLockError, AddonsLock, crdDocuments, LOCK_FILE, LockEntry, lockEntryOf, lockMismatches, lockReference } from "./lock";

export type AddonDownloader = (addon: AddonId, version: string, options: CrdSourceOptions) => Promise<AddonCrdDownload>;

export interface LockedLoadOptions extends CrdSourceOptions {
    /** The project's lock; undefined when the project has none. */
    lock: AddonsLock | undefined;
    /** Where the lock lives, for messages. */
    projectDir: string;
    download?: AddonDownloader;
}

const cacheDirOf = (options: CrdSourceOptions): string | undefined => (options.cacheDir === null ? undefined : (options.cacheDir ?? defaultCacheDir()));

/** Downloads a version and makes its lock entry, caching every CRD document by digest. */
export async function lockAddonVersion(addon: AddonId, version: string, options: CrdSourceOptions & { download?: AddonDownloader } = {}): Promise<LockEntry> {
    const download = await (options.download ?? downloadAddonCrds)(addon, version, options);
    const documents = crdDocuments(download.streams, `${addon} ${version} CRDs`);
    if (documents.length === 0) throw new AddonLockError(`${addon} ${version} has no CustomResourceDefinition in its CRD source: check the version`);
    const cacheDir = cacheDirOf(options);
    if (cacheDir) for (const doc of documents) writeByDigest(cacheDir, doc.text);
    const catalog = ADDON_CATALOG[addon];
    return {
        chart: catalog.chart,
        repository: catalog.repository,
        ...(download.chartDigest ? { chartDigest: download.chartDigest } : {}),
        ...(download.appVersion ? { appVersion: download.appVersion } : {}),
        crds: documents.map((d) => ({ name: d.name, sha256: d.sha256, origin: d.origin })),
    };
}

/** The locked CRDs from the cache alone, or undefined when any document is missing there. */
function fromCache(addon: AddonId, version: string, entry: LockEntry, cacheDir: string | undefined): CrdStream[] | undefined {
    if (!cacheDir) return undefined;
    const streams: CrdStream[] = [];
    for (const crd of entry.crds) {
        const text = readByDigest(cacheDir, crd.sha256);
        if (text === undefined) return undefined;
        streams.push({ origin: lockReference(addon, version, crd), text });
    }
    return streams;
}

export async function loadLockedAddonCrds(addon: AddonId, version: string, options: LockedLoadOptions): Promise<CrdStream[]> {
    const lockFile = path.join(options.projectDir, LOCK_FILE);
    const entry = lockEntryOf(options.lock, addon, version);
    if (!entry) {
        throw new AddonLockError(
            `${addon} ${version} is not in ${lockFile}${options.lock ? "" : " (there is no lock file)"}: its CRDs are applied only as locked. ` +
                `Run \`bluegreen addons lock\` in ${options.projectDir}, review and commit ${LOCK_FILE}, then run again`,
        );
    }
    const cacheDir = cacheDirOf(options);
    const cached = fromCache(addon, version, entry, cacheDir);
    if (cached) return cached;
    const download = await (options.download ?? downloadAddonCrds)(addon, version, options);
    const documents = crdDocuments(download.streams, `${addon} ${version} CRDs`);
    const problems = lockMismatches(entry, { chartDigest: download.chartDigest, documents });
    if (problems.length > 0) {
        throw new AddonLockError(
            `${addon} ${version}: the downloaded CRDs do not match ${lockFile}, so nothing was applied:\n` +
                problems.map((p) => `    - ${p}\n`).join("") +
                `  If the change is expected (an upstream re-publish you have reviewed), run \`bluegreen addons lock --update ${addon}@${version}\` and commit ${LOCK_FILE}; otherwise check the mirror (BLUEGREEN_URL_REWRITE) or the network path`,
        );
    }
    if (cacheDir) for (const doc of documents) writeByDigest(cacheDir, doc.text);
    const byName = new Map(documents.map((d) => [d.name, d]));
    return entry.crds.map((crd) => ({ origin: lockReference(addon, version, crd), text: byName.get(crd.name)!.text }));
}
