/**
 * The network both colors and the load balancer share: an existing VPC, or a new one with public
 * and private subnets in each AZ and NAT. The subnet layout is decided by `planSubnets`.
 */
import * as pulumi from "@pulumi/pulumi";
import * as aws from "@pulumi/aws";
import { NetworkConfig } from "../src/config";
import { planSubnets } from "../src/network/subnet-plan";

export interface NetworkArgs {
    environment: string;
    config: NetworkConfig;
}

/** Subnet role tags the aws-load-balancer-controller uses to find subnets for load balancers. */
export const PUBLIC_SUBNET_ROLE_TAG = "kubernetes.io/role/elb";
export const PRIVATE_SUBNET_ROLE_TAG = "kubernetes.io/role/internal-elb";

export class Network extends pulumi.ComponentResource {
    readonly vpcId: pulumi.Output<string>;
    readonly privateSubnetIds: pulumi.Output<string[]>;
    readonly publicSubnetIds: pulumi.Output<string[]>;

    constructor(name: string, args: NetworkArgs, opts?: pulumi.ComponentResourceOptions) {
        super("bluegreen:index:Network", name, {}, opts);
        const net = args.config;
        if (net.cidr !== undefined) {
            const created = this.createVpc(name, args.environment, net.cidr, net.availabilityZoneCount, net.natGateways);
            this.vpcId = created.vpcId;
            this.privateSubnetIds = created.privateSubnetIds;
            this.publicSubnetIds = created.publicSubnetIds;
        } else {
            this.vpcId = pulumi.output(net.vpcId!);
            this.privateSubnetIds = pulumi.output(net.privateSubnetIds!);
            this.publicSubnetIds = pulumi.output(net.publicSubnetIds!);
            this.tagExistingSubnets(name, net.publicSubnetIds!, PUBLIC_SUBNET_ROLE_TAG);
            this.tagExistingSubnets(name, net.privateSubnetIds!, PRIVATE_SUBNET_ROLE_TAG);
        }
        this.registerOutputs({ vpcId: this.vpcId, privateSubnetIds: this.privateSubnetIds, publicSubnetIds: this.publicSubnetIds });
    }

    /**
     * A shared VPC's subnets may carry these role tags already, for other clusters or load balancers:
     * `aws.ec2.Tag` would take an existing tag over and delete it on destroy. The tags are set (the
     * load balancer controller finds subnets by them) but never deleted: `retainOnDelete` leaves them
     * in place when a color, or the environment, is removed.
     */
    private tagExistingSubnets(name: string, subnetIds: string[], roleTag: string): void {
        for (const subnetId of subnetIds) {
            new aws.ec2.Tag(`${name}-${subnetId}-role`, { resourceId: subnetId, key: roleTag, value: "1" }, { parent: this, retainOnDelete: true });
        }
    }

    private createVpc(name: string, environment: string, cidr: string, azCount: number, natGateways: "perAz" | "single") {
        const parent = { parent: this };
        const zones = aws.getAvailabilityZonesOutput({ state: "available" }, parent);
        const layout = planSubnets(cidr, azCount);
        const vpc = new aws.ec2.Vpc(`${name}-vpc`, {
            cidrBlock: cidr,
            enableDnsHostnames: true,
            enableDnsSupport: true,
            tags: { Name: `${environment}-vpc` },
        }, parent);
        const internetGateway = new aws.ec2.InternetGateway(`${name}-igw`, { vpcId: vpc.id, tags: { Name: `${environment}-igw` } }, parent);
        const publicRoutes = new aws.ec2.RouteTable(`${name}-public`, {
            vpcId: vpc.id,
            routes: [{ cidrBlock: "0.0.0.0/0", gatewayId: internetGateway.id }],
            tags: { Name: `${environment}-public` },
        }, parent);

        const publicSubnets: aws.ec2.Subnet[] = [];
        const privateSubnets: aws.ec2.Subnet[] = [];
        const natGatewayIds: pulumi.Output<string>[] = [];
        for (const slot of layout) {
            const az = zones.names.apply((names) => {
                if (names.length <= slot.availabilityZoneIndex) {
                    throw new pulumi.ResourceError(`network.availabilityZoneCount is ${azCount} but the region has only ${names.length} available zones: lower it to ${names.length}`, this);
                }
                return names[slot.availabilityZoneIndex];
            });
            const suffix = String.fromCharCode(97 + slot.availabilityZoneIndex);
            const publicSubnet = new aws.ec2.Subnet(`${name}-public-${suffix}`, {
                vpcId: vpc.id,
                cidrBlock: slot.publicCidr,
                availabilityZone: az,
                mapPublicIpOnLaunch: false,
                tags: { Name: `${environment}-public-${suffix}`, [PUBLIC_SUBNET_ROLE_TAG]: "1" },
            }, parent);
            new aws.ec2.RouteTableAssociation(`${name}-public-${suffix}`, { subnetId: publicSubnet.id, routeTableId: publicRoutes.id }, parent);
            publicSubnets.push(publicSubnet);

            if (natGateways === "perAz" || slot.availabilityZoneIndex === 0) {
                const eip = new aws.ec2.Eip(`${name}-nat-${suffix}`, { domain: "vpc", tags: { Name: `${environment}-nat-${suffix}` } }, parent);
                const nat = new aws.ec2.NatGateway(`${name}-nat-${suffix}`, {
                    subnetId: publicSubnet.id,
                    allocationId: eip.id,
                    tags: { Name: `${environment}-nat-${suffix}` },
                }, { parent: this, dependsOn: [internetGateway] });
                natGatewayIds.push(nat.id);
            }
            const privateSubnet = new aws.ec2.Subnet(`${name}-private-${suffix}`, {
                vpcId: vpc.id,
                cidrBlock: slot.privateCidr,
                availabilityZone: az,
                tags: { Name: `${environment}-private-${suffix}`, [PRIVATE_SUBNET_ROLE_TAG]: "1" },
            }, parent);
            const privateRoutes = new aws.ec2.RouteTable(`${name}-private-${suffix}`, {
                vpcId: vpc.id,
                routes: [{ cidrBlock: "0.0.0.0/0", natGatewayId: natGatewayIds[natGatewayIds.length - 1] }],
                tags: { Name: `${environment}-private-${suffix}` },
            }, parent);
            new aws.ec2.RouteTableAssociation(`${name}-private-${suffix}`, { subnetId: privateSubnet.id, routeTableId: privateRoutes.id }, parent);
            privateSubnets.push(privateSubnet);
        }
        return {
            vpcId: vpc.id,
            privateSubnetIds: pulumi.all(privateSubnets.map((s) => s.id)),
            publicSubnetIds: pulumi.all(publicSubnets.map((s) => s.id)),
        };
    }
}
