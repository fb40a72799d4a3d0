/**
 * dns mode: each color keeps its own load balancer (made by its cluster's ingress, possibly in
 * another VPC or account); Route 53 weighted records per hostname, one per color (`setIdentifier` =
 * color), split the traffic. A color at 0 keeps its record at weight 0, so weight changes are
 * in-place updates of the records. Resolvers and clients cache answers, so a shift takes effect
 * gradually and open connections stay where they are (see docs/routing.md).
 */
import * as pulumi from "@pulumi/pulumi";
import * as aws from "@pulumi/aws";
import { RoutingConfig } from "../../src/config";
import { hostnameForName } from "../../src/routing/targets";
import { ColorWeight, weightOf } from "../../src/routing/weights";
import { RoutedAppOutput, RoutingOutput, TrafficRouting } from "./outputs";

export interface DnsRoutingArgs {
    environment: string;
    routing: RoutingConfig;
    /** Per hostname, the colors that get a weighted record and their weights (`dnsRecordWeights`). */
    recordWeights: ColorWeight[];
}

/** Used for `cname` records when `dns.ttl` is not set. */
const DEFAULT_CNAME_TTL = 60;

export class DnsRouting extends pulumi.ComponentResource implements TrafficRouting {
    readonly output: RoutingOutput;

    constructor(name: string, args: DnsRoutingArgs, opts?: pulumi.ComponentResourceOptions) {
        super("bluegreen:routing:DnsRouting", name, {}, opts);
        const { environment, routing } = args;
        const dns = routing.dns;
        const records: aws.route53.Record[] = [];
        const apps: Record<string, RoutedAppOutput> = {};
        for (const app of routing.apps) {
            for (const hostname of app.hostnames) {
                for (const { color, weight } of args.recordWeights) {
                    const target = dns.loadBalancers[color]!;
                    const recordTarget = dns.recordType === "alias"
                        ? { type: "A", aliases: [{ name: target.dnsName, zoneId: target.zoneId!, evaluateTargetHealth: true }] }
                        : { type: "CNAME", records: [target.dnsName], ttl: dns.ttl ?? DEFAULT_CNAME_TTL };
                    records.push(new aws.route53.Record(`${environment}-${hostnameForName(hostname)}-${color}`, {
                        zoneId: routing.hostedZoneId!,
                        name: hostname,
                        setIdentifier: color,
                        weightedRoutingPolicies: [{ weight }],
                        ...recordTarget,
                    }, { parent: this }));
                }
            }
            apps[app.name] = { hostnames: app.hostnames, targetGroupArns: {} };
        }
        this.output = {
            mode: "dns",
            weights: { blue: weightOf(routing, "blue"), green: weightOf(routing, "green") },
            apps,
            weightedResourceUrns: pulumi.all(records.map((r) => r.urn)),
        };
        this.registerOutputs({ weightedResourceUrns: this.output.weightedResourceUrns });
    }
}
