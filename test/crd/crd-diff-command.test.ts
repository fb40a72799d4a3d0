import * as fs from "fs";
import * as path from "path";
import { failsAt, runCrdDiff, SourceLoader } from "../../src/cli/commands/crd-diff";
import { CrdSourceError } from "../../src/crd/sources/types";
import { crdObject, mutatedSchema } from "./builders";
import { tempDir } from "../helpers/temp-dir";

const sources: Record<string, Array<Record<string, unknown>>> = {
    base: [crdObject()],
    enumAdded: [crdObject({ versions: [{ schema: mutatedSchema((s) => s.properties.color.enum.push("green")) }] })],
    removed: [crdObject({ versions: [{ schema: mutatedSchema((s) => delete s.properties.color) }] }), crdObject({ name: "gadgets.example.com" })],
    docs: [crdObject({ versions: [{ schema: mutatedSchema((s) => (s.properties.size.description = "size")) }] })],
};

const memoryLoader: SourceLoader = async (spec) => {
    if (spec === "unreachable") throw new CrdSourceError("could not fetch https://charts.example.com/index.yaml: HTTP 404 Not Found; point the source at a mirror");
    if (spec === "broken") return { spec, live: false, streams: [{ origin: "broken.yaml", text: "a: [" }] };
    return { spec, live: false, streams: sources[spec].map((o, i) => ({ origin: `${spec}-${i}.json`, text: JSON.stringify(o) })) };
};

async function run(old: string, next: string, extra: Partial<Parameters<typeof runCrdDiff>[0]> = {}) {
    let stdout = "";
    let stderr = "";
    const code = await runCrdDiff({ old, new: next, json: false, failOn: "breaking", cache: false, ...extra }, { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t) }, memoryLoader);
    return { code, stdout, stderr };
}

describe("bluegreen crd-diff", () => {
    test("--json prints exactly the documented shape", async () => {
        const { code, stdout } = await run("base", "removed", { json: true });
        expect(code).toBe(1);
        const parsed = JSON.parse(stdout);
        expect(Object.keys(parsed)).toEqual(["verdict", "changes", "summary"]);
        expect(parsed.verdict).toBe("breaking");
        expect(parsed.summary).toEqual({ breaking: 1, compatible: 1, cosmetic: 0 });
        for (const change of parsed.changes) expect(Object.keys(change)).toEqual(["crd", "version", "path", "class", "rule", "message"]);
        expect(parsed.changes[0]).toMatchObject({ crd: "widgets.example.com", version: "v1", path: ".spec.color", class: "breaking", rule: "field-removed" });
    });

    test("human output groups by CRD and version, breaking first, and ends with the verdict and counts", async () => {
        const { stdout } = await run("base", "removed");
        const lines = stdout.trim().split("\n");
        expect(lines[0]).toBe("CRD diff: base → removed");
        expect(stdout.indexOf("widgets.example.com")).toBeLessThan(stdout.indexOf("gadgets.example.com"));
        expect(stdout).toMatch(/widgets\.example\.com\n  version v1\n    ✗ breaking\s+\.spec\.color  \.spec\.color is removed  \[field-removed\]/);
        expect(lines[lines.length - 1]).toBe("Verdict: breaking (1 breaking, 1 compatible, 0 cosmetic)");
    });

    test.each<[string, string, "breaking" | "compatible" | "any", number]>([
        ["base", "base", "any", 0],
        ["base", "docs", "breaking", 0],
        ["base", "docs", "compatible", 0],
        ["base", "docs", "any", 1],
        ["base", "enumAdded", "breaking", 0],
        ["base", "enumAdded", "compatible", 1],
        ["base", "removed", "breaking", 1],
    ])("%s → %s with --fail-on %s exits %i", async (old, next, failOn, expected) => {
        expect((await run(old, next, { failOn })).code).toBe(expected);
    });

    test("--rules moves a rule to another class", async () => {
        const dir = tempDir("bluegreen-rules-");
        const rules = path.join(dir, "rules.yaml");
        fs.writeFileSync(rules, "rules:\n  enum-value-added: breaking\n");
        const { code, stdout } = await run("base", "enumAdded", { rules, json: true });
        expect(code).toBe(1);
        expect(JSON.parse(stdout).changes[0]).toMatchObject({ rule: "enum-value-added", class: "breaking" });
        fs.writeFileSync(rules, "rules:\n  enum-added-value: breaking\n");
        const bad = await run("base", "enumAdded", { rules });
        expect(bad.code).toBe(2);
        expect(bad.stderr).toMatch(/"enum-added-value" is not a rule id/);
    });

    test("bad input and unreachable sources exit 2 with the reason on stderr", async () => {
        const unreachable = await run("unreachable", "base");
        expect(unreachable.code).toBe(2);
        expect(unreachable.stdout).toBe("");
        expect(unreachable.stderr).toMatch(/HTTP 404.*mirror/);
        const broken = await run("broken", "base");
        expect(broken.code).toBe(2);
        expect(broken.stderr).toMatch(/broken\.yaml is not valid YAML or JSON/);
    });

    test("failsAt never fails an identical result", () => {
        expect(failsAt("identical", "any")).toBe(false);
        expect(failsAt("cosmetic", "any")).toBe(true);
    });
});
