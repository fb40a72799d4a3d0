import * as fs from "fs";
import * as path from "path";
import fc from "fast-check";
import * as yaml from "js-yaml";
import { ApiFinding, BUILT_IN_API_RULES, indexApiRules, isRemovedBy, parseManifestDocuments, scanManifestText } from "../../src/apis";
import { minorOf, minorVersion } from "../../src/versions";

const rules = indexApiRules(BUILT_IN_API_RULES);
const fixture = (name: string) => fs.readFileSync(path.join(__dirname, "fixtures", name), "utf8");

function scan(text: string, target: string, file = "m.yaml"): ApiFinding[] {
    const result = scanManifestText(text, file, target, rules);
    if (!result.ok) throw new Error(result.error);
    return result.findings;
}

const manifest = (apiVersion: string, kind: string, name = "x", namespace?: string) =>
    yaml.dump({ apiVersion, kind, metadata: { name, ...(namespace ? { namespace } : {}) } });

describe("the built-in table", () => {
    test("has removals in every release of the migration guide", () => {
        const releases = [...new Set(BUILT_IN_API_RULES.map((r) => r.removedIn))].sort((a, b) => minorOf(a!) - minorOf(b!));
        expect(releases).toEqual(["1.16", "1.22", "1.25", "1.26", "1.27", "1.29", "1.32"]);
    });

    test("has no duplicate (apiVersion, kind) rows, and every row is deprecated before or when it is removed", () => {
        const keys = BUILT_IN_API_RULES.map((r) => `${r.apiVersion} ${r.kind}`);
        expect(new Set(keys).size).toBe(keys.length);
        for (const rule of BUILT_IN_API_RULES) expect(minorOf(rule.deprecatedIn)).toBeLessThanOrEqual(minorOf(rule.removedIn!));
    });

    test.each(BUILT_IN_API_RULES.map((r) => [r.apiVersion, r.kind, r] as const))("%s %s: removed from its release on, deprecated before, absent before deprecation", (apiVersion, kind, rule) => {
        const text = manifest(apiVersion, kind);
        const removed = rule.removedIn!;
        expect(scan(text, removed)).toEqual([expect.objectContaining({ apiVersion, kind, deprecatedIn: rule.deprecatedIn, removedIn: removed })]);
        expect(isRemovedBy(scan(text, removed)[0], removed)).toBe(true);
        const before = minorVersion(minorOf(removed) - 1);
        if (minorOf(rule.deprecatedIn) <= minorOf(before)) expect(isRemovedBy(scan(text, before)[0], before)).toBe(false);
        expect(scan(text, minorVersion(minorOf(rule.deprecatedIn) - 1))).toEqual([]);
    });

    test.each([
        ["1.16", "extensions/v1beta1", "Deployment", "apps/v1"],
        ["1.16", "apps/v1beta2", "DaemonSet", "apps/v1"],
        ["1.22", "extensions/v1beta1", "Ingress", "networking.k8s.io/v1"],
        ["1.22", "admissionregistration.k8s.io/v1beta1", "ValidatingWebhookConfiguration", "admissionregistration.k8s.io/v1"],
        ["1.22", "apiextensions.k8s.io/v1beta1", "CustomResourceDefinition", "apiextensions.k8s.io/v1"],
        ["1.25", "policy/v1beta1", "PodSecurityPolicy", null],
        ["1.25", "batch/v1beta1", "CronJob", "batch/v1"],
        ["1.25", "autoscaling/v2beta1", "HorizontalPodAutoscaler", "autoscaling/v2"],
        ["1.26", "autoscaling/v2beta2", "HorizontalPodAutoscaler", "autoscaling/v2"],
        ["1.26", "flowcontrol.apiserver.k8s.io/v1beta1", "FlowSchema", "flowcontrol.apiserver.k8s.io/v1beta2"],
        ["1.27", "storage.k8s.io/v1beta1", "CSIStorageCapacity", "storage.k8s.io/v1"],
        ["1.29", "flowcontrol.apiserver.k8s.io/v1beta2", "PriorityLevelConfiguration", "flowcontrol.apiserver.k8s.io/v1"],
        ["1.32", "flowcontrol.apiserver.k8s.io/v1beta3", "FlowSchema", "flowcontrol.apiserver.k8s.io/v1"],
    ])("removed in %s: %s %s → %s", (removedIn, apiVersion, kind, replacement) => {
        expect(scan(manifest(apiVersion, kind), removedIn)).toEqual([
            expect.objectContaining({ apiVersion, kind, removedIn, replacement }),
        ]);
    });
});

describe("replacements the target still serves", () => {
    test("a replacement removed by the target is followed to its own replacement", () => {
        const psp = manifest("extensions/v1beta1", "PodSecurityPolicy");
        expect(scan(psp, "1.20")[0].replacement).toBe("policy/v1beta1");
        expect(scan(psp, "1.25")[0].replacement).toBeNull();
        const flowSchema = manifest("flowcontrol.apiserver.k8s.io/v1beta1", "FlowSchema");
        expect(scan(flowSchema, "1.26")[0].replacement).toBe("flowcontrol.apiserver.k8s.io/v1beta2");
        expect(scan(flowSchema, "1.33")[0].replacement).toBe("flowcontrol.apiserver.k8s.io/v1");
    });
});

