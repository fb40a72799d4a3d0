/** Run by test/tooling/jest-environment.test.ts in a child jest (file 4 of 4). */
require("./count-storages");
