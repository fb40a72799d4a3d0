/** Run by test/tooling/jest-runtime.test.ts in a child jest (file 1 of 3). */
require("./checks")(1);
