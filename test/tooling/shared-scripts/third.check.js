/** Run by test/tooling/jest-runtime.test.ts in a child jest (file 3 of 3). */
require("./checks")(3);
