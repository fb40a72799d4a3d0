/**
 * alb mode: one internet-facing Application Load Balancer per environment, owned by Pulumi and by
 * neither cluster, in the shared VPC's public subnets. Per app an IP target group per color, bound
 * to the app's Service in that color's cluster by a TargetGroupBinding, and one listener rule that
 * forwards to both colors by weight. A verification listener on a dedicated port, open only to the
 * configured CIDRs, sends every app to the candidate color alone.
 *
 * The decisions (rules and priorities, weights, candidate color, ports) live in src/routing.
 */
import * as pulumi from "@pulumi/pulumi";
import * as aws from "@pulumi/aws";
import * as k8s from "@pulumi/kubernetes";
import { Color, RoutedApp, RoutingConfig } from "../../src/config";
import { PlannedRule, planRules, TESTER_HEADER } from "../../src/routing/rules";
import { egressPorts, hostnameForName, targetGroupPortOf, targetPortOf, verificationUrlOf } from "../../src/routing/targets";
import { forwardTargets, weightOf } from "../../src/routing/weights";
import { RoutedAppOutput, RoutingOutput, TrafficRouting } from "./outputs";

/** What routing needs from one color's cluster. */
export interface RoutedCluster {
    /** Kubernetes provider of the cluster (server-side apply). */
    provider: k8s.Provider;
    /** The EKS cluster security group, which the pods' ENIs carry. */
    clusterSecurityGroupId: pulumi.Input<string>;
}

export interface AlbRoutingArgs {
    environment: string;
    routing: RoutingConfig;
    /** The colors present in `clusters`; each gets a target group and a binding per app. */
    clusters: Partial<Record<Color, RoutedCluster>>;
    /** The color the verification listener serves. */
    verificationColor: Color;
    vpcId: pulumi.Input<string>;
    publicSubnetIds: pulumi.Input<string[]>;
    /** Per color, what a TargetGroupBinding needs first: the CRD and the aws-load-balancer-controller release. */
    bindingDependsOn: Partial<Record<Color, pulumi.Input<pulumi.Resource>[]>>;
}

const HTTPS_PORT = 443;
const HTTP_PORT = 80;
const NOT_FOUND = { type: "fixed-response", fixedResponse: { contentType: "text/plain", statusCode: "404", messageBody: "Not found" } };

export class AlbRouting extends pulumi.ComponentResource implements TrafficRouting {
    readonly output: RoutingOutput;
    readonly loadBalancer: aws.lb.LoadBalancer;
    readonly securityGroup: aws.ec2.SecurityGroup;

