/**
 * The tests' jest environment (test/helpers/jest-environment.js) disables the AsyncLocalStorage each
 * test file's runner enables, so that a worker that has run many files does not copy one value per
 * finished file onto every new promise (measured: plans ran three to four times slower late in a
 * worker). Checked in a child jest that runs four files one after another in one process.
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const ROOT = join(__dirname, "..", "..");
const JEST = require.resolve("jest/bin/jest");
// Node's AsyncLocalStorage without per-promise propagation (AsyncContextFrame) has nothing to clean up.
const propagates = typeof (require("node:async_hooks").AsyncLocalStorage.prototype as { _enable?: unknown })._enable === "function";

function storageCountsPerFile(testEnvironment: string): number[] {
    const dir = mkdtempSync(join(tmpdir(), "bluegreen-jest-env-"));
    try {
        const config = join(dir, "jest.config.json");
        writeFileSync(config, JSON.stringify({ rootDir: join(__dirname, "async-storage"), testMatch: ["**/*.check.js"], testEnvironment, transform: {}, cacheDirectory: join(dir, "cache") }));
        const counts = join(dir, "counts");
        writeFileSync(counts, "");
        execFileSync(process.execPath, [JEST, "--config", config, "--runInBand", "--silent"], { cwd: ROOT, env: { ...process.env, STORAGE_COUNTS: counts }, stdio: "pipe" });
        return readFileSync(counts, "utf8").trim().split("\n").map(Number);
    } finally {
        rmSync(dir, { recursive: true, force: true });
    }
}

(propagates ? test : test.skip)("the fourth file in a worker propagates as few storages as the first", () => {
    const counts = storageCountsPerFile(join(ROOT, "test", "helpers", "jest-environment.js"));
    expect(counts).toHaveLength(4);
    expect(counts).toEqual([counts[0], counts[0], counts[0], counts[0]]);
    expect(counts[0]).toBeLessThanOrEqual(2);
});

(propagates ? test : test.skip)("without it, every finished file leaves one more (the environment is what makes the difference)", () => {
    const counts = storageCountsPerFile("node");
    expect(counts[3] - counts[0]).toBe(3);
});
