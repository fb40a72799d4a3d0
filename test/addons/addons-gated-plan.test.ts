/**
 * The whole program with the CRD gate's dependencies injected (as `index.ts` gives the real ones):
 * CRDs applied from the gate's own source, the crdChanges output, and a refusal before any resource.
 */
import * as pulumi from "@pulumi/pulumi";
import { loadEnvironmentConfig } from "../../src/config";
import { ADDON_CRD_LABEL, AddonCrdDeps, PreviousDeployment } from "../../src/addons/crd-gate";
import { AddonId } from "../../src/addons/registry";
import { CrdSet } from "../../src/crd";
import { deployEnvironment } from "../../components/environment";
import { planEnvironment } from "../../src/plan/stack-plan";
import { crdObject, mutatedSchema, setOf } from "../crd/builders";
import { clusterSpec, rawConfig } from "../helpers/raw-config";
import { resourceNamed, resourcesOfType } from "../helpers/plan";

const GROUPS: Record<AddonId, string> = { argocd: "argoproj.io", "aws-load-balancer-controller": "elbv2.k8s.aws", "external-dns": "externaldns.k8s.io" };

/** Each add-on's CRDs per chart version: "2.x" removes a field (breaking) from the "1.x" schema. */
function crdsOf(addon: AddonId, version: string): CrdSet {
    const schema = version.startsWith("2.") ? mutatedSchema((s) => delete s.properties.color) : undefined;
    return setOf([{ ...crdObject({ name: `widgets.${GROUPS[addon]}`, spec: { group: GROUPS[addon] }, versions: [{ schema }] }), status: { storedVersions: ["v1"] } }]);
}

function injected(previous?: PreviousDeployment): AddonCrdDeps & { requests: string[] } {
    const requests: string[] = [];
    return {
        requests,
        loadAddonCrds: async (addon, version) => {
            requests.push(`load ${addon}@${version}`);
            return crdsOf(addon, version);
        },
        readLiveCrds: async (kubeconfig) => {
            requests.push(`live ${kubeconfig}`);
            throw new Error("connect ECONNREFUSED");
        },
        previousDeployment: async () => previous,
    };
}

const addons = (version: string) => ({
    argocd: { version },
    "aws-load-balancer-controller": { version },
    "external-dns": { version, zoneIdFilters: ["Z0123456789ABC"] },
});

const inputsFor = (blue: string, green?: string) => {
    const config = loadEnvironmentConfig(rawConfig({
        clusters: { blue: clusterSpec("1.33", { addons: addons(blue) }), ...(green ? { green: clusterSpec("1.34", { addons: addons(green) }) } : {}) },
    }));
    return { config, environment: "dev", region: "eu-west-1" };
};

