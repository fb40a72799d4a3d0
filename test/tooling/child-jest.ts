/**
 * What the tests of the test machinery share: running a few fixture files in a child jest, one
 * process (`--runInBand`), with a config of their own and an empty cache, so that what a worker keeps
 * between files can be observed.
 */
import { execFileSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { tempDir } from "../helpers/temp-dir";

export const ROOT = join(__dirname, "..", "..");
const JEST = require.resolve("jest/bin/jest");

/**
 * Runs the `*.check.js` files under `rootDir` with `config` added to jest's; `env(dir)` adds variables
 * that may name files in the run's own directory `dir`, which is returned. A failing check fails with
 * the child's output.
 */
export function runChildJest(rootDir: string, config: Record<string, unknown>, env: (dir: string) => Record<string, string>): string {
    const dir = tempDir("bluegreen-child-jest-");
    const configFile = join(dir, "jest.config.json");
    writeFileSync(configFile, JSON.stringify({ rootDir, testMatch: ["**/*.check.js"], transform: {}, cacheDirectory: join(dir, "cache"), ...config }));
    try {
        execFileSync(process.execPath, [JEST, "--config", configFile, "--runInBand", "--silent"], { cwd: ROOT, env: { ...process.env, ...env(dir) }, stdio: "pipe" });
    } catch (error) {
        const { stdout, stderr } = error as { stdout?: Buffer; stderr?: Buffer };
        throw new Error(`the check files in ${rootDir} failed in a child jest:\n${stdout ?? ""}\n${stderr ?? ""}`);
    }
    return dir;
}
