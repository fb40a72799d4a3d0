/**
 * EKS managed add-on versions change only with the config: resolved once, recorded in the stack's
 * outputs, kept by the next updates; re-resolved when the cluster's Kubernetes version changes.
 */
import { diffPlans } from "../../src/plan/diff";
import { clusterSpec, rawConfig, withValue } from "../helpers/raw-config";
import { outputValue, planWithOutputs, resourceNamed } from "../helpers/plan";

const ADDONS = ["vpc-cni", "kube-proxy", "eks-pod-identity-agent", "coredns"];
const raw = rawConfig({ clusters: { blue: clusterSpec("1.32", { managedAddons: { coredns: "v1.11.4-eksbuild.2" } }) } });
const DEPLOYER = "arn:aws:iam::123456789012:role/ci-deployer";

/** What the last update recorded: versions EKS resolved for 1.32 at the time (EKS's default has moved on since). */
const recordedFor132 = {
    clusters: {
        blue: {
            name: "dev-blue",
            version: "1.32",
            creator: DEPLOYER,
            managedAddons: {
                "vpc-cni": { version: "v1.19.2-eksbuild.1", kubernetesVersion: "1.32", source: "resolved" },
                "kube-proxy": { version: "v1.32.0-eksbuild.2", kubernetesVersion: "1.32", source: "resolved" },
                "eks-pod-identity-agent": { version: "v1.3.4-eksbuild.1", kubernetesVersion: "1.32", source: "resolved" },
                coredns: { version: "v1.11.4-eksbuild.2", kubernetesVersion: "1.32", source: "pinned" },
            },
        },
    },
};

const versionOf = (plan: Awaited<ReturnType<typeof planWithOutputs>>["plan"], addon: string) => resourceNamed(plan, "aws:eks/addon:Addon", `dev-blue-${addon}`).inputs.addonVersion;

describe("EKS managed add-on versions", () => {
    test("a new cluster: EKS's default for its Kubernetes version (or the pin), recorded with what it was chosen for", async () => {
        const { plan, outputs } = await planWithOutputs(raw, { deployer: DEPLOYER });
        expect(versionOf(plan, "vpc-cni")).toBe("<default for Kubernetes 1.32>");
        expect(versionOf(plan, "coredns")).toBe("v1.11.4-eksbuild.2");
        const recorded = await outputValue((outputs.clusters as Record<string, Record<string, unknown>>).blue.managedAddons);
        expect(recorded).toEqual({
            "vpc-cni": { version: "<default for Kubernetes 1.32>", kubernetesVersion: "1.32", source: "resolved" },
            "kube-proxy": { version: "<default for Kubernetes 1.32>", kubernetesVersion: "1.32", source: "resolved" },
            "eks-pod-identity-agent": { version: "<default for Kubernetes 1.32>", kubernetesVersion: "1.32", source: "resolved" },
            coredns: { version: "v1.11.4-eksbuild.2", kubernetesVersion: "1.32", source: "pinned" },
        });
    });

    test("an unrelated update (a node group's size) keeps every recorded version: nothing rolls on the live cluster", async () => {
        const unrelated = withValue(raw, "clusters.blue.nodeGroups", [{ name: "system", instanceTypes: ["m6i.large"], minSize: 1, desiredSize: 3, maxSize: 5 }]);
        const { plan, outputs } = await planWithOutputs(unrelated, { deployer: DEPLOYER, previous: recordedFor132 });
        expect(versionOf(plan, "vpc-cni")).toBe("v1.19.2-eksbuild.1");
        expect(versionOf(plan, "kube-proxy")).toBe("v1.32.0-eksbuild.2");
        expect(versionOf(plan, "eks-pod-identity-agent")).toBe("v1.3.4-eksbuild.1");
        expect(versionOf(plan, "coredns")).toBe("v1.11.4-eksbuild.2");
        for (const addon of ADDONS) expect(resourceNamed(plan, "aws:eks/addon:Addon", `dev-blue-${addon}`).ignoreChanges).toEqual([]);
        const recorded = await outputValue((outputs.clusters as Record<string, Record<string, unknown>>).blue.managedAddons);
        expect(recorded).toMatchObject({ "vpc-cni": { version: "v1.19.2-eksbuild.1", kubernetesVersion: "1.32", source: "resolved" } });
    });

    test("a Kubernetes version change re-resolves the unpinned add-ons for the new version; the pin stays", async () => {
        const upgraded = withValue(raw, "clusters.blue.version", "1.33");
        const { plan: before } = await planWithOutputs(raw, { deployer: DEPLOYER, previous: recordedFor132 });
        const { plan } = await planWithOutputs(upgraded, { deployer: DEPLOYER, previous: recordedFor132 });
        for (const addon of ["vpc-cni", "kube-proxy", "eks-pod-identity-agent"]) expect(versionOf(plan, addon)).toBe("<default for Kubernetes 1.33>");
        expect(versionOf(plan, "coredns")).toBe("v1.11.4-eksbuild.2");
        const addonSteps = diffPlans(before, plan).steps.filter((s) => s.type === "aws:eks/addon:Addon" && s.op !== "same").map((s) => s.name).sort();
        expect(addonSteps).toEqual(["dev-blue-eks-pod-identity-agent", "dev-blue-kube-proxy", "dev-blue-vpc-cni"]);
    });

    test("a pin removed resolves again; a pin changed is applied", async () => {
        const unpinned = withValue(raw, "clusters.blue.managedAddons", { "vpc-cni": "v1.20.0-eksbuild.1" });
        const { plan } = await planWithOutputs(unpinned, { deployer: DEPLOYER, previous: recordedFor132 });
        expect(versionOf(plan, "coredns")).toBe("<default for Kubernetes 1.32>");
        expect(versionOf(plan, "vpc-cni")).toBe("v1.20.0-eksbuild.1");
        expect(versionOf(plan, "kube-proxy")).toBe("v1.32.0-eksbuild.2");
    });

    test("a cluster deployed before versions were recorded keeps what it runs (addonVersion ignored) until the record exists", async () => {
        const legacy = { clusters: { blue: { name: "dev-blue", version: "1.32" } } };
        const { plan } = await planWithOutputs(raw, { deployer: DEPLOYER, previous: legacy });
        expect(resourceNamed(plan, "aws:eks/addon:Addon", "dev-blue-vpc-cni").ignoreChanges).toEqual(["addonVersion"]);
        expect(resourceNamed(plan, "aws:eks/addon:Addon", "dev-blue-coredns").ignoreChanges).toEqual([]);
    });

    test("when the previous outputs cannot be read, the update stops instead of re-resolving every version", async () => {
        await expect(planWithOutputs(raw, { deployer: DEPLOYER, previous: new Error("AccessDenied: s3:GetObject") })).rejects.toThrow(
            "cannot read the stack's previous outputs (each cluster's creator and managed add-on versions are recorded there): AccessDenied: s3:GetObject",
        );
    });
});
