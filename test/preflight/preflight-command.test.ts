import * as fs from "fs";
import * as path from "path";
import * as yaml from "js-yaml";
import { PreflightCommandOptions, runPreflightCommand } from "../../src/cli/commands/preflight";
import { parsePreviousDeployment } from "../../src/preflight";
import { clusterSpec, rawConfig } from "../helpers/raw-config";
import { albRouting, routedApp, ZONE } from "../routing/fixtures";
import { tempDir, writeTree } from "../helpers/temp-dir";

/** A project directory with stacks/Pulumi.<stack>.yaml holding the given `bluegreen:` values. */
function project(stacks: Record<string, Record<string, unknown>>, files: Record<string, string> = {}): string {
    const dir = tempDir("bluegreen-preflight-");
    fs.mkdirSync(path.join(dir, "stacks"));
    for (const [stack, values] of Object.entries(stacks)) {
        const config = Object.fromEntries([["aws:region", "eu-west-1"], ...Object.entries(values).map(([k, v]) => [`bluegreen:${k}`, v])]);
        fs.writeFileSync(path.join(dir, "stacks", `Pulumi.${stack}.yaml`), yaml.dump({ config }));
    }
    return writeTree(dir, files);
}

async function run(options: Partial<PreflightCommandOptions> & { cwd: string }) {
    let stdout = "";
    let stderr = "";
    const code = await runPreflightCommand(
        { stack: "dev", json: false, today: "2025-11-25", ...options },
        { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t) },
    );
    return { code, stdout, stderr };
}

const routing = { weights: { blue: 100, green: 0 }, verification: { enabled: false } };
const cronJobV1beta1 = "apiVersion: batch/v1beta1\nkind: CronJob\nmetadata: {name: nightly, namespace: ops}\n";

