/**
 * dns mode: each color keeps its own load balancer (made by its cluster's ingress, possibly in
 * another VPC or account); Route 53 weighted records per hostname, one per color (`setIdentifier` =
 * color), split the traffic. A color at 0 keeps its record at weight 0, so weight changes are
 * in-place updates of the records. Resolvers and clients cache answers, so a shift takes effect
 * gradually and open connections stay where they are (see docs/routing.md).
 *
 * Every decision is in the plan (src/routing/dns-plan.ts); this component only creates the records.
 */
import * as pulumi from "@pulumi/pulumi";
import * as aws from "@pulumi/aws";
import { DnsRoutingPlan } from "../../src/routing/dns-plan";
import { RoutedAppOutput, RoutingOutput, TrafficRouting } from "./outputs";

export interface DnsRoutingArgs {
    plan: DnsRoutingPlan;
}

export class DnsRouting extends pulumi.ComponentResource implements TrafficRouting {
    readonly output: RoutingOutput;

    constructor(name: string, args: DnsRoutingArgs, opts?: pulumi.ComponentResourceOptions) {
        super("bluegreen:routing:DnsRouting", name, {}, opts);
        const { plan } = args;
        const records = plan.records.map((record) => new aws.route53.Record(record.name, {
            zoneId: record.zoneId,
            name: record.hostname,
            setIdentifier: record.color,
            weightedRoutingPolicies: [{ weight: record.weight }],
            ...record.target,
        }, { parent: this }));
        const apps: Record<string, RoutedAppOutput> = {};
        for (const [app, planned] of Object.entries(plan.apps)) apps[app] = { hostnames: planned.hostnames, targetGroupArns: {} };
        this.output = {
            mode: "dns",
            weights: { ...plan.weights },
            apps,
            weightedResourceUrns: pulumi.all(records.map((r) => r.urn)),
        };
        this.registerOutputs({ weightedResourceUrns: this.output.weightedResourceUrns });
    }
}
