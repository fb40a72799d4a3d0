/**
 * alb mode: one internet-facing Application Load Balancer per environment, owned by Pulumi and by
 * neither cluster, in the shared VPC's public subnets. Per app an IP target group per color, bound
 * to the app's Service in that color's cluster by a TargetGroupBinding, and one listener rule that
 * forwards to both colors by weight. A verification listener on a dedicated port, open only to the
 * configured CIDRs, sends every app to the candidate color alone.
 *
 * Every decision is in the plan (src/routing/alb-plan.ts); this component only turns it into
 * resources and wires their references.
 */
import * as pulumi from "@pulumi/pulumi";
import * as aws from "@pulumi/aws";
import * as k8s from "@pulumi/kubernetes";
import { Color } from "../../src/config";
import { AlbRoutingPlan, BindingPlan, ListenerPlan, ListenerRulePlan, NamespacePlan, SecurityGroupRulePlan, TargetGroupPlan } from "../../src/routing/alb-plan";
import { RoutedAppOutput, RoutingOutput, TrafficRouting } from "./outputs";

/** What routing needs from one color's cluster. */
export interface RoutedCluster {
    /** Kubernetes provider of the cluster (server-side apply). */
    provider: k8s.Provider;
    /** The EKS cluster security group, which the pods' ENIs carry. */
    clusterSecurityGroupId: pulumi.Input<string>;
}

export interface AlbRoutingArgs {
    plan: AlbRoutingPlan;
    /** The clusters of the plan's colors. */
    clusters: Partial<Record<Color, RoutedCluster>>;
    /** AWS settings the plan leaves to the program. */
    vpcId: pulumi.Input<string>;
    publicSubnetIds: pulumi.Input<string[]>;
    /** Per color, what a TargetGroupBinding needs first: the CRD and the aws-load-balancer-controller release. */
    bindingDependsOn: Partial<Record<Color, pulumi.Input<pulumi.Resource>[]>>;
}

const NOT_FOUND = { type: "fixed-response", fixedResponse: { contentType: "text/plain", statusCode: "404", messageBody: "Not found" } };
/** TargetGroupBinding fields the load balancer controller's validating webhook refuses to change. */
export const BINDING_IMMUTABLE_FIELDS = ["spec.targetGroupARN", "spec.targetType", "spec.ipAddressType", "spec.vpcID"] as const;
const MANAGED_BY = { "app.kubernetes.io/managed-by": "pulumi-bluegreen" };

export class AlbRouting extends pulumi.ComponentResource implements TrafficRouting {
    readonly output: RoutingOutput;
    readonly loadBalancer: aws.lb.LoadBalancer;
    readonly securityGroup: aws.ec2.SecurityGroup;
    private readonly args: AlbRoutingArgs;

    constructor(name: string, args: AlbRoutingArgs, opts?: pulumi.ComponentResourceOptions) {
        super("bluegreen:routing:AlbRouting", name, {}, opts);
        this.args = args;
        const { plan } = args;
        for (const color of plan.colors) {
            if (!args.clusters[color]) throw new pulumi.ResourceError(`routing plans target groups for ${color} but there is no ${color} cluster`, this);
        }
        for (const warning of plan.warnings) void pulumi.log.warn(warning, this);

        this.securityGroup = new aws.ec2.SecurityGroup(plan.securityGroup.name, {
            vpcId: args.vpcId,
            description: `Load balancer of environment ${plan.environment}: HTTPS from anywhere, verification from allowed CIDRs, to the clusters`,
            tags: { Name: plan.securityGroup.name },
        }, { parent: this });
        for (const rule of plan.securityGroupRules) this.securityGroupRule(rule);
        this.loadBalancer = this.createLoadBalancer(plan);
        const listeners = new Map(plan.listeners.map((l) => [l.kind, this.listener(l)]));
        const namespaces = new Map(plan.namespaces.map((n) => [n.name, this.namespace(n)]));
        const targetGroups = new Map(plan.targetGroups.map((g) => [g.name, this.targetGroup(g)]));
        const bindings = new Map(plan.bindings.map((b) => [b.name, this.binding(b, targetGroups.get(b.targetGroup)!, namespaces.get(b.namespacePatch)!)]));
        const rules = new Map(plan.rules.map((r) => [r.name, this.listenerRule(r, listeners.get(r.listener)!, targetGroups, bindings)]));
        for (const record of plan.aliasRecords) {
            new aws.route53.Record(record.name, {
                zoneId: record.zoneId,
                name: record.hostname,
                type: "A",
                aliases: [{ name: this.loadBalancer.dnsName, zoneId: this.loadBalancer.zoneId, evaluateTargetHealth: false }],
            }, { parent: this });
        }

        this.output = {
            mode: "alb",
            weights: { ...plan.weights },
            apps: this.appOutputs(targetGroups),
            // The verification rules follow the candidate color, which can change with the weights.
            weightedResourceUrns: pulumi.all(plan.weightedRules.map((n) => rules.get(n)!.urn)),
            ...(plan.warnings.length ? { warnings: plan.warnings } : {}),
        };
        this.registerOutputs({ loadBalancerDnsName: this.loadBalancer.dnsName, weightedResourceUrns: this.output.weightedResourceUrns });
    }

