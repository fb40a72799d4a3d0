import * as yaml from "js-yaml";
import { pulumiAddonCrdDeps } from "../../components/addons/crd-deps";
import { loadEnvironmentConfig } from "../../src/config";
import { ADDON_CRD_LABEL, CrdGateError, prepareAddonCrds } from "../../src/addons/crd-gate";
import { crdObject, mutatedSchema, setOf } from "../crd/builders";
import { clusterSpec, rawConfig } from "../helpers/raw-config";
import { startServer, TestServer } from "../crd/sources/server";
import { testKubeconfig } from "../helpers/kubeconfig";

describe("the gate's live reader, against a local server speaking the Kubernetes API", () => {
    let server: TestServer;
    let kubeconfig: string;
    beforeAll(async () => {
        const item = (name: string, group: string) => {
            const { apiVersion: _a, kind: _k, ...rest } = { ...crdObject({ name, spec: { group } }), status: { storedVersions: ["v1alpha1", "v1"] } } as Record<string, unknown>;
            return rest;
        };
        server = await startServer({
            "/apis/apiextensions.k8s.io/v1/customresourcedefinitions": {
                body: JSON.stringify({ kind: "CustomResourceDefinitionList", apiVersion: "apiextensions.k8s.io/v1", items: [item("targetgroupbindings.elbv2.k8s.aws", "elbv2.k8s.aws"), item("other.example.com", "example.com")] }),
                contentType: "application/json",
            },
        });
        kubeconfig = JSON.stringify(testKubeconfig(server.url));
    });
    afterAll(() => server.close());

    test("reads the add-on's groups with the stack's kubeconfig (JSON, as the cluster output holds it), marked live", async () => {
        const set = await pulumiAddonCrdDeps().readLiveCrds(kubeconfig, ["elbv2.k8s.aws", "gateway.k8s.aws"]);
        expect(set.live).toBe(true);
        expect([...set.crds.keys()]).toEqual(["targetgroupbindings.elbv2.k8s.aws"]);
        expect(set.crds.get("targetgroupbindings.elbv2.k8s.aws")!.storedVersions).toEqual(["v1alpha1", "v1"]);
    });

    test("a cluster without the add-on's CRDs gives an empty set, not an error", async () => {
        const set = await pulumiAddonCrdDeps().readLiveCrds(yaml.dump(JSON.parse(kubeconfig)), ["argoproj.io"]);
        expect(set.crds.size).toBe(0);
    });
});

describe("the CRD gate reading a live cluster through the stack's kubeconfig", () => {
    let server: TestServer;
    /** As the API server lists them: no apiVersion/kind per item, server-set metadata, status. */
    const listed = (object: Record<string, unknown>) => {
        const { apiVersion: _a, kind: _k, metadata, ...rest } = object as { apiVersion: string; kind: string; metadata: Record<string, unknown> };
        return { ...rest, metadata: { ...metadata, uid: "7c0e", resourceVersion: "48121", generation: 3, managedFields: [{ manager: "pulumi-kubernetes" }] }, status: { storedVersions: ["v1"] } };
    };
    const applications = (schema?: Record<string, unknown>, labels?: Record<string, string>) =>
        crdObject({ name: "applications.argoproj.io", spec: { group: "argoproj.io" }, metadata: labels ? { labels } : {}, versions: [{ schema }] });
    const previous = (kubeconfig: string) => ({ clusters: { blue: { kubeconfig, addons: { argocd: { version: "8.5.0" } } } } });
    const config = (version: string) => loadEnvironmentConfig(rawConfig({
        clusters: { blue: clusterSpec("1.33", { addons: { argocd: { version }, "aws-load-balancer-controller": { enabled: false } } }) },
    }));
    const loadAddonCrds = async (_addon: string, version: string) =>
        setOf([version === "9.0.0" ? applications(mutatedSchema((s) => delete s.properties.color)) : applications()]);

    beforeAll(async () => {
        server = await startServer({
            "/apis/apiextensions.k8s.io/v1/customresourcedefinitions": {
                body: JSON.stringify({
                    kind: "CustomResourceDefinitionList",
                    apiVersion: "apiextensions.k8s.io/v1",
                    items: [
                        listed(applications(undefined, { [ADDON_CRD_LABEL]: "argocd" })),
                        listed(crdObject({ name: "rollouts.argoproj.io", spec: { group: "argoproj.io" } })),
                    ],
                }),
                contentType: "application/json",
            },
        });
    });
    afterAll(() => server.close());

    test("the same version again is unchanged: our label, server metadata and Argo Rollouts' CRD are not differences", async () => {
        const deps = { ...pulumiAddonCrdDeps(), loadAddonCrds, previousDeployment: async () => previous(JSON.stringify(testKubeconfig(server.url))) };
        const plan = await prepareAddonCrds(config("8.5.0"), deps);
        expect(plan.colors.blue!.argocd!.gate).toBe("unchanged");
        expect(plan.notes).toEqual([]);
    });

    test("a breaking target is refused against what the cluster has", async () => {
        const deps = { ...pulumiAddonCrdDeps(), loadAddonCrds, previousDeployment: async () => previous(JSON.stringify(testKubeconfig(server.url))) };
        const error = await prepareAddonCrds(config("9.0.0"), deps).catch((e: Error) => e);
        expect(error).toBeInstanceOf(CrdGateError);
        expect((error as Error).message).toContain("argocd on blue: upgrading 8.5.0 → 9.0.0 in place changes its CRDs (breaking: 1 breaking, 0 compatible, 0 cosmetic; compared with the CRDs live on the cluster)");
        expect((error as Error).message).not.toContain("rollouts");
    });

    test("a cluster that refuses the request falls back to the recorded version, and says why", async () => {
        const refusing = await startServer({ "/apis/apiextensions.k8s.io/v1/customresourcedefinitions": { status: 403, body: JSON.stringify({ kind: "Status", code: 403, message: "forbidden" }), contentType: "application/json" } });
        try {
            const deps = { ...pulumiAddonCrdDeps(), loadAddonCrds, previousDeployment: async () => previous(JSON.stringify(testKubeconfig(refusing.url))) };
            const plan = await prepareAddonCrds(config("8.5.0"), deps);
            expect(plan.colors.blue!.argocd!.gate).toBe("unchanged");
            expect(plan.notes).toEqual([expect.stringMatching(/^argocd on blue: could not read the cluster's CRDs \(could not read CustomResourceDefinitions from http:\/\/127\.0\.0\.1:\d+: HTTP 403.*\); compared with 8\.5\.0's CRDs, as recorded at the last deployment$/)]);
        } finally {
            await refusing.close();
        }
    });
});