    constructor(name: string, args: AlbRoutingArgs, opts?: pulumi.ComponentResourceOptions) {
        super("bluegreen:routing:AlbRouting", name, {}, opts);
        const { environment, routing } = args;
        const parent = { parent: this };
        const colors = (Object.keys(args.clusters) as Color[]).sort();
        const verification = routing.verification;

        this.securityGroup = new aws.ec2.SecurityGroup(`${environment}-alb`, {
            vpcId: args.vpcId,
            description: `Load balancer of environment ${environment}: HTTPS from anywhere, verification from allowed CIDRs, to the clusters`,
            tags: { Name: `${environment}-alb` },
        }, parent);
        this.openIngress(environment, args);
        this.openEgressToClusters(environment, args, colors);

        this.loadBalancer = new aws.lb.LoadBalancer(`${environment}-alb`, {
            loadBalancerType: "application",
            internal: false,
            ipAddressType: "ipv4",
            subnets: args.publicSubnetIds,
            securityGroups: [this.securityGroup.id],
            dropInvalidHeaderFields: true,
            enableDeletionProtection: routing.loadBalancer.deletionProtection,
            idleTimeout: routing.loadBalancer.idleTimeoutSeconds,
            tags: { Name: `${environment}-alb` },
        }, parent);

        const https = new aws.lb.Listener(`${environment}-https`, {
            loadBalancerArn: this.loadBalancer.arn,
            port: HTTPS_PORT,
            protocol: "HTTPS",
            sslPolicy: routing.sslPolicy,
            certificateArn: routing.certificateArn,
            defaultActions: [NOT_FOUND],
        }, parent);
        new aws.lb.Listener(`${environment}-http`, {
            loadBalancerArn: this.loadBalancer.arn,
            port: HTTP_PORT,
            protocol: "HTTP",
            defaultActions: [{ type: "redirect", redirect: { protocol: "HTTPS", port: String(HTTPS_PORT), statusCode: "HTTP_301" } }],
        }, parent);
        const verificationListener = verification.enabled
            ? new aws.lb.Listener(`${environment}-verification`, {
                  loadBalancerArn: this.loadBalancer.arn,
                  port: verification.port,
                  protocol: "HTTPS",
                  sslPolicy: routing.sslPolicy,
                  certificateArn: routing.certificateArn,
                  defaultActions: [NOT_FOUND],
              }, parent)
            : undefined;

        const targetGroups = new Map<string, Partial<Record<Color, aws.lb.TargetGroup>>>();
        for (const app of routing.apps) {
            const perColor: Partial<Record<Color, aws.lb.TargetGroup>> = {};
            for (const color of colors) {
                const targetGroup = this.targetGroup(environment, app, color, args.vpcId, weightOf(routing, color) > 0 && routing.loadBalancer.deletionProtection);
                this.bindService(environment, app, color, targetGroup, args);
                perColor[color] = targetGroup;
            }
            targetGroups.set(app.name, perColor);
        }

        const rules = planRules(routing.apps, { colors, headerRule: verification.enabled && verification.headerRule, verification: verification.enabled });
        const stickiness = routing.stickiness.enabled ? { enabled: true, duration: routing.stickiness.durationSeconds } : undefined;
        const weightedRules = rules.weighted.map((rule) => new aws.lb.ListenerRule(`${environment}-${rule.key}`, {
            listenerArn: https.arn,
            priority: rule.priority,
            conditions: conditionsOf(rule),
            actions: [{
                type: "forward",
                forward: {
                    targetGroups: forwardTargets(routing, colors).map(({ color, weight }) => ({ arn: targetGroups.get(rule.app)![color]!.arn, weight })),
                    stickiness,
                },
            }],
        }, parent));
        for (const rule of rules.header) {
            new aws.lb.ListenerRule(`${environment}-${rule.key}`, {
                listenerArn: https.arn,
                priority: rule.priority,
                conditions: [...conditionsOf(rule), { httpHeader: { httpHeaderName: TESTER_HEADER, values: [rule.color] } }],
                actions: [{ type: "forward", targetGroupArn: targetGroups.get(rule.app)![rule.color]!.arn }],
            }, parent);
        }
        const verificationRules = rules.verification.map((rule) => new aws.lb.ListenerRule(`${environment}-${rule.key}`, {
            listenerArn: verificationListener!.arn,
            priority: rule.priority,
            conditions: conditionsOf(rule),
            actions: [{ type: "forward", targetGroupArn: targetGroups.get(rule.app)![args.verificationColor]!.arn }],
        }, parent));

        this.createAliasRecords(environment, routing);

        const apps: Record<string, RoutedAppOutput> = {};
        for (const app of routing.apps) {
            const perColor = targetGroups.get(app.name)!;
            const arns: Partial<Record<Color, pulumi.Output<string>>> = {};
            const suffixes: Partial<Record<Color, pulumi.Output<string>>> = {};
            for (const color of colors) {
                arns[color] = perColor[color]!.arn;
                suffixes[color] = perColor[color]!.arnSuffix;
            }
            const verificationUrl = verification.enabled ? verificationUrlOf(app, verification.port) : undefined;
            apps[app.name] = {
                hostnames: app.hostnames,
                targetGroupArns: arns,
                loadBalancerArnSuffix: this.loadBalancer.arnSuffix,
                targetGroupArnSuffixes: suffixes,
                ...(verificationUrl ? { verificationUrl } : {}),
            };
        }
        this.output = {
            mode: "alb",
            weights: { blue: weightOf(routing, "blue"), green: weightOf(routing, "green") },
            apps,
            // The verification rules follow the candidate color, which can change with the weights.
            weightedResourceUrns: pulumi.all([...weightedRules, ...verificationRules].map((r) => r.urn)),
        };
        this.registerOutputs({
            loadBalancerDnsName: this.loadBalancer.dnsName,
            weightedResourceUrns: this.output.weightedResourceUrns,
        });
    }

    private openIngress(prefix: string, args: AlbRoutingArgs): void {
        const parent = { parent: this };
        for (const [port, purpose] of [[HTTPS_PORT, "https"], [HTTP_PORT, "http"]] as const) {
            new aws.vpc.SecurityGroupIngressRule(`${prefix}-alb-${purpose}`, {
                securityGroupId: this.securityGroup.id,
                ipProtocol: "tcp",
                fromPort: port,
                toPort: port,
                cidrIpv4: "0.0.0.0/0",
                description: `${purpose.toUpperCase()} from anywhere`,
            }, parent);
        }
        const verification = args.routing.verification;
        if (!verification.enabled) return;
        for (const cidr of verification.allowedCidrs) {
            new aws.vpc.SecurityGroupIngressRule(`${prefix}-alb-verification-${cidr}`, {
                securityGroupId: this.securityGroup.id,
                ipProtocol: "tcp",
                fromPort: verification.port,
                toPort: verification.port,
                cidrIpv4: cidr,
                description: "Verification listener (candidate color) from an allowed network",
            }, parent);
        }
    }

