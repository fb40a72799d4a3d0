/** `bluegreen upgrade check` against a local server speaking the Kubernetes API. */
import * as fs from "fs";
import * as path from "path";
import * as yaml from "js-yaml";
import { AppsV1Api, CoreV1Api, CustomObjectsApi, KubeConfig } from "@kubernetes/client-node";
import { runUpgradeCheckCommand } from "../../src/cli/commands/upgrade-check";
import { nodeGroupInstances } from "../../src/config/node-groups";
import { kubeletMinor } from "../../src/upgrade/check";
import { deployment, emptyCluster, FakeCluster, FakeKubeServer, node, pod, startFakeKube } from "../helpers/fake-kube-api";
import { tempDir } from "../helpers/temp-dir";

const dir = tempDir("bluegreen-check-");
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
const group = { name: "system", instanceTypes: ["m6i.large"], minSize: 1, desiredSize: 2, maxSize: 3, version: "1.32", replacement: { version: "1.33" } };
fs.mkdirSync(path.join(dir, "stacks"));
fs.writeFileSync(path.join(dir, "stacks", "Pulumi.dev.yaml"), yaml.dump({
    config: {
        "aws:region": "eu-west-1",
        "bluegreen:network": { cidr: "10.0.0.0/16" },
        "bluegreen:access": { clusterAdmins: ["arn:aws:iam::123456789012:role/platform-admin"] },
        "bluegreen:clusters": { blue: { version: "1.33", nodeGroups: [group], endpoint: { publicAccessCidrs: ["203.0.113.0/24"] } } },
    },
}));
const [OLD, NEW] = nodeGroupInstances({ ...group, capacityType: "ON_DEMAND", amiType: "AL2023_x86_64_STANDARD", diskSize: 50, generation: 0 } as never, "1.33").map((i) => i.nodeGroupName);

let server: FakeKubeServer;
afterEach(() => server?.close());

async function check(setup: (c: FakeCluster) => void, version = "1.33") {
    const cluster = emptyCluster();
    cluster.nodes.push(
        node("old-1", { "eks.amazonaws.com/nodegroup": OLD }, { kubelet: "v1.32.9-eks-1", unschedulable: true }),
        node("new-1", { "eks.amazonaws.com/nodegroup": NEW }, { kubelet: "v1.33.4-eks-2" }),
    );
    cluster.pods.push(pod("kube-system", "agent-1", "old-1", { owner: "DaemonSet" }), pod("shop", "web-1", "new-1"));
    cluster.deployments.push(deployment("shop", "web", 1));
    cluster.applications = [{ metadata: { namespace: "argocd", name: "shop" }, status: { sync: { status: "Synced" }, health: { status: "Healthy" } } }];
    setup(cluster);
    server = await startFakeKube(cluster);
    const out: string[] = [];
    let context = "";
    const code = await runUpgradeCheckCommand({ stack: "dev", color: "blue", version, cwd: dir }, { stdout: (t) => void out.push(t), stderr: (t) => void out.push(t) }, async (_f, ctx) => {
        context = ctx;
        const kc = new KubeConfig();
        kc.loadFromString(server.kubeconfig);
        return { core: kc.makeApiClient(CoreV1Api), apps: kc.makeApiClient(AppsV1Api), custom: kc.makeApiClient(CustomObjectsApi) };
    });
    return { code, text: out.join(""), context };
}

test("after a drained surge step every check passes (the old, cordoned node keeps only its DaemonSet pod)", async () => {
    const { code, text, context } = await check(() => undefined);
    expect(context).toBe("dev-blue");
    expect(code).toBe(0);
    expect(text).toContain("PASS  nodes: 2 nodes: 1 on 1.32, 1 on 1.33 (control plane 1.33)");
    expect(text).toContain("PASS  old-nodes: 1 nodes of replaced groups, 0 pods still on them");
    expect(text).toContain("PASS  workloads: 1 deployments, 0 statefulsets, 0 daemonsets rolled out");
    expect(text).toContain("PASS  argocd: 1 ArgoCD applications");
});

test("each failure is named, with how to continue and how to go back", async () => {
    const { code, text } = await check((c) => {
        c.pods.push(pod("shop", "cart-1", "old-1"));
        c.nodes.push(node("new-2", { "eks.amazonaws.com/nodegroup": NEW }, { kubelet: "v1.33.4-eks-2", ready: false }), node("stray", {}, { kubelet: "v1.32.1-eks-3" }));
        c.deployments.push(deployment("shop", "cart", 2, 1));
        c.applications!.push({ metadata: { namespace: "argocd", name: "cart" }, status: { sync: { status: "OutOfSync" }, health: { status: "Degraded" } } });
    });
    expect(code).toBe(1);
    expect(text).toContain("FAIL  nodes:");
    expect(text).toContain("node new-2 is not Ready");
    expect(text).toContain("node stray runs kubelet 1.32, expected 1.33");
    expect(text).toContain("FAIL  old-nodes: 1 nodes of replaced groups, 1 pods still on them");
    expect(text).toContain("pod shop/cart-1 still on old-1");
    expect(text).toContain("deployment shop/cart: 1 of 2 updated replicas available");
    expect(text).toContain("application argocd/cart: OutOfSync, Degraded");
    expect(text).toContain("then run again: bluegreen upgrade check --stack dev --color blue --version 1.33");
    expect(text).toContain("to go back: bluegreen nodes drain --stack dev --color blue --node-group system --uncordon");
});

test("a kubelet beyond Kubernetes' skew fails even without --version; no ArgoCD is not a failure", async () => {
    const { code, text } = await check((c) => {
        c.nodes.push(node("ancient", {}, { kubelet: "v1.29.15-eks-4" }));
        c.applications = undefined;
    }, undefined as unknown as string);
    expect(code).toBe(1);
    expect(text).toMatch(/node ancient: 1\.29 is 4 minor versions behind its control plane \(1\.33\)/);
    expect(text).toContain("PASS  argocd: ArgoCD not installed");
});

test.each([
    ["v1.33.4-eks-1234567", "1.33"],
    ["v1.9.0", "1.9"],
    ["garbage", undefined],
])("kubelet version %s is minor %s", (kubelet, minor) => {
    expect(kubeletMinor(kubelet)).toBe(minor);
});
