/**
 * The whole environment of one stack: the shared network, one `ColorCluster` per configured color,
 * and what builds on them. `deployEnvironment` is the Pulumi program; `index.ts` and the offline
 * plan both call it with a validated config.
 */
import * as pulumi from "@pulumi/pulumi";
import * as aws from "@pulumi/aws";
import { Color, EnvironmentInputs, presentColors, trafficCarryingColors } from "../src/config";
import { AddonCrdDeps, AddonCrdPlan, CrdGateError, CrdGateLoadError, prepareAddonCrds, PreviousDeployment } from "../src/addons/crd-gate";
import { creatorPrincipal } from "../src/cluster/access";
import { recordedCluster } from "../src/cluster/recorded";
import { configDigest, CutoverProgramDeps, driftProblem, NO_CUTOVER_DEPS, weightsOnlyProblem } from "../src/cutover/program-guard";
import { ClusterAddons } from "./addons";
import { CutoverState } from "./cutover-state";
import { ColorCluster } from "./cluster";
import { EnvironmentDashboard } from "./dashboard";
import { Network } from "./network";
import { AlbRouting, createRouting, RoutedCluster, TrafficRouting } from "./routing";
import { environmentTags } from "./tags";

export interface BlueGreenEnvironmentArgs extends EnvironmentInputs {
    /** Add-on CRDs per color, already through the CRD gate. */
    addonCrds: AddonCrdPlan;
    /** The stack's previous outputs (`clusters`), for what the clusters recorded there. */
    previous?: PreviousDeployment;
    /** The IAM principal running this update (the creator of any cluster it creates); unknown: no one is left out. */
    deployer?: string;
}

/** Where the clusters get the identity running the update. */
export interface ClusterDeps {
    deployerPrincipal(inputs: EnvironmentInputs): Promise<string>;
}

/**
 * The caller identity, an assumed-role session mapped to its role (with the role's path) as EKS records
 * a cluster's creator. Asked through a provider of the environment's region and profile: the default
 * provider knows neither when the region comes from `bluegreen:region`.
 */
export function pulumiClusterDeps(): ClusterDeps {
    return {
        deployerPrincipal: async (inputs) => {
            const provider = new aws.Provider(`${inputs.environment}-identity`, {
                region: inputs.region as aws.Region,
                ...(inputs.awsProfile ? { profile: inputs.awsProfile } : {}),
            });
            const caller = await aws.getCallerIdentity({}, { provider });
            const isSession = caller.arn.includes(":assumed-role/");
            const issuer = isSession ? (await aws.iam.getSessionContext({ arn: caller.arn }, { provider })).issuerArn : undefined;
            return creatorPrincipal(caller.arn, issuer);
        },
    };
}

export class BlueGreenEnvironment extends pulumi.ComponentResource {
    readonly network: Network;
    readonly clusters: Partial<Record<Color, ColorCluster>> = {};
    readonly addons: Partial<Record<Color, ClusterAddons>> = {};
    readonly routing?: TrafficRouting;
    readonly cutoverState: CutoverState;
    private readonly addonCrds: AddonCrdPlan;
    /** What the stack exports (and this component registers as its outputs). */
    readonly stackOutputs: Record<string, unknown>;

    constructor(name: string, args: BlueGreenEnvironmentArgs, opts?: pulumi.ComponentResourceOptions) {
        super("bluegreen:index:Environment", name, {}, opts);
        const { config, environment, region } = args;
        this.addonCrds = args.addonCrds;
        const argocdAdminPassword = config.argocdAdminPassword === undefined ? undefined : pulumi.secret(config.argocdAdminPassword);

        const profile = args.awsProfile ? { profile: args.awsProfile } : {};
        const sharedProvider = new aws.Provider(`${environment}-aws`, {
            region: region as aws.Region,
            ...profile,
            defaultTags: { tags: environmentTags(environment) },
        }, { parent: this });
        this.cutoverState = new CutoverState(`${environment}-cutover-state`, { environment }, { parent: this, providers: { aws: sharedProvider } });
        this.network = new Network(`${environment}-network`, { environment, config: config.network }, { parent: this, providers: { aws: sharedProvider } });

        const protectedColors = new Set(trafficCarryingColors(config));
        const knownSubnetIds = [...(config.network.privateSubnetIds ?? []), ...(config.network.publicSubnetIds ?? [])];
        for (const color of presentColors(config)) {
            const colorProvider = new aws.Provider(`${environment}-${color}-aws`, {
                region: region as aws.Region,
                ...profile,
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
                region,
                carriesTraffic: protectedColors.has(color),
                recorded: recordedCluster(args.previous?.clusters, color),
                deployer: args.deployer,
                awsProfile: args.awsProfile,
                recordedDesiredSizes: args.previous?.clusters?.[color]?.nodeGroupDesiredSizes,
            }, { parent: this, providers: { aws: colorProvider } });
            const cluster = this.clusters[color]!;
            this.addons[color] = new ClusterAddons(`${environment}-${color}-addons`, {
                environment,
                color,
                clusterName: cluster.clusterName,
                region,
                vpcId: this.network.vpcId,
                config: config.clusters[color]!.addons,
                crds: args.addonCrds.colors[color] ?? {},
                clusterReady: cluster.readyForWorkloads,
                argocdAdminPassword,
                routedHostnames: config.routing?.apps.flatMap((app) => app.hostnames) ?? [],
                kubeconfig: cluster.kubeconfig,
            }, { parent: this, providers: { aws: colorProvider, kubernetes: cluster.provider } });
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
                bindingDependsOn: Object.fromEntries(
                    (Object.entries(this.addons) as [Color, ClusterAddons][]).map(([color, addons]) => [color, addons.dependenciesFor("aws-load-balancer-controller")]),
                ),
            }, { parent: this, providers: { aws: sharedProvider } });
            if (this.routing instanceof AlbRouting) new EnvironmentDashboard(`${environment}-dashboard`, { environment, region, loadBalancerArnSuffix: this.routing.loadBalancer.arnSuffix, apps: this.routing.output.apps }, { parent: this, providers: { aws: sharedProvider } });
        }
        this.stackOutputs = this.collectOutputs();
        this.registerOutputs(this.stackOutputs);
    }

    /** The stack outputs: per color the cluster's identity and kubeconfig (secret). */
    private collectOutputs(): Record<string, unknown> {
        const clusters: Record<string, unknown> = {};
        for (const [color, cluster] of Object.entries(this.clusters)) {
            clusters[color] = {
                name: cluster.clusterName,
                version: cluster.version,
                endpoint: cluster.endpoint,
                oidcIssuer: cluster.oidcIssuer,
                nodeGroups: cluster.nodeGroupNames,
                nodeGroupDesiredSizes: cluster.nodeGroupDesiredSizes,
                kubeconfig: cluster.kubeconfig,
                addons: this.addons[color as Color]?.versions() ?? {},
                // Read back by the next update (src/cluster/recorded.ts): decisions made once stay made.
                ...(cluster.creator ? { creator: cluster.creator } : {}),
                managedAddons: cluster.managedAddonVersions,
            };
        }
        return {
            vpcId: this.network.vpcId,
            clusters,
            crdChanges: this.addonCrds.crdChanges,
            crdGateNotes: this.addonCrds.notes,
            cutoverState: { tableName: this.cutoverState.tableName },
            ...(this.routing ? { routing: this.routing.output } : {}),
        };
    }
}

