/** `bluegreen nodes drain` as an operator runs it: the old group found from the stack file, the report, exit codes. */
import * as fs from "fs";
import * as path from "path";
import * as yaml from "js-yaml";
import { AppsV1Api, CoreV1Api, KubeConfig } from "@kubernetes/client-node";
import { kubeClients, runNodesDrainCommand } from "../../src/cli/commands/nodes";
import { UserInputError } from "../../src/errors";
import { deployment, emptyCluster, fakeClock, FakeKubeServer, node, pod, startFakeKube } from "../helpers/fake-kube-api";
import { tempDir } from "../helpers/temp-dir";

const dir = tempDir("bluegreen-drain-");

function writeStack(replacement?: Record<string, unknown>) {
    const group = { name: "system", instanceTypes: ["m6i.large"], minSize: 1, desiredSize: 2, maxSize: 3, version: "1.32", ...(replacement ? { replacement } : {}) };
    const config = {
        "aws:region": "eu-west-1",
        "bluegreen:network": { cidr: "10.0.0.0/16" },
        "bluegreen:access": { clusterAdmins: ["arn:aws:iam::123456789012:role/platform-admin"] },
        "bluegreen:clusters": { blue: { version: "1.33", nodeGroups: [group], endpoint: { publicAccessCidrs: ["203.0.113.0/24"] } } },
    };
    fs.mkdirSync(path.join(dir, "stacks"), { recursive: true });
    fs.writeFileSync(path.join(dir, "stacks", "Pulumi.dev.yaml"), yaml.dump({ config }));
}

let server: FakeKubeServer;
afterEach(() => server?.close());

const capture = () => {
    const out: string[] = [];
    return { io: { stdout: (t: string) => void out.push(t), stderr: (t: string) => void out.push(t) }, text: () => out.join("") };
};
const options = { stack: "dev", color: "blue", nodeGroup: "system", nodeTimeout: "10m", timeout: "15m", cwd: dir };

test("drains the group's current (old) EKS group, never the replacement, and says what comes next", async () => {
    writeStack({ version: "1.33" });
    const cluster = emptyCluster();
    // EKS names: system-<hash of settings, generation 0> (old) and generation 1 (new); read from the nodes' labels.
    const { nodeGroupInstances } = await import("../../src/config/node-groups");
    const [old, next] = nodeGroupInstances({ name: "system", instanceTypes: ["m6i.large"], capacityType: "ON_DEMAND", amiType: "AL2023_x86_64_STANDARD", diskSize: 50, generation: 0, replacement: { version: "1.33" } } as never, "1.33");
    cluster.nodes.push(node("old-1", { "eks.amazonaws.com/nodegroup": old.nodeGroupName }), node("new-1", { "eks.amazonaws.com/nodegroup": next.nodeGroupName }));
    cluster.pods.push(pod("shop", "web-1", "old-1"));
    cluster.deployments.push(deployment("shop", "web", 1));
    server = await startFakeKube(cluster);
    let context = "";
    const connect = async (_file: string | undefined, ctx: string) => {
        context = ctx;
        const kc = new KubeConfig();
        kc.loadFromString(server.kubeconfig);
        return { core: kc.makeApiClient(CoreV1Api), apps: kc.makeApiClient(AppsV1Api) };
    };
    const { io, text } = capture();
    expect(await runNodesDrainCommand(options, io, connect, fakeClock())).toBe(0);
    expect(context).toBe("dev-blue");
    expect(cluster.nodes.map((n) => [n.metadata.name, n.spec.unschedulable === true])).toEqual([["old-1", true], ["new-1", false]]);
    expect(text()).toContain(`Draining node group system (EKS ${old.nodeGroupName}, replaced by ${next.nodeGroupName}) on dev-blue`);
    expect(text()).toContain("old-1: drained; evicted 1");
    expect(text()).toContain("next: bluegreen upgrade check --stack dev --color blue");
});

test("a blocked drain exits 1 and tells how to continue or go back", async () => {
    writeStack({ version: "1.33" });
    const cluster = emptyCluster();
    cluster.nodes.push(node("old-1", { "eks.amazonaws.com/nodegroup": "x" }));
    cluster.pods.push(pod("shop", "debug", "old-1", { owner: "none" }));
    server = await startFakeKube(cluster);
    const connect = async () => {
        const kc = new KubeConfig();
        kc.loadFromString(server.kubeconfig);
        return { core: kc.makeApiClient(CoreV1Api), apps: kc.makeApiClient(AppsV1Api) };
    };
    const { io, text } = capture();
    expect(await runNodesDrainCommand({ ...options, nodeGroup: undefined, selector: "eks.amazonaws.com/nodegroup=x" }, io, connect, fakeClock())).toBe(1);
    expect(text()).toContain("blocked by shop/debug is not managed by a controller");
    expect(text()).toContain("rerun: bluegreen nodes drain --stack dev --color blue --selector 'eks.amazonaws.com/nodegroup=x'");
    expect(text()).toContain("--uncordon, then remove the replacement block and pulumi up");
});

test.each([
    [{}, /has no replacement: its pods would have nowhere to go/],
    [{ nodeGroup: "sytem" }, /--node-group "sytem" is neither a node group of clusters\.blue \(system\)/],
    [{ nodeTimeout: "soon" }, /--node-timeout "soon" is not a duration/],
    [{ until: "evicted" }, /--until "evicted" is not one of cordon, evict, wait/],
    [{ selector: "a=b" }, /either --node-group <name> or --selector/],
])("refused before touching the cluster: %p", async (override, message) => {
    writeStack();
    const connect = jest.fn();
    await expect(runNodesDrainCommand({ ...options, ...override }, capture().io, connect, fakeClock())).rejects.toThrow(message);
    await expect(runNodesDrainCommand({ ...options, ...override }, capture().io, connect, fakeClock())).rejects.toBeInstanceOf(UserInputError);
    expect(connect).not.toHaveBeenCalled();
});

test("a kubeconfig without the color's context is refused with the command that adds it", async () => {
    const file = path.join(dir, "kubeconfig");
    fs.writeFileSync(file, yaml.dump({ apiVersion: "v1", kind: "Config", clusters: [], users: [], contexts: [{ name: "other", context: { cluster: "c", user: "u" } }], "current-context": "other" }));
    await expect(kubeClients(file, "dev-blue")).rejects.toThrow(/no context "dev-blue": run aws eks update-kubeconfig --name dev-blue --alias dev-blue/);
});
