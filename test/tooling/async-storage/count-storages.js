/**
 * Run by test/tooling/jest-environment.test.ts in a child jest, from each check file: how many
 * AsyncLocalStorages copy their value onto a new promise there.
 */
const { appendFileSync } = require("node:fs");
const { executionAsyncResource } = require("node:async_hooks");

test("count the storages propagated onto a new promise", async () => {
    await null;
    const storages = Object.getOwnPropertySymbols(executionAsyncResource()).filter((s) => s.description === "kResourceStore");
    appendFileSync(process.env.STORAGE_COUNTS, `${storages.length}\n`);
});
