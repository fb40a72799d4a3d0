/**
 * The tests' jest runtime (test/helpers/jest-runtime.js) compiles each module once per worker and runs
 * it in every test file's own context. Checked in a child jest that runs three files in one process:
 * each file still gets its own module state and realm and true stack lines, a module whose source
 * changed runs its new source, and what did not change is compiled once.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { ROOT, runChildJest } from "./child-jest";

type Counts = Record<string, number>;

/** Runs the three check files in one child jest process; what the runtime compiled and reused, by file name. */
function runChecks(): { compiled: Counts; reused: Counts } {
    const report = (dir: string) => join(dir, "report");
    const dir = runChildJest(join(__dirname, "shared-scripts"), { runtime: join(ROOT, "test", "helpers", "jest-runtime.js") }, (dir) => ({
        SHARED_SCRIPTS_DIR: dir,
        JEST_SHARED_SCRIPTS_REPORT: report(dir),
    }));
    const { compiled, reused } = JSON.parse(readFileSync(report(dir), "utf8").trim()) as { compiled: Counts; reused: Counts };
    const byName = (counts: Counts) => Object.fromEntries(Object.entries(counts).map(([file, n]) => [file.split("/").pop()!, n]));
    return { compiled: byName(compiled), reused: byName(reused) };
}

test("three files in one worker: each passes its checks; unchanged modules are compiled once and reused, a changed one compiled again", () => {
    const { compiled, reused } = runChecks();
    expect({ compiled: compiled["state.js"], reused: reused["state.js"] }).toEqual({ compiled: 1, reused: 2 });
    expect({ compiled: compiled["checks.js"], reused: reused["checks.js"] }).toEqual({ compiled: 1, reused: 2 });
    // Rewritten by each file with its own number before requiring it.
    expect({ compiled: compiled["mutable.js"], reused: reused["mutable.js"] }).toEqual({ compiled: 3, reused: undefined });
    for (const check of ["first.check.js", "second.check.js", "third.check.js"]) expect(compiled[check]).toBe(1);
});