describe("bluegreen preflight", () => {
    test("a ready stack: a checklist with a summary line, exit 0", async () => {
        const cwd = project(
            { dev: rawConfig({ routing, gitops: { manifestsPath: "gitops" } }) },
            { "gitops/apps/web.yaml": "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\n" },
        );
        const { code, stdout, stderr } = await run({ cwd, previous: undefined });
        expect(stderr).toBe("");
        expect(code).toBe(0);
        expect(stdout).toBe(
            [
                'Preflight of stack "dev" on 2025-11-25',
                "✓ Stack config: valid: blue 1.32, green 1.33",
                "✓ Versions of blue: control plane 1.32; node groups system 1.32",
                "✓ Versions of green: control plane 1.33; node groups system 1.33",
                "✓ EKS support of blue: 1.32: standard support until 2026-03-23",
                "✓ EKS support of green: 1.33: standard support until 2026-07-29",
                "✓ Upgrade candidate: green (1.33, 0%) beside live blue (1.32, 100%): 1.32 → 1.33: one minor version",
                "! In-place upgrades: not checked: the deployed versions are unknown (pass --previous with the stack outputs as JSON)",
                `✓ Removed APIs in the GitOps manifests: nothing deprecated or removed by green's 1.33 in 1 document of 1 file under ${path.join(cwd, "gitops")}`,
                "! Add-on CRD gate: not checked (--offline): run without --offline to fetch each add-on's CRDs and compare them",
                "! Cutover plan: blue 100% / green 0%: no routed app (bluegreen:routing.apps is empty): a cutover to green has no listener rule to move; add the apps users reach",
                "",
                "7 passed, 3 warnings, 0 failed: ready, with warnings to read",
                "",
            ].join("\n"),
        );
    });

    test("--json: the documented shape; a removed API in --manifests and a skipped in-place upgrade fail, exit 1", async () => {
        const cwd = project({ dev: rawConfig({ routing, clusters: { blue: clusterSpec("1.31"), green: clusterSpec("1.33") } }) }, { "other/cron.yaml": cronJobV1beta1 });
        fs.writeFileSync(path.join(cwd, "outputs.json"), JSON.stringify({ clusters: { blue: { name: "dev-blue", version: "1.29" } } }));
        const { code, stdout } = await run({ cwd, json: true, manifests: path.join(cwd, "other"), previous: path.join(cwd, "outputs.json") });
        expect(code).toBe(1);
        const report = JSON.parse(stdout);
        expect(Object.keys(report)).toEqual(["stack", "items", "summary"]);
        expect(report.stack).toBe("dev");
        for (const item of report.items) expect(Object.keys(item)).toEqual(["id", "title", "status", "detail"]);
        expect(report.items.map((i: { id: string; status: string }) => `${i.id}:${i.status}`)).toEqual([
            "config:pass",
            "versions.blue:pass",
            "versions.green:pass",
            "support.blue:warn",
            "support.green:pass",
            "candidate:pass",
            "in-place.blue:fail",
            "in-place.green:pass",
            // Which method the change calls for: the skipped in-place upgrade of blue needs a new color.
            "method.blue:fail",
            "method.green:pass",
            "api-scan:fail",
            "crd-gate:warn",
            "weights:warn",
        ]);
        expect(report.summary).toEqual({ pass: 7, warn: 3, fail: 3 });
        const scan = report.items.find((i: { id: string }) => i.id === "api-scan");
        expect(scan.detail).toBe(`1 removed in green's 1.33: CronJob ops/nightly batch/v1beta1 → batch/v1 (cron.yaml#0); see \`bluegreen check-apis --target 1.33 ${path.join(cwd, "other")}\``);
    });

    test("secure: values count as present and are not decrypted", async () => {
        const cwd = project({ dev: { ...rawConfig(), argocdAdminPassword: { secure: "v1:abcdefgh:ENCRYPTED" } } });
        const { code, stdout } = await run({ cwd, json: true });
        expect(code).toBe(0);
        const config = JSON.parse(stdout).items[0];
        expect(config).toMatchObject({ id: "config", status: "pass", detail: "valid: blue 1.32, green 1.33; secrets present, not decrypted: argocdAdminPassword" });
        expect(stdout).not.toContain("ENCRYPTED");
    });

    test("a config with errors: one failed item with every problem, exit 2 (bad input, as the README's table says)", async () => {
        const cwd = project({ dev: rawConfig({ clusters: { blue: clusterSpec("1.32", { verison: "1.33" }) }, cutover: { steps: [] } }) });
        const { code, stdout } = await run({ cwd });
        expect(code).toBe(2);
        expect(stdout).toContain(`✗ Stack config: 2 problems in ${path.join(cwd, "stacks", "Pulumi.dev.yaml")}: `);
        expect(stdout).toContain("clusters.blue.verison is not a known setting");
        expect(stdout).toContain("cutover.steps needs at least 1 item");
        expect(stdout).toContain("0 passed, 0 warnings, 1 failed: not ready: fix the failures first");
    });

    test("EKS support is judged on --today", async () => {
        const cwd = project({ dev: rawConfig({ clusters: { blue: clusterSpec("1.29") } }) });
        expect((await run({ cwd, today: "2025-11-25" })).stdout).toContain("! EKS support of blue: 1.29: in extended support");
        const late = await run({ cwd, today: "2026-04-01" });
        expect(late.code).toBe(1);
        expect(late.stdout).toContain("✗ EKS support of blue: 1.29: EKS support ended 2026-03-23");
    });

    describe("bad input: exit 2", () => {
        test("no such stack file", async () => {
            const cwd = project({ dev: rawConfig() });
            const { code, stderr, stdout } = await run({ cwd, stack: "qa" });
            expect(code).toBe(2);
            expect(stdout).toBe("");
            expect(stderr).toBe(`no stack config file ${path.join(cwd, "stacks", "Pulumi.qa.yaml")} (stacks here: dev)\n`);
        });

        test("a bad --today", async () => {
            const { code, stderr } = await run({ cwd: project({ dev: rawConfig() }), today: "25/11/2025" });
            expect(code).toBe(2);
            expect(stderr).toBe('--today "25/11/2025" is not a date like 2025-11-25 (YYYY-MM-DD)\n');
        });

        test("an unreadable or invalid --previous", async () => {
            const cwd = project({ dev: rawConfig() });
            expect((await run({ cwd, previous: path.join(cwd, "none.json") })).code).toBe(2);
            fs.writeFileSync(path.join(cwd, "bad.json"), JSON.stringify({ clusters: { blue: { version: "1.3x" } } }));
            const bad = await run({ cwd, previous: path.join(cwd, "bad.json") });
            expect(bad.code).toBe(2);
            expect(bad.stderr).toBe(`${path.join(cwd, "bad.json")}: clusters.blue.version is not a Kubernetes minor version like "1.32"\n`);
        });
    });
});

