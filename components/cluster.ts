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
import { adminEntries, AdminEntry, clusterCreator } from "../src/cluster/access";
import { kubeconfigFor } from "../src/cluster/kubeconfig";
import { clusterRoleName } from "../src/cluster/names";
import { chooseAddonVersion, ManagedAddonName, RecordedCluster } from "../src/cluster/recorded";
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
    /**
     * A cluster that carries user traffic is protected from deletion and replacement, as long as its
     * `deletionProtection` is on: turning that off (one `pulumi up`) is the decommission step that lifts
     * both, so no `pulumi state unprotect` is ever needed (docs/clusters.md).
     */
    carriesTraffic: boolean;
    /** The environment's region: AWS-managed policy ARNs are in its partition. */
    region: string;
    /** What the last deployment recorded about this color's cluster (stack outputs `clusters.<color>`). */
    recorded: RecordedCluster;
    /** The IAM principal running this update: a cluster created now gets its admin access entry from EKS. */
    deployer?: string;
    /** `aws:profile` of the stack, for the kubeconfig's token command. */
    awsProfile?: string;
    /**
     * Each node group's desired size as configured at the last deployment (stack outputs), by EKS name.
     * Desired size is left to the autoscaler after creation; it is set again only when the configured
     * value differs from this record.
     */
    recordedDesiredSizes?: Record<string, number>;
}

/** What a managed add-on's version came from, recorded in the stack outputs for the next update. */
export interface ManagedAddonRecord {
    version: pulumi.Output<string>;
    kubernetesVersion: string;
    source: "pinned" | "resolved";
}

const CLUSTER_ADMIN_POLICY = "arn:aws:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy";

/**
 * Role names now carry the region (src/cluster/names.ts); a role created under its older name keeps it,
 * since a new name would replace the role and, through its ARN, the cluster or node group using it.
 */
const KEEP_ROLE_NAME = { ignoreChanges: ["name"] };

const NODE_POLICIES = [
    "AmazonEKSWorkerNodePolicy",
    "AmazonEC2ContainerRegistryPullOnly",
    "AmazonEKS_CNI_Policy",
    "AmazonSSMManagedInstanceCore",
];

