import * as os from "os";
import * as path from "path";
import { CheckApisOptions, runCheckApisCommand } from "../../src/cli/commands/check-apis";
import { tempDir as emptyTempDir, writeTree } from "../helpers/temp-dir";

const fixtures = path.join(__dirname, "fixtures");

async function run(options: Partial<CheckApisOptions>, stdin = "") {
    let stdout = "";
    let stderr = "";
    const code = await runCheckApisCommand(
        { target: "1.33", json: false, paths: [], ...options },
        { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t), readStdin: async () => stdin },
    );
    return { code, stdout, stderr };
}

const tempDir = (files: Record<string, string>): string => writeTree(emptyTempDir("bluegreen-apis-"), files);

const deployment = "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web, namespace: shop}\n";
const flowSchemaV1beta3 = "apiVersion: flowcontrol.apiserver.k8s.io/v1beta3\nkind: FlowSchema\nmetadata: {name: batch}\n";

describe("bluegreen check-apis", () => {
    test("exit 0 with nothing to report", async () => {
        const { code, stdout, stderr } = await run({ paths: ["-"] }, deployment);
        expect(code).toBe(0);
        expect(stderr).toBe("");
        expect(stdout).toBe("No API version deprecated or removed by Kubernetes 1.33 in 1 document of 1 file.\n");
    });

    test("exit 0 when APIs are only deprecated: they are shown as warnings", async () => {
        const { code, stdout } = await run({ target: "1.30", paths: ["-"] }, flowSchemaV1beta3);
        expect(code).toBe(0);
        expect(stdout).toBe(
            "Kubernetes 1.30 API check in 1 document of 1 file:\n" +
                "! deprecated  <stdin>#0  FlowSchema batch: flowcontrol.apiserver.k8s.io/v1beta3 deprecated in 1.29, removed in 1.32 → flowcontrol.apiserver.k8s.io/v1\n\n" +
                "1 deprecated but still served by 1.30.\n",
        );
    });

    test("exit 1 when something is removed in the target; every file and document is named", async () => {
        const { code, stdout } = await run({ target: "1.26", paths: [path.join(fixtures, "helm-rendered.yaml"), path.join(fixtures, "kubectl-list.json")] });
        expect(code).toBe(1);
        const file = path.join(fixtures, "helm-rendered.yaml");
        expect(stdout).toContain(`✗ removed     ${file}#1  PodDisruptionBudget legacy-shop: policy/v1beta1 removed in 1.25 → policy/v1`);
        expect(stdout).toContain(`✗ removed     ${file}#4  HorizontalPodAutoscaler legacy-shop: autoscaling/v2beta2 removed in 1.26 → autoscaling/v2`);
        expect(stdout).toContain(`! deprecated  ${path.join(fixtures, "kubectl-list.json")}#0  CSIStorageCapacity storage/capacity-a: storage.k8s.io/v1beta1 deprecated in 1.24, removed in 1.27 → storage.k8s.io/v1`);
        expect(stdout.trim().split("\n").pop()).toBe("3 removed in 1.26 (migrate before upgrading), 1 deprecated but still served by 1.26.");
        expect(stdout).toContain("in 7 documents of 2 files");
    });

    test("a removed API without successor says what to do instead", async () => {
        const { code, stdout } = await run({ target: "1.25", paths: ["-"] }, "apiVersion: policy/v1beta1\nkind: PodSecurityPolicy\nmetadata: {name: restricted}\n");
        expect(code).toBe(1);
        expect(stdout).toContain("PodSecurityPolicy restricted: policy/v1beta1 removed in 1.25, no replacement: PodSecurityPolicy has no successor API: delete it and enforce with Pod Security Admission");
    });

    test("--json has exactly the documented shape", async () => {
        const { code, stdout } = await run({ target: "1.25", json: true, paths: ["-"] }, `${deployment}---\n${"apiVersion: batch/v1beta1\nkind: CronJob\nmetadata: {name: nightly, namespace: ops}\n"}`);
        expect(code).toBe(1);
        expect(JSON.parse(stdout)).toStrictEqual({
            target: "1.25",
            findings: [
                {
                    file: "<stdin>",
                    index: 1,
                    kind: "CronJob",
                    name: "ops/nightly",
                    apiVersion: "batch/v1beta1",
                    deprecatedIn: "1.21",
                    removedIn: "1.25",
                    replacement: "batch/v1",
                },
            ],
        });
    });

    test("directories are searched recursively for .yaml/.yml/.json; hidden dirs and Helm chart templates are skipped", async () => {
        const dir = tempDir({
            "apps/shop/ingress.yml": "apiVersion: networking.k8s.io/v1beta1\nkind: Ingress\nmetadata: {name: shop}\n",
            "apps/shop/README.md": "apiVersion: extensions/v1beta1\nkind: Ingress\n",
            "apps/api/hpa.json": '{"apiVersion":"autoscaling/v2beta1","kind":"HorizontalPodAutoscaler","metadata":{"name":"api"}}',
            ".github/workflows/ci.yaml": "apiVersion: batch/v1beta1\nkind: CronJob\n",
            "charts/legacy/Chart.yaml": "apiVersion: v2\nname: legacy\nversion: 0.1.0\n",
            "charts/legacy/templates/cronjob.yaml": "apiVersion: batch/v1beta1\nkind: CronJob\nmetadata:\n  name: {{ .Release.Name }}\n{{- if .Values.x }}\n",
        });
        const { code, stdout, stderr } = await run({ json: true, paths: [dir] });
        expect(code).toBe(1);
        const findings = JSON.parse(stdout).findings as Array<{ file: string; kind: string }>;
        expect(findings.map((f) => [path.relative(dir, f.file), f.kind])).toEqual([
            [path.join("apps", "api", "hpa.json"), "HorizontalPodAutoscaler"],
            [path.join("apps", "shop", "ingress.yml"), "Ingress"],
        ]);
        expect(stderr).toBe(
            `skipped ${path.join(dir, "charts", "legacy", "templates")}: Helm chart templates are not YAML until rendered; scan \`helm template ${path.join(dir, "charts", "legacy")} | bluegreen check-apis --target <1.NN> -\`\n`,
        );
    });

    test("extra rules add custom resources", async () => {
        const dir = tempDir({ "rules.yaml": '- {apiVersion: cert-manager.io/v1alpha2, kind: "*", deprecatedIn: "1.20", removedIn: "1.24", replacement: cert-manager.io/v1}\n' });
        const { code, stdout } = await run({ extraRules: path.join(dir, "rules.yaml"), paths: ["-"] }, "apiVersion: cert-manager.io/v1alpha2\nkind: Issuer\nmetadata: {name: letsencrypt, namespace: shop}\n");
        expect(code).toBe(1);
        expect(stdout).toContain("Issuer shop/letsencrypt: cert-manager.io/v1alpha2 removed in 1.24 → cert-manager.io/v1");
    });

    describe("bad input: exit 2", () => {
        test.each(["v1.33", "1.33.1", "133", "latest"])("target %j", async (target) => {
            const { code, stderr, stdout } = await run({ target, paths: ["-"] }, deployment);
            expect(code).toBe(2);
            expect(stdout).toBe("");
            expect(stderr).toBe(`--target "${target}" is not a Kubernetes minor version like "1.33"\n`);
        });

        test("an unreadable path, while the readable ones are still reported", async () => {
            const missing = path.join(os.tmpdir(), "bluegreen-no-such-dir", "x.yaml");
            const { code, stderr, stdout } = await run({ target: "1.25", paths: [missing, "-"] }, "apiVersion: batch/v1beta1\nkind: CronJob\nmetadata: {name: a}\n");
            expect(code).toBe(2);
            expect(stderr.split("\n")[0]).toBe(`cannot read ${missing}: no such file or directory`);
            expect(stderr).toContain("1 input could not be scanned (above)");
            expect(stdout).toContain("CronJob a");
        });

        test("invalid YAML, with the file name and line", async () => {
            const dir = tempDir({ "broken.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n   namespace: b\n" });
            const { code, stderr } = await run({ paths: [dir] });
            expect(code).toBe(2);
            expect(stderr).toMatch(new RegExp(`^${path.join(dir, "broken.yaml").replace(/[.*+?^${}()|[\]\\]/g, "\\$&")} is not valid YAML \\(line 5, column \\d+\\): `));
        });

        test("bad extra rules, each with its row index, before anything is scanned", async () => {
            const dir = tempDir({ "rules.yaml": '- {apiVersion: example.com/v1, kind: Widget, deprecatedIn: "1.30"}\n- {apiVersion: example.com/v1, kind: Gadget, deprecatedIn: "soon"}\n' });
            const file = path.join(dir, "rules.yaml");
            const { code, stderr, stdout } = await run({ extraRules: file, paths: ["-"] }, deployment);
            expect(code).toBe(2);
            expect(stdout).toBe("");
            expect(stderr).toBe(`The extra rules have 1 problem; please fix them:\n  - ${file} row 1 (example.com/v1 Gadget): deprecatedIn "soon" is not a Kubernetes minor version like "1.33"\n`);
        });

        test("a missing extra rules file", async () => {
            const { code, stderr } = await run({ extraRules: "/nonexistent/rules.yaml", paths: ["-"] }, deployment);
            expect(code).toBe(2);
            expect(stderr).toMatch(/^cannot read the extra rules file \/nonexistent\/rules\.yaml: /);
        });
    });
});

describe("bluegreen check-apis: no verdict without input", () => {
    test("an unreadable file and nothing else: the error, no 'no API removed in 0 documents' line, exit 2", async () => {
        const missing = path.join(os.tmpdir(), "bluegreen-no-such-dir", "x.yaml");
        const { code, stdout, stderr } = await run({ paths: [missing] });
        expect(code).toBe(2);
        expect(stdout).toBe("");
        expect(stderr).toContain(`cannot read ${missing}`);
    });
});