describe("the cutover plan, with the cutover's own flags", () => {
    const withApps = () => project({ dev: rawConfig({ routing: albRouting(), cutover: { steps: [10, 50, 100], bake: "10m" } }) });

    test("the steps, bakes, gates and origins, after the checklist and in --json", async () => {
        const cwd = withApps();
        const human = await run({ cwd, max5xxRate: "0.02" });
        expect(human.code).toBe(0);
        expect(human.stdout).toContain(
            "✓ Cutover plan: blue 100% / green 0% (stack config); cutover to green: 0% → 10% → 50% → 100%; steps 10,50,100 (stack config), bake 10m per step (stack config), checks every 1m (default), on failure abort (default); at least 36m\n",
        );
        expect(human.stdout).toContain("✓ Cutover reads AWS with: AWS region eu-west-1 (from the stack), credentials from the default chain (no aws:profile)\n");
        expect(human.stdout).toContain("✓ Cutover gate: target-5xx [traffic]: HTTPCode_Target_5XX_Count / RequestCount per app ≤ 2.00% (max5xxRate, flag)");
        expect(human.stdout).toContain(
            [
                "Cutover plan to green from blue 100% / green 0% (stack config):",
                "  step 1: blue 90% / green 10%, bake 10m, checks every 1m",
                "  step 2: blue 50% / green 50%, bake 10m, checks every 1m",
                "  step 3: blue 0% / green 100%, bake 10m, checks every 1m",
                "  at least 36m when every check passes; on failure abort",
            ].join("\n"),
        );
        const json = JSON.parse((await run({ cwd, json: true, steps: "25,100", onFailure: "previous-step" })).stdout);
        expect(Object.keys(json)).toEqual(["stack", "items", "summary", "plan"]);
        expect(json.plan).toMatchObject({
            target: "green",
            from: "blue",
            start: { blue: 100, green: 0 },
            startFrom: "stack config",
            steps: [
                { step: 1, weights: { blue: 75, green: 25 }, percent: 25, bakeMs: 600_000 },
                { step: 2, weights: { blue: 0, green: 100 }, percent: 100, bakeMs: 600_000 },
            ],
            settings: { steps: { value: [25, 100], origin: "flag" }, bake: { value: "10m", origin: "stack config" }, interval: { value: "1m", origin: "default" }, onFailure: { value: "previous-step", origin: "flag" } },
            minimumDurationMs: 2 * (600_000 + 120_000), // each step's bake, then 2m until its last minutes are published
            problems: [],
        });
        expect(json.plan.gates.map((g: { name: string; kind: string }) => `${g.name} ${g.kind}`)).toEqual([
            "target-5xx traffic", "elb-5xx traffic", "connection-errors traffic", "p99-latency traffic", "compare-colors traffic", "target-health health", "endpoints health", "workloads workload",
        ]);
    });

    test("--to blue plans the way back", async () => {
        const json = JSON.parse((await run({ cwd: withApps(), json: true, to: "blue" })).stdout);
        expect(json.plan.steps).toEqual([]);
        expect(json.items.find((i: { id: string }) => i.id === "weights").detail).toMatch(/cutover to blue: nothing to do, blue already carries 100%$/);
    });

    test("a bake shorter than a metric period plus the settle delay, an interval under a minute: failures naming the flag or config path", async () => {
        const { code, stdout } = await run({ cwd: withApps(), bake: "1m" });
        expect(code).toBe(1);
        expect(stdout).toContain("✗ Cutover timing: --bake (60 s) must be at least one metric period (60 s) plus settleDelay (120 s) = 180 s: a shorter bake can never see a complete, published minute\n");
        const slow = await run({ cwd: withApps(), settleDelay: "10m" });
        expect(slow.code).toBe(1);
        expect(slow.stdout).toContain("✗ Cutover timing: bluegreen:cutover.bake (600 s) must be at least one metric period (60 s) plus settleDelay (600 s) = 660 s");
        const busy = await run({ cwd: withApps(), interval: "30s" });
        expect(busy.stdout).toContain("✗ Cutover timing: --interval (30 s) must be at least 60 s while traffic gates run");
    });

    test("dns mode offline: no traffic gate, so the cutover would refuse unless --allow-ungated", async () => {
        const lb = { dnsName: "k8s-blue-1234.eu-west-1.elb.amazonaws.com", zoneId: "Z32O12XQLNTSW2" };
        const dns = { mode: "dns", weights: { blue: 100, green: 0 }, hostedZoneId: ZONE, apps: [routedApp("shop")], dns: { loadBalancers: { blue: lb, green: lb } } };
        const cwd = project({ dev: rawConfig({ routing: dns }) });
        const refused = await run({ cwd });
        expect(refused.code).toBe(1);
        // Offline the weighted records cannot be followed to the colors' load balancers: no traffic gate.
        expect(refused.stdout).toMatch(/\n! Not gated: dns mode: .*no traffic or target health is read\n/);
        expect(refused.stdout).toMatch(/✗ Cutover would refuse: no traffic gate is active \(dns mode: .*\): the cutover would move users without looking at their errors or latency/);
        const allowed = await run({ cwd, allowUngated: true });
        expect(allowed.code).toBe(0);
        expect(allowed.stdout).not.toContain("Cutover would refuse");
    });

    test("bad flags are bad input (exit 2), with the cutover's own message", async () => {
        const cwd = withApps();
        expect(await run({ cwd, steps: "50,10" })).toMatchObject({ code: 2, stdout: "", stderr: '--steps must be increasing and end at 100, not "50,10"\n' });
        expect(await run({ cwd, bake: "ten minutes" })).toMatchObject({ code: 2, stderr: expect.stringMatching(/^--bake "ten minutes" is not a duration/) });
        expect(await run({ cwd, maxP99Ms: "-5" })).toMatchObject({ code: 2, stderr: expect.stringMatching(/^--max-p99-ms "-5": /) });
    });
});

