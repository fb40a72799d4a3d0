import { PathsScan } from "../../src/apis";
import { PreflightCheck, PreflightDeps, PreflightInput, PreflightItem, runPreflight } from "../../src/preflight";
import { clusterSpec, nodeGroup, rawConfig } from "../helpers/raw-config";

const noScan: PreflightDeps = {
    scanManifests: async () => {
        throw new Error("no scan expected");
    },
};

function input(values: Record<string, unknown>, extra: Partial<PreflightInput> = {}): PreflightInput {
    return { stack: "test", stackFile: "stacks/Pulumi.test.yaml", values, secretPaths: [], today: "2025-11-25", projectDir: "/project", ...extra };
}

const routing = (blue: number, green: number) => ({ weights: { blue, green }, verification: { enabled: false } });

async function items(values: Record<string, unknown>, extra: Partial<PreflightInput> = {}, deps: PreflightDeps = noScan): Promise<Record<string, PreflightItem>> {
    const report = await runPreflight(input(values, extra), deps);
    return Object.fromEntries(report.items.map((i) => [i.id, i]));
}

function scanResult(partial: Partial<PathsScan>): PathsScan {
    return { findings: [], files: 1, documents: 1, skipped: [], errors: [], ...partial };
}

describe("preflight checks", () => {
    test("an invalid config is one failed item listing every problem; nothing else runs", async () => {
        const values = rawConfig({ clusters: { blue: clusterSpec("1.3", { nodeGroups: [nodeGroup({ minSize: 9 })] }), green: clusterSpec("1.33", { verison: "1.34" }) } });
        const report = await runPreflight(input(values), noScan);
        expect(report.items).toHaveLength(1);
        expect(report.items[0]).toMatchObject({ id: "config", status: "fail" });
        expect(report.items[0].detail).toMatch(/^3 problems in stacks\/Pulumi\.test\.yaml: /);
        expect(report.items[0].detail).toContain('clusters.blue.version "1.3" is not a Kubernetes minor version like "1.33"');
        expect(report.items[0].detail).toContain("clusters.blue.nodeGroups[0].minSize (9) is greater than maxSize (3)");
        expect(report.items[0].detail).toContain('clusters.green.verison is not a known setting (did you mean "version"?)');
        expect(report.summary).toEqual({ pass: 0, warn: 0, fail: 1 });
    });

    test("a valid config lists the colors and the secrets kept encrypted", async () => {
        const { config } = await items(rawConfig(), { secretPaths: ["argocdAdminPassword"] });
        expect(config).toEqual({ id: "config", title: "Stack config", status: "pass", detail: "valid: blue 1.32, green 1.33; secrets present, not decrypted: argocdAdminPassword" });
    });

    // Changed on purpose: node group versions outside the kubelet skew are now refused by the config
    // itself (src/config/references.ts, the same src/versions rules), so `pulumi up` and the plan
    // refuse them too; preflight reports them in its config item.
    test("node groups: newer than the control plane, or beyond the kubelet skew, fail with the group's path", async () => {
        const values = rawConfig({
            clusters: {
                blue: clusterSpec("1.32", { nodeGroups: [nodeGroup({ name: "system", version: "1.33" }), nodeGroup({ name: "apps", version: "1.28" })] }),
                green: clusterSpec("1.33", { nodeGroups: [nodeGroup({ name: "system" }), nodeGroup({ name: "apps", version: "1.31" })] }),
            },
        });
        const refused = await items(values);
        expect(refused.config).toMatchObject({ status: "fail", badInput: true });
        expect(refused.config.detail).toContain(
            "clusters.blue.nodeGroups[0].version (1.33 is newer than its control plane (1.32): upgrade the control plane first, or set the node group to 1.32)",
        );
        expect(refused.config.detail).toContain(
            "clusters.blue.nodeGroups[1].version (1.28 is 4 minor versions behind its control plane (1.32); kubelets may be at most 3 behind: upgrade the node group to at least 1.29)",
        );
        expect(refused.config.detail).not.toContain("clusters.green");
        const result = await items(rawConfig({ clusters: { blue: clusterSpec("1.32"), green: (values.clusters as Record<string, unknown>).green } }));
        expect(result["versions.green"]).toEqual({
            id: "versions.green",
            title: "Versions of green",
            status: "pass",
            detail: "control plane 1.33; node groups system 1.33, apps 1.31 (apps: 1.31, 2 minor versions behind the control plane (1.33; at most 3 allowed))",
        });
    });

    test("support status per color on the given day", async () => {
        const values = rawConfig({ clusters: { blue: clusterSpec("1.28"), green: clusterSpec("1.31") } });
        const result = await items(values, { today: "2025-11-25" });
        expect(result["support.blue"]).toMatchObject({ status: "warn", detail: expect.stringContaining("1.28: in extended support") });
        expect(result["support.green"]).toMatchObject({ status: "warn", detail: expect.stringContaining("standard support ends 2025-11-26 (in 1 day)") });
        const later = await items(values, { today: "2025-12-01" });
        expect(later["support.blue"]).toMatchObject({ status: "fail" });
        const newer = await items(rawConfig({ clusters: { blue: clusterSpec("1.34"), green: clusterSpec("1.36") } }));
        expect(newer["support.green"]).toMatchObject({ status: "warn", detail: expect.stringContaining("not in bluegreen's EKS support calendar") });
    });

    test("the candidate: one minor up, or skipping versions (allowed for a new color), or older (a warning)", async () => {
        const oneUp = await items(rawConfig({ routing: routing(100, 0) }));
        expect(oneUp.candidate).toMatchObject({ status: "pass", detail: "green (1.33, 0%) beside live blue (1.32, 100%): 1.32 → 1.33: one minor version" });
        const skip = await items(rawConfig({ clusters: { blue: clusterSpec("1.31"), green: clusterSpec("1.34") }, routing: routing(90, 10) }));
        expect(skip.candidate).toMatchObject({
            status: "pass",
            detail: "green (1.34, 10%) beside live blue (1.31, 90%): 1.31 → 1.34 skips 1.32, 1.33: allowed for a new color (a new cluster), never in place",
        });
        const back = await items(rawConfig({ routing: routing(0, 100) }));
        expect(back.candidate).toMatchObject({ status: "warn", detail: expect.stringContaining("blue (1.32, 0%) beside live green (1.33, 100%): 1.32 is older than the live color's 1.33") });
        const single = await items(rawConfig({ clusters: { blue: clusterSpec("1.32") } }));
        expect(single.candidate).toMatchObject({ status: "pass", detail: expect.stringMatching(/^only blue \(1\.32\) exists: no upgrade in progress/) });
    });

    test("in-place upgrades against the deployed versions", async () => {
        const unknown = await items(rawConfig());
        expect(unknown["in-place"]).toMatchObject({ status: "warn", detail: expect.stringMatching(/^not checked: .*--previous/) });
        const values = rawConfig({ clusters: { blue: clusterSpec("1.33"), green: clusterSpec("1.34") } });
        const result = await items(values, { previous: { clusters: { blue: { version: "1.31" } } } });
        expect(result["in-place.blue"]).toMatchObject({ status: "fail", detail: expect.stringContaining("1.31 → 1.33 skips 1.32: upgrade in place one minor version at a time") });
        expect(result["in-place.green"]).toMatchObject({ status: "pass", detail: "green is a new cluster: it may start on any version (1.34)" });
        const ok = await items(values, { previous: { clusters: { blue: { version: "1.32" }, green: { version: "1.34" } } } });
        expect([ok["in-place.blue"].status, ok["in-place.green"].status]).toEqual(["pass", "pass"]);
        const removed = await items(rawConfig({ clusters: { green: clusterSpec("1.33") } }), { previous: { clusters: { blue: { version: "1.32" }, green: { version: "1.33" } } } });
        expect(removed["in-place.blue"]).toMatchObject({ status: "warn", detail: expect.stringContaining("is not in the config: pulumi up deletes it") });
        const down = await items(values, { previous: { clusters: { blue: { version: "1.34" } } } });
        expect(down["in-place.blue"]).toMatchObject({ status: "fail", detail: expect.stringContaining("is a downgrade") });
    });

    describe("the API scan", () => {
        test("not scanned without a path: a warning", async () => {
            expect((await items(rawConfig()))["api-scan"]).toMatchObject({ status: "warn", detail: expect.stringMatching(/^not scanned: no manifests/) });
        });

        test("scans the config's path (relative to the project) against the newest color's version", async () => {
            const calls: Array<[string, string]> = [];
            const deps: PreflightDeps = {
                scanManifests: async (p, target) => {
                    calls.push([p, target]);
                    return scanResult({ files: 4, documents: 12 });
                },
            };
            const result = await items(rawConfig({ gitops: { manifestsPath: "../gitops/dev" }, routing: routing(100, 0) }), {}, deps);
            expect(calls).toEqual([["/gitops/dev", "1.33"]]);
            expect(result["api-scan"]).toMatchObject({ status: "pass", detail: "nothing deprecated or removed by green's 1.33 in 12 documents of 4 files under /gitops/dev" });
        });

        test("--manifests wins over the config; removed APIs fail, listing the first ones", async () => {
            const finding = (n: number, removedIn: string | null) => ({
                file: `/m/app${n}.yaml`,
                index: 0,
                kind: "Ingress",
                name: `shop/web${n}`,
                apiVersion: "extensions/v1beta1",
                deprecatedIn: "1.14",
                removedIn,
                replacement: "networking.k8s.io/v1",
            });
            const deps: PreflightDeps = { scanManifests: async () => scanResult({ findings: [1, 2, 3, 4].map((n) => finding(n, "1.22")) }) };
            const result = await items(rawConfig({ gitops: { manifestsPath: "ignored" } }), { manifestsPath: "/m" }, deps);
            expect(result["api-scan"]).toMatchObject({
                status: "fail",
                detail:
                    "4 removed in green's 1.33: Ingress shop/web1 extensions/v1beta1 → networking.k8s.io/v1 (app1.yaml#0), Ingress shop/web2 extensions/v1beta1 → networking.k8s.io/v1 (app2.yaml#0), " +
                    "Ingress shop/web3 extensions/v1beta1 → networking.k8s.io/v1 (app3.yaml#0), and 1 more; see `bluegreen check-apis --target 1.33 /m`",
            });
            const deprecatedOnly: PreflightDeps = { scanManifests: async () => scanResult({ findings: [finding(1, "1.40")] }) };
            expect((await items(rawConfig(), { manifestsPath: "/m" }, deprecatedOnly))["api-scan"]).toMatchObject({ status: "warn", detail: expect.stringMatching(/^1 deprecated, still served by green's 1\.33: /) });
        });

        test("an unreadable path or bad YAML fails, saying which", async () => {
            const missing: PreflightDeps = { scanManifests: async (p) => scanResult({ files: 0, errors: [`cannot read ${p}: no such file or directory`] }) };
            expect((await items(rawConfig(), { manifestsPath: "/nope" }, missing))["api-scan"]).toMatchObject({
                status: "fail",
                detail: "not scanned: cannot read /nope: no such file or directory: check out the GitOps repository there (gitops.manifestsPath is relative to the project directory) or pass --manifests",
            });
            const empty: PreflightDeps = { scanManifests: async () => scanResult({ files: 0, documents: 0 }) };
            expect((await items(rawConfig(), { manifestsPath: "/empty" }, empty))["api-scan"]).toMatchObject({ status: "warn", detail: "no .yaml, .yml or .json files under /empty" });
        });
    });

    // The plan itself (weights, steps, gates) is tested in cutover-plan.test.ts, with the settings the cutover resolves.
    test("steps that do not increase or do not reach 100 are refused with the config", async () => {
        const decreasing = await items(rawConfig({ routing: routing(100, 0), cutover: { steps: [50, 10, 60] } }));
        expect(decreasing.config).toMatchObject({ status: "fail", detail: expect.stringContaining("cutover.steps[1] (10) is not above the step before it (50)") });
        const short = await items(rawConfig({ routing: routing(100, 0), cutover: { steps: [10, 60] } }));
        expect(short.config).toMatchObject({ status: "fail", detail: expect.stringContaining("cutover.steps[1] (60) is the last step but a cutover ends with the candidate at 100") });
    });

    test("checks are a list: another check's items join the report, in order, counted in the summary", async () => {
        const crdGate: PreflightCheck = ({ config }) => [{ id: "crd-gate", title: "CRD gate", status: "fail", detail: `${Object.keys(config.clusters).length} clusters` }];
        const report = await runPreflight(input(rawConfig()), noScan, [crdGate]);
        expect(report.items.map((i) => i.id)).toEqual(["config", "crd-gate"]);
        expect(report.summary).toEqual({ pass: 1, warn: 0, fail: 1 });
    });
});
