import { CrdInputError, diffCrdSets, parseCrdStreams, parseRuleOverrides, RULES, RuleOverridesError, verdictAtMost } from "../../src/crd";
import { crdObject, mutatedSchema, reverseKeys, setOf } from "./builders";

const base = () => setOf([crdObject()]);

function diffWith(schema: Record<string, unknown>) {
    return diffCrdSets(base(), setOf([crdObject({ versions: [{ schema }] })]));
}

function rulesOf(result: ReturnType<typeof diffCrdSets>): string[] {
    return result.changes.map((c) => `${c.rule} ${c.path}`).sort();
}

describe("CRD diff: schema rules", () => {
    test.each<[string, (spec: any) => void, string, string]>([
        ["field removed", (s) => delete s.properties.color, "field-removed .spec.color", "breaking"],
        ["nested field removed", (s) => delete s.properties.sync.properties.automated.properties.enabled, "field-removed .spec.sync.automated.enabled", "breaking"],
        ["optional field added", (s) => (s.properties.extra = { type: "string" }), "field-added .spec.extra", "compatible"],
        ["required field added", (s) => { s.properties.owner = { type: "string" }; s.required.push("owner"); }, "required-field-added .spec.owner", "breaking"],
        ["existing field made required", (s) => s.required.push("color"), "field-made-required .spec.color", "breaking"],
        ["required made optional", (s) => (s.required = []), "field-made-optional .spec.size", "compatible"],
        ["type changed", (s) => (s.properties.size.type = "string"), "type-changed .spec.size", "breaking"],
        ["int-or-string added", (s) => (s.properties.size["x-kubernetes-int-or-string"] = true), "type-changed .spec.size", "breaking"],
        ["enum value added", (s) => s.properties.color.enum.push("green"), "enum-value-added .spec.color", "compatible"],
        ["enum value removed", (s) => (s.properties.color.enum = ["red"]), "enum-value-removed .spec.color", "breaking"],
        ["enum added where there was none", (s) => (s.properties.mode.enum = ["auto", "manual"]), "enum-added .spec.mode", "breaking"],
        ["enum removed", (s) => delete s.properties.color.enum, "enum-removed .spec.color", "compatible"],
        ["maximum tightened", (s) => (s.properties.size.maximum = 5), "limit-tightened .spec.size", "breaking"],
        ["minimum tightened", (s) => (s.properties.size.minimum = 2), "limit-tightened .spec.size", "breaking"],
        ["maximum loosened", (s) => (s.properties.size.maximum = 50), "limit-loosened .spec.size", "compatible"],
        ["limit added", (s) => (s.properties.mode.minLength = 1), "limit-tightened .spec.mode", "breaking"],
        ["limit removed", (s) => delete s.properties.name.maxLength, "limit-loosened .spec.name", "compatible"],
        ["maxItems tightened", (s) => (s.properties.tags.maxItems = 3), "limit-tightened .spec.tags", "breaking"],
        ["pattern changed", (s) => (s.properties.name.pattern = "^[a-z0-9]+$"), "pattern-changed .spec.name", "breaking"],
        ["pattern added", (s) => (s.properties.mode.pattern = "^a"), "pattern-changed .spec.mode", "breaking"],
        ["pattern removed", (s) => delete s.properties.name.pattern, "pattern-removed .spec.name", "compatible"],
        ["default changed", (s) => (s.properties.mode.default = "manual"), "default-changed .spec.mode", "breaking"],
        ["default added", (s) => (s.properties.color.default = "red"), "default-changed .spec.color", "breaking"],
        ["default removed", (s) => delete s.properties.mode.default, "default-changed .spec.mode", "breaking"],
        ["nullable changed", (s) => (s.properties.mode.nullable = true), "nullable-changed .spec.mode", "breaking"],
        ["validation rule added", (s) => (s["x-kubernetes-validations"] = [{ rule: "self.size < 5" }]), "validation-rule-added .spec", "breaking"],
        ["array items changed type", (s) => (s.properties.tags.items.type = "integer"), "type-changed .spec.tags[*]", "breaking"],
        ["map values changed type", (s) => (s.properties.labels.additionalProperties.type = "integer"), "type-changed .spec.labels.*", "breaking"],
        ["preserve-unknown-fields turned on", (s) => (s["x-kubernetes-preserve-unknown-fields"] = true), "unknown-fields-preserved .spec", "compatible"],
        ["list type changed", (s) => (s.properties.tags["x-kubernetes-list-type"] = "set"), "list-semantics-changed .spec.tags", "breaking"],
        ["unknown keyword (fail-closed)", (s) => (s.properties.mode.oneOf = [{ minLength: 1 }]), "schema-keyword-changed .spec.mode", "breaking"],
        ["description only", (s) => (s.properties.size.description = "how large"), "description-changed .spec.size", "cosmetic"],
    ])("%s", (_name, mutate, expected, verdict) => {
        const result = diffWith(mutatedSchema(mutate));
        expect(rulesOf(result)).toEqual([expected]);
        expect(result.verdict).toBe(verdict);
        expect(result.changes[0].class).toBe(verdict);
        expect(result.changes[0]).toMatchObject({ crd: "widgets.example.com", version: "v1" });
        expect(result.changes[0].message.length).toBeGreaterThan(5);
    });

    test("validation rules: changed expression is breaking, message-only change cosmetic, removal compatible", () => {
        const withRule = (rule: Record<string, unknown>) => mutatedSchema((s) => (s["x-kubernetes-validations"] = [rule]));
        const old = setOf([crdObject({ versions: [{ schema: withRule({ rule: "self.size < 5", message: "too big" }) }] })]);
        const changed = (rule: Record<string, unknown>) => diffCrdSets(old, setOf([crdObject({ versions: [{ schema: withRule(rule) }] })]));
        expect(changed({ rule: "self.size < 5", message: "size too big" }).changes.map((c) => c.rule)).toEqual(["validation-message-changed"]);
        expect(changed({ rule: "self.size < 4", message: "too big" }).changes.map((c) => c.rule).sort()).toEqual(["validation-rule-added", "validation-rule-removed"]);
        expect(diffCrdSets(old, base()).changes.map((c) => c.rule)).toEqual(["validation-rule-removed"]);
    });

    test("a new optional object with required fields inside is not a breaking change", () => {
        const result = diffWith(mutatedSchema((s) => (s.properties.retry = { type: "object", required: ["limit"], properties: { limit: { type: "integer" } } })));
        expect(result.verdict).toBe("compatible");
    });

    test("key order, list order of versions and printer columns, metadata noise and status are ignored", () => {
        const twoVersions = (extra: Record<string, unknown>) => crdObject({ ...extra, versions: [
            { name: "v1", storage: true, extra: { additionalPrinterColumns: [{ name: "A", type: "string", jsonPath: ".a" }, { name: "B", type: "string", jsonPath: ".b" }] } },
            { name: "v1beta1", storage: false },
        ] });
        const noisy = twoVersions({ metadata: { resourceVersion: "123", uid: "x", generation: 4, creationTimestamp: "2024-01-01T00:00:00Z", managedFields: [{}], annotations: { "controller-gen.kubebuilder.io/version": "v0.16.0", "kubectl.kubernetes.io/last-applied-configuration": "{}", "meta.helm.sh/release-name": "x" }, labels: { "helm.sh/chart": "x-1.0", "app.kubernetes.io/managed-by": "Helm" } } });
        (noisy as Record<string, unknown>).status = { acceptedNames: {}, conditions: [] };
        const reversed = reverseKeys(noisy) as { spec: { versions: Array<{ additionalPrinterColumns?: unknown[] }> } };
        reversed.spec.versions.reverse();
        reversed.spec.versions[1].additionalPrinterColumns!.reverse();
        const result = diffCrdSets(setOf([twoVersions({})]), setOf([reversed as Record<string, unknown>]));
        expect(result.changes).toEqual([]);
        expect(result.verdict).toBe("identical");
    });
});

