#!/usr/bin/env node
/**
 * Builds dist/ with tsc only when a source changed since the last build, so `npm run plan` costs
 * what the plan costs (a full tsc build of this project takes 10-15 s, most of it reading the
 * providers' type declarations). "Changed" is decided by a hash of every input's content, not by
 * timestamps, so a checkout, a copy or a clock change cannot fool it. `--force` always builds.
 */
"use strict";
const crypto = require("crypto");
const fs = require("fs");
const path = require("path");
const { spawnSync } = require("child_process");

const root = path.join(__dirname, "..");
const INPUTS = ["index.ts", "cli.ts", "tsconfig.json", "tsconfig.build.json", "package-lock.json", "components", "src", "bench"];
const STAMP = path.join(root, "dist", ".sources-sha256");

function files(entry) {
    const full = path.join(root, entry);
    if (!fs.existsSync(full)) return [];
    if (!fs.statSync(full).isDirectory()) return [entry];
    return fs.readdirSync(full).sort().flatMap((name) => files(path.join(entry, name)));
}

function sourcesHash() {
    const hash = crypto.createHash("sha256");
    for (const file of INPUTS.flatMap(files)) {
        hash.update(file).update("\0").update(fs.readFileSync(path.join(root, file))).update("\0");
    }
    return hash.digest("hex");
}

const force = process.argv.includes("--force");
const current = sourcesHash();
const built = fs.existsSync(STAMP) ? fs.readFileSync(STAMP, "utf8").trim() : "";
if (!force && built === current && fs.existsSync(path.join(root, "dist", "cli.js"))) process.exit(0);

const tsc = require.resolve("typescript/bin/tsc");
const result = spawnSync(process.execPath, [tsc, "-p", path.join(root, "tsconfig.build.json")], { stdio: "inherit" });
if (result.status !== 0) process.exit(result.status ?? 1);
fs.writeFileSync(STAMP, `${current}\n`);
