/**
 * One color's EKS cluster: control plane (API authentication, logging, KMS envelope encryption),
 * managed node groups, EKS managed add-ons, and a Kubernetes provider for what runs inside.
 * The same code builds blue and green; nothing here reads the other color.
 */
import * as pulumi from "@pulumi/pulumi";
import * as aws from "@pulumi/aws";
import * as eks from "@pulumi/eks";
import * as k8s from "@pulumi/kubernetes";
import { ClusterSpec, Color, NodeGroupSpec, partitionOf } from "../src/config";
import { NodeGroupInstance, nodeGroupInstances } from "../src/config/node-groups";
import { clusterName } from "./tags";

export interface ColorClusterArgs {
    environment: string;
    color: Color;
    spec: ClusterSpec;
    vpcId: pulumi.Input<string>;
    privateSubnetIds: pulumi.Input<string[]>;
    publicSubnetIds: pulumi.Input<string[]>;
    /** Subnet ids known before deployment (an existing VPC): they get this cluster's discovery tag. */
    knownSubnetIds: string[];
    /** IAM principals given cluster-admin through access entries. */
    clusterAdmins: string[];
    /** A cluster that carries user traffic is protected from deletion and replacement. */
    carriesTraffic: boolean;
    /** The environment's region: AWS-managed policy ARNs are in its partition. */
    region: string;
    /**
     * Each node group's desired size as configured at the last deployment (stack outputs), by EKS name.
     * Desired size is left to the autoscaler after creation; it is set again only when the configured
     * value differs from this record.
     */
    recordedDesiredSizes?: Record<string, number>;
}

const CLUSTER_ADMIN_POLICY = "arn:aws:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy";

const NODE_POLICIES = [
    "AmazonEKSWorkerNodePolicy",
    "AmazonEC2ContainerRegistryPullOnly",
    "AmazonEKS_CNI_Policy",
    "AmazonSSMManagedInstanceCore",
];

/** Add-ons EKS manages; coredns needs nodes to become active, the others must exist before nodes join. */
const MANAGED_ADDONS_BEFORE_NODES = ["vpc-cni", "kube-proxy", "eks-pod-identity-agent"] as const;
const MANAGED_ADDONS_AFTER_NODES = ["coredns"] as const;
type ManagedAddonName = (typeof MANAGED_ADDONS_BEFORE_NODES)[number] | (typeof MANAGED_ADDONS_AFTER_NODES)[number];

export class ColorCluster extends pulumi.ComponentResource {
    readonly clusterName: string;
    readonly color: Color;
    readonly version: string;
    readonly endpoint: pulumi.Output<string>;
    readonly oidcIssuer: pulumi.Output<string>;
    readonly clusterSecurityGroupId: pulumi.Output<string>;
    /** The EKS names of the managed node groups (two per entry while a surge replacement is in progress). */
    readonly nodeGroupNames: pulumi.Output<string[]>;
    /** The configured desired size of each node group, by EKS name: the record the next update compares with. */
    readonly nodeGroupDesiredSizes: Record<string, number>;
    readonly kubeconfig: pulumi.Output<string>;
    /** Server-side-apply provider for everything inside this cluster. */
    readonly provider: k8s.Provider;
    /** Resources that must exist before workloads can be scheduled (node groups, coredns). */
    readonly readyForWorkloads: pulumi.Resource[];