/** A cutover's targeted update reads no CRD from anywhere. */
const WEIGHTS_ONLY_CRD_DEPS: AddonCrdDeps = {
    offline: true,
    loadAddonCrds: () => Promise.reject(new Error("a weights-only update fetches no CRDs")),
    readLiveCrds: () => Promise.reject(new Error("a weights-only update reads no cluster")),
    previousDeployment: async () => undefined,
};

/**
 * The Pulumi program. In a cutover's targeted update (weights-only mode) the CRD gate is skipped
 * (no downloads, no live cluster reads: Pulumi leaves untargeted resources untouched), and the update
 * is refused when the config changes more than the weights. Otherwise the drift guard runs first
 * (weights against the cutover record), then the CRD gate: a failure stops the preview or update
 * before any resource is registered.
 */
/** What the program asks the world besides the CRD gate's inputs; each has a default for `pulumi up`. */
export interface EnvironmentDeps {
    /** Who is deploying (the creator of any cluster created now). */
    cluster?: ClusterDeps;
    /** The cutover's record (drift guard) and the weights-only mode of cutover and rollback updates. */
    cutover?: CutoverProgramDeps;
}

export async function deployEnvironment(inputs: EnvironmentInputs, crdDeps: AddonCrdDeps, deps: EnvironmentDeps = {}): Promise<Record<string, unknown>> {
    const cutoverDeps = deps.cutover ?? NO_CUTOVER_DEPS;
    const clusterDeps = deps.cluster ?? pulumiClusterDeps();
    const digest = configDigest(inputs.config);
    // One read of the previous outputs (a StackReference to the stack itself) for the CRD gate and the clusters.
    const previousOnce = crdDeps.previousDeployment();
    // Without them a cluster would forget its creator and its add-on versions: stop rather than guess.
    const previous = await previousOnce.catch((err: unknown) => {
        throw new pulumi.RunError(`cannot read the stack's previous outputs (each cluster's creator and managed add-on versions are recorded there): ${err instanceof Error ? err.message : String(err)}`);
    });
    let addonCrds: AddonCrdPlan;
    if (cutoverDeps.weightsOnly) {
        const problem = weightsOnlyProblem(digest, await cutoverDeps.previousConfigDigest?.());
        if (problem) throw new pulumi.RunError(problem);
        // Planned as the offline plan does: nothing fetched, no cluster read; only the weighted resources are targeted.
        addonCrds = await prepareAddonCrds(inputs.config, WEIGHTS_ONLY_CRD_DEPS);
        addonCrds.notes = ["weights-only update of the routing (cutover/rollback): the CRD gate did not run"];
    } else {
        const weights = inputs.config.routing?.weights;
        if (weights && !cutoverDeps.acceptWeightChange && cutoverDeps.cutoverState) {
            const problem = driftProblem(weights, await cutoverDeps.cutoverState());
            if (problem) throw new pulumi.RunError(problem);
        }
        addonCrds = await prepareAddonCrds(inputs.config, { ...crdDeps, previousDeployment: () => previousOnce }).catch((err: unknown) => {
            // The gate's message is the whole story: shown without a stack trace.
            if (err instanceof CrdGateError || err instanceof CrdGateLoadError) throw new pulumi.RunError(err.message);
            throw err;
        });
    }
    const deployer = await clusterDeps.deployerPrincipal(inputs);
    if (!crdDeps.offline || cutoverDeps.weightsOnly) for (const note of addonCrds.notes) await pulumi.log.info(`CRD gate: ${note}`);
    const environment = new BlueGreenEnvironment(inputs.environment, { ...inputs, addonCrds, previous, deployer });
    return { environment: inputs.environment, region: inputs.region, configDigest: digest, ...environment.stackOutputs };
}
