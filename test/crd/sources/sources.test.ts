import { createHash } from "crypto";
import * as fs from "fs";
import * as path from "path";
import * as tar from "tar";
import * as yaml from "js-yaml";
import { loadCrdSource, CrdSourceError, rewriteUrl } from "../../../src/crd/sources";
import { parseCrdStreams } from "../../../src/crd";
import { crdObject } from "../builders";
import { startServer, TestServer } from "./server";
import { testKubeconfig } from "../../helpers/kubeconfig";
import { addonCrdScheme } from "../../../src/addons/crd-source";
import { tempDir } from "../../helpers/temp-dir";

const crdYaml = (name: string) => yaml.dump(crdObject({ name }));
const names = async (spec: string, options = {}) => [...parseCrdStreams((await loadCrdSource(spec, { cacheDir: null, ...options })).streams).crds.keys()].sort();

/** A chart archive built here: `<chart>/Chart.yaml`, `crds/…`, `templates/crds/…`. */
async function chartArchive(chart: string, files: Record<string, string>): Promise<Buffer> {
    const dir = tempDir("bluegreen-chart-");
    fs.mkdirSync(path.join(dir, chart), { recursive: true });
    fs.writeFileSync(path.join(dir, chart, "Chart.yaml"), `apiVersion: v2\nname: ${chart}\nversion: 1.0.0\n`);
    for (const [file, text] of Object.entries(files)) {
        fs.mkdirSync(path.dirname(path.join(dir, chart, file)), { recursive: true });
        fs.writeFileSync(path.join(dir, chart, file), text);
    }
    const archive = path.join(dir, `${chart}.tgz`);
    await tar.create({ gzip: true, file: archive, cwd: dir }, [chart]);
    return fs.readFileSync(archive);
}

const sha256 = (data: Buffer) => createHash("sha256").update(data).digest("hex");

function indexYaml(entries: Record<string, Array<{ version: string; appVersion?: string; digest?: string; urls: string[] }>>): string {
    return yaml.dump({ apiVersion: "v1", entries });
}

describe("local sources", () => {
    test("a file, a directory of manifests, and a directory with a kustomization", async () => {
        const dir = tempDir("bluegreen-local-");
        fs.mkdirSync(path.join(dir, "plain", "nested"), { recursive: true });
        fs.writeFileSync(path.join(dir, "plain", "a.yaml"), crdYaml("as.example.com"));
        fs.writeFileSync(path.join(dir, "plain", "nested", "b.json"), JSON.stringify(crdObject({ name: "bs.example.com" })));
        fs.writeFileSync(path.join(dir, "plain", "README.md"), "not a manifest");
        expect(await names(path.join(dir, "plain", "a.yaml"))).toEqual(["as.example.com"]);
        expect(await names(path.join(dir, "plain"))).toEqual(["as.example.com", "bs.example.com"]);
        expect(await names(`${path.join(dir, "plain", "a.yaml")},${path.join(dir, "plain", "nested", "b.json")}`)).toEqual(["as.example.com", "bs.example.com"]);

        fs.mkdirSync(path.join(dir, "kust", "more"), { recursive: true });
        fs.writeFileSync(path.join(dir, "kust", "kustomization.yaml"), "resources:\n- one.yaml\n- more\n");
        fs.writeFileSync(path.join(dir, "kust", "one.yaml"), crdYaml("ones.example.com"));
        fs.writeFileSync(path.join(dir, "kust", "ignored.yaml"), crdYaml("ignored.example.com"));
        fs.writeFileSync(path.join(dir, "kust", "more", "kustomization.yaml"), "resources: [two.yaml]\n");
        fs.writeFileSync(path.join(dir, "kust", "more", "two.yaml"), crdYaml("twos.example.com"));
        expect(await names(path.join(dir, "kust"))).toEqual(["ones.example.com", "twos.example.com"]);
    });

    test("a kustomization that patches is refused, not silently half-applied", async () => {
        const dir = tempDir("bluegreen-kust-");
        fs.writeFileSync(path.join(dir, "kustomization.yaml"), "resources: [a.yaml]\npatches:\n- path: p.yaml\n");
        fs.writeFileSync(path.join(dir, "a.yaml"), crdYaml("as.example.com"));
        await expect(loadCrdSource(dir, { cacheDir: null })).rejects.toThrow(/uses patches, which change the manifests.*kubectl kustomize/);
    });

    test("a missing path says what forms a source can take", async () => {
        await expect(loadCrdSource("/nonexistent/crds", { cacheDir: null })).rejects.toThrow(/does not exist \(expected a file, directory, URL, chart: or kube: source\)/);
    });
});

