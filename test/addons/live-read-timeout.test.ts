/**
 * The CRD gate's live read is bounded: a cluster API that never answers fails the read after the
 * time limit, which the gate reports (and then compares with the recorded version) instead of hanging.
 */
import { readLiveCrdSet, LIVE_CRD_READ_TIMEOUT_MS } from "../../src/addons/online-crds";
import { prepareAddonCrds } from "../../src/addons/crd-gate";
import { loadEnvironmentConfig } from "../../src/config";
import { startServer, TestServer } from "../crd/sources/server";
import { testKubeconfig } from "../helpers/kubeconfig";
import { clusterSpec, rawConfig } from "../helpers/raw-config";
import { setOf, crdObject } from "../crd/builders";

describe("a cluster API that never answers", () => {
    let server: TestServer;
    let kubeconfig: string;
    beforeAll(async () => {
        server = await startServer({ "/apis/apiextensions.k8s.io/v1/customresourcedefinitions": "hang" });
        kubeconfig = JSON.stringify(testKubeconfig(server.url));
    });
    afterAll(() => server.close());

    test("the read fails after its time limit, saying so", async () => {
        await expect(readLiveCrdSet(kubeconfig, ["argoproj.io"], 300)).rejects.toThrow(/could not read CustomResourceDefinitions from https?:\/\/127\.0\.0\.1:\d+: no answer within 300 ms/);
        expect(LIVE_CRD_READ_TIMEOUT_MS).toBeLessThanOrEqual(60_000);
    });

    test("the gate reports the timed-out read and compares with the recorded version instead", async () => {
        const config = loadEnvironmentConfig(rawConfig({ clusters: { blue: clusterSpec("1.33", { addons: { "aws-load-balancer-controller": { enabled: false } } }) } }));
        const applications = crdObject({ name: "applications.argoproj.io", spec: { group: "argoproj.io" } });
        const plan = await prepareAddonCrds(config, {
            loadAddonCrds: async () => setOf([applications]),
            readLiveCrds: (k, groups) => readLiveCrdSet(k, groups, 300),
            previousDeployment: async () => ({ clusters: { blue: { kubeconfig, addons: { argocd: { version: "8.5.0" } } } } }),
        });
        expect(plan.notes).toContainEqual(expect.stringMatching(/^argocd on blue: could not read the cluster's CRDs \(could not read CustomResourceDefinitions from .*: no answer within 300 ms\); compared with 8\.5\.0's CRDs/));
        expect(plan.colors.blue!.argocd!.gate).toBe("unchanged");
    });
});