describe("the program with the CRD gate's dependencies injected", () => {
    test("CRDs are applied from the source the gate compared, labelled with their add-on, status dropped; crdChanges reports blue → green", async () => {
        const deps = injected({ clusters: { blue: { kubeconfig: "blue-kubeconfig", addons: { argocd: { version: "1.0.0" }, "aws-load-balancer-controller": { version: "1.0.0" }, "external-dns": { version: "1.0.0" } } } } });
        const plan = await planEnvironment(inputsFor("1.0.0", "2.0.0"), "dev", deployEnvironment, deps);

        const crd = resourceNamed(plan, "kubernetes:apiextensions.k8s.io/v1:CustomResourceDefinition", "dev-green-addons-aws-load-balancer-controller-crd-widgets.elbv2.k8s.aws");
        const source = crdsOf("aws-load-balancer-controller", "2.0.0").crds.get("widgets.elbv2.k8s.aws")!.object as { spec: unknown };
        expect(crd.inputs).toEqual({
            apiVersion: "apiextensions.k8s.io/v1",
            kind: "CustomResourceDefinition",
            metadata: { name: "widgets.elbv2.k8s.aws", labels: { [ADDON_CRD_LABEL]: "aws-load-balancer-controller" }, annotations: { "pulumi.com/patchForce": "true" } },
            spec: source.spec,
        });
        expect(crd.retainOnDelete).toBe(true);
        // Green's cluster, through the provider that adopts a CRD kept from an earlier install.
        expect(crd.provider).toBe(resourceNamed(plan, "pulumi:providers:kubernetes", "dev-green-addons-crd-adopt").urn);
        expect(resourceNamed(plan, "kubernetes:helm.sh/v3:Release", "dev-green-addons-aws-load-balancer-controller-release").dependencies).toContain(crd.urn);

        expect(plan.outputs.crdChanges).toEqual({
            argocd: { from: "1.0.0", to: "2.0.0", verdict: "breaking", breaking: 1, compatible: 0, cosmetic: 0 },
            "aws-load-balancer-controller": { from: "1.0.0", to: "2.0.0", verdict: "breaking", breaking: 1, compatible: 0, cosmetic: 0 },
            "external-dns": { from: "1.0.0", to: "2.0.0", verdict: "breaking", breaking: 1, compatible: 0, cosmetic: 0 },
        });
        // Blue could not be read: compared with its recorded version, and the stack output says so.
        expect(plan.outputs.crdGateNotes).toEqual(expect.arrayContaining([expect.stringMatching(/^argocd on blue: could not read the cluster's CRDs \(connect ECONNREFUSED\); compared with 1\.0\.0's CRDs/)]));
        expect(deps.requests.filter((r) => r.startsWith("live"))).toEqual(["live blue-kubeconfig"]);
    });

    test("a refused in-place upgrade stops the program before any resource is registered, as a clean Pulumi error", async () => {
        const previous = { clusters: { blue: { addons: { "external-dns": { version: "1.0.0" } } } } };
        const failure = await planEnvironment(inputsFor("2.0.0"), "dev", deployEnvironment, injected(previous)).then(() => undefined, (e: Error) => e);
        expect(pulumi.RunError.isInstance(failure)).toBe(true);
        expect(failure!.message).toMatch(/^The CRD gate stopped this update before any change \(1 add-on upgrade\):\nexternal-dns on blue: upgrading 1\.0\.0 → 2\.0\.0 in place/);
        expect(failure!.message).toContain("Way forward: put external-dns 2.0.0 on the other color (clusters.green.addons.external-dns.version, a new cluster)");
    });

    test("a CRD source that cannot be fetched stops the program too, with the reason", async () => {
        const deps: AddonCrdDeps = { ...injected(), loadAddonCrds: async () => { throw new Error("could not fetch https://aws.github.io/eks-charts/index.yaml: no answer within 30000 ms"); } };
        const failure = await planEnvironment(inputsFor("1.0.0"), "dev", deployEnvironment, deps).then(() => undefined, (e: Error) => e);
        expect(pulumi.RunError.isInstance(failure)).toBe(true);
        expect(failure!.message).toMatch(/^could not fetch https:\/\/aws\.github\.io\/eks-charts\/index\.yaml: no answer within 30000 ms\n {2}The CRD gate needs the CRDs of argocd 1\.0\.0 \(clusters\.blue\.addons\.argocd\.version\)/);
    });

    test("offline, the CRD resources are the catalog's names with their contents marked as fetched at deploy time, and the outputs say the gate did not run", async () => {
        const plan = await planEnvironment(inputsFor("1.14.0"), "dev", deployEnvironment);
        const crds = resourcesOfType(plan, "kubernetes:apiextensions.k8s.io/v1:CustomResourceDefinition").filter((r) => r.name.startsWith("dev-blue-addons-external-dns"));
        expect(crds.map((c) => c.inputs)).toEqual([{
            apiVersion: "apiextensions.k8s.io/v1",
            kind: "CustomResourceDefinition",
            metadata: { name: "dnsendpoints.externaldns.k8s.io", labels: { [ADDON_CRD_LABEL]: "external-dns" }, annotations: { "pulumi.com/patchForce": "true" } },
            spec: "<fetched at deploy time from the add-on's CRD source>",
        }]);
        expect(plan.outputs.crdGateNotes).toEqual([expect.stringMatching(/^CRD gate skipped offline: the plan makes no network call/)]);
        expect(plan.outputs.crdChanges).toEqual({});
    });
});