describe("HTTP sources", () => {
    let server: TestServer;
    let cacheDir: string;
    beforeEach(async () => {
        cacheDir = tempDir("bluegreen-cache-");
        const plainArchive = await chartArchive("widgets", {
            "crds/widgets.yaml": crdYaml("widgets.example.com"),
            "crds/gateway.yaml": crdYaml("gateways.example.com"),
            "templates/crds/gadgets.yaml": crdYaml("gadgets.example.com"),
            "templates/crds/templated.yaml": "{{- if .Values.crds.install }}\n" + crdYaml("templated.example.com") + "{{- end }}\n",
            "templates/deployment.yaml": "kind: Deployment\n",
        });
        const templatedArchive = await chartArchive("argo-like", { "templates/crds/app.yaml": "{{- if .Values.crds.install }}\n" + crdYaml("apps.example.com") + "{{- end }}\n" });
        server = await startServer({
            "/charts/index.yaml": {
                body: indexYaml({
                    widgets: [
                        { version: "1.2.0", appVersion: "v2.0.0", digest: sha256(plainArchive), urls: ["widgets-1.2.0.tgz"] },
                        { version: "1.1.0", appVersion: "v1.9.0", digest: "0".repeat(64), urls: ["widgets-1.1.0.tgz"] },
                        { version: "1.0.0", urls: ["broken-1.0.0.tgz"] },
                    ],
                    "argo-like": [{ version: "7.0.0", appVersion: "v2.12.0", urls: ["argo-like-7.0.0.tgz"] }],
                }),
            },
            "/charts/widgets-1.2.0.tgz": { body: plainArchive },
            "/charts/widgets-1.1.0.tgz": { body: plainArchive },
            "/charts/broken-1.0.0.tgz": { body: Buffer.from("this is not a tarball") },
            "/charts/argo-like-7.0.0.tgz": { body: templatedArchive },
            "/raw/crds.yaml": { body: crdYaml("raws.example.com") },
            "/raw/kustomization.yaml": { body: "resources:\n- crds.yaml\n" },
            "/slow.yaml": "hang",
        });
    });
    afterEach(() => server.close());

    test("one or more URLs, and a kustomization over HTTP", async () => {
        expect(await names(`${server.url}/raw/crds.yaml`)).toEqual(["raws.example.com"]);
        expect(await names(`${server.url}/raw/kustomization.yaml`)).toEqual(["raws.example.com"]);
        expect(await names(`${server.url}/raw/crds.yaml,${server.url}/charts/../raw/crds.yaml`).catch((e) => e.message)).toMatch(/defined twice/);
    });

    test("a chart version: every plain manifest under crds/, and untemplated templates/crds/", async () => {
        expect(await names(`chart:${server.url}/charts/widgets@1.2.0`)).toEqual(["gadgets.example.com", "gateways.example.com", "widgets.example.com"]);
    });

    test("a chart that templates its CRDs says so", async () => {
        await expect(loadCrdSource(`chart:${server.url}/charts/argo-like@7.0.0`, { cacheDir: null })).rejects.toThrow(/templates its CRDs \(argo-like\/templates\/crds\/app\.yaml\)/);
    });

    test("a version not in the index lists the nearest ones", async () => {
        await expect(loadCrdSource(`chart:${server.url}/charts/widgets@1.3.0`, { cacheDir: null })).rejects.toThrow(/has no version 1\.3\.0 in .*index\.yaml; nearest: 1\.2\.0, 1\.1\.0, 1\.0\.0/);
    });

    test("a digest mismatch and a malformed archive are errors", async () => {
        await expect(loadCrdSource(`chart:${server.url}/charts/widgets@1.1.0`, { cacheDir: null })).rejects.toThrow(/does not match the digest/);
        await expect(loadCrdSource(`chart:${server.url}/charts/widgets@1.0.0`, { cacheDir: null })).rejects.toThrow(/is not a valid chart archive/);
    });

    test("404 and timeouts name the URL and how to use a mirror or a local copy", async () => {
        const notFound = loadCrdSource(`${server.url}/raw/missing.yaml`, { cacheDir: null });
        await expect(notFound).rejects.toThrow(CrdSourceError);
        await expect(loadCrdSource(`${server.url}/raw/missing.yaml`, { cacheDir: null })).rejects.toThrow(/HTTP 404.*BLUEGREEN_URL_REWRITE.*local copy/);
        const started = Date.now();
        await expect(loadCrdSource(`${server.url}/slow.yaml`, { cacheDir: null, timeoutMs: 200 })).rejects.toThrow(/no answer within 200 ms/);
        expect(Date.now() - started).toBeLessThan(5000);
    });

    test("immutable downloads are cached by URL and content hash: served without the network, refetched when corrupted", async () => {
        const spec = `chart:${server.url}/charts/widgets@1.2.0`;
        await loadCrdSource(spec, { cacheDir });
        const archiveRequests = () => server.requests.filter((r) => r.endsWith(".tgz")).length;
        expect(archiveRequests()).toBe(1);
        await loadCrdSource(spec, { cacheDir });
        expect(archiveRequests()).toBe(1);
        for (const file of fs.readdirSync(cacheDir).filter((f) => f.endsWith(".data"))) fs.writeFileSync(path.join(cacheDir, file), "corrupted");
        expect(await names(spec, { cacheDir })).toEqual(["gadgets.example.com", "gateways.example.com", "widgets.example.com"]);
        expect(archiveRequests()).toBe(2);
    });

    test("the index falls back to the cached copy when the repository cannot be reached", async () => {
        const spec = `chart:${server.url}/charts/widgets@1.2.0`;
        await loadCrdSource(spec, { cacheDir });
        server.routes.set("/charts/index.yaml", "hang");
        const stderr = jest.spyOn(process.stderr, "write").mockImplementation(() => true);
        try {
            expect(await names(spec, { cacheDir, timeoutMs: 200 })).toHaveLength(3);
            expect(stderr.mock.calls.map((c) => String(c[0])).join("")).toMatch(/using the cached copy/);
        } finally {
            stderr.mockRestore();
        }
    });

    test("add-on sources follow the catalog, through a mirror (BLUEGREEN_URL_REWRITE), when the caller passes the addon: scheme", async () => {
        const schemes = [addonCrdScheme()];
        const lbcArchive = await chartArchive("aws-load-balancer-controller", {
            "crds/crds.yaml": crdYaml("targetgroupbindings.elbv2.k8s.aws"),
            "crds/gateway-crds.yaml": crdYaml("loadbalancerconfigurations.gateway.k8s.aws"),
        });
        server.routes.set("/eks-charts/index.yaml", { body: indexYaml({ "aws-load-balancer-controller": [{ version: "1.14.0", appVersion: "v2.14.0", digest: sha256(lbcArchive), urls: ["aws-load-balancer-controller-1.14.0.tgz"] }] }) });
        server.routes.set("/eks-charts/aws-load-balancer-controller-1.14.0.tgz", { body: lbcArchive });
        server.routes.set("/argo-helm/index.yaml", { body: indexYaml({ "argo-cd": [{ version: "8.5.0", appVersion: "v3.1.5", urls: ["argo-cd-8.5.0.tgz"] }] }) });
        for (const file of ["application-crd.yaml", "applicationset-crd.yaml", "appproject-crd.yaml"]) {
            server.routes.set(`/raw/argoproj/argo-cd/v3.1.5/manifests/crds/${file}`, { body: crdYaml(file.replace("-crd.yaml", "s.argoproj.io")) });
        }
        const saved = process.env.BLUEGREEN_URL_REWRITE;
        process.env.BLUEGREEN_URL_REWRITE = `https://aws.github.io/eks-charts=${server.url}/eks-charts,https://argoproj.github.io/argo-helm=${server.url}/argo-helm,https://raw.githubusercontent.com=${server.url}/raw`;
        try {
            expect(await names("addon:aws-load-balancer-controller@1.14.0", { schemes })).toEqual(["loadbalancerconfigurations.gateway.k8s.aws", "targetgroupbindings.elbv2.k8s.aws"]);
            expect(await names("addon:argocd@8.5.0", { schemes })).toEqual(["applications.argoproj.io", "applicationsets.argoproj.io", "appprojects.argoproj.io"]);
        } finally {
            if (saved === undefined) delete process.env.BLUEGREEN_URL_REWRITE;
            else process.env.BLUEGREEN_URL_REWRITE = saved;
        }
        await expect(loadCrdSource("addon:istio@1.0.0", { schemes })).rejects.toThrow(/"istio" is not an add-on \(known: argocd, aws-load-balancer-controller, external-dns\)/);
        await expect(loadCrdSource("addon:argocd", { schemes })).rejects.toThrow(/must look like addon:<argocd\|aws-load-balancer-controller\|external-dns>@<chart-version>/);
        // The library alone knows no add-on: without the scheme, addon:… is just a path that does not exist.
        await expect(loadCrdSource("addon:argocd@8.5.0", { cacheDir: null })).rejects.toThrow(/does not exist \(expected a file, directory, URL, chart: or kube: source\)/);
    });

    test("rewriteUrl applies the first matching prefix only", () => {
        expect(rewriteUrl("https://a.example/x.yaml", "https://a.example=http://m/a,https://b.example=http://m/b")).toBe("http://m/a/x.yaml");
        expect(rewriteUrl("https://c.example/x.yaml", "https://a.example=http://m/a")).toBe("https://c.example/x.yaml");
    });
});

