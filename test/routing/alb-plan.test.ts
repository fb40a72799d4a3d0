import { Plan, PlannedResource } from "../../src/plan/model";
import { clusterSpec, rawConfig } from "../helpers/raw-config";
import { replacementPaths } from "../../src/plan/replacement-rules";
import { planFor, resourceNamed, resourcesOfType } from "../helpers/plan";
import { albRouting, routedApp } from "./fixtures";

const T = {
    lb: "aws:lb/loadBalancer:LoadBalancer",
    listener: "aws:lb/listener:Listener",
    rule: "aws:lb/listenerRule:ListenerRule",
    targetGroup: "aws:lb/targetGroup:TargetGroup",
    sg: "aws:ec2/securityGroup:SecurityGroup",
    ingress: "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule",
    egress: "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule",
    record: "aws:route53/record:Record",
    binding: "kubernetes:elbv2.k8s.aws/v1beta1:TargetGroupBinding",
    namespace: "kubernetes:core/v1:NamespacePatch",
};

describe("alb mode", () => {
    let plan: Plan;
    const named = (type: string, name: string) => resourceNamed(plan, type, name);
    beforeAll(async () => {
        plan = await planFor(rawConfig({
            routing: albRouting({
                weights: { blue: 90, green: 10 },
                stickiness: { enabled: true, durationSeconds: 1800 },
                verification: { allowedCidrs: ["198.51.100.0/24", "203.0.113.0/24"], headerRule: true },
                apps: [
                    routedApp("shop", { hostnames: ["shop.example.com", "www.shop.example.com"], healthCheck: { path: "/healthz", healthyThreshold: 2 } }),
                    routedApp("api", { hostnames: ["api.example.com"], paths: ["/v1/*"], service: { name: "api-gateway", port: 80, targetPort: 8080 }, deregistrationDelaySeconds: 60 }),
                ],
            }),
        }));
    });

    test("one internet-facing ALB in the public subnets, with its own security group, owned by the environment (not by a cluster)", () => {
        const lb = named(T.lb, "dev-alb");
        expect(lb.inputs).toMatchObject({
            loadBalancerType: "application",
            internal: false,
            dropInvalidHeaderFields: true,
            enableDeletionProtection: true,
            idleTimeout: 60,
        });
        const subnets = resourcesOfType(plan, "aws:ec2/subnet:Subnet");
        expect(lb.dependencies).toContain(named(T.sg, "dev-alb").urn);
        expect(subnets.filter((s) => lb.dependencies.includes(s.urn)).map((s) => s.name).sort()).toEqual(["dev-network-public-a", "dev-network-public-b", "dev-network-public-c"]);
        const parentType = (r: PlannedResource) => plan.resources.find((p) => p.urn === r.parent)?.type;
        expect(parentType(lb)).toBe("bluegreen:routing:AlbRouting");
        expect(lb.urn).not.toMatch(/ColorCluster/);
        expect(lb.provider).toMatch(/::dev-aws$/);
    });

    test("HTTPS listener with the certificate and the modern TLS policy, 404 by default; HTTP redirects to HTTPS with a 301", () => {
        expect(named(T.listener, "dev-https").inputs).toMatchObject({
            port: 443,
            protocol: "HTTPS",
            sslPolicy: "ELBSecurityPolicy-TLS13-1-2-2021-06",
            certificateArn: expect.stringMatching(/^arn:aws:acm:/),
            defaultActions: [{ type: "fixed-response", fixedResponse: { statusCode: "404", contentType: "text/plain" } }],
        });
        expect(named(T.listener, "dev-http").inputs).toMatchObject({
            port: 80,
            protocol: "HTTP",
            defaultActions: [{ type: "redirect", redirect: { protocol: "HTTPS", port: "443", statusCode: "HTTP_301" } }],
        });
    });

    test("an IP target group per app and color, with the app's health check and deregistration delay", () => {
        expect(resourcesOfType(plan, T.targetGroup).map((r) => r.name).sort()).toEqual(["dev-api-blue", "dev-api-green", "dev-shop-blue", "dev-shop-green"]);
        expect(named(T.targetGroup, "dev-shop-green").inputs).toMatchObject({
            targetType: "ip",
            protocol: "HTTP",
            port: 80,
            deregistrationDelay: 30,
            healthCheck: { path: "/healthz", port: "traffic-port", healthyThreshold: 2, unhealthyThreshold: 3, interval: 15, timeout: 5, matcher: "200-399" },
            tags: { "bluegreen:color": "green", "bluegreen:app": "shop" },
        });
        expect(named(T.targetGroup, "dev-api-blue").inputs).toMatchObject({ port: 8080, deregistrationDelay: 60 });
    });

    test("target groups of colors with weight are protected", () => {
        expect(named(T.targetGroup, "dev-shop-blue").protect).toBe(true);
        expect(named(T.targetGroup, "dev-shop-green").protect).toBe(true);
    });

    test("one listener rule per app forwards to both colors with the configured weights and stickiness", () => {
        const shop = named(T.rule, "dev-shop");
        expect(shop.inputs).toMatchObject({
            listenerArn: "<dev-https.arn>",
            conditions: [{ hostHeader: { values: ["shop.example.com", "www.shop.example.com"] } }],
            actions: [{ type: "forward", forward: { targetGroups: [{ arn: "<dev-shop-blue.arn>", weight: 90 }, { arn: "<dev-shop-green.arn>", weight: 10 }], stickiness: { enabled: true, duration: 1800 } } }],
        });
        expect(shop.dependencies).toEqual(expect.arrayContaining([named(T.targetGroup, "dev-shop-blue").urn, named(T.targetGroup, "dev-shop-green").urn, named(T.listener, "dev-https").urn]));
        expect(shop.dependencies).not.toContain(named(T.listener, "dev-verification").urn);
        expect(named(T.rule, "dev-api").inputs.conditions).toEqual([{ hostHeader: { values: ["api.example.com"] } }, { pathPattern: { values: ["/v1/*"] } }]);
        expect(Number(shop.inputs.priority)).toBeGreaterThanOrEqual(10000);
    });

    test("a TargetGroupBinding per app in each cluster binds the Service to that color's target group, opening the target port to the ALB", () => {
        for (const color of ["blue", "green"]) {
            const binding = named(T.binding, `dev-${color}-api-binding`);
            expect(binding.inputs).toMatchObject({
                apiVersion: "elbv2.k8s.aws/v1beta1",
                kind: "TargetGroupBinding",
                metadata: { name: expect.stringMatching(/^bluegreen-api-[0-9a-f]{8}$/), namespace: "api" },
                spec: {
                    serviceRef: { name: "api-gateway", port: 80 },
                    targetType: "ip",
                    targetGroupARN: `<dev-api-${color}.arn>`,
                    networking: { ingress: [{ from: [{ securityGroup: { groupID: "<dev-alb.id>" } }], ports: [{ protocol: "TCP", port: 8080 }] }] },
                },
            });
            expect(binding.dependencies).toEqual(expect.arrayContaining([named(T.targetGroup, `dev-api-${color}`).urn, named(T.sg, "dev-alb").urn, named(T.namespace, `dev-${color}-ns-api`).urn]));
            expect(binding.dependencies).not.toContain(named(T.targetGroup, `dev-api-${color === "blue" ? "green" : "blue"}`).urn);
            expect(binding.provider).toMatch(new RegExp(`::dev-${color}-k8s$`));
        }
    });

    test("each binding waits for its own cluster's TargetGroupBinding CRD and load balancer controller release", () => {
        for (const color of ["blue", "green"]) {
            const other = color === "blue" ? "green" : "blue";
            const deps = named(T.binding, `dev-${color}-shop-binding`).dependencies;
            expect(deps).toContain(named("kubernetes:apiextensions.k8s.io/v1:CustomResourceDefinition", `dev-${color}-addons-aws-load-balancer-controller-crd-targetgroupbindings.elbv2.k8s.aws`).urn);
            expect(deps).toContain(named("kubernetes:helm.sh/v3:Release", `dev-${color}-addons-aws-load-balancer-controller-release`).urn);
            expect(deps.filter((u) => u.includes(`dev-${other}-`))).toEqual([]);
        }
    });

    test("no listener rule forwards to a target group before that group's binding exists (it depends on the binding)", () => {
        const rules = resourcesOfType(plan, T.rule);
        expect(rules.length).toBeGreaterThan(0);
        for (const rule of rules) {
            const arns = JSON.stringify(rule.inputs.actions).match(/<[^<>"]+\.arn>/g)!;
            expect(arns.length).toBeGreaterThan(0);
            for (const arn of arns) {
                const bindings = resourcesOfType(plan, T.binding).filter((b) => (b.inputs.spec as { targetGroupARN: string }).targetGroupARN === arn);
                expect(bindings).toHaveLength(1);
                expect(rule.dependencies).toContain(bindings[0].urn);
            }
        }
    });

    test("a binding is replaced, not updated, when a field the controller's webhook makes immutable changes", () => {
        for (const binding of resourcesOfType(plan, T.binding)) {
            expect(binding.replaceOnChanges).toEqual(expect.arrayContaining(["spec.targetGroupARN", "spec.targetType", "spec.ipAddressType", "spec.vpcID"]));
            expect(binding.deleteBeforeReplace).toBe(false);
        }
        expect(replacementPaths(T.binding)).toEqual(expect.arrayContaining(["metadata.name", "spec.targetGroupARN"]));
    });

    test("the app namespaces are created or adopted by a server-side apply patch, labelled for pod readiness gates, and retained on delete", () => {
        const ns = named(T.namespace, "dev-green-ns-shop");
        expect(ns.inputs).toMatchObject({ metadata: { name: "shop", labels: { "elbv2.k8s.aws/pod-readiness-gate-inject": "enabled" } } });
        expect(ns.retainOnDelete).toBe(true);
        expect(ns.provider).toMatch(/::dev-green-k8s$/);
    });

    test("security groups: HTTPS and HTTP from anywhere, the verification port only from the allowed CIDRs, egress to each cluster on the target ports", () => {
        const ingress = resourcesOfType(plan, T.ingress).filter((r) => r.name.startsWith("dev-alb-"));
        expect(ingress.map((r) => [r.inputs.fromPort, r.inputs.toPort, r.inputs.cidrIpv4]).sort()).toEqual([
            [443, 443, "0.0.0.0/0"],
            [80, 80, "0.0.0.0/0"],
            [8443, 8443, "198.51.100.0/24"],
            [8443, 8443, "203.0.113.0/24"],
        ]);
        expect(ingress.every((r) => r.dependencies.includes(named(T.sg, "dev-alb").urn))).toBe(true);
        const egress = resourcesOfType(plan, T.egress).filter((r) => r.name.startsWith("dev-alb-to-"));
        expect(egress.map((r) => r.name).sort()).toEqual(["dev-alb-to-blue-80", "dev-alb-to-blue-8080", "dev-alb-to-green-80", "dev-alb-to-green-8080"]);
        for (const color of ["blue", "green"]) {
            const rule = named(T.egress, `dev-alb-to-${color}-8080`);
            expect(rule.inputs).toMatchObject({ ipProtocol: "tcp", fromPort: 8080, toPort: 8080, securityGroupId: "<dev-alb.id>", referencedSecurityGroupId: `<dev-${color}-eks.clusterSecurityGroupId>` });
            expect(rule.dependencies).toContain(named("eks:index:Cluster", `dev-${color}-eks`).urn);
        }
        expect(egress.some((r) => r.inputs.cidrIpv4 === "0.0.0.0/0")).toBe(false);
    });

    test("the verification listener: HTTPS on 8443 with the same certificate, each app to the candidate color only", () => {
        expect(named(T.listener, "dev-verification").inputs).toMatchObject({ port: 8443, protocol: "HTTPS", sslPolicy: "ELBSecurityPolicy-TLS13-1-2-2021-06", certificateArn: named(T.listener, "dev-https").inputs.certificateArn });
        const verify = named(T.rule, "dev-shop-verify");
        expect(verify.inputs).toMatchObject({ priority: named(T.rule, "dev-shop").inputs.priority, conditions: [{ hostHeader: { values: ["shop.example.com", "www.shop.example.com"] } }], actions: [{ type: "forward" }] });
        expect(verify.dependencies).toContain(named(T.listener, "dev-verification").urn);
        expect(verify.dependencies).toContain(named(T.targetGroup, "dev-shop-green").urn);
        expect(verify.dependencies).not.toContain(named(T.targetGroup, "dev-shop-blue").urn);
    });

    test("tester header rules on the main listener: X-Bluegreen-Color picks a color, before the weighted rules", () => {
        const header = named(T.rule, "dev-shop-header-green");
        expect(header.inputs.conditions).toEqual([
            { hostHeader: { values: ["shop.example.com", "www.shop.example.com"] } },
            { httpHeader: { httpHeaderName: "X-Bluegreen-Color", values: ["green"] } },
        ]);
        expect(header.dependencies).toContain(named(T.targetGroup, "dev-shop-green").urn);
        expect(header.dependencies).toContain(named(T.listener, "dev-https").urn);
        expect(Number(header.inputs.priority)).toBeLessThan(Number(named(T.rule, "dev-shop").inputs.priority));
        expect(named(T.rule, "dev-shop-header-blue").dependencies).toContain(named(T.targetGroup, "dev-shop-blue").urn);
    });

    test("an alias record per hostname points at the ALB in the configured zone", () => {
        const records = resourcesOfType(plan, T.record);
        expect(records.map((r) => r.inputs.name).sort()).toEqual(["api.example.com", "shop.example.com", "www.shop.example.com"]);
        for (const record of records) {
            expect(record.inputs).toMatchObject({ zoneId: "Z0123456789ABC", type: "A", aliases: [{ name: "<dev-alb.dnsName>", zoneId: "<dev-alb.zoneId>", evaluateTargetHealth: false }] });
            expect(record.dependencies).toContain(named(T.lb, "dev-alb").urn);
            expect(record.inputs.setIdentifier).toBeUndefined();
        }
    });

    test("the routing output: mode, weights, per-app hostnames, target groups, suffixes, verification URL, and the weighted rules' URNs", () => {
        const routing = plan.outputs.routing as Record<string, unknown>;
        expect(routing).toEqual({
            mode: "alb",
            weights: { blue: 90, green: 10 },
            apps: {
                shop: {
                    hostnames: ["shop.example.com", "www.shop.example.com"],
                    targetGroupArns: { blue: "<dev-shop-blue.arn>", green: "<dev-shop-green.arn>" },
                    loadBalancerArnSuffix: "<dev-alb.arnSuffix>",
                    targetGroupArnSuffixes: { blue: "<dev-shop-blue.arnSuffix>", green: "<dev-shop-green.arnSuffix>" },
                    verificationUrl: "https://shop.example.com:8443/",
                },
                api: {
                    hostnames: ["api.example.com"],
                    targetGroupArns: { blue: "<dev-api-blue.arn>", green: "<dev-api-green.arn>" },
                    loadBalancerArnSuffix: "<dev-alb.arnSuffix>",
                    targetGroupArnSuffixes: { blue: "<dev-api-blue.arnSuffix>", green: "<dev-api-green.arnSuffix>" },
                    verificationUrl: "https://api.example.com:8443/v1/",
                },
            },
            weightedResourceUrns: expect.any(Array),
            warnings: [expect.stringMatching(/^routing\.stickiness\.durationSeconds \(30m\) is longer than a cutover bake step \(cutover\.bake 10m\)/)],
        });
        const urns = [...(routing.weightedResourceUrns as string[])].sort();
        expect(urns).toEqual(["dev-api", "dev-shop", "dev-api-verify", "dev-shop-verify"].map((n) => named(T.rule, n).urn).sort());
    });
});

describe("alb mode options", () => {
    test("without verification: no verification listener, no port opened, no URL", async () => {
        const plan = await planFor(rawConfig({ routing: albRouting({ verification: { enabled: false } }) }));
        expect(resourcesOfType(plan, T.listener).map((r) => r.name).sort()).toEqual(["dev-http", "dev-https"]);
        expect(resourcesOfType(plan, T.ingress).filter((r) => r.inputs.fromPort === 8443)).toEqual([]);
        expect((plan.outputs.routing as { apps: Record<string, unknown> }).apps.shop).not.toHaveProperty("verificationUrl");
    });

    test("a named target port opens every TCP port to the cluster (its number is only known inside)", async () => {
        const plan = await planFor(rawConfig({ routing: albRouting({ apps: [routedApp("shop", { service: { name: "shop", port: 80, targetPort: "http" } })] }) }));
        const egress = resourcesOfType(plan, T.egress).filter((r) => r.name.startsWith("dev-alb-to-"));
        expect(egress.map((r) => [r.name, r.inputs.fromPort, r.inputs.toPort])).toEqual(expect.arrayContaining([["dev-alb-to-blue-tcp", 0, 65535], ["dev-alb-to-green-tcp", 0, 65535]]));
        expect(resourceNamed(plan, T.binding, "dev-blue-shop-binding").inputs).toMatchObject({ spec: { networking: { ingress: [{ ports: [{ port: "http" }] }] } } });
    });

    test("with one color: one target group per app, forwarding 100 % to it, and no target group of an absent color", async () => {
        const plan = await planFor(rawConfig({ clusters: { blue: clusterSpec("1.32") }, routing: albRouting() }));
        expect(resourcesOfType(plan, T.targetGroup).map((r) => r.name)).toEqual(["dev-shop-blue"]);
        expect(resourceNamed(plan, T.rule, "dev-shop").inputs).toMatchObject({ actions: [{ forward: { targetGroups: [{ weight: 100 }] } }] });
        expect(resourcesOfType(plan, T.binding).map((r) => r.name)).toEqual(["dev-blue-shop-binding"]);
    });

    test("an app in an existing namespace (kube-system) patches it with the readiness-gate label instead of creating it", async () => {
        const plan = await planFor(rawConfig({ routing: albRouting({ apps: [routedApp("shop", { namespace: "kube-system" })] }) }));
        expect(resourcesOfType(plan, "kubernetes:core/v1:Namespace").filter((r) => (r.inputs.metadata as { name: string }).name === "kube-system")).toEqual([]);
        for (const color of ["blue", "green"]) {
            const patch = resourceNamed(plan, T.namespace, `dev-${color}-ns-kube-system`);
            expect(patch.inputs).toMatchObject({ metadata: { name: "kube-system", labels: { "elbv2.k8s.aws/pod-readiness-gate-inject": "enabled" } } });
            expect(patch.provider).toMatch(new RegExp(`::dev-${color}-k8s$`));
            expect(resourceNamed(plan, T.binding, `dev-${color}-shop-binding`).dependencies).toContain(patch.urn);
        }
    });

    test("long environment and app names: the load balancer and target groups get explicit names of at most 32 characters", async () => {
        const plan = await planFor(rawConfig({ routing: albRouting({ apps: [routedApp("customer-checkout-api")] }) }), "production-eu-central-payments");
        const named32 = [resourceNamed(plan, T.lb, "production-eu-central-payments-alb"), ...resourcesOfType(plan, T.targetGroup)];
        expect(named32).toHaveLength(3);
        for (const r of named32) {
            expect(typeof r.inputs.name).toBe("string");
            expect((r.inputs.name as string).length).toBeLessThanOrEqual(32);
        }
        expect(new Set(named32.map((r) => r.inputs.name)).size).toBe(3);
    });

    test("a color without traffic: its target groups exist but are not protected", async () => {
        const plan = await planFor(rawConfig({ routing: albRouting({ weights: { blue: 100, green: 0 } }) }));
        expect(resourceNamed(plan, T.targetGroup, "dev-shop-blue").protect).toBe(true);
        expect(resourceNamed(plan, T.targetGroup, "dev-shop-green").protect).toBe(false);
    });
});