    constructor(name: string, args: ColorClusterArgs, opts?: pulumi.ComponentResourceOptions) {
        super("bluegreen:index:ColorCluster", name, {}, opts);
        const { spec, color } = args;
        this.color = color;
        this.clusterName = clusterName(args.environment, color);
        this.version = spec.version;
        const parent = { parent: this };
        const guarded = { parent: this, protect: args.carriesTraffic };

        const secretsKey = new aws.kms.Key(`${name}-secrets`, {
            description: `Envelope encryption of Kubernetes secrets in EKS cluster ${this.clusterName}`,
            enableKeyRotation: true,
            deletionWindowInDays: 30,
        }, guarded);
        new aws.kms.Alias(`${name}-secrets`, { name: `alias/eks/${this.clusterName}`, targetKeyId: secretsKey.keyId }, parent);

        const serviceRole = this.clusterServiceRole(name, secretsKey, partitionOf(args.region));

        const accessEntries: Record<string, eks.types.input.AccessEntryArgs> = {};
        args.clusterAdmins.forEach((principalArn, index) => {
            accessEntries[`admin-${index}`] = {
                principalArn,
                accessPolicies: {
                    "cluster-admin": { policyArn: CLUSTER_ADMIN_POLICY, accessScope: { type: "cluster" } },
                },
            };
        });

        const cluster = new eks.Cluster(`${name}-eks`, {
            name: this.clusterName,
            version: spec.version,
            vpcId: args.vpcId,
            privateSubnetIds: args.privateSubnetIds,
            publicSubnetIds: args.publicSubnetIds,
            endpointPrivateAccess: spec.endpoint.privateAccess,
            endpointPublicAccess: spec.endpoint.publicAccess,
            publicAccessCidrs: spec.endpoint.publicAccess ? spec.endpoint.publicAccessCidrs : undefined,
            serviceRole,
            skipDefaultNodeGroup: true,
            skipDefaultSecurityGroups: true,
            authenticationMode: eks.AuthenticationMode.Api,
            accessEntries,
            enabledClusterLogTypes: spec.logging,
            encryptionConfigKeyArn: secretsKey.arn,
            deletionProtection: spec.deletionProtection,
            createOidcProvider: false,
            // EKS managed add-ons below replace the self-managed ones, with versions this program controls.
            bootstrapSelfManagedAddons: false,
            useDefaultVpcCni: true,
            corednsAddonOptions: { enabled: false },
            kubeProxyAddonOptions: { enabled: false },
            tags: { Name: this.clusterName },
        }, guarded);

        this.endpoint = cluster.eksCluster.endpoint;
        this.oidcIssuer = cluster.oidcIssuer;
        this.clusterSecurityGroupId = cluster.clusterSecurityGroupId;
        this.kubeconfig = pulumi.secret(cluster.kubeconfigJson);

        // A stable identity: kubeconfig changes (tokens, endpoints) must not replace every Kubernetes object.
        this.provider = new k8s.Provider(`${name}-k8s`, {
            kubeconfig: cluster.kubeconfigJson,
            enableServerSideApply: true,
            clusterIdentifier: this.clusterName,
        }, parent);

        for (const subnetId of args.knownSubnetIds) {
            new aws.ec2.Tag(`${name}-${subnetId}-cluster`, {
                resourceId: subnetId,
                key: `kubernetes.io/cluster/${this.clusterName}`,
                value: "shared",
            }, parent);
        }

        const addonsBeforeNodes = MANAGED_ADDONS_BEFORE_NODES.map((addon) => this.managedAddon(name, addon, spec, cluster, []));

        const nodeRole = new aws.iam.Role(`${name}-node`, {
            name: `${this.clusterName}-node`,
            assumeRolePolicy: JSON.stringify({
                Version: "2012-10-17",
                Statement: [{ Effect: "Allow", Principal: { Service: "ec2.amazonaws.com" }, Action: "sts:AssumeRole" }],
            }),
        }, parent);
        const nodePolicies = NODE_POLICIES.map((policy) => new aws.iam.RolePolicyAttachment(`${name}-node-${policy}`, {
            role: nodeRole.name,
            policyArn: `arn:${partitionOf(args.region)}:iam::aws:policy/${policy}`,
        }, parent));

        const instances = spec.nodeGroups.flatMap((group) => nodeGroupInstances(group, spec.version).map((instance) => ({ group, instance })));
        const nodeGroups = instances.map(({ group, instance }) =>
            this.nodeGroup(name, group, instance, cluster, nodeRole, [...nodePolicies, ...addonsBeforeNodes], args.privateSubnetIds, args.recordedDesiredSizes?.[instance.nodeGroupName]),
        );
        const addonsAfterNodes = MANAGED_ADDONS_AFTER_NODES.map((addon) => this.managedAddon(name, addon, spec, cluster, nodeGroups));

        this.nodeGroupNames = pulumi.output(instances.map(({ instance }) => instance.nodeGroupName));
        this.nodeGroupDesiredSizes = Object.fromEntries(instances.map(({ group, instance }) => [instance.nodeGroupName, group.desiredSize]));
        this.readyForWorkloads = [...nodeGroups, ...addonsAfterNodes];
        this.registerOutputs({
            clusterName: this.clusterName,
            version: this.version,
            endpoint: this.endpoint,
            oidcIssuer: this.oidcIssuer,
            nodeGroupNames: this.nodeGroupNames,
            nodeGroupDesiredSizes: this.nodeGroupDesiredSizes,
            kubeconfig: this.kubeconfig,
        });
    }

