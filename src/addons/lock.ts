/**
 * The add-on lock file (`addons.lock.json` at the project root), like package-lock or
 * `.terraform.lock.hcl`: per add-on and chart version, the chart's digest in its repository and the
 * SHA-256 of each CRD document it installs. `bluegreen addons lock` writes it; the program and
 * preflight load CRDs only through it, refusing content that does not match. The pure part: the
 * file's shape, digests, and the comparison of a download with its entry.
 */
import { createHash } from "crypto";
import * as fs from "fs";
import * as path from "path";
import { z } from "zod";
import { UserInputError } from "../errors";
import { parseCrdStreams } from "../crd/parse";
import { CrdStream } from "../crd/sources/types";
import { ADDON_IDS, AddonId } from "./registry";

export const LOCK_FILE = "addons.lock.json";
export const LOCKFILE_VERSION = 1;

const sha256Hex = z.string().regex(/^[0-9a-f]{64}$/, { message: "is not a SHA-256 (64 hex digits)" });

const lockedCrd = z.strictObject({ name: z.string().min(1), sha256: sha256Hex, origin: z.string().min(1) });
const lockEntry = z.strictObject({
    chart: z.string().min(1),
    repository: z.string().min(1),
    chartDigest: sha256Hex.optional(),
    appVersion: z.string().optional(),
    crds: z.array(lockedCrd),
});
const lockSchema = z.strictObject({
    lockfileVersion: z.literal(LOCKFILE_VERSION),
    addons: z.partialRecord(z.enum(ADDON_IDS as [AddonId, ...AddonId[]]), z.record(z.string(), lockEntry)),
});

export type LockedCrd = z.output<typeof lockedCrd>;
export type LockEntry = z.output<typeof lockEntry>;
export type AddonsLock = z.output<typeof lockSchema>;

export class AddonLockError extends UserInputError {}

export const emptyLock = (): AddonsLock => ({ lockfileVersion: LOCKFILE_VERSION, addons: {} });

/** JSON with object keys sorted at every level: the same object always gives the same text. */
export function canonicalJson(value: unknown): string {
    const sort = (v: unknown): unknown => {
        if (Array.isArray(v)) return v.map(sort);
        if (v !== null && typeof v === "object") return Object.fromEntries(Object.keys(v).sort().map((k) => [k, sort((v as Record<string, unknown>)[k])]));
        return v;
    };
    return JSON.stringify(sort(value));
}

export const sha256Of = (text: string): string => createHash("sha256").update(text).digest("hex");

/** The digest of one CRD document: of its canonical JSON, so YAML formatting does not matter, content does. */
export function crdDocumentDigest(object: Record<string, unknown>): string {
    return sha256Of(canonicalJson(object));
}

/** Each CRD document of the streams, by name, with its canonical text and digest. */
export function crdDocuments(streams: CrdStream[], label: string): Array<{ name: string; origin: string; text: string; sha256: string }> {
    const set = parseCrdStreams(streams, { label });
    return [...set.crds.values()]
        .map((crd) => {
            const text = canonicalJson(crd.object);
            return { name: crd.name, origin: crd.origin, text, sha256: sha256Of(text) };
        })
        .sort((a, b) => a.name.localeCompare(b.name));
}

export function parseLock(text: string, file: string): AddonsLock {
    let data: unknown;
    try {
        data = JSON.parse(text);
    } catch (err) {
        throw new AddonLockError(`${file} is not valid JSON (${(err as Error).message}): restore it from version control, or write it again with \`bluegreen addons lock\``);
    }
    const parsed = lockSchema.safeParse(data);
    if (!parsed.success) {
        const issue = parsed.error.issues[0];
        throw new AddonLockError(`${file}: ${issue.path.join(".") || "(top level)"} ${issue.message}: write it again with \`bluegreen addons lock\``);
    }
    return parsed.data;
}

/** The lock of a project, or undefined when it has none yet. */
export function readLockFile(projectDir: string): AddonsLock | undefined {
    const file = path.join(projectDir, LOCK_FILE);
    if (!fs.existsSync(file)) return undefined;
    return parseLock(fs.readFileSync(file, "utf8"), file);
}

/** Stable text: add-ons and versions sorted, two-space indent, final newline (reviewable diffs). */
export function formatLock(lock: AddonsLock): string {
    const addons: Record<string, Record<string, LockEntry>> = {};
    for (const id of [...ADDON_IDS].sort()) {
        const versions = lock.addons[id];
        if (!versions || Object.keys(versions).length === 0) continue;
        addons[id] = Object.fromEntries(Object.keys(versions).sort().map((v) => [v, versions[v]]));
    }
    return JSON.stringify({ lockfileVersion: LOCKFILE_VERSION, addons }, null, 2) + "\n";
}

export function lockEntryOf(lock: AddonsLock | undefined, addon: AddonId, version: string): LockEntry | undefined {
    return lock?.addons[addon]?.[version];
}

/** Where a locked CRD comes from, as the plan and messages show it. */
export const lockReference = (addon: AddonId, version: string, crd: Pick<LockedCrd, "name" | "sha256">): string =>
    `${LOCK_FILE} ${addon}@${version} ${crd.name} sha256:${crd.sha256.slice(0, 12)}`;

/**
 * A download compared with its lock entry: every difference, so one message says all of it. Empty
 * when the content is the locked one.
 */
export function lockMismatches(entry: LockEntry, download: { chartDigest?: string; documents: Array<{ name: string; sha256: string }> }): string[] {
    const problems: string[] = [];
    if (entry.chartDigest && download.chartDigest && entry.chartDigest !== download.chartDigest) {
        problems.push(`the chart's digest in its repository is ${download.chartDigest}, the lock has ${entry.chartDigest} (the chart was re-published or the mirror serves another one)`);
    }
    const got = new Map(download.documents.map((d) => [d.name, d.sha256]));
    for (const crd of entry.crds) {
        const sha = got.get(crd.name);
        if (sha === undefined) problems.push(`CRD ${crd.name} is locked but missing from the download`);
        else if (sha !== crd.sha256) problems.push(`CRD ${crd.name} has SHA-256 ${sha}, the lock has ${crd.sha256}`);
    }
    const locked = new Set(entry.crds.map((c) => c.name));
    for (const name of got.keys()) if (!locked.has(name)) problems.push(`CRD ${name} is in the download but not in the lock`);
    return problems;
}
