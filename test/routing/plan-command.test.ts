import * as path from "path";
import { deployEnvironment } from "../../components/environment";
import { runPlanCommand } from "../../src/cli/commands/plan";

const projectDir = path.join(__dirname, "..", "..");

async function plan(set: string[]) {
    let stdout = "";
    let stderr = "";
    const code = await runPlanCommand({ stack: "prod", set, json: false, cwd: projectDir }, { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t) }, deployEnvironment);
    return { code, stdout, stderr };
}

describe("bluegreen plan --stack prod with new weights", () => {
    test("50/50: exactly the three weighted listener rules are updated; the rest is protect flags of green", async () => {
        const { code, stdout } = await plan(['routing.weights={"blue":50,"green":50}']);
        expect(code).toBe(0);
        const updates = stdout.split("\n").filter((l) => l.startsWith("~  update"));
        expect(updates).toEqual([
            "~  update  aws:lb/listenerRule:ListenerRule  prod-api",
            "~  update  aws:lb/listenerRule:ListenerRule  prod-checkout",
            "~  update  aws:lb/listenerRule:ListenerRule  prod-storefront",
        ]);
        expect(stdout.match(/actions\[0\]\.forward\.targetGroups\[0\]\.weight: 100 => 50/g)).toHaveLength(3);
        expect(stdout.match(/actions\[0\]\.forward\.targetGroups\[1\]\.weight: 0 => 50/g)).toHaveLength(3);
        const protects = stdout.split("\n").filter((l) => l.trimStart().startsWith("protect ") && !l.includes("=>"));
        expect(protects).toHaveLength(5); // green's cluster, its secrets key and its 3 target groups
        expect(protects.every((l) => /prod-green/.test(l) || /TargetGroup {2}prod-\w+-green/.test(l))).toBe(true);
        expect(stdout.trim().split("\n").pop()).toBe("3 to update, 0 to create, 0 to delete, 0 to replace");
    });

    test("an invalid weight is refused before anything is planned", async () => {
        const { code, stderr } = await plan(['routing.weights={"blue":50,"green":60}']);
        expect(code).toBe(2);
        expect(stderr).toMatch(/routing\.weights add up to 110, not 100/);
    });
});
