/**
 * The tests' jest environment (test/helpers/jest-environment.js) disables the AsyncLocalStorage each
 * test file's runner enables, so that a worker that has run many files does not copy one value per
 * finished file onto every new promise (measured: plans ran three to four times slower late in a
 * worker). Checked in a child jest that runs four files one after another in one process.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { ROOT, runChildJest } from "./child-jest";

// Node's AsyncLocalStorage without per-promise propagation (AsyncContextFrame) has nothing to clean up.
const propagates = typeof (require("node:async_hooks").AsyncLocalStorage.prototype as { _enable?: unknown })._enable === "function";

function storageCountsPerFile(testEnvironment: string): number[] {
    const counts = (dir: string) => join(dir, "counts");
    const dir = runChildJest(join(__dirname, "async-storage"), { testEnvironment }, (dir) => ({ STORAGE_COUNTS: counts(dir) }));
    return readFileSync(counts(dir), "utf8").trim().split("\n").map(Number);
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
