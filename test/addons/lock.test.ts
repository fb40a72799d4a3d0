/**
 * The add-on lock file against a local chart repository: `bluegreen addons lock` records each
 * version's chart digest and CRD digests; the program's loader verifies downloads against it,
 * refuses a mismatch with what differs, and serves an unchanged version from the digest cache with
 * no network at all; the offline plan names each CRD's lock entry.
 */
import * as fs from "fs";
import * as path from "path";
import * as yaml from "js-yaml";
import { runAddonsLock } from "../../src/cli/commands/addons-lock";
import { onlineCrdLoaders, lockEntryReader } from "../../src/addons/online-crds";
import { crdDocumentDigest, LOCK_FILE, parseLock } from "../../src/addons/lock";
import { loadEnvironmentConfig } from "../../src/config";
import { deployEnvironment } from "../../components/environment";
import { OFFLINE_CRD_DEPS, planEnvironment } from "../../src/plan/stack-plan";
import { crdObject } from "../crd/builders";
import { startServer, TestServer } from "../crd/sources/server";
import { chartArchive, indexYaml, sha256 } from "../crd/sources/charts";
import { clusterSpec, rawConfig } from "../helpers/raw-config";
import { tempDir } from "../helpers/temp-dir";

const crd = (name: string, description = "x") => crdObject({ name, versions: [{ schema: { type: "object", description } }] });
const captured = () => {
    const out: string[] = [];
    return { io: { stdout: (t: string) => out.push(t), stderr: (t: string) => out.push(t) }, text: () => out.join("") };
};

const ARGO_FILES = ["application-crd.yaml", "applicationset-crd.yaml", "appproject-crd.yaml"];

async function serveRepositories(server: TestServer, change: { argoDescription?: string; lbcArchiveExtra?: string } = {}): Promise<{ lbcDigest: string }> {
    const lbc = await chartArchive("aws-load-balancer-controller", {
        "crds/crds.yaml": yaml.dump(crd("targetgroupbindings.elbv2.k8s.aws")) + "---\n" + yaml.dump(crd("ingressclassparams.elbv2.k8s.aws")),
        ...(change.lbcArchiveExtra ? { "README.md": change.lbcArchiveExtra } : {}),
    });
    const dns = await chartArchive("external-dns", { "crds/dnsendpoint.yaml": yaml.dump(crd("dnsendpoints.externaldns.k8s.io")) });
    server.routes.set("/eks-charts/index.yaml", { body: indexYaml({ "aws-load-balancer-controller": [{ version: "1.14.0", appVersion: "v2.14.0", digest: sha256(lbc), urls: ["lbc-1.14.0.tgz"] }] }) });
    server.routes.set("/eks-charts/lbc-1.14.0.tgz", { body: lbc });
    server.routes.set("/external-dns/index.yaml", { body: indexYaml({ "external-dns": [{ version: "1.15.0", digest: sha256(dns), urls: ["external-dns-1.15.0.tgz"] }] }) });
    server.routes.set("/external-dns/external-dns-1.15.0.tgz", { body: dns });
    server.routes.set("/argo-helm/index.yaml", { body: indexYaml({ "argo-cd": [{ version: "8.5.0", appVersion: "v3.1.5", digest: "a".repeat(64), urls: ["argo-cd-8.5.0.tgz"] }] }) });
    for (const file of ARGO_FILES) {
        server.routes.set(`/raw/argoproj/argo-cd/v3.1.5/manifests/crds/${file}`, { body: yaml.dump(crd(file.replace("-crd.yaml", "s.argoproj.io"), change.argoDescription)) });
    }
    return { lbcDigest: sha256(lbc) };
}

function project(): string {
    const dir = tempDir("bluegreen-project-");
    fs.mkdirSync(path.join(dir, "stacks"));
    const config = Object.fromEntries(Object.entries(rawConfig({ clusters: { blue: clusterSpec("1.33") } })).map(([k, v]) => [`bluegreen:${k}`, v]));
    fs.writeFileSync(path.join(dir, "stacks", "Pulumi.dev.yaml"), yaml.dump({ config }));
    return dir;
}

