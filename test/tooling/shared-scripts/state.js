/** Run by test/tooling/jest-runtime.test.ts in a child jest: a module with state, loaded by every check file. */
let loads = 0;
exports.load = () => ++loads;
exports.makeArray = () => [];
exports.fail = () => {
    throw new Error("thrown on line 6 of state.js");
};
