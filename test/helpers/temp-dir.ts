/**
 * Temporary directories for a test file, removed after its last test: a suite that runs many times a
 * day must not leave its fixtures behind in the machine's temp directory. Import this at the top of
 * a test file (or of a helper it imports at the top): it registers the file's clean-up when loaded.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";

const made: string[] = [];

afterAll(() => {
    for (const dir of made.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

/** A new, empty directory under the temp directory, named `<prefix>XXXXXX`. */
export function tempDir(prefix: string): string {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
    made.push(dir);
    return dir;
}

/** Writes `files` (relative path → text) into `dir`, creating their directories; returns `dir`. */
export function writeTree(dir: string, files: Record<string, string>): string {
    for (const [name, text] of Object.entries(files)) {
        fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
        fs.writeFileSync(path.join(dir, name), text);
    }
    return dir;
}
