/**
 * The in-place upgrade plan as table tests: control-plane minors one by one, node groups replaced
 * by surge at each minor, add-ons in place only where the CRD gate allows (real ArgoCD CRDs from
 * ../shared/crds through an injected loader), EKS managed add-on versions from a mocked EKS API.
 */
import * as fs from "fs";
import * as path from "path";
import { mockClient } from "aws-sdk-client-mock";
import { DescribeAddonVersionsCommand, EKSClient } from "@aws-sdk/client-eks";
import { loadEnvironmentConfig } from "../../src/config";
import { parseCrdStreams } from "../../src/crd";
import { planUpgrade, UpgradePlan } from "../../src/upgrade/plan";
import { eksAddonVersionResolver } from "../../src/upgrade/eks-addons";
import { clusterSpec, nodeGroup, rawConfig } from "../helpers/raw-config";

const crdRoot = path.resolve(__dirname, "..", "..", "..", "shared", "crds");
const describeIfShared = fs.existsSync(crdRoot) ? describe : describe.skip;

const config = (blue: Record<string, unknown>) => loadEnvironmentConfig(rawConfig({ clusters: { blue } }));
const controlPlaneSteps = (plan: UpgradePlan) => plan.steps.filter((s) => s.kind === "control-plane").map((s) => s.title);

describe("control plane and node groups, one minor at a time", () => {
    test("1.30 → 1.33 in place is three control-plane steps, each followed by the node groups' surge on that minor", async () => {
        const plan = await planUpgrade({ stack: "dev", config: config(clusterSpec("1.30", { nodeGroups: [nodeGroup(), nodeGroup({ name: "apps" })] })), color: "blue", to: "1.33" });
        expect(plan.refusals).toEqual([]);
        expect(plan.method).toBe("in place");
        expect(controlPlaneSteps(plan)).toEqual(["control plane 1.30 → 1.31", "control plane 1.31 → 1.32", "control plane 1.32 → 1.33"]);
        expect(plan.steps.map((s) => `${s.kind} ${s.minor}`)).toEqual([
            "control-plane 1.31", "managed-addons 1.31", "node-group 1.31", "node-group 1.31", "check 1.31",
            "control-plane 1.32", "managed-addons 1.32", "node-group 1.32", "node-group 1.32", "check 1.32",
            "control-plane 1.33", "managed-addons 1.33", "node-group 1.33", "node-group 1.33", "check 1.33",
        ]);
        // The first control-plane step pins unversioned groups on 1.30 so EKS does not roll them in place.
        expect(plan.steps[0].actions).toEqual([
            "pulumi config set --path 'bluegreen:clusters.blue.nodeGroups[0].version' '1.30' --stack dev",
            "pulumi config set --path 'bluegreen:clusters.blue.nodeGroups[1].version' '1.30' --stack dev",
            "pulumi config set --path 'bluegreen:clusters.blue.version' '1.31' --stack dev",
            "pulumi up --stack dev",
        ]);
        const surge = plan.steps.find((s) => s.kind === "node-group" && s.minor === "1.32")!;
        expect(surge.actions).toContain("bluegreen nodes drain --stack dev --color blue --node-group system");
        expect(surge.actions[0]).toBe("pulumi config set --path 'bluegreen:clusters.blue.nodeGroups[0].replacement.version' '1.32' --stack dev");
        // The second surge starts from generation 1 (the first one's promotion) and promotes to 2.
        expect(surge.actions.slice(1)).toEqual([
            "pulumi up --stack dev",
            "bluegreen nodes drain --stack dev --color blue --node-group system",
            "bluegreen upgrade check --stack dev --color blue",
            "pulumi config set --path 'bluegreen:clusters.blue.nodeGroups[0].version' '1.32' --stack dev",
            "promote in stacks/Pulumi.dev.yaml: clusters.blue.nodeGroups[0].generation: 2, and delete its replacement block",
            "pulumi up --stack dev",
        ]);
        expect(plan.notes.join("\n")).toMatch(/resolved at deploy time/);
    });

    test.each([
        ["1.32", "1.33", 1],
        ["1.31", "1.31", 0],
        ["1.28", "1.30", 2],
    ])("%s → %s has %i control-plane steps", async (from, to, count) => {
        const plan = await planUpgrade({ stack: "dev", config: config(clusterSpec(from)), color: "blue", to });
        expect(controlPlaneSteps(plan)).toHaveLength(count);
        expect(plan.refusals).toEqual([]);
    });

    test("a downgrade is refused: EKS cannot downgrade a control plane", async () => {
        const plan = await planUpgrade({ stack: "dev", config: config(clusterSpec("1.33")), color: "blue", to: "1.31" });
        expect(plan.steps).toEqual([]);
        expect(plan.refusals.join("\n")).toMatch(/downgrade/);
    });

    test("a node group two minors behind once the control plane moved is refused, naming the group and the way forward", async () => {
        const lagging = config(clusterSpec("1.31", { nodeGroups: [nodeGroup({ name: "apps", version: "1.30" })] }));
        const plan = await planUpgrade({ stack: "dev", config: lagging, color: "blue", to: "1.32" });
        expect(plan.refusals).toHaveLength(1);
        expect(plan.refusals[0]).toMatch(/node group apps \(clusters\.blue\.nodeGroups\[0\]\) runs 1\.30 and would be 2 minor versions behind once the control plane moves to 1\.32/);
        expect(plan.refusals[0]).toMatch(/Replace the group on 1\.31 first/);
    });

    test("a group beyond Kubernetes' kubelet skew (before 1.28: at most 2 behind) is refused citing the skew rule too", async () => {
        const plan = await planUpgrade({ stack: "dev", config: config(clusterSpec("1.26", { nodeGroups: [nodeGroup({ version: "1.24" })] })), color: "blue", to: "1.27" });
        expect(plan.refusals[0]).toMatch(/3 minor versions behind/);
        expect(plan.refusals[0]).toMatch(/at most 2 behind/);
    });

    test("APIs removed by an intermediate version refuse the plan at that version", async () => {
        const scanned: string[] = [];
        const plan = await planUpgrade({ stack: "dev", config: config(clusterSpec("1.31")), color: "blue", to: "1.33" }, {
            scanManifests: async (target) => {
                scanned.push(target);
                const finding = { file: "hpa.yaml", index: 0, kind: "FlowSchema", name: "fs", apiVersion: "flowcontrol.apiserver.k8s.io/v1beta3", deprecatedIn: "1.29", removedIn: "1.32", replacement: "flowcontrol.apiserver.k8s.io/v1" };
                return { findings: [finding], files: 1, documents: 1, skipped: [], errors: [] };
            },
        });
        expect(scanned).toEqual(["1.32", "1.33"]);
        expect(plan.refusals).toHaveLength(1);
        expect(plan.refusals[0]).toMatch(/1 manifest object use APIs that 1\.32 no longer serves: FlowSchema fs flowcontrol\.apiserver\.k8s\.io\/v1beta3 → flowcontrol\.apiserver\.k8s\.io\/v1/);
    });
});