    private createLoadBalancer(plan: AlbRoutingPlan): aws.lb.LoadBalancer {
        const lb = plan.loadBalancer;
        return new aws.lb.LoadBalancer(lb.name, {
            ...(lb.awsName ? { name: lb.awsName } : {}),
            loadBalancerType: "application",
            internal: false,
            ipAddressType: "ipv4",
            subnets: this.args.publicSubnetIds,
            securityGroups: [this.securityGroup.id],
            dropInvalidHeaderFields: true,
            enableDeletionProtection: lb.deletionProtection,
            idleTimeout: lb.idleTimeoutSeconds,
            tags: { Name: lb.name },
        }, { parent: this });
    }

    private securityGroupRule(rule: SecurityGroupRulePlan): void {
        const common = { securityGroupId: this.securityGroup.id, ipProtocol: "tcp", fromPort: rule.fromPort, toPort: rule.toPort, description: rule.description };
        if (rule.direction === "ingress") {
            new aws.vpc.SecurityGroupIngressRule(rule.name, { ...common, cidrIpv4: rule.cidr }, { parent: this });
        } else {
            const cluster = this.args.clusters[rule.toColor!]!;
            new aws.vpc.SecurityGroupEgressRule(rule.name, { ...common, referencedSecurityGroupId: cluster.clusterSecurityGroupId }, { parent: this });
        }
    }

    private listener(plan: ListenerPlan): aws.lb.Listener {
        const tls = plan.tls ? { sslPolicy: plan.tls.sslPolicy, certificateArn: plan.tls.certificateArn } : {};
        const defaultActions = plan.kind === "http"
            ? [{ type: "redirect", redirect: { protocol: "HTTPS", port: "443", statusCode: "HTTP_301" } }]
            : [NOT_FOUND];
        return new aws.lb.Listener(plan.name, {
            loadBalancerArn: this.loadBalancer.arn,
            port: plan.port,
            protocol: plan.protocol,
            ...tls,
            defaultActions,
        }, { parent: this });
    }

    private targetGroup(plan: TargetGroupPlan): aws.lb.TargetGroup {
        const check = plan.healthCheck;
        return new aws.lb.TargetGroup(plan.name, {
            ...(plan.awsName ? { name: plan.awsName } : {}),
            vpcId: this.args.vpcId,
            targetType: "ip",
            ipAddressType: "ipv4",
            protocol: "HTTP",
            protocolVersion: "HTTP1",
            port: plan.port,
            deregistrationDelay: plan.deregistrationDelaySeconds,
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
            tags: { Name: plan.name, "bluegreen:color": plan.color, "bluegreen:app": plan.app },
        }, { parent: this, protect: plan.protected });
    }

