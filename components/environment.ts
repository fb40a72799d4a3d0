/**
 * The whole environment of one stack: the shared network, one `ColorCluster` per configured color,
 * and what builds on them. `deployEnvironment` is the Pulumi program; `index.ts` and the offline
 * plan both call it with a validated config.
 */
import * as pulumi from "@pulumi/pulumi";
import * as aws from "@pulumi/aws";
import { Color, EnvironmentConfig, presentColors, trafficCarryingColors } from "../stacks/config";
import { ColorCluster } from "./cluster";
import { Network } from "./network";
import { createRouting, RoutedCluster, TrafficRouting } from "./routing";
import { environmentTags } from "./tags";

export interface EnvironmentInputs {
    config: EnvironmentConfig;
    /** The environment's name: `bluegreen:environment`, or the stack name. */
    environment: string;
    region: string;
}

export interface BlueGreenEnvironmentArgs extends EnvironmentInputs {}

export class BlueGreenEnvironment extends pulumi.ComponentResource {
    readonly network: Network;
    readonly clusters: Partial<Record<Color, ColorCluster>> = {};
    readonly routing?: TrafficRouting;

    constructor(name: string, args: BlueGreenEnvironmentArgs, opts?: pulumi.ComponentResourceOptions) {
        super("bluegreen:index:Environment", name, {}, opts);
        const { config, environment, region } = args;

        const sharedProvider = new aws.Provider(`${environment}-aws`, {
            region: region as aws.Region,
            defaultTags: { tags: environmentTags(environment) },
        }, { parent: this });
        this.network = new Network(`${environment}-network`, { environment, config: config.network }, { parent: this, providers: { aws: sharedProvider } });

        const protectedColors = new Set(trafficCarryingColors(config));
        const knownSubnetIds = [...(config.network.privateSubnetIds ?? []), ...(config.network.publicSubnetIds ?? [])];
        for (const color of presentColors(config)) {
            const colorProvider = new aws.Provider(`${environment}-${color}-aws`, {
                region: region as aws.Region,
                defaultTags: { tags: environmentTags(environment, color) },
            }, { parent: this });
            this.clusters[color] = new ColorCluster(`${environment}-${color}`, {
                environment,
                color,
                spec: config.clusters[color]!,
                vpcId: this.network.vpcId,
                privateSubnetIds: this.network.privateSubnetIds,
                publicSubnetIds: this.network.publicSubnetIds,
                knownSubnetIds,
                clusterAdmins: config.access.clusterAdmins,
                carriesTraffic: protectedColors.has(color),
            }, { parent: this, providers: { aws: colorProvider } });
        }

        if (config.routing) {
            const routedClusters: Partial<Record<Color, RoutedCluster>> = {};
            for (const [color, cluster] of Object.entries(this.clusters) as [Color, ColorCluster][]) {
                routedClusters[color] = { provider: cluster.provider, clusterSecurityGroupId: cluster.clusterSecurityGroupId };
            }
            // The load balancer belongs to the environment, not to a color: it outlives either cluster.
            this.routing = createRouting(`${environment}-routing`, {
                environment,
                config,
                vpcId: this.network.vpcId,
                publicSubnetIds: this.network.publicSubnetIds,
                clusters: routedClusters,
                bindingDependsOn: {},
            }, { parent: this, providers: { aws: sharedProvider } });
        }
        this.registerOutputs({});
    }

    /** The stack outputs: per color the cluster's identity and kubeconfig (secret). */
    outputs(): Record<string, unknown> {
        const clusters: Record<string, unknown> = {};
        for (const [color, cluster] of Object.entries(this.clusters)) {
            clusters[color] = {
                name: cluster.clusterName,
                version: cluster.version,
                endpoint: cluster.endpoint,
                oidcIssuer: cluster.oidcIssuer,
                nodeGroups: cluster.nodeGroupNames,
                kubeconfig: cluster.kubeconfig,
            };
        }
        return {
            vpcId: this.network.vpcId,
            clusters,
            ...(this.routing ? { routing: this.routing.output } : {}),
        };
    }
}

export async function deployEnvironment(inputs: EnvironmentInputs): Promise<Record<string, unknown>> {
    const environment = new BlueGreenEnvironment(inputs.environment, inputs);
    return { environment: inputs.environment, region: inputs.region, ...environment.outputs() };
}
