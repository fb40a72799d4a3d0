import * as fs from "fs";
import * as path from "path";
import { deployEnvironment } from "../../components/environment";
import { runPlanCommand } from "../../src/cli/commands/plan";
import { tempDir } from "../helpers/temp-dir";

const projectDir = path.join(__dirname, "..", "..");

async function run(args: Partial<Parameters<typeof runPlanCommand>[0]>) {
    let stdout = "";
    let stderr = "";
    const code = await runPlanCommand(
        { stack: "dev", set: [], json: false, cwd: projectDir, ...args },
        { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t) },
        deployEnvironment,
    );
    return { code, stdout, stderr };
}

describe("bluegreen plan", () => {
    test("prints the dev graph: two clusters with their node groups, computed values marked", async () => {
        const { code, stdout } = await run({});
        expect(code).toBe(0);
        expect(stdout).toMatch(/^Offline plan of stack "dev" \(\d+ resources; a value from another resource shown as <resource\.property>, values known only after deployment as <computed>\)/);
        for (const color of ["blue", "green"]) {
            expect(stdout).toContain(`bluegreen:index:ColorCluster  dev-${color}`);
            expect(stdout).toContain(`eks:index:Cluster  dev-${color}-eks`);
            expect(stdout).toContain(`aws:eks/nodeGroup:NodeGroup  dev-${color}-system`);
        }
        expect(stdout).toContain("eks:index:Cluster  dev-blue-eks  [protected]");
        expect(stdout).toContain("<computed>");
    });

    test("--set shows what changes against the stack file, with a one-line summary", async () => {
        const { code, stdout } = await run({ set: ['clusters.green.version="1.34"'] });
        expect(code).toBe(0);
        expect(stdout).toContain("~  update  eks:index:Cluster  dev-green-eks");
        expect(stdout).toContain("version: 1.33 => 1.34");
        expect(stdout).not.toMatch(/dev-blue/);
        expect(stdout.trim().split("\n").pop()).toMatch(/^\d+ to update, 0 to create, 0 to delete, 0 to replace$/);
    });

    test("--against compares two stack files; --json gives the same as JSON", async () => {
        const dir = tempDir("bluegreen-plan-");
        const other = path.join(dir, "Pulumi.dev-next.yaml");
        const text = fs.readFileSync(path.join(projectDir, "stacks", "Pulumi.dev.yaml"), "utf8").replace("instanceTypes: [m7i.large]", "instanceTypes: [m7i.xlarge]");
        fs.writeFileSync(other, text);
        const { code, stdout } = await run({ stack: "dev", against: other, json: true });
        expect(code).toBe(0);
        const parsed = JSON.parse(stdout);
        expect(parsed.summary).toMatchObject({ replace: 1, create: 0, delete: 0 });
        const replaced = parsed.steps.find((s: { op: string }) => s.op === "replace");
        // The EKS name carries a hash of the instance types, so the replacement never collides with the old group.
        expect(replaced).toMatchObject({ name: "dev-green-system", replaceReasons: ["instanceTypes[0]", "nodeGroupName"] });
        expect(parsed.summaryLine).toBe("0 to update, 0 to create, 0 to delete, 1 to replace");
    });

    test("an invalid override is reported with every problem and exit code 2, before anything runs", async () => {
        const { code, stderr, stdout } = await run({ set: ["clusters.green.version=\"1.3\"", "clusters.green.nodeGroups[0].minSize=9"] });
        expect(code).toBe(2);
        expect(stdout).toBe("");
        expect(stderr).toContain('clusters.green.version "1.3" is not a Kubernetes minor version like "1.33"');
        expect(stderr).toContain("clusters.green.nodeGroups[0].minSize (9) is greater than maxSize (4)");
    });

    test("an unknown stack lists the stacks there are", async () => {
        const { code, stderr } = await run({ stack: "qa" });
        expect(code).toBe(2);
        expect(stderr).toMatch(/no stack config file .*Pulumi\.qa\.yaml \(stacks here: .*dev.*\)/);
    });
});

describe("bluegreen plan diffs that add or remove a key (--against: README.md's checked block in test/cli/docs-examples.test.ts; --set of a new key)", () => {
    test("--set that adds an input the resource did not have (stickiness on the listener rule) shows it as added", async () => {
        const { code, stdout, stderr } = await run({ set: ["routing.stickiness.enabled=true"] });
        expect(stderr).toBe("");
        expect(code).toBe(0);
        expect(stdout).toContain("~  update  aws:lb/listenerRule:ListenerRule  dev-shop");
        expect(stdout).toContain('actions[0].forward.stickiness: (absent) => {"duration":3600,"enabled":true}');
    });
});