    /** Traffic and health checks to the pods, which carry their cluster's security group. */
    private openEgressToClusters(prefix: string, args: AlbRoutingArgs, colors: Color[]): void {
        const { ports, allPorts } = egressPorts(args.routing.apps);
        const ranges: [number, number][] = allPorts ? [[0, 65535]] : ports.map((p) => [p, p]);
        for (const color of colors) {
            for (const [fromPort, toPort] of ranges) {
                new aws.vpc.SecurityGroupEgressRule(`${prefix}-alb-to-${color}-${allPorts ? "tcp" : fromPort}`, {
                    securityGroupId: this.securityGroup.id,
                    referencedSecurityGroupId: args.clusters[color]!.clusterSecurityGroupId,
                    ipProtocol: "tcp",
                    fromPort,
                    toPort,
                    description: `To the pods in the ${color} cluster`,
                }, { parent: this });
            }
        }
    }

    private targetGroup(environment: string, app: RoutedApp, color: Color, vpcId: pulumi.Input<string>, carriesTraffic: boolean): aws.lb.TargetGroup {
        const check = app.healthCheck;
        return new aws.lb.TargetGroup(`${environment}-${app.name}-${color}`, {
            vpcId,
            targetType: "ip",
            ipAddressType: "ipv4",
            protocol: "HTTP",
            protocolVersion: "HTTP1",
            port: targetGroupPortOf(app),
            deregistrationDelay: app.deregistrationDelaySeconds,
            healthCheck: {
                enabled: true,
                protocol: "HTTP",
                port: "traffic-port",
                path: check.path,
                matcher: check.matcher,
                interval: check.intervalSeconds,
                timeout: check.timeoutSeconds,
                healthyThreshold: check.healthyThreshold,
                unhealthyThreshold: check.unhealthyThreshold,
            },
            tags: { Name: `${environment}-${app.name}-${color}`, "bluegreen:color": color, "bluegreen:app": app.name },
        }, { parent: this, protect: carriesTraffic });
    }

    /** The controller in the color's cluster registers the Service's pods and opens their port to the load balancer. */
    private bindService(prefix: string, app: RoutedApp, color: Color, targetGroup: aws.lb.TargetGroup, args: AlbRoutingArgs): void {
        const cluster = args.clusters[color]!;
        new k8s.apiextensions.CustomResource(`${prefix}-${color}-${app.name}-binding`, {
            apiVersion: "elbv2.k8s.aws/v1beta1",
            kind: "TargetGroupBinding",
            metadata: {
                name: `bluegreen-${app.name}`,
                namespace: app.namespace,
                labels: { "app.kubernetes.io/managed-by": "pulumi-bluegreen", "bluegreen/app": app.name },
            },
            spec: {
                serviceRef: { name: app.service.name, port: app.service.port },
                targetGroupARN: targetGroup.arn,
                targetType: "ip",
                networking: {
                    ingress: [{
                        from: [{ securityGroup: { groupID: this.securityGroup.id } }],
                        ports: [{ protocol: "TCP", port: targetPortOf(app) }],
                    }],
                },
            },
        }, {
            parent: this,
            provider: cluster.provider,
            // The controller must outlive the binding: it removes the binding's finalizer on delete.
            dependsOn: [...(args.bindingDependsOn[color] ?? []), this.namespace(prefix, color, app.namespace, cluster)],
        });
    }

    private readonly namespaces = new Map<string, k8s.core.v1.Namespace>();

    /**
     * The app's namespace, so that a binding can be created before GitOps has deployed the app.
     * Retained on delete: the namespace holds the app, which Pulumi does not own.
     */
    private namespace(prefix: string, color: Color, namespace: string, cluster: RoutedCluster): k8s.core.v1.Namespace {
        const key = `${color}/${namespace}`;
        let resource = this.namespaces.get(key);
        if (!resource) {
            resource = new k8s.core.v1.Namespace(`${prefix}-${color}-ns-${namespace}`, {
                metadata: { name: namespace },
            }, { parent: this, provider: cluster.provider, retainOnDelete: true });
            this.namespaces.set(key, resource);
        }
        return resource;
    }

    /** One alias record per hostname (apps sharing a hostname on different paths share it). */
    private createAliasRecords(prefix: string, routing: RoutingConfig): void {
        const hostnames = [...new Set(routing.apps.flatMap((app) => app.hostnames))].sort();
        for (const hostname of hostnames) {
            new aws.route53.Record(`${prefix}-${hostnameForName(hostname)}`, {
                zoneId: routing.hostedZoneId!,
                name: hostname,
                type: "A",
                aliases: [{ name: this.loadBalancer.dnsName, zoneId: this.loadBalancer.zoneId, evaluateTargetHealth: false }],
            }, { parent: this });
        }
    }
}

function conditionsOf(rule: PlannedRule): aws.types.input.lb.ListenerRuleCondition[] {
    const conditions: aws.types.input.lb.ListenerRuleCondition[] = [{ hostHeader: { values: rule.hosts } }];
    if (rule.path !== undefined) conditions.push({ pathPattern: { values: [rule.path] } });
    return conditions;
}
