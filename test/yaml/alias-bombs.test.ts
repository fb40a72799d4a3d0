/**
 * YAML alias bombs ("billion laughs") through every command that reads YAML: each is refused with
 * exit 2 and the file named, long before it could expand. On the old code these ran out of memory
 * or hung, so each test here fails by timing out or by crashing the worker.
 */
import * as fs from "fs";
import * as path from "path";
import * as yaml from "js-yaml";
import { deployEnvironment } from "../../components/environment";
import { runCheckApisCommand } from "../../src/cli/commands/check-apis";
import { runCrdDiff } from "../../src/cli/commands/crd-diff";
import { runPlanCommand } from "../../src/cli/commands/plan";
import { runPreflightCommand } from "../../src/cli/commands/preflight";
import { loadYaml, loadYamlDocuments, YamlLimitError } from "../../src/yaml";
import { crdObject } from "../crd/builders";
import { tempDir } from "../helpers/temp-dir";

const projectDir = path.join(__dirname, "..", "..");

/** Nine levels of nine aliases: 9^9 (387 million) leaves from about 700 bytes of text. */
function bomb(indent = ""): string {
    const lines = [`${indent}l0: &l0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]`];
    for (let i = 1; i <= 9; i++) lines.push(`${indent}l${i}: &l${i} [${Array(9).fill(`*l${i - 1}`).join(", ")}]`);
    return lines.join("\n") + "\n";
}

function tempFile(name: string, text: string): string {
    const dir = tempDir("bluegreen-yaml-");
    const file = path.join(dir, name);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, text);
    return file;
}

function capture() {
    const out = { stdout: "", stderr: "" };
    return { out, io: { stdout: (t: string) => (out.stdout += t), stderr: (t: string) => (out.stderr += t) } };
}

describe("the safe YAML loader", () => {
    test("refuses a 1 KB alias bomb, naming the file, without expanding it", () => {
        const text = bomb();
        expect(text.length).toBeLessThan(1024);
        expect(() => loadYaml(text, { file: "bomb.yaml" })).toThrow(YamlLimitError);
        expect(() => loadYaml(text, { file: "bomb.yaml" })).toThrow(/^bomb\.yaml uses YAML aliases \(\*name\) that expand 101 nodes into \d{10}, more than the 100000/);
        expect(() => loadYamlDocuments(`a: 1\n---\n${text}`, { file: "two.yaml" })).toThrow(/^two\.yaml uses YAML aliases/);
    });

    test("accepts the anchors real files use (Helm values reusing a block a few times) and gives the same value as js-yaml", () => {
        const text = "defaults: &d {cpu: 100m, memory: 128Mi, labels: {a: b}}\nweb: *d\nworker: *d\njobs: [*d, *d, *d]\nmerged: {<<: *d, cpu: 1}\n";
        expect(loadYaml(text, { file: "values.yaml" })).toEqual(yaml.load(text));
    });

    test("refuses text longer than the limit, and a bomb just over the expansion limit", () => {
        expect(() => loadYaml("a: 1\n".repeat(10), { file: "big.yaml", maxChars: 20 })).toThrow(/^big\.yaml is 50 characters, more than the 20/);
        const wide = `x: &x [${Array(100).fill("1").join(",")}]\ny: [${Array(20).fill("*x").join(",")}]\n`;
        expect(() => loadYaml(wide, { file: "w.yaml", maxAliasExpansion: 1000 })).toThrow(YamlLimitError);
        expect(loadYaml(wide, { file: "w.yaml", maxAliasExpansion: 5000 })).toBeDefined();
    });

    test("duplicate keys and tabs stay YAML errors (json mode lets the later key win, as kubectl does)", () => {
        expect(() => loadYaml("a: 1\na: 2\n", { file: "d.yaml" })).toThrow(/duplicated mapping key/);
        expect(loadYaml("a: 1\na: 2\n", { file: "d.yaml", json: true })).toEqual({ a: 2 });
        expect(() => loadYaml("a:\n\tb: 1\n", { file: "t.yaml" })).toThrow(yaml.YAMLException);
    });
});

describe("every command that reads YAML refuses an alias bomb with exit 2 and the file named", () => {
    test("plan: a stack file", async () => {
        const file = tempFile("Pulumi.bomb.yaml", `config:\n  aws:region: eu-west-1\n  bluegreen:gitops:\n${bomb("    ")}`);
        const { out, io } = capture();
        const code = await runPlanCommand({ stack: file, set: [], json: false, cwd: projectDir }, io, deployEnvironment);
        expect(code).toBe(2);
        expect(out.stderr).toContain(`${file} uses YAML aliases`);
    });

    test("check-apis: a manifest, and the summary does not claim a clean scan", async () => {
        const file = tempFile("manifests/bomb.yaml", `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\ndata:\n${bomb("  ")}`);
        const { out, io } = capture();
        const code = await runCheckApisCommand({ target: "1.33", json: false, paths: [path.dirname(file)] }, { ...io, readStdin: async () => "" });
        expect(code).toBe(2);
        expect(out.stderr).toContain(`${file} uses YAML aliases`);
        expect(out.stdout).not.toMatch(/No API version/);
    });

    test("check-apis: an extra rules file", async () => {
        const rules = tempFile("rules.yaml", `- ${bomb().trim().split("\n").join("\n  ")}`);
        const { out, io } = capture();
        const code = await runCheckApisCommand({ target: "1.33", json: false, paths: ["-"], extraRules: rules }, { ...io, readStdin: async () => "" });
        expect(code).toBe(2);
        expect(out.stderr).toContain(`${rules} uses YAML aliases`);
    });

    test("crd-diff: a CRD with a bomb in its schema, a rules file, and a kustomization", async () => {
        const crd = crdObject() as { spec: { versions: Array<{ schema: { openAPIV3Schema: Record<string, unknown> } }> } };
        const good = tempFile("good.yaml", yaml.dump(crd));
        const crdText = yaml.dump(crd).replace(/^spec:\n/m, `spec:\n  x-bomb:\n${bomb("    ")}`);
        const bad = tempFile("crd.yaml", crdText);
        let { out, io } = capture();
        expect(await runCrdDiff({ old: good, new: bad, json: false, failOn: "breaking", cache: false }, io)).toBe(2);
        expect(out.stderr).toContain(`${bad} uses YAML aliases`);

        const rules = tempFile("rules.yaml", `rules:\n  field-added: breaking\nextra:\n${bomb("  ")}`);
        ({ out, io } = capture());
        expect(await runCrdDiff({ old: good, new: good, json: false, failOn: "breaking", cache: false, rules }, io)).toBe(2);
        expect(out.stderr).toContain(`${rules} uses YAML aliases`);

        const kustomization = tempFile("k/kustomization.yaml", `resources: [crd.yaml]\n${bomb()}`);
        fs.copyFileSync(good, path.join(path.dirname(kustomization), "crd.yaml"));
        ({ out, io } = capture());
        expect(await runCrdDiff({ old: good, new: path.dirname(kustomization), json: false, failOn: "breaking", cache: false }, io)).toBe(2);
        expect(out.stderr).toContain(`${kustomization} uses YAML aliases`);
    });

    test("preflight --manifests: exit 2, the file named", async () => {
        const manifests = tempFile("gitops/bomb.yaml", `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\ndata:\n${bomb("  ")}`);
        const { out, io } = capture();
        const code = await runPreflightCommand({ stack: "prod", json: false, today: "2026-11-25", cwd: projectDir, manifests: path.dirname(manifests) }, io);
        expect(code).toBe(2);
        expect(out.stdout + out.stderr).toContain(`${manifests} uses YAML aliases`);
    });
});
