/**
 * The tests' environment: jest's node environment, plus one clean-up jest does not do.
 *
 * jest-circus loads a fresh copy of its runner into every test file, and that copy creates and enables
 * an AsyncLocalStorage (the test execution context). Node keeps every enabled storage in one
 * process-wide list and, for every promise created afterwards, copies each listed storage's value onto
 * the new promise. Nobody disables the storage when its file ends, so a worker that has run 50 files
 * does 50 such copies per promise for the rest of its life. Plans under the Pulumi SDK create promises
 * by the hundred thousand: measured on a 2-core machine, the 50-app weight-shift file took 14 s in a
 * fresh worker and 41–55 s late in a long-lived one, and a cold run (no timing cache, as in CI, where
 * jest runs the big files last) took 153 s instead of 100 s.
 *
 * So every AsyncLocalStorage enabled while a file runs is disabled when the file's environment is torn
 * down: nothing of that file runs after it. Node versions whose AsyncLocalStorage has no per-promise
 * propagation (no `_enable`, as with AsyncContextFrame) need none of this, and get none.
 */
const { AsyncLocalStorage } = require("node:async_hooks");
const { TestEnvironment } = require("jest-environment-node");

/** The storages enabled since the current test file's environment was set up (one file at a time per worker). */
const enabledInFile = new Set();

/** Wraps AsyncLocalStorage's enable step once per worker process to see which storages a file enables. */
function trackEnabledStorages(prototype = AsyncLocalStorage.prototype) {
    const enable = prototype._enable;
    if (typeof enable !== "function" || enable.trackedByBluegreen) return;
    const tracked = function (...args) {
        if (!this.enabled) enabledInFile.add(this);
        return enable.apply(this, args);
    };
    tracked.trackedByBluegreen = true;
    prototype._enable = tracked;
}

/** Disables the storages the finished file enabled; returns how many it disabled. */
function disableStoragesOfFile() {
    let disabled = 0;
    for (const storage of enabledInFile) {
        if (storage.enabled) {
            storage.disable();
            disabled++;
        }
    }
    enabledInFile.clear();
    return disabled;
}

class BluegreenTestEnvironment extends TestEnvironment {
    constructor(config, context) {
        super(config, context);
        trackEnabledStorages();
        enabledInFile.clear();
    }

    async teardown() {
        disableStoragesOfFile();
        await super.teardown();
    }
}

module.exports = BluegreenTestEnvironment;
module.exports.trackEnabledStorages = trackEnabledStorages;
module.exports.disableStoragesOfFile = disableStoragesOfFile;