describe("documents", () => {
    test("Helm-rendered output: # Source comments, empty documents counted in the index", () => {
        const findings = scan(fixture("helm-rendered.yaml"), "1.26", "chart.yaml");
        expect(findings.map((f) => [f.index, f.kind, f.apiVersion, f.removedIn])).toEqual([
            [1, "PodDisruptionBudget", "policy/v1beta1", "1.25"],
            [4, "HorizontalPodAutoscaler", "autoscaling/v2beta2", "1.26"],
            [5, "CronJob", "batch/v1beta1", "1.25"],
        ]);
        expect(findings[0]).toEqual({
            file: "chart.yaml",
            index: 1,
            kind: "PodDisruptionBudget",
            name: "legacy-shop",
            apiVersion: "policy/v1beta1",
            deprecatedIn: "1.21",
            removedIn: "1.25",
            replacement: "policy/v1",
        });
    });

    test("Kustomize output: namespaced names", () => {
        expect(scan(fixture("kustomize-output.yaml"), "1.33").map((f) => [f.index, f.kind, f.name])).toEqual([
            [1, "Role", "shop/shop-reader"],
            [2, "Ingress", "shop/shop-web"],
        ]);
    });

    test("a List (JSON, as kubectl prints it) yields its items, all at the List's document index", () => {
        const findings = scan(fixture("kubectl-list.json"), "1.29");
        expect(findings.map((f) => [f.index, f.kind, f.name, isRemovedBy(f, "1.29")])).toEqual([
            [0, "FlowSchema", "shop-batch", false],
            [0, "CSIStorageCapacity", "storage/capacity-a", true],
        ]);
    });

    test("items of a typed list inherit the list's apiVersion and kind", () => {
        const text = yaml.dump({ apiVersion: "batch/v1beta1", kind: "CronJobList", items: [{ metadata: { name: "a", namespace: "ops" } }] });
        expect(scan(text, "1.25")).toEqual([expect.objectContaining({ kind: "CronJob", apiVersion: "batch/v1beta1", name: "ops/a" })]);
    });

    test("objects without a name show their generateName, or that they have none", () => {
        const text = "apiVersion: batch/v1beta1\nkind: CronJob\nmetadata:\n  generateName: nightly-\n---\napiVersion: batch/v1beta1\nkind: CronJob\n";
        expect(scan(text, "1.25").map((f) => f.name)).toEqual(["nightly-*", "<no name>"]);
    });

    test("documents that are not Kubernetes objects are ignored", () => {
        expect(scan("replicaCount: 2\nimage: {tag: x}\n---\n- a\n- b\n---\nplain text\n", "1.33")).toEqual([]);
    });

    test("invalid YAML names the file and the line", () => {
        const result = scanManifestText("apiVersion: v1\nkind: [ConfigMap\n", "bad.yaml", "1.33", rules);
        expect(result.ok).toBe(false);
        expect(!result.ok && result.error).toMatch(/^bad\.yaml is not valid YAML \(line 3, column 1\): .+: fix it/);
        expect(parseManifestDocuments("a: 1\na: 2\n", "dup.yaml")).toEqual({ ok: true, documents: [{ a: 2 }] });
    });
});

describe("properties", () => {
    const knownApiVersions = new Set(BUILT_IN_API_RULES.map((r) => r.apiVersion));
    const target = fc.integer({ min: 10, max: 40 }).map(minorVersion);
    const kind = fc.constantFrom(...new Set(BUILT_IN_API_RULES.map((r) => r.kind)), "ConfigMap", "Widget");
    const name = fc.stringMatching(/^[a-z][a-z0-9-]{0,20}$/);

    test("an apiVersion that is not in the table never produces a finding", () => {
        const apiVersion = fc
            .tuple(fc.stringMatching(/^[a-z]{1,10}(\.[a-z]{1,8}){0,2}$/), fc.constantFrom("v1", "v1beta1", "v2alpha1", "v1beta3"))
            .map(([group, version]) => `${group}/${version}`)
            .filter((v) => !knownApiVersions.has(v));
        fc.assert(
            fc.property(fc.array(fc.tuple(apiVersion, kind, name), { maxLength: 6 }), target, (objects, t) => {
                const text = objects.map(([a, k, n]) => manifest(a, k, n)).join("---\n");
                expect(scan(text, t)).toEqual([]);
            }),
        );
    });

    test("the order of documents does not change the set of findings", () => {
        const apiVersion = fc.constantFrom(...knownApiVersions, "apps/v1", "v1");
        fc.assert(
            fc.property(
                fc.array(fc.tuple(apiVersion, kind, name), { minLength: 1, maxLength: 8 }).chain((objects) => fc.tuple(fc.constant(objects), fc.shuffledSubarray(objects, { minLength: objects.length, maxLength: objects.length }))),
                target,
                ([objects, shuffled], t) => {
                    const key = (f: ApiFinding) => `${f.kind}|${f.name}|${f.apiVersion}|${f.deprecatedIn}|${f.removedIn}|${f.replacement}`;
                    const findings = (list: typeof objects) => scan(list.map(([a, k, n]) => manifest(a, k, n)).join("---\n"), t).map(key).sort();
                    expect(findings(shuffled)).toEqual(findings(objects));
                },
            ),
        );
    });

    test("a finding is reported only when the target is at or past its deprecation, and it is removed exactly from removedIn on", () => {
        fc.assert(
            fc.property(fc.constantFrom(...BUILT_IN_API_RULES), target, (rule, t) => {
                const findings = scan(manifest(rule.apiVersion, rule.kind), t);
                expect(findings.length).toBe(minorOf(t) >= minorOf(rule.deprecatedIn) ? 1 : 0);
                if (findings.length) expect(isRemovedBy(findings[0], t)).toBe(minorOf(t) >= minorOf(rule.removedIn!));
            }),
        );
    });
});
