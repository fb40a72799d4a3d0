import { rawConfig } from "../helpers/raw-config";
import { planFor, resourceNamed, resourcesOfType } from "../helpers/plan";

const existingVpc = {
    vpcId: "vpc-0123456789abcdef0",
    privateSubnetIds: ["subnet-0000000000000000a", "subnet-0000000000000000b"],
    publicSubnetIds: ["subnet-0000000000000001a", "subnet-0000000000000001b"],
};

describe("the shared network", () => {
    test("a new VPC: public and private subnets in 3 AZs, role tags, a NAT gateway per AZ by default", async () => {
        const plan = await planFor(rawConfig());
        const subnets = resourcesOfType(plan, "aws:ec2/subnet:Subnet");
        expect(subnets).toHaveLength(6);
        const publicA = resourceNamed(plan, "aws:ec2/subnet:Subnet", "dev-network-public-a");
        expect(publicA.inputs).toMatchObject({ cidrBlock: "10.0.128.0/20", availabilityZone: "eu-west-1a", mapPublicIpOnLaunch: false });
        expect(publicA.inputs.tags).toMatchObject({ "kubernetes.io/role/elb": "1" });
        const privateC = resourceNamed(plan, "aws:ec2/subnet:Subnet", "dev-network-private-c");
        expect(privateC.inputs).toMatchObject({ cidrBlock: "10.0.64.0/19", availabilityZone: "eu-west-1c" });
        expect(privateC.inputs.tags).toMatchObject({ "kubernetes.io/role/internal-elb": "1" });
        expect(resourcesOfType(plan, "aws:ec2/natGateway:NatGateway")).toHaveLength(3);
        // each private subnet routes through the NAT gateway of its own AZ
        const privateRoutes = resourceNamed(plan, "aws:ec2/routeTable:RouteTable", "dev-network-private-b");
        expect(privateRoutes.dependencies).toContain(resourceNamed(plan, "aws:ec2/natGateway:NatGateway", "dev-network-nat-b").urn);
    });

    test("natGateways: single builds one NAT gateway that every private subnet uses", async () => {
        const plan = await planFor(rawConfig({ network: { cidr: "10.20.0.0/16", natGateways: "single", availabilityZoneCount: 2 } }));
        expect(resourcesOfType(plan, "aws:ec2/natGateway:NatGateway").map((r) => r.name)).toEqual(["dev-network-nat-a"]);
        const natA = resourceNamed(plan, "aws:ec2/natGateway:NatGateway", "dev-network-nat-a").urn;
        for (const az of ["a", "b"]) expect(resourceNamed(plan, "aws:ec2/routeTable:RouteTable", `dev-network-private-${az}`).dependencies).toContain(natA);
    });

    test("an existing VPC is passed through; its subnets get role tags and each cluster's discovery tag", async () => {
        const plan = await planFor(rawConfig({ network: existingVpc }));
        expect(resourcesOfType(plan, "aws:ec2/vpc:Vpc")).toEqual([]);
        const tags = resourcesOfType(plan, "aws:ec2/tag:Tag").map((t) => `${t.inputs.resourceId} ${t.inputs.key}=${t.inputs.value}`).sort();
        expect(tags).toEqual([
            "subnet-0000000000000000a kubernetes.io/cluster/dev-blue=shared",
            "subnet-0000000000000000a kubernetes.io/cluster/dev-green=shared",
            "subnet-0000000000000000a kubernetes.io/role/internal-elb=1",
            "subnet-0000000000000000b kubernetes.io/cluster/dev-blue=shared",
            "subnet-0000000000000000b kubernetes.io/cluster/dev-green=shared",
            "subnet-0000000000000000b kubernetes.io/role/internal-elb=1",
            "subnet-0000000000000001a kubernetes.io/cluster/dev-blue=shared",
            "subnet-0000000000000001a kubernetes.io/cluster/dev-green=shared",
            "subnet-0000000000000001a kubernetes.io/role/elb=1",
            "subnet-0000000000000001b kubernetes.io/cluster/dev-blue=shared",
            "subnet-0000000000000001b kubernetes.io/cluster/dev-green=shared",
            "subnet-0000000000000001b kubernetes.io/role/elb=1",
        ]);
        const cluster = resourceNamed(plan, "eks:index:Cluster", "dev-green-eks");
        expect(cluster.inputs).toMatchObject({ vpcId: existingVpc.vpcId, privateSubnetIds: existingVpc.privateSubnetIds, publicSubnetIds: existingVpc.publicSubnetIds });
    });

    test("shared resources use the environment's provider, tagged with the environment but no color", async () => {
        const plan = await planFor(rawConfig());
        const provider = resourceNamed(plan, "pulumi:providers:aws", "dev-aws");
        expect(JSON.parse(String(provider.inputs.defaultTags))).toEqual({ tags: { "bluegreen:environment": "dev", "managed-by": "pulumi-bluegreen" } });
        expect(provider.inputs.region).toBe("eu-west-1");
        expect(resourceNamed(plan, "aws:ec2/vpc:Vpc", "dev-network-vpc").provider).toBe(provider.urn);
    });
});
