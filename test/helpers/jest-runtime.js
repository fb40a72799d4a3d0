/**
 * The tests' jest runtime: jest's own, except that a worker compiles each module's code once instead
 * of once per test file.
 *
 * jest gives every test file a fresh context and a fresh module registry, and compiles every module
 * it loads there again (`vm.compileFunction`, which uses no compilation cache). Loading the planner
 * (the Pulumi SDK, @pulumi/aws, zod, the program) cost about 0.8 s per file, half of it compiling,
 * and 35 files load it; @kubernetes/client-node's 967 modules cost another second in each of 8 files.
 * Here a module's code is compiled into one `vm.Script` per worker and run in each file's context:
 * the bytecode (and the lazily compiled functions) are shared, while every file still evaluates every
 * module afresh in its own context, so module state never crosses files. A module whose transformed
 * source changed is compiled again. Measured on 2 cores, warm cache: the suite's CPU went from 162 s
 * to 126 s. Backstage's jest setup (its `jestCachingModuleLoader`) shares scripts the same way.
 *
 * jest 30 compiles in its internal ModuleExecutor; if a jest upgrade moves that, this fails at once
 * with a message saying so, rather than silently running slower.
 */
const { Script } = require("node:vm");
const Runtime = require("jest-runtime").default;

/** filename -> the transformed source it was compiled from, and its script. One worker runs one file at a time. */
const scripts = new Map();
/** What this worker compiled and reused (written out at exit when JEST_SHARED_SCRIPTS_REPORT names a file). */
const stats = { compiled: {}, reused: {} };
/** The module executor of the file running now: dynamic `import()` from a shared script resolves there. */
let current;

function count(table, filename) {
    table[filename] = (table[filename] ?? 0) + 1;
}

/** The module wrapper jest's compileFunction would build: the same parameters, the code on the same lines. */
function compileShared(executor, scriptSource, filename) {
    const wrapped = `(function (${executor.injectedModuleParameters.join(", ")}) {${scriptSource}\n})`;
    return new Script(wrapped, {
        filename,
        importModuleDynamically: (specifier, _script, importAttributes, phase) =>
            current.dynamicImport(specifier, filename, current.environment.getVmContext(), importAttributes, phase),
    });
}

function sharedCompile(executor) {
    return function compile(scriptSource, filename) {
        const vmContext = executor.environment.getVmContext();
        if (vmContext == null) return null;
        let entry = scripts.get(filename);
        if (entry && entry.source === scriptSource) {
            count(stats.reused, filename);
        } else {
            entry = { source: scriptSource, script: compileShared(executor, scriptSource, filename) };
            scripts.set(filename, entry);
            count(stats.compiled, filename);
        }
        return entry.script.runInContext(vmContext);
    };
}

class SharedScriptsRuntime extends Runtime {
    constructor(...args) {
        super(...args);
        const executor = this.executor;
        const jest30 = typeof executor?.compile === "function"
            && Array.isArray(executor.injectedModuleParameters)
            && typeof executor.dynamicImport === "function"
            && typeof executor.environment?.getVmContext === "function";
        if (!jest30) {
            throw new Error("test/helpers/jest-runtime.js: this jest's runtime has no ModuleExecutor with compile(), injectedModuleParameters, dynamicImport and environment (jest 30's); update the helper for this jest, or remove `runtime` from jest.config.js");
        }
        executor.compile = sharedCompile(executor);
        current = executor;
    }
}

process.on("exit", () => {
    const report = process.env.JEST_SHARED_SCRIPTS_REPORT;
    if (report) require("node:fs").appendFileSync(report, `${JSON.stringify(stats)}\n`);
});

module.exports = SharedScriptsRuntime;
module.exports.default = SharedScriptsRuntime;
