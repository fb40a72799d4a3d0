/**
 * Times `bluegreen crd-diff --json` on the ArgoCD CRD pair in ../shared/crds
 * (about 1.2 MB of YAML per side) against a baseline measured in the same run — reading and parsing
 * the same files with js-yaml and nothing else — and prints the ratios (target: at most 3×).
 */
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import * as yaml from "js-yaml";
import { runCrdDiff } from "../src/cli/commands/crd-diff";
import { measure, ratioLine, REPETITIONS } from "./measure";

const projectDir = path.resolve(__dirname, "..", "..");
const pairDir = path.resolve(projectDir, "..", "shared", "crds", "argo-cd");
const OLD = path.join(pairDir, "v2.11.14");
const NEW = path.join(pairDir, "v2.12.0");
const FILES = ["application-crd.yaml", "applicationset-crd.yaml", "appproject-crd.yaml"];
const TARGET = 3;

function parseOnly(): void {
    for (const dir of [OLD, NEW]) for (const file of FILES) yaml.loadAll(fs.readFileSync(path.join(dir, file), "utf8"));
}

export async function benchCrdDiff(): Promise<void> {
    if (!fs.existsSync(OLD) || !fs.existsSync(NEW)) {
        console.error(`bench: the ArgoCD CRD pair is not at ${pairDir} (../shared/crds beside the project); nothing to measure`);
        process.exitCode = 2;
        return;
    }
    const bytes = [OLD, NEW].map((dir) => FILES.reduce((sum, f) => sum + fs.statSync(path.join(dir, f)).size, 0));
    console.log(`crd-diff benchmark: ArgoCD v2.11.14 → v2.12.0 (${(bytes[0] / 1e6).toFixed(2)} MB → ${(bytes[1] / 1e6).toFixed(2)} MB of YAML), median of ${REPETITIONS} runs\n`);

    console.log("In process:");
    const sink = { stdout: () => undefined, stderr: (t: string) => process.stderr.write(t) };
    const inBaseline = await measure("baseline: read + js-yaml loadAll, both sides", parseOnly);
    const inCommand = await measure("crd-diff --json (file sources, parse, diff, JSON)", async () => {
        const code = await runCrdDiff({ old: OLD, new: NEW, json: true, failOn: "breaking", cache: false }, sink);
        if (code === 2) throw new Error("crd-diff failed on the benchmark input");
    });

    console.log("\nWhole process (node startup included):");
    const cli = path.join(projectDir, "bin", "bluegreen.js");
    const baselineScript = `const y=require("js-yaml"),fs=require("fs"),p=require("path");for(const d of ${JSON.stringify([OLD, NEW])})for(const f of ${JSON.stringify(FILES)})y.loadAll(fs.readFileSync(p.join(d,f),"utf8"))`;
    const run = (args: string[]) => () => {
        try {
            execFileSync(process.execPath, args, { cwd: projectDir, stdio: ["ignore", "ignore", "inherit"] });
        } catch (err) {
            // crd-diff exits 1 on a breaking verdict: that is its answer, not a failure to run.
            if ((err as { status?: number }).status !== 1) throw err;
        }
    };
    const procBaseline = await measure("baseline: node -e (read + js-yaml loadAll)", run(["-e", baselineScript]));
    const procCommand = await measure("node bin/bluegreen.js crd-diff <old> <new> --json", run([cli, "crd-diff", OLD, NEW, "--json", "--no-cache"]));

    const inRatio = inCommand / inBaseline;
    const procRatio = procCommand / procBaseline;
    console.log("\nRatios:");
    console.log(ratioLine("in process:", inRatio, TARGET));
    console.log(ratioLine("whole process:", procRatio, TARGET));
}
