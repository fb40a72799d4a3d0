import { loadEnvironmentConfig } from "../../src/config";
import { crdGateCheck } from "../../src/preflight/crd-gate-check";
import { PreflightContext, PreflightDeps } from "../../src/preflight/model";
import { crdObject, mutatedSchema, setOf } from "../crd/builders";
import { clusterSpec, rawConfig } from "../helpers/raw-config";

const sets = {
    "8.5.0": setOf([crdObject()]),
    "9.1.0": setOf([crdObject({ versions: [{ schema: mutatedSchema((s) => delete s.properties.color) }] })]),
};

function context(blue: string, green?: string): PreflightContext {
    const addons = (version: string) => ({ argocd: { version }, "aws-load-balancer-controller": { enabled: false } });
    const config = loadEnvironmentConfig(rawConfig({ clusters: { blue: clusterSpec("1.33", { addons: addons(blue) }), ...(green ? { green: clusterSpec("1.34", { addons: addons(green) }) } : {}) } }));
    return { config, aws: { region: "eu-west-1" }, stack: "dev", stackFile: "stacks/Pulumi.dev.yaml", secretPaths: [], today: "2026-11-25", projectDir: ".", previous: { clusters: { blue: { version: "1.33", kubeconfig: "{}", addons: { argocd: { version: "8.5.0" } } } } } };
}

const deps: PreflightDeps = {
    scanManifests: () => Promise.reject(new Error("unused")),
    addonCrds: {
        loadAddonCrds: async (_addon, version) => sets[version as keyof typeof sets],
        readLiveCrds: () => Promise.reject(new Error("no cluster here")),
    },
};

describe("preflight: the add-on CRD gate", () => {
    test("a new green on a breaking version passes the gate and warns about what its workloads will meet", async () => {
        const items = await crdGateCheck(context("8.5.0", "9.1.0"), deps);
        expect(items.map((i) => `${i.id}:${i.status}`)).toEqual(["crd-gate.blue:pass", "crd-gate.green:pass", "crd-changes.argocd:warn", "crd-gate.note:warn"]);
        expect(items[1].detail).toBe("argocd 9.1.0 (new install)");
        expect(items[2].detail).toMatch(/^8\.5\.0 → 9\.1\.0: breaking \(1 breaking, 0 compatible, 0 cosmetic\)/);
        expect(items[3].detail).toMatch(/could not read the cluster's CRDs \(no cluster here\)/);
    });

    test("an in-place upgrade of blue that breaks CRDs fails, with the gate's message", async () => {
        const items = await crdGateCheck(context("9.1.0"), deps);
        expect(items).toHaveLength(1);
        expect(items[0].status).toBe("fail");
        expect(items[0].detail).toMatch(/argocd on blue: upgrading 8\.5\.0 → 9\.1\.0 in place changes its CRDs \(breaking/);
    });

    test("a source that cannot be fetched fails the item instead of skipping the gate", async () => {
        const failing: PreflightDeps = { ...deps, addonCrds: { ...deps.addonCrds!, loadAddonCrds: () => Promise.reject(new Error("could not fetch https://argoproj.github.io/argo-helm/index.yaml: HTTP 503")) } };
        const items = await crdGateCheck(context("8.5.0"), failing);
        expect(items).toEqual([{ id: "crd-gate", title: "Add-on CRD gate", status: "fail", detail: "could not be checked: could not fetch https://argoproj.github.io/argo-helm/index.yaml: HTTP 503" }]);
    });
});