describe("preflight --live without what it needs", () => {
    const saved = { ...process.env };
    afterEach(() => {
        process.env = { ...saved };
    });

    test("no credentials for the stack's profile: one failed item saying what to do, exit 2, no stack trace", async () => {
        const empty = tempDir("bluegreen-aws-");
        fs.writeFileSync(path.join(empty, "config"), "");
        fs.writeFileSync(path.join(empty, "credentials"), "");
        for (const key of ["AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_PROFILE", "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI", "AWS_CONTAINER_CREDENTIALS_FULL_URI", "AWS_WEB_IDENTITY_TOKEN_FILE"]) delete process.env[key];
        Object.assign(process.env, { AWS_CONFIG_FILE: path.join(empty, "config"), AWS_SHARED_CREDENTIALS_FILE: path.join(empty, "credentials"), AWS_EC2_METADATA_DISABLED: "true" });
        const cwd = project({ dev: rawConfig({ routing: albRouting() }) });
        const file = path.join(cwd, "stacks", "Pulumi.dev.yaml");
        fs.writeFileSync(file, fs.readFileSync(file, "utf8").replace("config:\n", "config:\n  aws:profile: bluegreen-no-such-profile\n"));
        const { code, stdout, stderr } = await run({ cwd, live: true });
        expect(code).toBe(2);
        expect(stdout).toMatch(/\n✗ Live checks: not run: no AWS credentials from profile bluegreen-no-such-profile \(aws:profile\): .*\. Log in \(aws sso login --profile bluegreen-no-such-profile\) and run preflight --live again, or drop --live\n/);
        expect(stdout).not.toMatch(/\bat .*\.(ts|js):\d+/);
        expect(stderr).toBe("");
        // The offline items and the plan are still there.
        expect(stdout).toContain("Cutover plan to green from blue 100% / green 0% (stack config):");
    });
});

describe("previously deployed versions (stack outputs)", () => {
    test("keeps the colors' versions and ignores the other outputs", () => {
        const text = JSON.stringify({ clusters: { blue: { name: "prod-blue", version: "1.32", endpoint: "https://x" }, green: { version: "1.33" } }, albDnsName: "x" });
        expect(parsePreviousDeployment(text, "o.json")).toEqual({ ok: true, previous: { clusters: { blue: { version: "1.32" }, green: { version: "1.33" } } } });
        expect(parsePreviousDeployment('{"clusters": {}}', "o.json")).toEqual({ ok: true, previous: { clusters: {} } });
    });

    test("says what is wrong", () => {
        expect(parsePreviousDeployment("{", "o.json")).toMatchObject({ ok: false, problems: [expect.stringMatching(/^o\.json is not JSON: /)] });
        expect(parsePreviousDeployment("{}", "o.json")).toEqual({ ok: false, problems: ['o.json: clusters is required: an object like { "blue": { "version": "1.32" } }'] });
        expect(parsePreviousDeployment("[]", "o.json")).toEqual({ ok: false, problems: ['o.json: the document must be an object like { "clusters": { "blue": { "version": "1.32" } } }'] });
        expect(parsePreviousDeployment('{"clusters": "blue"}', "o.json")).toEqual({ ok: false, problems: ['o.json: clusters must be an object like { "blue": { "version": "1.32" } }'] });
        expect(parsePreviousDeployment('{"clusters": {"blue": {"version": 1.32}}}', "o.json")).toEqual({ ok: false, problems: ['o.json: clusters.blue.version must be the deployed Kubernetes version as a string like "1.32"'] });
        expect(parsePreviousDeployment('{"clusters": {"green": {}}}', "o.json")).toEqual({
            ok: false,
            problems: ['o.json: clusters.green.version is required: the deployed Kubernetes version as a string like "1.32"'],
        });
    });
});
