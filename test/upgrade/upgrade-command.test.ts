/** `bluegreen upgrade plan` on the example dev stack, offline: the exact commands, JSON, exit codes. */
import * as fs from "fs";
import * as path from "path";
import { runUpgradePlanCommand } from "../../src/cli/commands/upgrade";
import { UserInputError } from "../../src/errors";
import { tempDir } from "../helpers/temp-dir";

const cwd = path.resolve(__dirname, "..", "..");
const manifests = tempDir("bluegreen-upgrade-");
afterAll(() => fs.rmSync(manifests, { recursive: true, force: true }));

function capture() {
    const out: string[] = [];
    return { io: { stdout: (t: string) => void out.push(t), stderr: (t: string) => void out.push(t) }, text: () => out.join("") };
}
const base = { stack: "dev", color: "blue", offline: true, manifests, cwd };

test("dev's blue 1.32 → 1.33: numbered steps with the exact commands, exit 0", async () => {
    const { io, text } = capture();
    expect(await runUpgradePlanCommand({ ...base, to: "1.33" }, io)).toBe(0);
    expect(text()).toMatch(/^In-place upgrade of blue \(stack dev\): 1\.32 → 1\.33, method: in place\n1\. control plane 1\.32 → 1\.33\n/);
    expect(text()).toContain("$ pulumi config set --path 'bluegreen:clusters.blue.version' '1.33' --stack dev");
    expect(text()).toContain("$ bluegreen nodes drain --stack dev --color blue --node-group system");
    expect(text()).toContain("→ promote in stacks/Pulumi.dev.yaml: clusters.blue.nodeGroups[0].generation: 1, and delete its replacement block");
});

test("--json prints the plan as data", async () => {
    const { io, text } = capture();
    await runUpgradePlanCommand({ ...base, to: "1.33", json: true }, io);
    const plan = JSON.parse(text());
    expect(plan).toMatchObject({ color: "blue", from: "1.32", to: "1.33", method: "in place", refusals: [] });
    expect(plan.steps[0].kind).toBe("control-plane");
});

test("a refused plan (downgrade) exits 1 and says why", async () => {
    const { io, text } = capture();
    expect(await runUpgradePlanCommand({ ...base, to: "1.30" }, io)).toBe(1);
    expect(text()).toMatch(/Refused[\s\S]*downgrade/);
});

test.each([
    [{ to: "1.3" }, /--to "1\.3" is not a Kubernetes minor version/],
    [{ to: "1.33", color: "purple" }, /--color "purple"/],
    [{ to: "1.33", addon: ["argo=1"] }, /--addon "argo=1"/],
])("bad input %p is a UserInputError (exit 2)", async (override, message) => {
    await expect(runUpgradePlanCommand({ ...base, ...override }, capture().io)).rejects.toThrow(UserInputError);
    await expect(runUpgradePlanCommand({ ...base, ...override }, capture().io)).rejects.toThrow(message);
});
