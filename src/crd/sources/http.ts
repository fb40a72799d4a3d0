/**
 * Downloads with a timeout, cached on disk by URL with the content's hash, and mirrors: every URL
 * goes through `BLUEGREEN_URL_REWRITE` (`<prefix>=<replacement>,…`), so a source can be pointed at
 * a mirror without changing the spec.
 */
import { createHash } from "crypto";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { CrdSourceError, CrdSourceOptions } from "./types";

export const DEFAULT_TIMEOUT_MS = 30_000;

export function defaultCacheDir(): string {
    return process.env.BLUEGREEN_CACHE_DIR ?? path.join(os.homedir(), ".cache", "bluegreen");
}

export function rewriteUrl(url: string, rules: string | undefined = process.env.BLUEGREEN_URL_REWRITE): string {
    if (!rules) return url;
    for (const rule of rules.split(",")) {
        const eq = rule.indexOf("=");
        if (eq <= 0) continue;
        const prefix = rule.slice(0, eq).trim();
        if (url.startsWith(prefix)) return rule.slice(eq + 1).trim() + url.slice(prefix.length);
    }
    return url;
}

const MIRROR_HINT =
    "point the source at a mirror with BLUEGREEN_URL_REWRITE='<url prefix>=<mirror prefix>', or pass a local copy (a file or directory) as the source";

const sha256 = (data: Buffer): string => createHash("sha256").update(data).digest("hex");

interface CacheEntry {
    url: string;
    sha256: string;
    fetchedAt: string;
}

function cachePaths(cacheDir: string, url: string): { data: string; meta: string } {
    const key = sha256(Buffer.from(url));
    return { data: path.join(cacheDir, `${key}.data`), meta: path.join(cacheDir, `${key}.json`) };
}

/** A cached copy whose content still matches its recorded hash; a corrupted one is dropped. */
function readCache(cacheDir: string, url: string): Buffer | undefined {
    const paths = cachePaths(cacheDir, url);
    try {
        const meta = JSON.parse(fs.readFileSync(paths.meta, "utf8")) as CacheEntry;
        const data = fs.readFileSync(paths.data);
        if (meta.url === url && sha256(data) === meta.sha256) return data;
    } catch {
        return undefined;
    }
    fs.rmSync(paths.data, { force: true });
    fs.rmSync(paths.meta, { force: true });
    return undefined;
}

function writeCache(cacheDir: string, url: string, data: Buffer): void {
    fs.mkdirSync(cacheDir, { recursive: true });
    const paths = cachePaths(cacheDir, url);
    fs.writeFileSync(paths.data, data);
    const entry: CacheEntry = { url, sha256: sha256(data), fetchedAt: new Date().toISOString() };
    fs.writeFileSync(paths.meta, JSON.stringify(entry));
}

export interface FetchOptions extends CrdSourceOptions {
    /** Content that never changes at this URL (a pinned version, a digest-checked archive) may be served from cache. */
    immutable?: boolean;
    /** What the download is, for error messages. */
    what?: string;
}

export async function fetchBytes(originalUrl: string, options: FetchOptions = {}): Promise<Buffer> {
    const url = rewriteUrl(originalUrl);
    const cacheDir = options.cacheDir === null ? undefined : (options.cacheDir ?? defaultCacheDir());
    if (cacheDir && options.immutable) {
        const cached = readCache(cacheDir, url);
        if (cached) return cached;
    }
    const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    const what = options.what ? `${options.what} ` : "";
    let response: Response;
    try {
        response = await fetch(url, { signal: AbortSignal.timeout(timeoutMs), redirect: "follow" });
    } catch (err) {
        const cached = cacheDir ? readCache(cacheDir, url) : undefined;
        if (cached) {
            process.stderr.write(`bluegreen: could not fetch ${url} (${describeFetchError(err, timeoutMs)}); using the cached copy\n`);
            return cached;
        }
        throw new CrdSourceError(`could not fetch ${what}${url}: ${describeFetchError(err, timeoutMs)}; ${MIRROR_HINT}`);
    }
    if (!response.ok) {
        throw new CrdSourceError(`could not fetch ${what}${url}: HTTP ${response.status} ${response.statusText}; check the version, or ${MIRROR_HINT}`);
    }
    const data = Buffer.from(await response.arrayBuffer());
    if (cacheDir) writeCache(cacheDir, url, data);
    return data;
}

function describeFetchError(err: unknown, timeoutMs: number): string {
    const error = err as Error & { cause?: { code?: string; message?: string } };
    if (error.name === "TimeoutError" || error.name === "AbortError") return `no answer within ${timeoutMs} ms`;
    return error.cause?.code ?? error.cause?.message ?? error.message;
}

export async function fetchText(url: string, options: FetchOptions = {}): Promise<string> {
    return (await fetchBytes(url, options)).toString("utf8");
}

export { sha256 };