describeIfShared("add-ons through the CRD gate (real ArgoCD CRDs)", () => {
    const files = ["application-crd.yaml", "applicationset-crd.yaml", "appproject-crd.yaml"];
    const loader = async (_addon: string, version: string) =>
        parseCrdStreams(files.map((f) => ({ origin: f, text: fs.readFileSync(path.join(crdRoot, "argo-cd", version, f), "utf8") })));

    test("ArgoCD v2.11.14 → v2.12.0 changes its CRDs in a breaking way: the plan says new color, and why", async () => {
        const plan = await planUpgrade(
            { stack: "dev", config: config(clusterSpec("1.32")), color: "blue", to: "1.33", runningAddons: { argocd: "v2.11.14" }, addonTargets: { argocd: "v2.12.0" } },
            { loadAddonCrds: loader },
        );
        expect(plan.method).toBe("new color");
        const argocd = plan.addons.find((a) => a.addon === "argocd")!;
        expect(argocd).toMatchObject({ from: "v2.11.14", to: "v2.12.0", method: "new color" });
        expect(argocd.why).toMatch(/CRD changes breaking/);
        expect(argocd.why).toMatch(/install argocd v2\.12\.0 on green/);
        const step = plan.steps.find((s) => s.kind === "addons")!;
        expect(step.actions).toEqual([]);
    });

    test("the same version on both sides is unchanged and keeps the plan in place", async () => {
        const plan = await planUpgrade(
            { stack: "dev", config: config(clusterSpec("1.32")), color: "blue", to: "1.33", runningAddons: { argocd: "v2.12.0" }, addonTargets: { argocd: "v2.12.0" } },
            { loadAddonCrds: loader },
        );
        expect(plan.method).toBe("in place");
        expect(plan.addons.find((a) => a.addon === "argocd")!.method).toBe("unchanged");
    });

    test("offline, a changed add-on is reported as not checked, not as in place", async () => {
        const plan = await planUpgrade({ stack: "dev", config: config(clusterSpec("1.32")), color: "blue", to: "1.33", runningAddons: { argocd: "v2.11.14" }, addonTargets: { argocd: "v2.12.0" } });
        expect(plan.addons.find((a) => a.addon === "argocd")!.method).toBe("not checked offline");
    });
});

