/**
 * Times the README's main command, `npm run plan -- --stack dev`, on an unchanged tree against the
 * plan alone (`node dist/cli.js plan`, no build step), in the same run. Target: ≤ 3 s in all, so
 * the build check costs next to nothing.
 */
import { execFileSync } from "child_process";
import * as path from "path";
import { measure, ratioLine } from "./measure";

const projectDir = path.resolve(__dirname, "..", "..");
const TARGET_MS = 3000;
const REPETITIONS = 5;

export async function benchPlan(): Promise<void> {
    console.log(`Offline plan of the dev stack, median of ${REPETITIONS} runs (nothing changed since the last build)\n`);
    const npm = process.platform === "win32" ? "npm.cmd" : "npm";
    const quiet = { cwd: projectDir, stdio: ["ignore", "ignore", "inherit"] as const };
    const alone = await measure("baseline: node dist/cli.js plan --stack dev", () => execFileSync(process.execPath, [path.join(projectDir, "dist", "cli.js"), "plan", "--stack", "dev"], { ...quiet, stdio: [...quiet.stdio] }), REPETITIONS);
    const command = await measure("npm run plan -- --stack dev", () => execFileSync(npm, ["run", "-s", "plan", "--", "--stack", "dev"], { ...quiet, stdio: [...quiet.stdio] }), REPETITIONS);
    console.log("\nRatio and total:");
    console.log(ratioLine("npm run plan:", command / alone, TARGET_MS / alone));
    console.log(`  total:           ${(command / 1000).toFixed(2)} s  ${command <= TARGET_MS ? "ok" : "over target"} (target ≤ ${TARGET_MS / 1000} s)`);
}
