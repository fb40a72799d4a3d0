/**
 * The `routing` stack output: what `bluegreen cutover` reads (src/cutover/model.ts). Keep its shape.
 */
import * as pulumi from "@pulumi/pulumi";
import { Color } from "../../src/config";

export interface RoutedAppOutput {
    hostnames: string[];
    targetGroupArns: Partial<Record<Color, pulumi.Output<string>>>;
    loadBalancerArnSuffix?: pulumi.Output<string>;
    targetGroupArnSuffixes?: Partial<Record<Color, pulumi.Output<string>>>;
    verificationUrl?: string;
}

export interface RoutingOutput {
    mode: "alb" | "dns";
    weights: Record<Color, number>;
    apps: Record<string, RoutedAppOutput>;
    /** URNs of the resources whose inputs follow the weights: `pulumi up --target` on them applies a weight change. */
    weightedResourceUrns: pulumi.Output<string[]>;
    /** Present when routing is valid but works against the cutover (e.g. stickiness longer than a bake step). */
    warnings?: string[];
}

export interface TrafficRouting extends pulumi.ComponentResource {
    readonly output: RoutingOutput;
}
