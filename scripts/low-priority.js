#!/usr/bin/env node
/**
 * Runs a command at a lower CPU priority (nice 10; "below normal" on Windows), with its exit code.
 *
 * `npm test` runs the type-check beside jest. On 2 cores, tsc (about 36 s of CPU on a clean clone,
 * most of it reading the providers' type declarations) competed with jest's two workers while they
 * transformed and loaded their first files, and the first file, the one that loads
 * @kubernetes/client-node, took 17 to 22 s instead of 8. At lower priority the type-check takes the
 * CPU the workers leave (it still finishes within a few seconds of jest; the suite's total did not
 * change). Portable where `nice` is not: os.setPriority works on Linux, macOS and Windows, and the
 * command, started after, inherits the priority.
 */
"use strict";
const os = require("os");
const { spawn } = require("child_process");

const LOW_PRIORITY = 10;

const [command, ...args] = process.argv.slice(2);
if (!command) {
    console.error("usage: node scripts/low-priority.js <command> [args...]");
    process.exit(2);
}
try {
    os.setPriority(Math.max(os.getPriority(), LOW_PRIORITY));
} catch (error) {
    // A platform that refuses it: run at the current priority rather than not at all.
    console.error(`low-priority: cannot lower the priority (${error.message}); running ${command} as it is`);
}
const child = spawn(command, args, { stdio: "inherit", shell: process.platform === "win32" });
child.on("error", (error) => {
    console.error(`low-priority: cannot run ${command}: ${error.message}`);
    process.exit(127);
});
child.on("exit", (code, signal) => {
    if (signal) process.kill(process.pid, signal);
    else process.exit(code ?? 1);
});