    /** The control plane's role, with use of its own secrets key (as the EKS module for Terraform does). */
    private clusterServiceRole(name: string, secretsKey: aws.kms.Key, partition: string): aws.iam.Role {
        const parent = { parent: this };
        const role = new aws.iam.Role(`${name}-cluster`, {
            name: `${this.clusterName}-cluster`,
            assumeRolePolicy: JSON.stringify({
                Version: "2012-10-17",
                Statement: [{ Effect: "Allow", Principal: { Service: "eks.amazonaws.com" }, Action: ["sts:AssumeRole", "sts:TagSession"] }],
            }),
        }, parent);
        for (const policy of ["AmazonEKSClusterPolicy", "AmazonEKSVPCResourceController"]) {
            new aws.iam.RolePolicyAttachment(`${name}-cluster-${policy}`, {
                role: role.name,
                policyArn: `arn:${partition}:iam::aws:policy/${policy}`,
            }, parent);
        }
        new aws.iam.RolePolicy(`${name}-cluster-secrets-key`, {
            role: role.name,
            policy: secretsKey.arn.apply((keyArn) => JSON.stringify({
                Version: "2012-10-17",
                Statement: [{ Effect: "Allow", Action: ["kms:Encrypt", "kms:Decrypt", "kms:ListGrants", "kms:DescribeKey"], Resource: keyArn }],
            })),
        }, parent);
        return role;
    }

    private managedAddon(name: string, addon: ManagedAddonName, spec: ClusterSpec, cluster: eks.Cluster, dependsOn: pulumi.Resource[]): aws.eks.Addon {
        const pinned = spec.managedAddons[addon];
        const version = pinned ?? aws.eks.getAddonVersionOutput({ addonName: addon, kubernetesVersion: spec.version, mostRecent: false }, { parent: this }).version;
        return new aws.eks.Addon(`${name}-${addon}`, {
            clusterName: this.clusterName,
            addonName: addon,
            addonVersion: version,
            resolveConflictsOnCreate: "OVERWRITE",
            resolveConflictsOnUpdate: "OVERWRITE",
        }, { parent: this, dependsOn: [cluster, ...dependsOn] });
    }

    /**
     * One managed node group. Its EKS name carries a hash of the settings EKS cannot change in place
     * (src/config/node-groups.ts), so a replacement gets a new name and create-before-delete works. The
     * Pulumi name stays `<color>-<group>` for generation 0 and gains `-g<N>` after: a surge replacement
     * (generation N + 1) is a second resource beside the current one, and promoting it keeps its
     * resource while the old one is deleted.
     */
    private nodeGroup(
        name: string,
        group: NodeGroupSpec,
        instance: NodeGroupInstance,
        cluster: eks.Cluster,
        nodeRole: aws.iam.Role,
        dependsOn: pulumi.Resource[],
        subnetIds: pulumi.Input<string[]>,
        recordedDesiredSize: number | undefined,
    ): aws.eks.NodeGroup {
        const maxUnavailable = group.maxUnavailable;
        const { settings } = instance;
        const resourceName = settings.generation === 0 ? `${name}-${group.name}` : `${name}-${group.name}-g${settings.generation}`;
        // An autoscaler owns the desired size once the group exists; the config's value is applied again
        // only when it changed since the last deployment (not recorded: left alone).
        const configChanged = recordedDesiredSize !== undefined && recordedDesiredSize !== group.desiredSize;
        return new aws.eks.NodeGroup(resourceName, {
            clusterName: this.clusterName,
            nodeGroupName: instance.nodeGroupName,
            version: settings.version,
            nodeRoleArn: nodeRole.arn,
            subnetIds,
            instanceTypes: settings.instanceTypes,
            capacityType: settings.capacityType,
            amiType: settings.amiType,
            diskSize: settings.diskSize,
            scalingConfig: { minSize: group.minSize, desiredSize: group.desiredSize, maxSize: group.maxSize },
            updateConfig: typeof maxUnavailable === "string"
                ? { maxUnavailablePercentage: Number(maxUnavailable.slice(0, -1)) }
                : { maxUnavailable },
            labels: { ...group.labels, "bluegreen/node-group": group.name },
            taints: group.taints.map((t) => ({ key: t.key, value: t.value, effect: t.effect })),
            tags: { Name: `${this.clusterName}-${group.name}`, "bluegreen:node-group-generation": String(settings.generation) },
        }, {
            parent: this,
            dependsOn: [cluster, ...dependsOn],
            ignoreChanges: configChanged ? [] : ["scalingConfig.desiredSize"],
            deleteBeforeReplace: false,
        });
    }
}
