/**
 * Traffic routing between the colors: the shared ALB (alb mode) or weighted Route 53 records (dns
 * mode). The routing is planned once from config (src/routing) and the plan handed to the component.
 */
import * as pulumi from "@pulumi/pulumi";
import { Color, EnvironmentConfig } from "../../src/config";
import { planAlbRouting } from "../../src/routing/alb-plan";
import { planDnsRouting } from "../../src/routing/dns-plan";
import { AlbRouting, RoutedCluster } from "./alb-routing";
import { DnsRouting } from "./dns-routing";
import { TrafficRouting } from "./outputs";

export { AlbRouting, DnsRouting };
export type { RoutedCluster, TrafficRouting };
export type { RoutedAppOutput, RoutingOutput } from "./outputs";

export interface RoutingArgs {
    environment: string;
    /** A config with `routing` set. */
    config: EnvironmentConfig;
    vpcId: pulumi.Input<string>;
    publicSubnetIds: pulumi.Input<string[]>;
    clusters: Partial<Record<Color, RoutedCluster>>;
    /** Per color, what a TargetGroupBinding needs first (alb mode): the add-ons' load balancer controller. */
    bindingDependsOn: Partial<Record<Color, pulumi.Input<pulumi.Resource>[]>>;
}

export function createRouting(name: string, args: RoutingArgs, opts?: pulumi.ComponentResourceOptions): TrafficRouting {
    const { config, environment } = args;
    if (!config.routing) throw new Error("createRouting needs a config with routing set");
    if (config.routing.mode === "dns") return new DnsRouting(name, { plan: planDnsRouting({ config, environment }) }, opts);
    return new AlbRouting(name, {
        plan: planAlbRouting({ config, environment }),
        clusters: args.clusters,
        vpcId: args.vpcId,
        publicSubnetIds: args.publicSubnetIds,
        bindingDependsOn: args.bindingDependsOn,
    }, opts);
}