describe("CRD diff: CRD and version rules", () => {
    test("a CRD removed is breaking, a CRD added compatible", () => {
        const other = crdObject({ name: "gadgets.example.com" });
        expect(diffCrdSets(setOf([crdObject(), other]), base()).changes.map((c) => c.rule)).toEqual(["crd-removed"]);
        const added = diffCrdSets(base(), setOf([crdObject(), other]));
        expect(added.changes.map((c) => c.rule)).toEqual(["crd-added"]);
        expect(added.verdict).toBe("compatible");
    });

    test("scope changed", () => {
        expect(diffCrdSets(base(), setOf([crdObject({ scope: "Cluster" })])).changes.map((c) => c.rule)).toEqual(["scope-changed"]);
    });

    test("version removed, no longer served, storage moved; version added (not storage) compatible", () => {
        const two = setOf([crdObject({ versions: [{ name: "v1", storage: true }, { name: "v1beta1", storage: false }] })]);
        expect(diffCrdSets(two, base()).changes.map((c) => c.rule)).toEqual(["version-removed"]);
        const unserved = setOf([crdObject({ versions: [{ name: "v1", storage: true }, { name: "v1beta1", storage: false, served: false }] })]);
        expect(diffCrdSets(two, unserved).changes.map((c) => c.rule)).toEqual(["version-unserved"]);
        const moved = setOf([crdObject({ versions: [{ name: "v1", storage: false }, { name: "v1beta1", storage: true }] })]);
        expect(diffCrdSets(two, moved).changes.map((c) => c.rule)).toEqual(["storage-version-changed"]);
        const added = diffCrdSets(base(), two);
        expect(added.changes.map((c) => c.rule)).toEqual(["version-added"]);
        expect(added.verdict).toBe("compatible");
        const newStorage = diffCrdSets(base(), setOf([crdObject({ versions: [{ name: "v2", storage: true }, { name: "v1", storage: false }] })]));
        expect(newStorage.changes.map((c) => c.rule)).toEqual(["storage-version-changed"]);
    });

    test("a version the live cluster still stores objects in must not disappear", () => {
        const live = crdObject({ versions: [{ name: "v1", storage: true }, { name: "v1beta1", storage: false }] });
        (live as Record<string, unknown>).status = { storedVersions: ["v1beta1", "v1"] };
        const target = crdObject({ versions: [{ name: "v1", storage: true }] });
        const fromLive = diffCrdSets(setOf([live], true), setOf([target]));
        expect(fromLive.changes.map((c) => c.rule).sort()).toEqual(["stored-version-removed", "version-removed"]);
        // From files, status.storedVersions means nothing.
        expect(diffCrdSets(setOf([live], false), setOf([target])).changes.map((c) => c.rule)).toEqual(["version-removed"]);
    });

    test("printer columns, short names and categories are compatible; names and subresources are breaking", () => {
        const columns = crdObject({ versions: [{ extra: { additionalPrinterColumns: [{ name: "Size", type: "integer", jsonPath: ".spec.size" }] } }] });
        expect(diffCrdSets(base(), setOf([columns])).changes.map((c) => `${c.rule}:${c.class}`)).toEqual(["printer-columns-changed:compatible"]);
        const renamed = crdObject({ spec: { names: { kind: "Widget", listKind: "WidgetList", plural: "widgets", singular: "widgetx", shortNames: ["wd", "wdg"], categories: ["all"] } } });
        expect(diffCrdSets(base(), setOf([renamed])).changes.map((c) => c.rule).sort()).toEqual(["categories-changed", "names-changed", "short-names-changed"]);
        const withStatus = crdObject({ versions: [{ extra: { subresources: { status: {} } } }] });
        expect(diffCrdSets(base(), setOf([withStatus])).changes.map((c) => c.rule)).toEqual(["subresources-changed"]);
    });

    test("the verdict is the highest class; identical when nothing changed", () => {
        expect(diffCrdSets(base(), base()).verdict).toBe("identical");
        const mixed = diffWith(mutatedSchema((s) => { s.properties.size.description = "x"; s.properties.extra = { type: "string" }; delete s.properties.color; }));
        expect(mixed.verdict).toBe("breaking");
        expect(mixed.summary).toEqual({ breaking: 1, compatible: 1, cosmetic: 1 });
    });
});