    /**
     * The app's namespace in one cluster, labelled so the controller injects pod readiness gates. A
     * server-side apply patch: it creates the namespace when missing and adopts an existing one
     * (`default`, `kube-system`, or one kept from an earlier deployment) without failing or taking
     * it over. Retained on delete: the namespace holds the app, which Pulumi does not own.
     */
    private namespace(plan: NamespacePlan): k8s.core.v1.NamespacePatch {
        return new k8s.core.v1.NamespacePatch(plan.name, {
            metadata: { name: plan.namespace, labels: plan.labels, annotations: { "pulumi.com/patchForce": "true" } },
        }, { parent: this, provider: this.args.clusters[plan.color]!.provider, retainOnDelete: true });
    }

    /**
     * The controller in the color's cluster registers the Service's pods and opens their port to the
     * load balancer. Its fields are immutable under the controller's webhook, so a new target group
     * gets a new binding (its name carries the group's identity; `replaceOnChanges` covers the rest)
     * created beside the old one before the rules switch over.
     */
    private binding(plan: BindingPlan, targetGroup: aws.lb.TargetGroup, namespace: k8s.core.v1.NamespacePatch): k8s.apiextensions.CustomResource {
        return new k8s.apiextensions.CustomResource(plan.name, {
            apiVersion: "elbv2.k8s.aws/v1beta1",
            kind: "TargetGroupBinding",
            metadata: { name: plan.objectName, namespace: plan.namespace, labels: { ...MANAGED_BY, "bluegreen/app": plan.app } },
            spec: {
                serviceRef: plan.service,
                targetGroupARN: targetGroup.arn,
                targetType: "ip",
                networking: {
                    ingress: [{
                        from: [{ securityGroup: { groupID: this.securityGroup.id } }],
                        ports: [{ protocol: "TCP", port: plan.targetPort }],
                    }],
                },
            },
        }, {
            parent: this,
            provider: this.args.clusters[plan.color]!.provider,
            replaceOnChanges: [...BINDING_IMMUTABLE_FIELDS],
            // The controller must outlive the binding: it removes the binding's finalizer on delete.
            dependsOn: [...(this.args.bindingDependsOn[plan.color] ?? []), namespace],
        });
    }

    private listenerRule(
        plan: ListenerRulePlan,
        listener: aws.lb.Listener,
        targetGroups: Map<string, aws.lb.TargetGroup>,
        bindings: Map<string, k8s.apiextensions.CustomResource>,
    ): aws.lb.ListenerRule {
        const arnOf = (name: string) => targetGroups.get(name)!.arn;
        const action = plan.kind === "weighted"
            ? { type: "forward", forward: { targetGroups: plan.forward.map((f) => ({ arn: arnOf(f.targetGroup), weight: f.weight })), stickiness: plan.stickiness } }
            : { type: "forward", targetGroupArn: arnOf(plan.forward[0].targetGroup) };
        return new aws.lb.ListenerRule(plan.name, {
            listenerArn: listener.arn,
            priority: plan.priority,
            conditions: plan.conditions,
            actions: [action],
        }, { parent: this, dependsOn: plan.waitsFor.map((name) => bindings.get(name)!) });
    }

    private appOutputs(targetGroups: Map<string, aws.lb.TargetGroup>): Record<string, RoutedAppOutput> {
        const apps: Record<string, RoutedAppOutput> = {};
        for (const [app, planned] of Object.entries(this.args.plan.apps)) {
            const arns: Partial<Record<Color, pulumi.Output<string>>> = {};
            const suffixes: Partial<Record<Color, pulumi.Output<string>>> = {};
            for (const [color, name] of Object.entries(planned.targetGroups) as [Color, string][]) {
                arns[color] = targetGroups.get(name)!.arn;
                suffixes[color] = targetGroups.get(name)!.arnSuffix;
            }
            apps[app] = {
                hostnames: planned.hostnames,
                targetGroupArns: arns,
                loadBalancerArnSuffix: this.loadBalancer.arnSuffix,
                targetGroupArnSuffixes: suffixes,
                ...(planned.verificationUrl ? { verificationUrl: planned.verificationUrl } : {}),
            };
        }
        return apps;
    }
}