describe("addons.lock.json", () => {
    let server: TestServer;
    const saved = { rewrite: process.env.BLUEGREEN_URL_REWRITE, cache: process.env.BLUEGREEN_CACHE_DIR };
    beforeAll(async () => {
        server = await startServer();
        process.env.BLUEGREEN_URL_REWRITE = [
            `https://aws.github.io/eks-charts=${server.url}/eks-charts`,
            `https://kubernetes-sigs.github.io/external-dns=${server.url}/external-dns`,
            `https://argoproj.github.io/argo-helm=${server.url}/argo-helm`,
            `https://raw.githubusercontent.com=${server.url}/raw`,
        ].join(",");
    });
    beforeEach(() => {
        process.env.BLUEGREEN_CACHE_DIR = tempDir("bluegreen-cache-");
        server.routes.clear();
        server.requests.length = 0;
    });
    afterAll(async () => {
        for (const [key, value] of [["BLUEGREEN_URL_REWRITE", saved.rewrite], ["BLUEGREEN_CACHE_DIR", saved.cache]] as const) {
            if (value === undefined) delete process.env[key];
            else process.env[key] = value;
        }
        await server.close();
    });

    test("`addons lock` records every version in use with its chart digest and each CRD document's SHA-256", async () => {
        const { lbcDigest } = await serveRepositories(server);
        const dir = project();
        const out = captured();
        expect(await runAddonsLock({ cwd: dir, cache: true }, out.io)).toBe(0);
        const lock = parseLock(fs.readFileSync(path.join(dir, LOCK_FILE), "utf8"), LOCK_FILE);
        const lbc = lock.addons["aws-load-balancer-controller"]!["1.14.0"];
        expect(lbc.chartDigest).toBe(lbcDigest);
        expect(lbc.crds.map((c) => [c.name, c.sha256])).toEqual([
            ["ingressclassparams.elbv2.k8s.aws", crdDocumentDigest(crd("ingressclassparams.elbv2.k8s.aws"))],
            ["targetgroupbindings.elbv2.k8s.aws", crdDocumentDigest(crd("targetgroupbindings.elbv2.k8s.aws"))],
        ]);
        expect(lock.addons.argocd!["8.5.0"]).toMatchObject({ chart: "argo-cd", appVersion: "v3.1.5", chartDigest: "a".repeat(64) });
        expect(lock.addons.argocd!["8.5.0"].crds.map((c) => c.name)).toEqual(["applications.argoproj.io", "applicationsets.argoproj.io", "appprojects.argoproj.io"]);
        expect(Object.keys(lock.addons["external-dns"]!)).toEqual(["1.15.0"]);
        expect(out.text()).toContain("locked aws-load-balancer-controller 1.14.0: 2 CRDs, chart sha256:" + lbcDigest.slice(0, 12));

        // Run again: everything is kept, nothing downloaded, the file unchanged byte for byte.
        const before = fs.readFileSync(path.join(dir, LOCK_FILE), "utf8");
        server.requests.length = 0;
        const again = captured();
        expect(await runAddonsLock({ cwd: dir, cache: true }, again.io)).toBe(0);
        expect(server.requests).toEqual([]);
        expect(fs.readFileSync(path.join(dir, LOCK_FILE), "utf8")).toBe(before);
        expect(again.text()).toContain("kept   argocd 8.5.0: 3 CRDs");
    });

    test("the program's loader verifies against the lock, and an unchanged update needs no network", async () => {
        await serveRepositories(server);
        const dir = project();
        expect(await runAddonsLock({ cwd: dir, cache: true }, captured().io)).toBe(0);
        // Every route now fails: only the digest cache can answer.
        server.routes.clear();
        server.requests.length = 0;
        const set = await onlineCrdLoaders(dir).loadAddonCrds("aws-load-balancer-controller", "1.14.0");
        expect([...set.crds.keys()].sort()).toEqual(["ingressclassparams.elbv2.k8s.aws", "targetgroupbindings.elbv2.k8s.aws"]);
        expect(set.crds.get("targetgroupbindings.elbv2.k8s.aws")!.origin).toMatch(/^addons\.lock\.json aws-load-balancer-controller@1\.14\.0 targetgroupbindings\.elbv2\.k8s\.aws sha256:[0-9a-f]{12}$/);
        expect(server.requests).toEqual([]);
    });

    test("with an empty cache the download is verified and accepted when it matches", async () => {
        await serveRepositories(server);
        const dir = project();
        expect(await runAddonsLock({ cwd: dir, cache: true }, captured().io)).toBe(0);
        process.env.BLUEGREEN_CACHE_DIR = tempDir("bluegreen-cache-");
        const set = await onlineCrdLoaders(dir).loadAddonCrds("argocd", "8.5.0");
        expect(set.crds.size).toBe(3);
        expect(server.requests).toContain("/raw/argoproj/argo-cd/v3.1.5/manifests/crds/application-crd.yaml");
    });

    test("content that differs from the lock is refused, naming each difference and what to do", async () => {
        await serveRepositories(server);
        const dir = project();
        expect(await runAddonsLock({ cwd: dir, cache: true }, captured().io)).toBe(0);
        // Upstream changes a CRD and re-publishes the controller chart under the same version.
        await serveRepositories(server, { argoDescription: "changed", lbcArchiveExtra: "re-published" });
        process.env.BLUEGREEN_CACHE_DIR = tempDir("bluegreen-cache-");
        const loaders = onlineCrdLoaders(dir);
        await expect(loaders.loadAddonCrds("argocd", "8.5.0")).rejects.toThrow(
            /argocd 8\.5\.0: the downloaded CRDs do not match .*addons\.lock\.json, so nothing was applied:\n {4}- CRD applications\.argoproj\.io has SHA-256 [0-9a-f]{64}, the lock has [0-9a-f]{64}\n(.|\n)*bluegreen addons lock --update argocd@8\.5\.0/,
        );
        await expect(loaders.loadAddonCrds("aws-load-balancer-controller", "1.14.0")).rejects.toThrow(/the chart's digest in its repository is [0-9a-f]{64}, the lock has [0-9a-f]{64}/);
    });

    test("a version that is not locked is refused, saying how to lock it", async () => {
        const dir = project();
        await expect(onlineCrdLoaders(dir).loadAddonCrds("argocd", "9.1.0")).rejects.toThrow(/argocd 9\.1\.0 is not in .*addons\.lock\.json \(there is no lock file\): .*Run `bluegreen addons lock`/);
        expect(server.requests).toEqual([]);
    });

    test("an invalid stack file stops `addons lock` with exit 2 and the stack named", async () => {
        const dir = project();
        fs.writeFileSync(path.join(dir, "stacks", "Pulumi.bad.yaml"), yaml.dump({ config: { "bluegreen:clusters": { blue: { version: "1.33" } } } }));
        const out = captured();
        expect(await runAddonsLock({ cwd: dir, cache: true }, out.io)).toBe(2);
        expect(out.text()).toMatch(/bluegreen addons lock: .*Pulumi\.bad\.yaml is not a valid config/);
        expect(fs.existsSync(path.join(dir, LOCK_FILE))).toBe(false);
    });

    test("the offline plan names the lock entry of each CRD", async () => {
        await serveRepositories(server);
        const dir = project();
        expect(await runAddonsLock({ cwd: dir, cache: true }, captured().io)).toBe(0);
        const config = loadEnvironmentConfig(rawConfig({ clusters: { blue: clusterSpec("1.33") } }));
        const plan = await planEnvironment({ config, environment: "dev", region: "eu-west-1" }, "dev", deployEnvironment, { ...OFFLINE_CRD_DEPS, lockEntry: lockEntryReader(dir) });
        const crdResource = plan.resources.find((r) => r.name === "dev-blue-addons-aws-load-balancer-controller-crd-targetgroupbindings.elbv2.k8s.aws")!;
        const lock = parseLock(fs.readFileSync(path.join(dir, LOCK_FILE), "utf8"), LOCK_FILE);
        const sha = lock.addons["aws-load-balancer-controller"]!["1.14.0"].crds.find((c) => c.name === "targetgroupbindings.elbv2.k8s.aws")!.sha256;
        expect(crdResource.inputs.spec).toContain(`addons.lock.json aws-load-balancer-controller@1.14.0 targetgroupbindings.elbv2.k8s.aws sha256:${sha.slice(0, 12)}`);
        // Only the CRDs the lock lists: the chart's ingressclassparams, not the catalog's gateway names.
        expect(plan.resources.filter((r) => r.name.startsWith("dev-blue-addons-aws-load-balancer-controller-crd-")).map((r) => r.name.split("-crd-")[1]).sort()).toEqual([
            "ingressclassparams.elbv2.k8s.aws", "targetgroupbindings.elbv2.k8s.aws",
        ]);
    });
});
