import * as http from "http";
import { AddressInfo } from "net";
import * as yaml from "js-yaml";
import { GateContext } from "../../src/cutover/contract";
import { endpointsGate, judgeEndpoints, judgeTargetHealth, targetHealthGate } from "../../src/cutover/gates/health";
import { KubernetesEndpointSource, KubernetesWorkloadSource, kubeApis } from "../../src/cutover/gates/kube";
import { applicationVerdict, workloadGate } from "../../src/cutover/gates/workloads";
import { RegisteredTarget, TargetHealthSource, TargetState } from "../../src/cutover/sources";
import { testKubeconfig } from "../helpers/kubeconfig";

/** A local server speaking the Kubernetes API: routes by path, or by path and query when given; logs full URLs. */
async function kubeServer() {
    const routes = new Map<string, { status?: number; body: unknown } | "hang">();
    const requests: string[] = [];
    const hanging: http.ServerResponse[] = [];
    const server = http.createServer((req, res) => {
        const url = req.url ?? "/";
        requests.push(decodeURIComponent(url));
        const route = routes.get(decodeURIComponent(url)) ?? routes.get(url.split("?")[0]);
        if (route === "hang") return void hanging.push(res);
        if (!route) return void res.writeHead(404, { "content-type": "application/json" }).end(JSON.stringify({ kind: "Status", code: 404, reason: "NotFound" }));
        res.writeHead(route.status ?? 200, { "content-type": "application/json" }).end(JSON.stringify(route.body));
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    return {
        url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
        routes,
        requests,
        close: () => new Promise<void>((resolve) => { for (const r of hanging) r.destroy(); server.closeAllConnections(); server.close(() => resolve()); }),
    };
}

const list = (kind: string, items: unknown[]) => ({ body: { apiVersion: "v1", kind: `${kind}List`, metadata: {}, items } });
const deployment = (namespace: string, name: string, available = 3, labels: Record<string, string> = {}, extra: Record<string, unknown> = {}) => ({
    metadata: { namespace, name, generation: 2, labels },
    spec: { replicas: 3, selector: {}, template: {} },
    status: { observedGeneration: 2, replicas: 3, updatedReplicas: 3, availableReplicas: available, readyReplicas: available, ...extra },
});
const sts = (namespace: string, name: string, ready = 2) => ({ metadata: { namespace, name, generation: 1 }, spec: { replicas: 2, selector: {}, template: {}, serviceName: name }, status: { observedGeneration: 1, replicas: 2, readyReplicas: ready, updatedReplicas: 2, currentRevision: "r1", updateRevision: "r1" } });
const ds = (namespace: string, name: string, available = 3) => ({ metadata: { namespace, name, generation: 1 }, spec: { selector: {}, template: {} }, status: { observedGeneration: 1, desiredNumberScheduled: 3, updatedNumberScheduled: 3, numberAvailable: available, currentNumberScheduled: 3, numberMisscheduled: 0, numberReady: available } });
const application = (name: string, destination: string, sync: string, health: string) => ({ metadata: { namespace: "argocd", name }, spec: { destination: { namespace: destination } }, status: { sync: { status: sync }, health: { status: health } } });

const ctx = (weights = { blue: 90, green: 10 }): GateContext => ({ candidate: "green", current: "blue", weights, window: { start: new Date(0), end: new Date(60_000) }, phase: "bake" });
const summary = (checks: { result: string; warning?: boolean; color?: string }[]) => checks.map((c) => `${c.color}:${c.result}${c.warning ? "(warning)" : ""}`);

let server: Awaited<ReturnType<typeof kubeServer>>;
let kubeconfig: string;
const healthy = () => {
    server.routes.clear();
    server.routes.set("/apis/apps/v1/deployments", list("Deployment", [deployment("shop", "web"), deployment("payments", "api")]));
    server.routes.set("/apis/apps/v1/statefulsets", list("StatefulSet", [sts("shop", "cache")]));
    server.routes.set("/apis/apps/v1/daemonsets", list("DaemonSet", [ds("kube-system", "aws-node")]));
    server.routes.set("/apis/argoproj.io/v1alpha1/applications", list("Application", [application("shop", "shop", "Synced", "Healthy"), application("tools", "tools", "OutOfSync", "Healthy")]));
};
beforeAll(async () => {
    server = await kubeServer();
    kubeconfig = yaml.dump(testKubeconfig(server.url, "green"));
});
afterAll(() => server.close());
beforeEach(() => {
    healthy();
    server.requests.length = 0;
});

describe("workload gate, scoped to the routed namespaces (local Kubernetes API server)", () => {
    let now = 0;
    const gate = (extra: Partial<Parameters<typeof workloadGate>[0]> = {}) => workloadGate({ source: new KubernetesWorkloadSource({ green: kubeApis(kubeconfig) }), colors: ["green"], namespaces: ["shop"], progressingGraceMs: 300_000, now: () => now, ...extra });

    test("everything in the routed namespace rolled out passes; a deliberately OutOfSync app elsewhere is a warning", async () => {
        const checks = await gate().check(ctx());
        expect(summary(checks)).toEqual(["green:pass", "green:fail(warning)"]);
        expect(checks[0].message).toBe("green: 2 workloads in shop rolled out; 1 ArgoCD applications Synced and Healthy");
        expect(checks[1].message).toMatch(/application argocd\/tools: OutOfSync, Healthy \(outside the routed namespaces: warning only\)/);
    });

    test("an unrelated deployment rolling elsewhere on the candidate is a warning only", async () => {
        server.routes.set("/apis/apps/v1/deployments", list("Deployment", [deployment("shop", "web"), deployment("payments", "api", 1)]));
        const checks = await gate().check(ctx());
        expect(summary(checks)).toEqual(["green:pass", "green:inconclusive(warning)", "green:fail(warning)"]);
        expect(checks[1].message).toBe("green: deployment payments/api: 1 of 3 updated replicas available (outside the routed namespaces: warning only)");
    });

    test("a routed deployment past its progress deadline fails; one still rolling is inconclusive, not a pass", async () => {
        server.routes.set("/apis/apps/v1/deployments", list("Deployment", [
            deployment("shop", "web", 2, {}, { conditions: [{ type: "Progressing", status: "False", reason: "ProgressDeadlineExceeded" }] }),
            deployment("shop", "cart", 2),
        ]));
        const checks = await gate().check(ctx());
        expect(checks.filter((c) => !c.warning).map((c) => `${c.result} ${c.message}`)).toEqual([
            "fail green: deployment shop/web: exceeded its progress deadline",
            "inconclusive green: deployment shop/cart: 2 of 3 updated replicas available",
        ]);
    });

    test("a StatefulSet in the routed namespace not ready is judged (hard)", async () => {
        server.routes.set("/apis/apps/v1/statefulsets", list("StatefulSet", [sts("shop", "cache", 1)]));
        const checks = await gate().check(ctx());
        expect(checks.filter((c) => !c.warning).map((c) => c.result)).toEqual(["inconclusive"]);
    });

    test("an ArgoCD Application of the routed namespace Progressing: inconclusive within the grace period, then a failure", async () => {
        server.routes.set("/apis/argoproj.io/v1alpha1/applications", list("Application", [application("shop", "shop", "Synced", "Progressing")]));
        const g = gate();
        now = 1_000_000;
        expect((await g.check(ctx())).filter((c) => !c.warning).map((c) => c.result)).toEqual(["inconclusive"]);
        now += 299_000;
        expect((await g.check(ctx())).filter((c) => !c.warning).map((c) => c.result)).toEqual(["inconclusive"]);
        now += 2_000;
        const late = (await g.check(ctx())).filter((c) => !c.warning);
        expect(late.map((c) => c.result)).toEqual(["fail"]);
        expect(late[0].message).toMatch(/still Progressing after 301 s \(grace 300 s\)/);
    });

    test("a routed Application OutOfSync or Degraded fails", async () => {
        server.routes.set("/apis/argoproj.io/v1alpha1/applications", list("Application", [application("shop", "shop", "OutOfSync", "Degraded")]));
        expect((await gate().check(ctx())).map((c) => `${c.result} ${c.message}`)).toEqual(["fail green: application argocd/shop: OutOfSync, Degraded"]);
    });

    test("the label selector narrows the hard scope, asked of the API server", async () => {
        server.routes.set("/apis/apps/v1/deployments?labelSelector=tier=web", list("Deployment", [deployment("shop", "web", 3, { tier: "web" })]));
        server.routes.set("/apis/apps/v1/statefulsets?labelSelector=tier=web", list("StatefulSet", []));
        server.routes.set("/apis/apps/v1/daemonsets?labelSelector=tier=web", list("DaemonSet", []));
        server.routes.set("/apis/apps/v1/statefulsets", list("StatefulSet", [sts("shop", "cache", 0)])); // not selected: warning
        const checks = await gate({ selector: "tier=web" }).check(ctx());
        expect(summary(checks)).toEqual(["green:pass", "green:inconclusive(warning)", "green:fail(warning)"]);
        expect(checks[0].message).toMatch(/1 workloads in shop matching tier=web rolled out/);
        expect(server.requests).toContain("/apis/apps/v1/deployments?labelSelector=tier=web");
    });

    test("nothing in the routed namespaces fails: nothing serves the apps", async () => {
        const checks = await gate({ namespaces: ["shopp"] }).check(ctx());
        expect(checks[0]).toMatchObject({ result: "fail", value: 0 });
        expect(checks[0].message).toMatch(/no Deployment, StatefulSet or DaemonSet in shopp/);
    });

    test("without a known routed namespace nothing is a hard check: warnings only, said so", async () => {
        server.routes.set("/apis/apps/v1/deployments", list("Deployment", [deployment("shop", "web", 1)]));
        const checks = await gate({ namespaces: [] }).check(ctx());
        expect(checks.every((c) => c.warning)).toBe(true);
        expect(checks[0].message).toBe("green: no routed namespace is known: every workload is judged as a warning only");
    });

    test("without ArgoCD (no applications API) the workloads still decide", async () => {
        server.routes.delete("/apis/argoproj.io/v1alpha1/applications");
        const checks = await gate().check(ctx());
        expect(checks.map((c) => `${c.result} ${c.message}`)).toEqual(["pass green: 2 workloads in shop rolled out; ArgoCD not installed"]);
    });

    test("an API 5xx is an error check, not a pass and not a throw", async () => {
        server.routes.set("/apis/apps/v1/deployments", { status: 503, body: { kind: "Status", code: 503, message: "etcdserver: leader changed" } });
        const checks = await gate().check(ctx());
        expect(summary(checks)).toEqual(["green:error"]);
    });

    test("an API server that does not answer is an error after the request timeout", async () => {
        server.routes.set("/apis/apps/v1/daemonsets", "hang");
        const checks = await workloadGate({ source: new KubernetesWorkloadSource({ green: kubeApis(kubeconfig, 500) }), colors: ["green"], namespaces: ["shop"], progressingGraceMs: 0, now: () => 0 }).check(ctx());
        expect(summary(checks)).toEqual(["green:error"]);
        expect(checks[0].message).toMatch(/list DaemonSets: no answer from the Kubernetes API within 1 s/);
    });

    test("the current color is watched too, as warnings only; one client per color for the whole run", async () => {
        server.routes.set("/apis/apps/v1/deployments", list("Deployment", [deployment("shop", "web", 1)]));
        const open = kubeApis(kubeconfig);
        const clients = new Set<unknown>();
        let asked = 0;
        const counting = async () => { asked++; const c = await open(); clients.add(c); return c; };
        const g = workloadGate({ source: new KubernetesWorkloadSource({ green: kubeApis(kubeconfig), blue: counting }), colors: ["green", "blue"], namespaces: ["shop"], progressingGraceMs: 0, now: () => 0 });
        const checks = await g.check(ctx());
        expect(checks.filter((c) => c.color === "blue").map((c) => `${c.result}:${c.warning} ${c.message}`)).toEqual([
            "inconclusive:true blue: deployment shop/web: 1 of 3 updated replicas available (the current color: warning only)",
            "fail:true blue: application argocd/tools: OutOfSync, Healthy (outside the routed namespaces: warning only)",
        ]);
        expect(checks.filter((c) => c.color === "green" && !c.warning).map((c) => c.result)).toEqual(["inconclusive"]);
        await g.check(ctx());
        expect(clients.size).toBe(1); // one client for the run, however many checks
        const before = asked;
        await g.check(ctx({ blue: 0, green: 100 }));
        expect(asked).toBe(before); // at 100 % the current color is not judged
    });

    test.each([
        ["Synced, Healthy", "Synced", "Healthy", 0, "done"],
        ["Progressing within grace", "Synced", "Progressing", 10_000, "progressing"],
        ["Progressing past grace", "Synced", "Progressing", 400_000, "failed"],
        ["OutOfSync while Progressing is not given grace", "OutOfSync", "Progressing", 0, "failed"],
        ["Suspended", "Synced", "Suspended", 0, "failed"],
        ["Missing", "OutOfSync", "Missing", 0, "failed"],
    ])("application verdict: %s", (_n, sync, health, forMs, state) => {
        expect(applicationVerdict({ sync, health }, forMs, 300_000).state).toBe(state);
    });
});

const target = (id: string, state: TargetState): RegisteredTarget => ({ id, port: 8080, state });

describe("health gates", () => {
    test.each<[string, TargetState[], number, string]>([
        ["all healthy", ["healthy", "healthy"], 2, "pass"],
        ["too few healthy", ["healthy", "initial"], 2, "fail"],
        ["initial is not healthy", ["initial", "initial"], 1, "fail"],
        ["draining is not healthy", ["draining"], 1, "fail"],
        ["unhealthy.draining is not healthy", ["unhealthy.draining", "unhealthy.draining"], 1, "fail"],
        ["one unhealthy fails even with enough healthy", ["healthy", "healthy", "unhealthy"], 1, "fail"],
        ["healthy plus draining leftovers passes", ["healthy", "draining"], 1, "pass"],
        ["no targets", [], 1, "fail"],
    ])("target health: %s", (_n, states, min, result) => {
        expect(judgeTargetHealth(states.map((s, i) => target(`10.0.0.${i}`, s)), min).result).toBe(result);
    });

    test("target health message lists the states", () => {
        expect(judgeTargetHealth([target("a", "healthy"), target("b", "unhealthy.draining"), target("c", "initial")], 2).message).toBe("1 healthy of 3 targets (1 healthy, 1 initial, 1 unhealthy.draining): fewer than 2 healthy");
    });

    const source = (byColor: Record<string, RegisteredTarget[] | Error>): TargetHealthSource => ({
        async targets(app, color) {
            const v = byColor[`${app}/${color}`];
            if (v instanceof Error) throw v;
            return v ?? [];
        },
    });

    test("target health gate: the candidate is hard, the current color a warning, errors are errors", async () => {
        const gate = targetHealthGate({ apps: ["shop", "api"], minHealthyTargets: 1, source: source({ "shop/green": [target("a", "healthy")], "shop/blue": [target("b", "unhealthy")], "api/green": new Error("Throttling: Rate exceeded"), "api/blue": [target("c", "healthy")] }) });
        const checks = await gate.check(ctx());
        expect(checks.map((c) => `${c.app}/${c.color}:${c.result}${c.warning ? "(warning)" : ""}`)).toEqual(["shop/green:pass", "shop/blue:fail(warning)", "api/green:error", "api/blue:pass(warning)"]);
        expect(checks[2].message).toMatch(/Throttling/);
        // the candidate is judged before any traffic moved (pre-check), the empty current color is not
        expect((await gate.check(ctx({ blue: 100, green: 0 }))).map((c) => c.color)).toEqual(["green", "blue", "green", "blue"]);
        expect((await gate.check(ctx({ blue: 0, green: 100 }))).map((c) => c.color)).toEqual(["green", "green"]);
    });

    test.each<[string, string[], RegisteredTarget[], string]>([
        ["ready endpoints are the registered targets", ["10.0.1.1", "10.0.1.2"], [target("10.0.1.1", "healthy"), target("10.0.1.2", "initial")], "pass"],
        ["a ready pod not registered (binding lags)", ["10.0.1.1", "10.0.1.2"], [target("10.0.1.1", "healthy")], "fail"],
        ["a registered target that is no ready pod", ["10.0.1.1"], [target("10.0.1.1", "healthy"), target("10.0.1.9", "healthy")], "fail"],
        ["draining targets of old pods are ignored", ["10.0.1.1"], [target("10.0.1.1", "healthy"), target("10.0.1.9", "draining")], "pass"],
        ["no ready endpoint", [], [], "fail"],
        ["instance targets cannot be compared", ["10.0.1.1"], [target("i-0123456789abcdef0", "healthy")], "inconclusive"],
    ])("endpoints: %s", (_n, ready, targets, result) => {
        expect(judgeEndpoints(ready, targets).result).toBe(result);
    });

    test("endpoints gate reads ready EndpointSlice addresses of the routed Service from the candidate cluster", async () => {
        server.routes.set("/apis/discovery.k8s.io/v1/namespaces/shop/endpointslices", list("EndpointSlice", [
            { metadata: { name: "web-abc", namespace: "shop" }, addressType: "IPv4", endpoints: [
                { addresses: ["10.0.1.1"], conditions: { ready: true } },
                { addresses: ["10.0.1.2"], conditions: {} },
                { addresses: ["10.0.1.3"], conditions: { ready: false, terminating: true } },
            ] },
        ]));
        const endpoints = new KubernetesEndpointSource({ green: kubeApis(kubeconfig) }, { shop: { namespace: "shop", service: "web" } });
        expect(await endpoints.readyAddresses("shop", "green")).toEqual(["10.0.1.1", "10.0.1.2"]);
        expect(server.requests).toContain("/apis/discovery.k8s.io/v1/namespaces/shop/endpointslices?labelSelector=kubernetes.io/service-name=web");
        const gate = endpointsGate({ apps: ["shop"], endpoints, targets: source({ "shop/green": [target("10.0.1.1", "healthy")] }) });
        const [check] = await gate.check(ctx());
        expect(check).toMatchObject({ result: "fail", app: "shop", color: "green" });
        expect(check.message).toBe("shop on green: 2 ready endpoints, 1 registered targets; ready but not registered: 10.0.1.2");
        await expect(endpoints.readyAddresses("shop", "blue")).rejects.toThrow(/blue has no kubeconfig/);
    });
});
