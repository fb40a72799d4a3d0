/**
 * Run by test/tooling/jest-runtime.test.ts in a child jest, from each check file: what a file must
 * see when the modules' compiled code is shared between files.
 */
const { writeFileSync } = require("node:fs");
const { join } = require("node:path");

module.exports = function checks(fileNumber) {
    test("module state is this file's own, the module's functions run in this file's realm, stack lines are the source's", () => {
        const state = require("./state");
        expect(state.load()).toBe(1);
        expect(state.makeArray()).toBeInstanceOf(Array);
        let stack = "";
        try {
            state.fail();
        } catch (error) {
            stack = error.stack;
        }
        expect(stack).toMatch(/state\.js:6:/);
    });

    test("a module whose source changed since an earlier file runs its new source", () => {
        const file = join(process.env.SHARED_SCRIPTS_DIR, "mutable.js");
        writeFileSync(file, `module.exports = ${fileNumber};\n`);
        expect(require(file)).toBe(fileNumber);
    });
};
