import { ConfigProblem, parseEnvironmentConfig } from "../../src/config";
import { clusterSpec, rawConfig } from "../helpers/raw-config";
import { albRouting, routedApp, ZONE } from "./fixtures";

function problems(routing: Record<string, unknown>, overrides: Record<string, unknown> = {}): ConfigProblem[] {
    const result = parseEnvironmentConfig(rawConfig({ routing, ...overrides }));
    return result.ok ? [] : result.problems;
}

function onlyProblem(routing: Record<string, unknown>, overrides: Record<string, unknown> = {}): ConfigProblem {
    const found = problems(routing, overrides);
    expect(found).toHaveLength(1);
    return found[0];
}

const manyApps = (count: number, extra: Record<string, unknown> = {}) => Array.from({ length: count }, (_, i) => routedApp(`app-${i}`, extra));

describe("routing config", () => {
    test("a complete alb routing section is valid, with the defaults filled in", () => {
        const result = parseEnvironmentConfig(rawConfig({ routing: albRouting() }));
        expect(result.ok).toBe(true);
        if (!result.ok) return;
        const routing = result.config.routing!;
        expect(routing.sslPolicy).toBe("ELBSecurityPolicy-TLS13-1-2-2021-06");
        expect(routing.loadBalancer).toEqual({ deletionProtection: true, idleTimeoutSeconds: 60 });
        expect(routing.quotas).toEqual({ rulesPerLoadBalancer: 100 });
        expect(routing.verification).toMatchObject({ enabled: true, port: 8443, headerRule: false });
        expect(routing.apps[0]).toMatchObject({ deregistrationDelaySeconds: 30, paths: [] });
        expect(routing.dns).toEqual({ recordType: "alias", loadBalancers: {} });
    });

    test("weights must add up to 100", () => {
        expect(onlyProblem(albRouting({ weights: { blue: 90, green: 20 } }))).toEqual({ path: "routing.weights", message: expect.stringMatching(/^add up to 110, not 100/) });
        expect(onlyProblem(albRouting({ weights: {} }))).toMatchObject({ path: "routing.weights", message: expect.stringContaining("add up to 0, not 100") });
    });

    test("weights are whole percentages", () => {
        expect(problems(albRouting({ weights: { blue: 90.5, green: 9.5 } })).map((p) => p.path)).toEqual(["routing.weights.blue", "routing.weights.green"]);
        expect(problems(albRouting({ weights: { blue: 110, green: -10 } })).map((p) => p.path)).toContain("routing.weights.blue");
    });

    test("a weight on a color without a cluster, which is also how removing a color that carries traffic fails", () => {
        const problem = onlyProblem(albRouting({ weights: { blue: 90, green: 10 } }), { clusters: { blue: clusterSpec("1.32") } });
        expect(problem.path).toBe("routing.weights.green");
        expect(problem.message).toMatch(/is 10 but clusters\.green does not exist/);
        expect(problem.message).toMatch(/weight is 0/);
        expect(problem.message).toMatch(/set routing\.weights\.green to 0 and run pulumi up first/);
        expect(problems(albRouting({ weights: { blue: 100, green: 0 } }), { clusters: { blue: clusterSpec("1.32") } })).toEqual([]);
    });

    test("the verification listener needs allowed CIDRs, and 0.0.0.0/0 only when written", () => {
        const problem = onlyProblem(albRouting({ verification: {} }));
        expect(problem.path).toBe("routing.verification.allowedCidrs");
        expect(problem.message).toMatch(/list your company's CIDRs/);
        expect(problems(albRouting({ verification: { allowedCidrs: ["0.0.0.0/0"] } }))).toEqual([]);
        expect(problems(albRouting({ verification: { enabled: false } }))).toEqual([]);
        expect(onlyProblem(albRouting({ verification: { allowedCidrs: ["10.0.0.0/8"], port: 443 } })).path).toBe("routing.verification.port");
    });

    test("verification.color must be a configured color", () => {
        const problem = onlyProblem(albRouting({ verification: { allowedCidrs: ["10.0.0.0/8"], color: "green" } }), { clusters: { blue: clusterSpec("1.32") } });
        expect(problem).toMatchObject({ path: "routing.verification.color", message: expect.stringContaining("clusters.green does not exist") });
    });

    test("alb mode needs a certificate and a hosted zone", () => {
        expect(problems(albRouting({ certificateArn: undefined, hostedZoneId: undefined })).map((p) => p.path)).toEqual(["routing.certificateArn", "routing.hostedZoneId"]);
    });

    test("50 apps fit one load balancer with the verification listener (100 rules, 100 target groups)", () => {
        expect(problems(albRouting({ apps: manyApps(50) }))).toEqual([]);
    });

    test("more target groups than an ALB takes: apps × colors over 100", () => {
        const found = problems(albRouting({ apps: manyApps(51), verification: { enabled: false } }));
        expect(found).toEqual([{ path: "routing.apps", message: expect.stringMatching(/need 102 target groups \(51 apps × 2 colors\) but an ALB takes at most 100 \(not adjustable\)/) }]);
    });

    test("more listener rules than the quota: the message counts them and says how to raise the quota", () => {
        const problem = onlyProblem(albRouting({ apps: manyApps(30), verification: { allowedCidrs: ["10.0.0.0/8"], headerRule: true } }));
        expect(problem.path).toBe("routing.apps");
        expect(problem.message).toMatch(/need 120 listener rules \(30 for traffic, 30 on the verification listener, 60 tester-header rules\) but the load balancer takes 100/);
        expect(problem.message).toMatch(/turn off verification\.headerRule/);
        expect(problem.message).toMatch(/routing\.quotas\.rulesPerLoadBalancer/);
        expect(problems(albRouting({ apps: manyApps(30), verification: { allowedCidrs: ["10.0.0.0/8"], headerRule: true }, quotas: { rulesPerLoadBalancer: 200 } }))).toEqual([]);
    });

    test("hostnames and paths that need several rules count each rule", () => {
        const app = routedApp("wide", { hostnames: ["a.example.com", "b.example.com", "c.example.com", "d.example.com"], paths: ["/x/*", "/y/*"] });
        // 2 host chunks × 2 paths = 4 rules, plus 4 on the verification listener.
        expect(problems(albRouting({ apps: [app], quotas: { rulesPerLoadBalancer: 8 } }))).toEqual([]);
        expect(onlyProblem(albRouting({ apps: [app], quotas: { rulesPerLoadBalancer: 7 } })).message).toMatch(/need 8 listener rules/);
    });

    test("path patterns: start with /, at most 128 characters and 2 wildcards", () => {
        expect(onlyProblem(albRouting({ apps: [routedApp("a", { paths: ["/a/*/b/*/c*"] })] }))).toMatchObject({ path: "routing.apps[0].paths[0]", message: expect.stringContaining("more than 2 wildcards") });
        expect(onlyProblem(albRouting({ apps: [routedApp("a", { paths: ["/" + "x".repeat(128)] })] })).path).toBe("routing.apps[0].paths[0]");
        expect(onlyProblem(albRouting({ apps: [routedApp("a", { paths: ["api/*"] })] })).path).toBe("routing.apps[0].paths[0]");
    });

    test("target ports: a number or a Kubernetes port name", () => {
        expect(problems(albRouting({ apps: [routedApp("a", { service: { name: "a", port: 80, targetPort: "http" } })] }))).toEqual([]);
        expect(problems(albRouting({ apps: [routedApp("a", { service: { name: "a", port: 80, targetPort: 8080 } })] }))).toEqual([]);
        expect(onlyProblem(albRouting({ apps: [routedApp("a", { service: { name: "a", port: 80, targetPort: "Not A Port" } })] })).path).toBe("routing.apps[0].service.targetPort");
    });

    test("the health check timeout must be shorter than its interval", () => {
        expect(onlyProblem(albRouting({ apps: [routedApp("a", { healthCheck: { intervalSeconds: 10, timeoutSeconds: 10 } })] }))).toEqual({
            path: "routing.apps[0].healthCheck.timeoutSeconds",
            message: "(10) must be less than intervalSeconds (10), as the ALB requires",
        });
    });

    test("two apps cannot serve the same host and path", () => {
        const found = problems(albRouting({ apps: [routedApp("a"), routedApp("b", { hostnames: ["a.example.com"] })] }));
        expect(found).toEqual([{ path: "routing.apps[1].hostnames", message: 'route a.example.com/* is already served by app "a"' }]);
    });
});

describe("dns mode config", () => {
    const lb = { dnsName: "k8s-blue-1234.eu-west-1.elb.amazonaws.com", zoneId: "Z32O12XQLNTSW2" };
    const dnsRouting = (extra: Record<string, unknown> = {}, dns: Record<string, unknown> = {}) => ({
        mode: "dns",
        weights: { blue: 100, green: 0 },
        hostedZoneId: ZONE,
        apps: [routedApp("shop")],
        dns: { loadBalancers: { blue: lb, green: lb }, ...dns },
        ...extra,
    });

    test("valid without certificate or verification CIDRs", () => {
        expect(problems(dnsRouting())).toEqual([]);
    });

    test("a color with weight needs its load balancer", () => {
        expect(onlyProblem(dnsRouting({ weights: { blue: 90, green: 10 } }, { loadBalancers: { blue: lb } }))).toMatchObject({ path: "routing.dns.loadBalancers.green" });
    });

    test("alias records take no ttl and need the load balancer's zone; cname records use the ttl", () => {
        expect(onlyProblem(dnsRouting({}, { ttl: 30 }))).toMatchObject({ path: "routing.dns.ttl", message: expect.stringContaining("set dns.recordType to cname") });
        expect(onlyProblem(dnsRouting({}, { loadBalancers: { blue: { dnsName: lb.dnsName }, green: lb } }))).toMatchObject({ path: "routing.dns.loadBalancers.blue.zoneId" });
        expect(problems(dnsRouting({}, { recordType: "cname", ttl: 30, loadBalancers: { blue: { dnsName: lb.dnsName } } }))).toEqual([]);
    });

    test("paths cannot be routed by DNS", () => {
        expect(onlyProblem(dnsRouting({ apps: [routedApp("shop", { paths: ["/api/*"] })] }))).toMatchObject({ path: "routing.apps[0].paths", message: expect.stringContaining("routes whole hostnames") });
    });

    test("the hosted zone is required", () => {
        expect(onlyProblem(dnsRouting({ hostedZoneId: undefined })).path).toBe("routing.hostedZoneId");
    });
});

describe("routing needs the load balancer controller in alb mode", () => {
    test("a color without aws-load-balancer-controller cannot bind its target groups", () => {
        const withoutController = { ...clusterSpec("1.33"), addons: { "aws-load-balancer-controller": { enabled: false } } };
        const problem = onlyProblem(albRouting(), { clusters: { blue: clusterSpec("1.32"), green: withoutController } });
        expect(problem).toMatchObject({ path: "clusters.green.addons.aws-load-balancer-controller.enabled", message: expect.stringContaining("TargetGroupBinding") });
    });
});