describe("rule overrides", () => {
    test("a rule can be moved to another class", () => {
        const result = diffCrdSets(base(), setOf([crdObject({ versions: [{ schema: mutatedSchema((s) => s.properties.color.enum.push("green")) }] })]), { ruleOverrides: { "enum-value-added": "breaking" } });
        expect(result.verdict).toBe("breaking");
        expect(result.changes[0]).toMatchObject({ rule: "enum-value-added", class: "breaking" });
    });

    test("overrides from a file are validated, listing valid ids and classes", () => {
        expect(parseRuleOverrides({ rules: { "enum-value-added": "breaking" } }, "rules.yaml")).toEqual({ "enum-value-added": "breaking" });
        expect(() => parseRuleOverrides({ rules: { "enum-added-value": "breaking", "field-added": "fatal" } }, "rules.yaml")).toThrow(RuleOverridesError);
        expect(() => parseRuleOverrides({ "enum-added-value": "breaking" }, "rules.yaml")).toThrow(/"enum-added-value" is not a rule id \(valid: crd-removed/);
        expect(() => parseRuleOverrides({ "field-added": "fatal" }, "rules.yaml")).toThrow(/"fatal" is not a class \(valid: cosmetic, compatible, breaking\)/);
    });

    test("every rule has a class and a description", () => {
        for (const rule of Object.values(RULES)) {
            expect(["cosmetic", "compatible", "breaking"]).toContain(rule.class);
            expect(rule.description.length).toBeGreaterThan(10);
        }
    });

    test("verdictAtMost orders identical < cosmetic < compatible < breaking", () => {
        expect(verdictAtMost("identical", "cosmetic")).toBe(true);
        expect(verdictAtMost("cosmetic", "cosmetic")).toBe(true);
        expect(verdictAtMost("compatible", "cosmetic")).toBe(false);
        expect(verdictAtMost("compatible", "compatible")).toBe(true);
        expect(verdictAtMost("breaking", "compatible")).toBe(false);
    });
});

describe("parsing CRD streams", () => {
    const stream = (text: string, origin = "crds.yaml") => ({ origin, text });

    test("multi-document YAML and Lists; other kinds ignored", () => {
        const yamlText = `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\n---\n${JSON.stringify(crdObject())}\n---\n${JSON.stringify({ apiVersion: "v1", kind: "List", items: [crdObject({ name: "gadgets.example.com" })] })}\n`;
        const set = parseCrdStreams([stream(yamlText)]);
        expect([...set.crds.keys()].sort()).toEqual(["gadgets.example.com", "widgets.example.com"]);
    });

    test("v1beta1 CRDs are refused with a clear error", () => {
        const old = { ...crdObject(), apiVersion: "apiextensions.k8s.io/v1beta1" };
        expect(() => parseCrdStreams([stream(JSON.stringify(old), "old.json")])).toThrow(/old\.json: CRD widgets\.example\.com is apiextensions\.k8s\.io\/v1beta1, which Kubernetes removed in 1\.22/);
    });

    test("invalid YAML, an empty set and a file with no CRD are errors naming the file", () => {
        expect(() => parseCrdStreams([stream("a: [", "broken.yaml")])).toThrow(/broken\.yaml is not valid YAML or JSON/);
        expect(() => parseCrdStreams([], { label: "the old CRD set (x)" })).toThrow(/the old CRD set \(x\) is empty/);
        expect(() => parseCrdStreams([stream("kind: ConfigMap\napiVersion: v1\n", "cm.yaml")])).toThrow(CrdInputError);
        expect(() => parseCrdStreams([stream("kind: ConfigMap\napiVersion: v1\n", "cm.yaml")])).toThrow(/cm\.yaml contains no apiextensions\.k8s\.io\/v1 CustomResourceDefinition/);
    });

    test("a CRD defined twice is an error naming both places", () => {
        expect(() => parseCrdStreams([stream(JSON.stringify(crdObject()), "a.yaml"), stream(JSON.stringify(crdObject()), "b.yaml")])).toThrow(/defined twice: in a\.yaml and in b\.yaml/);
    });
});