describe("live cluster source (kube:)", () => {
    let server: TestServer;
    let kubeconfigPath: string;
    beforeAll(async () => {
        const live = (name: string, group: string): Record<string, unknown> => ({ ...crdObject({ name, spec: { group } }), status: { storedVersions: ["v1"] } });
        const list = { apiVersion: "apiextensions.k8s.io/v1", kind: "CustomResourceDefinitionList", items: [live("applications.argoproj.io", "argoproj.io"), live("certificates.cert-manager.io", "cert-manager.io")].map(({ apiVersion: _a, kind: _k, ...rest }) => rest) };
        server = await startServer({ "/apis/apiextensions.k8s.io/v1/customresourcedefinitions": { body: JSON.stringify(list), contentType: "application/json" } });
        kubeconfigPath = path.join(tempDir("bluegreen-kube-"), "config");
        fs.writeFileSync(kubeconfigPath, yaml.dump(testKubeconfig(server.url)));
    });
    afterAll(() => server.close());

    test("reads the CRDs of the given groups, marked live with their stored versions", async () => {
        const result = await loadCrdSource("kube:argoproj.io", { kubeconfigPath });
        expect(result.live).toBe(true);
        const set = parseCrdStreams(result.streams, { live: result.live });
        expect([...set.crds.keys()]).toEqual(["applications.argoproj.io"]);
        expect(set.crds.get("applications.argoproj.io")!.storedVersions).toEqual(["v1"]);
    });

    test("no CRD in the groups, or an unreachable cluster, is an error", async () => {
        await expect(loadCrdSource("kube:externaldns.k8s.io", { kubeconfigPath })).rejects.toThrow(/has no CRD in the group\(s\) externaldns\.k8s\.io/);
        const unreachable = path.join(tempDir("bluegreen-kube-"), "config");
        fs.writeFileSync(unreachable, fs.readFileSync(kubeconfigPath, "utf8").replace(server.url, "http://127.0.0.1:1"));
        await expect(loadCrdSource("kube:argoproj.io", { kubeconfigPath: unreachable })).rejects.toThrow(/could not read CustomResourceDefinitions from http:\/\/127\.0\.0\.1:1/);
        await expect(loadCrdSource("kube:", { kubeconfigPath })).rejects.toThrow(/must name API groups/);
    });
});
