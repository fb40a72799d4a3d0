#!/usr/bin/env node
"use strict";
const path = require("path");
const fs = require("fs");
const entry = path.join(__dirname, "..", "dist", "cli.js");
if (!fs.existsSync(entry)) {
    process.stderr.write("bluegreen: the compiled CLI is missing; run `npm run build` (npm ci runs it for you).\n");
    process.exit(2);
}
require(entry).run(process.argv);
