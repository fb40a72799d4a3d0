import { mockClient } from "aws-sdk-client-mock";
import { CloudWatchClient, GetMetricDataCommand } from "@aws-sdk/client-cloudwatch";
import { DescribeTargetHealthCommand, ElasticLoadBalancingV2Client } from "@aws-sdk/client-elastic-load-balancing-v2";
import * as yaml from "js-yaml";
import { errorRateGate, targetGroupArnSuffix, targetHealthGate } from "../../src/cutover/gates/load-balancer";
import { kubernetesClients, workloadGate } from "../../src/cutover/gates/kubernetes";
import { GateContext } from "../../src/cutover/model";
import { startServer, TestServer } from "../crd/sources/server";
import { testKubeconfig } from "../helpers/kubeconfig";
import { stackView } from "./fakes";

const context = (): GateContext => ({ candidate: "green", stack: stackView(), since: new Date("2026-11-25T10:00:00Z") });
const GREEN_TG = stackView().apps.shop.targetGroupArns.green!;

describe("load balancer gates", () => {
    const elb = mockClient(ElasticLoadBalancingV2Client);
    const cloudwatch = mockClient(CloudWatchClient);
    beforeEach(() => {
        elb.reset();
        cloudwatch.reset();
    });

    const targets = (...states: string[]) => ({ TargetHealthDescriptions: states.map((State, i) => ({ Target: { Id: `10.0.0.${i}` }, TargetHealth: { State: State as "healthy" } })) });

    test("healthy targets of the candidate's target groups pass", async () => {
        elb.on(DescribeTargetHealthCommand, { TargetGroupArn: GREEN_TG }).resolves(targets("healthy", "healthy"));
        const result = await targetHealthGate(new ElasticLoadBalancingV2Client({ region: "eu-west-1" }), 2).check(context());
        expect(result).toEqual({ gate: "target health", ok: true, details: ["app shop: 2 healthy, 0 unhealthy of 2 targets (need ≥ 2 healthy, 0 unhealthy)"] });
        expect(elb.commandCalls(DescribeTargetHealthCommand).map((c) => c.args[0].input.TargetGroupArn)).toEqual([GREEN_TG]);
    });

    test("an unhealthy target, or too few healthy ones, fails with the figures", async () => {
        elb.on(DescribeTargetHealthCommand).resolves(targets("healthy", "unhealthy", "initial"));
        const result = await targetHealthGate(new ElasticLoadBalancingV2Client({ region: "eu-west-1" }), 1).check(context());
        expect(result.ok).toBe(false);
        expect(result.details[0]).toBe("app shop: 1 healthy, 1 unhealthy of 3 targets (need ≥ 1 healthy, 0 unhealthy)  ✗");
        elb.on(DescribeTargetHealthCommand).resolves(targets("initial"));
        expect((await targetHealthGate(new ElasticLoadBalancingV2Client({ region: "eu-west-1" }), 1).check(context())).ok).toBe(false);
    });

    test("the 5xx rate over the bake window stays under the threshold", async () => {
        cloudwatch.on(GetMetricDataCommand).resolves({ MetricDataResults: [{ Id: "errors0", Values: [1, 2] }, { Id: "requests0", Values: [500, 500] }] });
        const result = await errorRateGate(new CloudWatchClient({ region: "eu-west-1" }), 0.01, () => new Date("2026-11-25T10:10:00Z")).check(context());
        expect(result).toEqual({ gate: "5xx rate", ok: true, details: ["app shop: 3 5xx of 1000 requests (0.30%, limit 1.00%)"] });
        const input = cloudwatch.commandCalls(GetMetricDataCommand)[0].args[0].input;
        expect(input.StartTime).toEqual(new Date("2026-11-25T10:00:00Z"));
        expect(input.MetricDataQueries![0].MetricStat!.Metric!).toEqual({
            Namespace: "AWS/ApplicationELB",
            MetricName: "HTTPCode_Target_5XX_Count",
            Dimensions: [{ Name: "LoadBalancer", Value: "app/prod-edge/1111111111111111" }, { Name: "TargetGroup", Value: "targetgroup/prod-shop-green/fedcba9876543210" }],
        });
    });

    test("5xx over the threshold fails, pages of results are summed", async () => {
        cloudwatch.on(GetMetricDataCommand)
            .resolvesOnce({ MetricDataResults: [{ Id: "errors0", Values: [30] }, { Id: "requests0", Values: [600] }], NextToken: "more" })
            .resolvesOnce({ MetricDataResults: [{ Id: "errors0", Values: [20] }, { Id: "requests0", Values: [400] }] });
        const result = await errorRateGate(new CloudWatchClient({ region: "eu-west-1" }), 0.01).check(context());
        expect(result.ok).toBe(false);
        expect(result.details[0]).toBe("app shop: 50 5xx of 1000 requests (5.00%, limit 1.00%)  ✗");
    });

    test("target group ARN suffixes are the CloudWatch dimension", () => {
        expect(targetGroupArnSuffix(GREEN_TG)).toBe("targetgroup/prod-shop-green/fedcba9876543210");
        expect(targetGroupArnSuffix("nonsense")).toBeUndefined();
    });
});

