import { BUILT_IN_API_RULES, indexApiRules, parseExtraRules, scanManifestText } from "../../src/apis";

describe("extra rules for custom resources", () => {
    test("a YAML list; removedIn and replacement may be null or left out; '*' matches every kind", () => {
        const text = `
- apiVersion: cert-manager.io/v1alpha2
  kind: "*"
  deprecatedIn: "1.20"
  removedIn: "1.24"
  replacement: cert-manager.io/v1
- apiVersion: example.com/v1beta1
  kind: Widget
  deprecatedIn: "1.30"
`;
        expect(parseExtraRules(text, "rules.yaml")).toEqual({
            ok: true,
            rules: [
                { apiVersion: "cert-manager.io/v1alpha2", kind: "*", deprecatedIn: "1.20", removedIn: "1.24", replacement: "cert-manager.io/v1" },
                { apiVersion: "example.com/v1beta1", kind: "Widget", deprecatedIn: "1.30", removedIn: null, replacement: null },
            ],
        });
    });

    test("JSON works too", () => {
        const parsed = parseExtraRules('[{"apiVersion":"example.com/v1","kind":"Widget","deprecatedIn":"1.31","removedIn":"1.33","replacement":"example.com/v2"}]', "rules.json");
        expect(parsed.ok).toBe(true);
    });

    test("every bad row is reported with its index and what is wrong", () => {
        const text = `
- apiVersion: example.com/v1
  kind: Widget
  deprecatedIn: "1.30"
- apiVersion: Example.com
  kind: Gadget
  deprecatedIn: 1.30
- apiVersion: example.com/v1beta1
  kind: Gizmo
  deprecatedIn: "1.31"
  removedIn: "1.29"
  replacment: example.com/v1
- kind: Thing
- just a string
`;
        const parsed = parseExtraRules(text, "rules.yaml");
        expect(parsed.ok).toBe(false);
        expect(!parsed.ok && parsed.problems).toEqual([
            'rules.yaml row 1 (Example.com Gadget): apiVersion "Example.com" is not an apiVersion like "example.com/v1beta1" (group/version, or a core version like "v1")',
            'rules.yaml row 1 (Example.com Gadget): deprecatedIn 1.3 must be a string like "1.33" (quote versions: YAML reads an unquoted 1.30 as the number 1.3)',
            'rules.yaml row 2 (example.com/v1beta1 Gizmo): "replacment" is not a rule field (fields: apiVersion, kind, deprecatedIn, removedIn, replacement)',
            'rules.yaml row 2 (example.com/v1beta1 Gizmo): removedIn "1.29" is before deprecatedIn (1.31)',
            'rules.yaml row 3 (Thing): apiVersion is missing: it must be a string like "example.com/v1beta1"',
            'rules.yaml row 3 (Thing): deprecatedIn is missing: it must be a string like "1.33"',
            "rules.yaml row 4: must be an object { apiVersion, kind, deprecatedIn, removedIn, replacement }",
        ]);
    });

    test("removedIn before deprecatedIn is refused", () => {
        const parsed = parseExtraRules('- {apiVersion: example.com/v1beta1, kind: Gizmo, deprecatedIn: "1.31", removedIn: "1.29"}', "r.yaml");
        expect(!parsed.ok && parsed.problems).toEqual(['r.yaml row 0 (example.com/v1beta1 Gizmo): removedIn "1.29" is before deprecatedIn (1.31)']);
    });

    test("not a list, or not YAML, is refused", () => {
        expect(parseExtraRules("apiVersion: example.com/v1\n", "r.yaml")).toEqual({
            ok: false,
            problems: ["r.yaml must hold a list of rules like [{ apiVersion, kind, deprecatedIn, removedIn, replacement }]"],
        });
        const broken = parseExtraRules("- [", "r.yaml");
        expect(!broken.ok && broken.problems[0]).toMatch(/^r\.yaml is not valid YAML or JSON: /);
    });

    test("extra rules find custom resources and override a built-in row for the same apiVersion and kind", () => {
        const parsed = parseExtraRules(
            `
- {apiVersion: cert-manager.io/v1alpha2, kind: "*", deprecatedIn: "1.20", removedIn: "1.24", replacement: cert-manager.io/v1}
- {apiVersion: batch/v1beta1, kind: CronJob, deprecatedIn: "1.21", removedIn: "1.25", replacement: batch/v1}
- {apiVersion: policy/v1beta1, kind: PodDisruptionBudget, deprecatedIn: "1.21", removedIn: "1.30", replacement: policy/v1}
`,
            "r.yaml",
        );
        if (!parsed.ok) throw new Error(parsed.problems.join("\n"));
        const rules = indexApiRules([...BUILT_IN_API_RULES, ...parsed.rules]);
        const text = "apiVersion: cert-manager.io/v1alpha2\nkind: Certificate\nmetadata: {name: web, namespace: shop}\n---\napiVersion: policy/v1beta1\nkind: PodDisruptionBudget\nmetadata: {name: web}\n";
        const result = scanManifestText(text, "m.yaml", "1.26", rules);
        expect(result.ok && result.findings.map((f) => [f.kind, f.name, f.removedIn, f.replacement])).toEqual([
            ["Certificate", "shop/web", "1.24", "cert-manager.io/v1"],
            ["PodDisruptionBudget", "web", "1.30", "policy/v1"],
        ]);
    });
});
