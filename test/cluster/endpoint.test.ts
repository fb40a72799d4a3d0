/** The API endpoint reachable from where Pulumi runs; the cluster's IAM roles, their policies and the shared VPC's tags. */
import { Plan } from "../../src/plan/model";
import { clusterSpec, rawConfig } from "../helpers/raw-config";
import { planFor, resourceNamed, resourcesOfType } from "../helpers/plan";

describe("the API endpoint and the cluster security group", () => {
    const existingVpc = { vpcId: "vpc-0123456789abcdef0", privateSubnetIds: ["subnet-0123456789abcdef0", "subnet-0123456789abcdef1"], publicSubnetIds: ["subnet-0123456789abcdef2", "subnet-0123456789abcdef3"] };
    let plan: Plan;
    beforeAll(async () => {
        plan = await planFor(rawConfig({
            network: existingVpc,
            clusters: {
                blue: clusterSpec("1.32", { endpoint: { publicAccess: false, apiAccessSecurityGroupIds: ["sg-0123456789abcdef0"], apiAccessCidrs: ["10.20.0.0/16"] } }),
                green: clusterSpec("1.33"),
            },
        }));
    });

    test("private only: no public access and no public CIDRs; a runner's security group and CIDR get tcp/443 on the cluster security group", () => {
        const cluster = resourceNamed(plan, "eks:index:Cluster", "dev-blue-eks");
        expect(cluster.inputs).toMatchObject({ endpointPublicAccess: false, endpointPrivateAccess: true });
        expect(cluster.inputs.publicAccessCidrs).toBeUndefined();
        const rules = resourcesOfType(plan, "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule").filter((r) => r.name.startsWith("dev-blue-api-"));
        expect(rules.map((r) => ({ ipProtocol: r.inputs.ipProtocol, fromPort: r.inputs.fromPort, toPort: r.inputs.toPort, cidrIpv4: r.inputs.cidrIpv4, sg: r.inputs.referencedSecurityGroupId })).sort((a, b) => String(a.cidrIpv4).localeCompare(String(b.cidrIpv4)))).toEqual([
            { ipProtocol: "tcp", fromPort: 443, toPort: 443, cidrIpv4: "10.20.0.0/16", sg: undefined },
            { ipProtocol: "tcp", fromPort: 443, toPort: 443, cidrIpv4: undefined, sg: "sg-0123456789abcdef0" },
        ]);
        // On the cluster's own security group (EKS creates it: skipDefaultSecurityGroups), so known only after the cluster.
        for (const rule of rules) expect(rule.dependencies).toContain(cluster.urn);
        // Nothing is applied inside the cluster before the way in exists.
        const provider = resourceNamed(plan, "pulumi:providers:kubernetes", "dev-blue-k8s");
        for (const rule of rules) expect(provider.dependencies).toContain(rule.urn);
    });

    test("public with CIDRs (green): the CIDRs on the endpoint, private on, no extra rule", () => {
        expect(resourceNamed(plan, "eks:index:Cluster", "dev-green-eks").inputs).toMatchObject({ endpointPublicAccess: true, endpointPrivateAccess: true, publicAccessCidrs: ["203.0.113.0/24"] });
        expect(resourcesOfType(plan, "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule").filter((r) => r.name.startsWith("dev-green-api-"))).toEqual([]);
    });

    test("the cluster role's policies are dependencies of the cluster (EKS needs them to delete its security groups)", () => {
        for (const color of ["blue", "green"]) {
            const cluster = resourceNamed(plan, "eks:index:Cluster", `dev-${color}-eks`);
            for (const policy of [
                resourceNamed(plan, "aws:iam/rolePolicyAttachment:RolePolicyAttachment", `dev-${color}-cluster-AmazonEKSClusterPolicy`),
                resourceNamed(plan, "aws:iam/rolePolicyAttachment:RolePolicyAttachment", `dev-${color}-cluster-AmazonEKSVPCResourceController`),
                resourceNamed(plan, "aws:iam/rolePolicy:RolePolicy", `dev-${color}-cluster-secrets-key`),
            ]) expect(cluster.dependencies).toContain(policy.urn);
        }
    });

    test("cluster and node role names carry the region (IAM names are account-wide), within 64 characters; a role keeps the name it was created with", () => {
        expect(resourceNamed(plan, "aws:iam/role:Role", "dev-blue-cluster").inputs.name).toBe("dev-blue-eu-west-1-cluster");
        expect(resourceNamed(plan, "aws:iam/role:Role", "dev-green-node").inputs.name).toBe("dev-green-eu-west-1-node");
        for (const name of ["dev-blue-cluster", "dev-blue-node"]) expect(resourceNamed(plan, "aws:iam/role:Role", name).ignoreChanges).toEqual(["name"]);
    });

    test("a shared VPC's subnet role tags are set but never deleted (retainOnDelete); the clusters' own tags are theirs to delete", () => {
        const roleTags = resourcesOfType(plan, "aws:ec2/tag:Tag").filter((r) => r.name.endsWith("-role"));
        expect(roleTags.map((r) => r.inputs.key).sort()).toEqual(["kubernetes.io/role/elb", "kubernetes.io/role/elb", "kubernetes.io/role/internal-elb", "kubernetes.io/role/internal-elb"]);
        for (const tag of roleTags) expect(tag.retainOnDelete).toBe(true);
        const clusterTags = resourcesOfType(plan, "aws:ec2/tag:Tag").filter((r) => String(r.inputs.key).startsWith("kubernetes.io/cluster/"));
        expect(clusterTags.length).toBe(8);
        for (const tag of clusterTags) expect(tag.retainOnDelete).toBe(false);
    });
});