describe("Kubernetes workload gate (against a local server speaking the Kubernetes API)", () => {
    let server: TestServer;
    const list = (kind: string, items: unknown[]) => ({ body: JSON.stringify({ apiVersion: "v1", kind: `${kind}List`, metadata: {}, items }), contentType: "application/json" });
    const deployment = (name: string, replicas: number, available: number, updated = replicas) => ({ metadata: { namespace: "shop", name, generation: 2 }, spec: { replicas, selector: {}, template: {} }, status: { observedGeneration: 2, replicas, updatedReplicas: updated, availableReplicas: available, readyReplicas: available } });
    const healthy = {
        "/apis/apps/v1/deployments": list("Deployment", [deployment("web", 3, 3)]),
        "/apis/apps/v1/statefulsets": list("StatefulSet", [{ metadata: { namespace: "db", name: "pg" }, spec: { replicas: 2, selector: {}, template: {}, serviceName: "pg" }, status: { replicas: 2, readyReplicas: 2, updatedReplicas: 2 } }]),
        "/apis/apps/v1/daemonsets": list("DaemonSet", [{ metadata: { namespace: "kube-system", name: "agent" }, spec: { selector: {}, template: {} }, status: { desiredNumberScheduled: 3, numberReady: 3, updatedNumberScheduled: 3, currentNumberScheduled: 3, numberMisscheduled: 0 } }]),
        "/apis/argoproj.io/v1alpha1/applications": list("Application", [{ metadata: { namespace: "argocd", name: "root" }, status: { sync: { status: "Synced" }, health: { status: "Healthy" } } }]),
    };
    let kubeconfig: string;
    beforeAll(async () => {
        server = await startServer(healthy);
        kubeconfig = yaml.dump(testKubeconfig(server.url, "green"));
    });
    afterAll(() => server.close());
    afterEach(() => { for (const [path, route] of Object.entries(healthy)) server.routes.set(path, route); });

    const check = () => workloadGate(() => kubernetesClients(kubeconfig)).check(context());

    test("every Deployment, StatefulSet, DaemonSet and ArgoCD Application healthy passes", async () => {
        const result = await check();
        expect(result.ok).toBe(true);
        expect(result.details).toEqual(["green: 1 deployments, 1 statefulsets, 1 daemonsets, 1 ArgoCD applications"]);
    });

    test("a Deployment not fully available fails with its figures", async () => {
        server.routes.set("/apis/apps/v1/deployments", list("Deployment", [deployment("web", 3, 3), deployment("cart", 3, 2, 3)]));
        const result = await check();
        expect(result.ok).toBe(false);
        expect(result.details).toContain("deployment shop/cart: 2/3 available");
    });

    test("an ArgoCD Application out of sync or degraded fails", async () => {
        server.routes.set("/apis/argoproj.io/v1alpha1/applications", list("Application", [{ metadata: { namespace: "argocd", name: "shop" }, status: { sync: { status: "OutOfSync" }, health: { status: "Degraded" } } }]));
        expect((await check()).details).toContain("application argocd/shop: OutOfSync, Degraded");
    });

    test("without ArgoCD (no applications API) the other workloads still decide", async () => {
        server.routes.delete("/apis/argoproj.io/v1alpha1/applications");
        const result = await check();
        expect(result.ok).toBe(true);
        expect(result.details[0]).toMatch(/ArgoCD not installed/);
    });

    test("StatefulSets and DaemonSets not ready fail", async () => {
        server.routes.set("/apis/apps/v1/statefulsets", list("StatefulSet", [{ metadata: { namespace: "db", name: "pg" }, spec: { replicas: 2, selector: {}, template: {}, serviceName: "pg" }, status: { replicas: 2, readyReplicas: 1, updatedReplicas: 2 } }]));
        server.routes.set("/apis/apps/v1/daemonsets", list("DaemonSet", [{ metadata: { namespace: "kube-system", name: "agent" }, spec: { selector: {}, template: {} }, status: { desiredNumberScheduled: 3, numberReady: 3, updatedNumberScheduled: 2, currentNumberScheduled: 3, numberMisscheduled: 0, numberUnavailable: 1 } }]));
        const details = (await check()).details;
        expect(details).toContain("statefulset db/pg: 1/2 ready");
        expect(details).toContain("daemonset kube-system/agent: 2/3 updated, 1 unavailable");
    });
});
