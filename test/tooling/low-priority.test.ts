/**
 * scripts/low-priority.js runs `npm test`'s type-check below jest's priority, so that on 2 cores it
 * does not slow the workers' first files (see the script). The command must really run lower, and
 * its failure must still fail the test command.
 */
import { spawnSync } from "node:child_process";
import { getPriority } from "node:os";
import { join } from "node:path";

const SCRIPT = join(__dirname, "..", "..", "scripts", "low-priority.js");
const run = (...args: string[]) => spawnSync(process.execPath, [SCRIPT, ...args], { encoding: "utf8" });

test("the command runs at nice 10 or lower priority still (never raised above the caller's)", () => {
    const result = run(process.execPath, "-e", "process.stdout.write(String(require('os').getPriority()))");
    expect(result.status).toBe(0);
    expect(Number(result.stdout)).toBeGreaterThanOrEqual(Math.max(10, getPriority()));
});

test("the command's exit code is the script's: a failing type-check fails npm test", () => {
    expect(run(process.execPath, "-e", "process.exit(3)").status).toBe(3);
});

test("a command that cannot be started, or none, is an error that says so", () => {
    const missing = run("bluegreen-no-such-command");
    expect({ status: missing.status, stderr: missing.stderr }).toEqual({ status: 127, stderr: expect.stringContaining("cannot run bluegreen-no-such-command") });
    const none = run();
    expect({ status: none.status, stderr: none.stderr }).toEqual({ status: 2, stderr: expect.stringContaining("usage: node scripts/low-priority.js") });
});
