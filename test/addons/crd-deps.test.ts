import * as yaml from "js-yaml";
import { pulumiAddonCrdDeps } from "../../components/addons/crd-deps";
import { crdObject } from "../crd/builders";
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