describe("EKS managed add-on versions, from the EKS API", () => {
    const eks = mockClient(EKSClient);
    beforeEach(() => eks.reset());
    const versions = (addon: string, k8s: string, list: Array<[string, boolean]>) => ({
        addons: [{ addonName: addon, addonVersions: list.map(([addonVersion, def]) => ({ addonVersion, compatibilities: [{ clusterVersion: k8s, defaultVersion: def }] })) }],
    });

    test("each minor gets EKS's default version of each add-on, pinned into the plan as a config change", async () => {
        eks.on(DescribeAddonVersionsCommand).callsFake((input: { addonName: string; kubernetesVersion: string }) =>
            versions(input.addonName, input.kubernetesVersion, [[`v${input.kubernetesVersion}.9-eksbuild.2`, false], [`v${input.kubernetesVersion}.1-eksbuild.1`, true]]),
        );
        const plan = await planUpgrade({ stack: "dev", config: config(clusterSpec("1.31")), color: "blue", to: "1.32" }, { managedAddonVersions: eksAddonVersionResolver(new EKSClient({ region: "eu-west-1" })) });
        const step = plan.steps.find((s) => s.kind === "managed-addons")!;
        expect(step.actions).toContain("pulumi config set --path 'bluegreen:clusters.blue.managedAddons.vpc-cni' 'v1.32.1-eksbuild.1' --stack dev");
        expect(step.actions).toContain("pulumi config set --path 'bluegreen:clusters.blue.managedAddons.coredns' 'v1.32.1-eksbuild.1' --stack dev");
        expect(step.actions[step.actions.length - 1]).toBe("pulumi up --stack dev");
        const asked = eks.commandCalls(DescribeAddonVersionsCommand).map((c) => `${c.args[0].input.addonName}@${c.args[0].input.kubernetesVersion}`);
        expect(asked.sort()).toEqual(["coredns@1.32", "eks-pod-identity-agent@1.32", "kube-proxy@1.32", "vpc-cni@1.32"]);
    });

    test("a pinned version EKS does not list for the next minor is replaced in the plan; pages are followed", async () => {
        eks.on(DescribeAddonVersionsCommand)
            .resolvesOnce({ addons: [{ addonName: "vpc-cni", addonVersions: [{ addonVersion: "v1.20.0-eksbuild.1", compatibilities: [{ clusterVersion: "1.33", defaultVersion: false }] }] }], nextToken: "p2" })
            .resolves(versions("vpc-cni", "1.33", [["v1.19.5-eksbuild.3", true]]));
        const pinned = config(clusterSpec("1.32", { managedAddons: { "vpc-cni": "v1.18.0-eksbuild.1" } }));
        const plan = await planUpgrade({ stack: "dev", config: pinned, color: "blue", to: "1.33" }, { managedAddonVersions: (addon, v) => eksAddonVersionResolver(new EKSClient({ region: "eu-west-1" }))(addon, v) });
        const step = plan.steps.find((s) => s.kind === "managed-addons")!;
        expect(step.details[0]).toBe("vpc-cni: v1.19.5-eksbuild.3 (EKS's default on 1.33; pinned v1.18.0-eksbuild.1 is not compatible)");
    });
});

test("an EKS API failure says what failed and how to plan without it", async () => {
    const { explainEksFailures } = await import("../../src/cli/commands/upgrade");
    const failing = explainEksFailures(async () => { throw new Error("Could not load credentials from any providers"); }, "eu-west-1");
    await expect(planUpgrade({ stack: "dev", config: config(clusterSpec("1.32")), color: "blue", to: "1.33" }, { managedAddonVersions: failing }))
        .rejects.toThrow("could not ask the EKS API in eu-west-1 for vpc-cni versions on 1.33 (Could not load credentials from any providers): set AWS credentials for the account, or plan with --offline");
});
