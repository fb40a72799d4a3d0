/**
 * Realism check on real upstream CRDs (../shared/crds beside the project, read at test time, never
 * copied): the verdicts match what really changed between the two releases.
 */
import * as fs from "fs";
import * as path from "path";
import { diffCrdSets, parseCrdStreams } from "../../src/crd";
import { loadCrdSource } from "../../src/crd/sources";

const root = path.resolve(__dirname, "..", "..", "..", "shared", "crds");
const available = fs.existsSync(root);
const describeIfShared = available ? describe : describe.skip;
if (!available) console.warn(`skipping the real CRD pairs: ${root} is absent (it sits beside the project in CI and on developer machines)`);

function load(dir: string, files: string[]) {
    return parseCrdStreams(files.map((f) => ({ origin: path.join(root, dir, f), text: fs.readFileSync(path.join(root, dir, f), "utf8") })));
}

const find = (result: ReturnType<typeof diffCrdSets>, crd: string, rule: string, pathText?: string) =>
    result.changes.find((c) => c.crd === crd && c.rule === rule && (pathText === undefined || c.path === pathText));

describeIfShared("real upstream CRD pairs", () => {
    test("ArgoCD v2.11.14 → v2.12.0 is breaking: a field of Application is removed", () => {
        const files = ["application-crd.yaml", "applicationset-crd.yaml", "appproject-crd.yaml"];
        const result = diffCrdSets(load("argo-cd/v2.11.14", files), load("argo-cd/v2.12.0", files));
        expect(result.verdict).toBe("breaking");
        expect(find(result, "applications.argoproj.io", "field-removed", ".operation.sync.autoHealAttemptsCount")).toBeDefined();
        expect(find(result, "applications.argoproj.io", "printer-columns-changed")).toBeDefined();
        expect(find(result, "applicationsets.argoproj.io", "field-added", ".status.resources")).toBeDefined();
        // AppProject only changed its documentation.
        expect(result.changes.filter((c) => c.crd === "appprojects.argoproj.io").every((c) => c.class === "cosmetic")).toBe(true);
    });

    test("aws-load-balancer-controller v2.13.4 → v2.14.0 is breaking, and the Gateway CRDs carry part of it", () => {
        const files = ["crds.yaml", "gateway-crds.yaml"];
        const result = diffCrdSets(load("aws-load-balancer-controller/v2.13.4", files), load("aws-load-balancer-controller/v2.14.0", files));
        expect(result.verdict).toBe("breaking");
        expect(find(result, "loadbalancerconfigurations.gateway.k8s.aws", "field-removed", ".spec.vpcId")).toBeDefined();
        expect(find(result, "listenerruleconfigurations.gateway.k8s.aws", "crd-added")).toBeDefined();
        expect(find(result, "targetgroupbindings.elbv2.k8s.aws", "field-added", ".spec.targetGroupProtocol")).toBeDefined();
        expect(find(result, "ingressclassparams.elbv2.k8s.aws", "validation-rule-added")).toBeDefined();
    });

    test("the upstream kustomization of aws-load-balancer-controller lists only crds.yaml: the Gateway CRDs would be missed", async () => {
        const viaKustomization = await loadCrdSource(path.join(root, "aws-load-balancer-controller/v2.14.0"), { cacheDir: null });
        const names = [...parseCrdStreams(viaKustomization.streams).crds.keys()];
        expect(names.some((n) => n.endsWith("gateway.k8s.aws"))).toBe(false);
        const everyFile = load("aws-load-balancer-controller/v2.14.0", ["crds.yaml", "gateway-crds.yaml"]);
        expect([...everyFile.crds.keys()].filter((n) => n.endsWith("gateway.k8s.aws")).length).toBeGreaterThanOrEqual(3);
    });

    test("external-dns chart 1.14.4 → 1.15.0 only changes descriptions", () => {
        const result = diffCrdSets(load("external-dns-chart/external-dns-helm-chart-1.14.4", ["dnsendpoint.yaml"]), load("external-dns-chart/external-dns-helm-chart-1.15.0", ["dnsendpoint.yaml"]));
        expect(result.verdict).toBe("cosmetic");
        expect(result.changes.length).toBeGreaterThan(0);
        expect(result.changes.every((c) => c.rule === "description-changed")).toBe(true);
    });
});
