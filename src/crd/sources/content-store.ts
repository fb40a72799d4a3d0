/**
 * A content-addressed store on disk: text kept under its own SHA-256, so a pinned digest (from a
 * lock file) finds its content without the network, and a corrupted copy is never returned.
 */
import * as fs from "fs";
import * as path from "path";
import { sha256 } from "./http";

const pathOf = (cacheDir: string, digest: string): string => path.join(cacheDir, "sha256", digest);

/** The text stored under `digest`, or undefined when absent or no longer matching (then removed). */
export function readByDigest(cacheDir: string, digest: string): string | undefined {
    const file = pathOf(cacheDir, digest);
    let data: Buffer;
    try {
        data = fs.readFileSync(file);
    } catch {
        return undefined;
    }
    if (sha256(data) === digest) return data.toString("utf8");
    fs.rmSync(file, { force: true });
    return undefined;
}

/** Stores the text under its digest and returns the digest. */
export function writeByDigest(cacheDir: string, text: string): string {
    const data = Buffer.from(text, "utf8");
    const digest = sha256(data);
    fs.mkdirSync(path.dirname(pathOf(cacheDir, digest)), { recursive: true });
    const temporary = `${pathOf(cacheDir, digest)}.${process.pid}.tmp`;
    fs.writeFileSync(temporary, data);
    fs.renameSync(temporary, pathOf(cacheDir, digest));
    return digest;
}