/** Add-ons EKS manages; coredns needs nodes to become active, the others must exist before nodes join. */
const MANAGED_ADDONS_BEFORE_NODES = ["vpc-cni", "kube-proxy", "eks-pod-identity-agent"] as const;
const MANAGED_ADDONS_AFTER_NODES = ["coredns"] as const;

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
    /** The principal that created the cluster (admin through EKS's own access entry); undefined when not known. */
    readonly creator?: string;
    readonly managedAddonVersions: Partial<Record<ManagedAddonName, ManagedAddonRecord>> = {};

    constructor(name: string, args: ColorClusterArgs, opts?: pulumi.ComponentResourceOptions) {
        super("bluegreen:index:ColorCluster", name, {}, opts);
        const { spec, color } = args;
        this.color = color;
        this.clusterName = clusterName(args.environment, color);
        this.version = spec.version;
        const parent = { parent: this };
        const guarded = { parent: this, protect: args.carriesTraffic && spec.deletionProtection };

        const secretsKey = new aws.kms.Key(`${name}-secrets`, {
            description: `Envelope encryption of Kubernetes secrets in EKS cluster ${this.clusterName}`,
            enableKeyRotation: true,
            deletionWindowInDays: 30,
        }, guarded);
        new aws.kms.Alias(`${name}-secrets`, { name: `alias/eks/${this.clusterName}`, targetKeyId: secretsKey.keyId }, parent);

        const { role: serviceRole, policies: serviceRolePolicies } = this.clusterServiceRole(name, secretsKey, args.region);
        this.creator = clusterCreator(args.recorded, args.deployer);
        const admins = adminEntries(args.clusterAdmins, this.creator);

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
            // Access entries are this component's own resources (accessEntry below), keyed by principal.
            authenticationMode: eks.AuthenticationMode.Api,
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
        }, {
            ...guarded,
            // EKS uses the role's policies to the very end of a delete (it removes its own security groups and
            // network interfaces): they are created before the cluster and deleted only after it.
            dependsOn: serviceRolePolicies,
        });

        this.endpoint = cluster.eksCluster.endpoint;
        this.oidcIssuer = cluster.oidcIssuer;
        this.clusterSecurityGroupId = cluster.clusterSecurityGroupId;
        const kubeconfig = pulumi
            .all([cluster.eksCluster.endpoint, cluster.eksCluster.certificateAuthority])
            .apply(([endpoint, authority]) => JSON.stringify(kubeconfigFor({
                clusterName: this.clusterName,
                endpoint,
                certificateAuthorityData: authority.data ?? "",
                region: args.region,
                profile: args.awsProfile,
            })));
        this.kubeconfig = pulumi.secret(kubeconfig);

        const accessEntries = admins.map((admin) => this.adminAccessEntry(name, admin, cluster));
        const apiAccessRules = this.apiAccessRules(name, spec, cluster);

        // A stable identity: kubeconfig changes (tokens, endpoints) must not replace every Kubernetes object.
        this.provider = new k8s.Provider(`${name}-k8s`, {
            kubeconfig,
            enableServerSideApply: true,
            clusterIdentifier: this.clusterName,
        }, { parent: this, dependsOn: [...accessEntries, ...apiAccessRules] });

        for (const subnetId of args.knownSubnetIds) {
            new aws.ec2.Tag(`${name}-${subnetId}-cluster`, {
                resourceId: subnetId,
                key: `kubernetes.io/cluster/${this.clusterName}`,
                value: "shared",
            }, parent);
        }

        const addonsBeforeNodes = MANAGED_ADDONS_BEFORE_NODES.map((addon) => this.managedAddon(name, addon, spec, args.recorded, cluster, []));

        const nodeRole = new aws.iam.Role(`${name}-node`, {
            name: clusterRoleName(this.clusterName, args.region, "node"),
            assumeRolePolicy: JSON.stringify({
                Version: "2012-10-17",
                Statement: [{ Effect: "Allow", Principal: { Service: "ec2.amazonaws.com" }, Action: "sts:AssumeRole" }],
            }),
        }, { ...KEEP_ROLE_NAME, parent: this });
        const nodePolicies = NODE_POLICIES.map((policy) => new aws.iam.RolePolicyAttachment(`${name}-node-${policy}`, {
            role: nodeRole.name,
            policyArn: `arn:${partitionOf(args.region)}:iam::aws:policy/${policy}`,
        }, parent));

        const instances = spec.nodeGroups.flatMap((group) => nodeGroupInstances(group, spec.version).map((instance) => ({ group, instance })));
        const nodeGroups = instances.map(({ group, instance }) =>
            this.nodeGroup(name, group, instance, cluster, nodeRole, [...nodePolicies, ...addonsBeforeNodes], args.privateSubnetIds, args.recordedDesiredSizes?.[instance.nodeGroupName]),
        );
        const addonsAfterNodes = MANAGED_ADDONS_AFTER_NODES.map((addon) => this.managedAddon(name, addon, spec, args.recorded, cluster, nodeGroups));

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
            creator: this.creator,
            managedAddons: this.managedAddonVersions,
        });
    }

    /** The control plane's role, with use of its own secrets key (as the EKS module for Terraform does). */
    private clusterServiceRole(name: string, secretsKey: aws.kms.Key, region: string): { role: aws.iam.Role; policies: pulumi.Resource[] } {
        const parent = { parent: this };
        const partition = partitionOf(region);
        const role = new aws.iam.Role(`${name}-cluster`, {
            name: clusterRoleName(this.clusterName, region, "cluster"),
            assumeRolePolicy: JSON.stringify({
                Version: "2012-10-17",
                Statement: [{ Effect: "Allow", Principal: { Service: "eks.amazonaws.com" }, Action: ["sts:AssumeRole", "sts:TagSession"] }],
            }),
        }, { ...KEEP_ROLE_NAME, parent: this });
        const policies: pulumi.Resource[] = ["AmazonEKSClusterPolicy", "AmazonEKSVPCResourceController"].map((policy) => new aws.iam.RolePolicyAttachment(`${name}-cluster-${policy}`, {
            role: role.name,
            policyArn: `arn:${partition}:iam::aws:policy/${policy}`,
        }, parent));
        policies.push(new aws.iam.RolePolicy(`${name}-cluster-secrets-key`, {
            role: role.name,
            policy: secretsKey.arn.apply((keyArn) => JSON.stringify({
                Version: "2012-10-17",
                Statement: [{ Effect: "Allow", Action: ["kms:Encrypt", "kms:Decrypt", "kms:ListGrants", "kms:DescribeKey"], Resource: keyArn }],
            })),
        }, parent));
        return { role, policies };
    }

    /**
     * cluster-admin for one principal. The key is the principal, not its list position; the alias adopts
     * the entry pulumi-eks created for it when entries were keyed by position (same order as then).
     * The old parent is given by its URN: the SDK walks a resource object given as an alias parent, with
     * everything it references, to look for unknowns (a tenth of a whole plan's time).
     */
    private adminAccessEntry(name: string, admin: AdminEntry, cluster: eks.Cluster): aws.eks.AccessPolicyAssociation {
        const legacyEntryName = `${name}-eks-admin-${admin.listIndex}`;
        const entry = new aws.eks.AccessEntry(`${name}-admin-${admin.key}`, {
            clusterName: this.clusterName,
            principalArn: admin.principalArn,
            type: "STANDARD",
        }, { parent: this, dependsOn: [cluster], aliases: [{ name: legacyEntryName, parent: cluster.urn }] });
        const legacyEntryUrn = pulumi.createUrn(legacyEntryName, "aws:eks/accessEntry:AccessEntry", cluster);
        return new aws.eks.AccessPolicyAssociation(`${name}-admin-${admin.key}-cluster-admin`, {
            clusterName: this.clusterName,
            principalArn: admin.principalArn,
            policyArn: CLUSTER_ADMIN_POLICY,
            accessScope: { type: "cluster" },
        }, { parent: entry, dependsOn: [entry], aliases: [{ name: `${legacyEntryName}-cluster-admin`, parent: legacyEntryUrn }] });
    }

    /** tcp/443 on the cluster security group for runners inside the VPC (private endpoint), by CIDR and by security group. */
    private apiAccessRules(name: string, spec: ClusterSpec, cluster: eks.Cluster): aws.vpc.SecurityGroupIngressRule[] {
        const rule = (suffix: string, source: { cidrIpv4?: string; referencedSecurityGroupId?: string }, description: string) =>
            new aws.vpc.SecurityGroupIngressRule(`${name}-api-${suffix}`, {
                securityGroupId: cluster.clusterSecurityGroupId,
                ipProtocol: "tcp",
                fromPort: 443,
                toPort: 443,
                description,
                ...source,
            }, { parent: this });
        return [
            ...spec.endpoint.apiAccessCidrs.map((cidr) => rule(cidr.replace("/", "-"), { cidrIpv4: cidr }, `Kubernetes API of ${this.clusterName} from ${cidr} (endpoint.apiAccessCidrs)`)),
            ...spec.endpoint.apiAccessSecurityGroupIds.map((id) => rule(id, { referencedSecurityGroupId: id }, `Kubernetes API of ${this.clusterName} from ${id} (endpoint.apiAccessSecurityGroupIds)`)),
        ];
    }

    /**
     * An EKS managed add-on at a version that changes only with the config: pinned, or resolved once for the
     * cluster's Kubernetes version and kept from the stack's outputs. A cluster deployed before versions were
     * recorded keeps whatever it runs (ignoreChanges) until its record exists.
     */
    private managedAddon(name: string, addon: ManagedAddonName, spec: ClusterSpec, recorded: RecordedCluster, cluster: eks.Cluster, dependsOn: pulumi.Resource[]): aws.eks.Addon {
        const choice = chooseAddonVersion(spec.managedAddons[addon], spec.version, recorded.managedAddons[addon]);
        const version = choice.kind === "resolve"
            ? aws.eks.getAddonVersionOutput({ addonName: addon, kubernetesVersion: spec.version, mostRecent: false }, { parent: this }).version
            : choice.version;
        const unrecordedLiveAddon = choice.kind === "resolve" && recorded.deployed && recorded.managedAddons[addon] === undefined;
        const resource = new aws.eks.Addon(`${name}-${addon}`, {
            clusterName: this.clusterName,
            addonName: addon,
            addonVersion: version,
            resolveConflictsOnCreate: "OVERWRITE",
            resolveConflictsOnUpdate: "OVERWRITE",
        }, { parent: this, dependsOn: [cluster, ...dependsOn], ignoreChanges: unrecordedLiveAddon ? ["addonVersion"] : [] });
        this.managedAddonVersions[addon] = {
            version: resource.addonVersion,
            kubernetesVersion: spec.version,
            source: choice.kind === "pinned" ? "pinned" : "resolved",
        };
        return resource;
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
