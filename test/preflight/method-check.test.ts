/** Preflight's choice between an in-place upgrade and a new color, citing the version rules and the CRD gate (real ArgoCD CRDs). */
import * as fs from "fs";
import * as path from "path";
import { loadEnvironmentConfig } from "../../src/config";
import { parseCrdStreams } from "../../src/crd";
import { upgradeMethodCheck } from "../../src/preflight/checks";
import { PreflightContext, PreflightDeps, PreviousDeployment } from "../../src/preflight/model";
import { clusterSpec, rawConfig } from "../helpers/raw-config";

const crdRoot = path.resolve(__dirname, "..", "..", "..", "shared", "crds");
const files = ["application-crd.yaml", "applicationset-crd.yaml", "appproject-crd.yaml"];
const offline: PreflightDeps = { scanManifests: async () => ({ findings: [], files: 0, documents: 0, skipped: [], errors: [] }) };
const online: PreflightDeps = {
    ...offline,
    addonCrds: {
        loadAddonCrds: async (_addon, version) => parseCrdStreams(files.map((f) => ({ origin: f, text: fs.readFileSync(path.join(crdRoot, "argo-cd", version, f), "utf8") }))),
        readLiveCrds: async () => ({ crds: new Map(), live: true }),
    },
};

function context(clusters: Record<string, unknown>, previous?: PreviousDeployment): PreflightContext {
    return { config: loadEnvironmentConfig(rawConfig({ clusters })), aws: { region: "eu-west-1" }, previous, stack: "dev", stackFile: "stacks/Pulumi.dev.yaml", secretPaths: [], today: "2026-01-10", projectDir: "." };
}
const run = async (ctx: PreflightContext, deps = offline) => (await upgradeMethodCheck(ctx, deps)).map((i) => `${i.id} ${i.status}: ${i.detail}`);

test.each([
    ["one minor: in place", "1.32", "1.33", "method.blue pass: in place: control plane: 1.32 → 1.33: one minor version, allowed in place; steps: bluegreen upgrade plan --color blue --to 1.33"],
    ["a skip: new color", "1.31", "1.33", "method.blue fail: new color: control plane: 1.31 → 1.33 skips 1.32"],
    ["going back: new color", "1.33", "1.32", "method.blue fail: new color: control plane: 1.33 → 1.32 is a downgrade"],
    ["no change", "1.33", "1.33", "method.blue pass: no upgrade: blue stays on 1.33 with the same add-on versions"],
])("%s (%s deployed, %s configured)", async (_name, deployed, configured, expected) => {
    const lines = await run(context({ blue: clusterSpec(configured) }, { clusters: { blue: { version: deployed } } }));
    expect(lines).toHaveLength(1);
    expect(lines[0].startsWith(expected)).toBe(true);
});

test("a color that is not deployed yet is a new color: blue/green, any version", async () => {
    const lines = await run(context({ blue: clusterSpec("1.32"), green: clusterSpec("1.34") }, { clusters: { blue: { version: "1.32" } } }));
    expect(lines[1]).toMatch(/^method\.green pass: new color: green is a new cluster on 1\.34/);
});

test("without the deployed versions nothing is decided here (the in-place check already says so)", async () => {
    expect(await run(context({ blue: clusterSpec("1.33") }))).toEqual([]);
});

const argo = (version: string) => ({ addons: { argocd: { version } } });

(fs.existsSync(crdRoot) ? test : test.skip)("ArgoCD v2.11.14 → v2.12.0 in place on blue: new color, citing the CRD gate", async () => {
    const previous: PreviousDeployment = { clusters: { blue: { version: "1.32", addons: { argocd: { version: "v2.11.14" } } } } };
    const lines = await run(context({ blue: clusterSpec("1.33", argo("v2.12.0")) }, previous), online);
    expect(lines[0]).toMatch(/^method\.blue fail: new color: argocd v2\.11\.14 → v2\.12\.0: CRD changes breaking, above the allowed "cosmetic"\. Put this change on green/);
    // Offline the gate cannot be run: said, not guessed.
    const offlineLines = await run(context({ blue: clusterSpec("1.33", argo("v2.12.0")) }, previous));
    expect(offlineLines[0]).toMatch(/^method\.blue pass: in place: control plane: 1\.32 → 1\.33.*argocd v2\.11\.14 → v2\.12\.0: CRD gate not checked \(--offline\)/);
});

test("a surge replacement in progress is named", async () => {
    const lines = await run(context({ blue: clusterSpec("1.33", { nodeGroups: [{ name: "system", instanceTypes: ["m6i.large"], minSize: 1, desiredSize: 2, maxSize: 3, version: "1.32", replacement: { version: "1.33" } }] }) }, { clusters: { blue: { version: "1.33" } } }));
    expect(lines[0]).toMatch(/in place: surge replacement of node group system in progress/);
});
