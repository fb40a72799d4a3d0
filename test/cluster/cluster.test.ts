import { Plan } from "../../src/plan/model";
import { clusterSpec, nodeGroup, rawConfig, withValue } from "../helpers/raw-config";
import { descendantsOf, planFor, resourceNamed, resourcesOfType } from "../helpers/plan";

describe("the color cluster component", () => {
    let plan: Plan;
    beforeAll(async () => {
        const raw = rawConfig({
            clusters: {
                blue: clusterSpec("1.32", { managedAddons: { coredns: "v1.11.4-eksbuild.2" } }),
                green: clusterSpec("1.33", {
                    endpoint: { publicAccess: true, publicAccessCidrs: ["203.0.113.0/24"] },
                    nodeGroups: [
                        nodeGroup({ name: "system", taints: [{ key: "CriticalAddonsOnly", value: "true", effect: "NO_SCHEDULE" }] }),
                        nodeGroup({ name: "apps", instanceTypes: ["m7i.2xlarge"], capacityType: "SPOT", maxUnavailable: "25%", diskSize: 100, labels: { tier: "apps" } }),
                    ],
                }),
            },
            routing: { weights: { blue: 100, green: 0 }, verification: { enabled: false } },
        });
        plan = await planFor(raw);
    });

    test.each([["blue", "1.32"], ["green", "1.33"]])("%s: an EKS cluster named after environment and color, on its version", (color, version) => {
        const cluster = resourceNamed(plan, "eks:index:Cluster", `dev-${color}-eks`);
        expect(cluster.inputs).toMatchObject({
            name: `dev-${color}`,
            version,
            skipDefaultNodeGroup: true,
            authenticationMode: "API",
            enabledClusterLogTypes: ["api", "audit", "authenticator", "controllerManager", "scheduler"],
            deletionProtection: true,
            bootstrapSelfManagedAddons: false,
            endpointPrivateAccess: true,
        });
        expect(cluster.inputs.encryptionConfigKeyArn).toBeDefined();
        expect(cluster.dependencies).toContain(resourceNamed(plan, "aws:kms/key:Key", `dev-${color}-secrets`).urn);
    });

    test("access entries give the configured principals cluster-admin, with no aws-auth ConfigMap", () => {
        const entries = resourcesOfType(plan, "aws:eks/accessEntry:AccessEntry").filter((r) => r.name.startsWith("dev-blue-"));
        expect(entries.map((r) => r.inputs)).toEqual([{ clusterName: "dev-blue", principalArn: "arn:aws:iam::123456789012:role/platform-admin", type: "STANDARD" }]);
        const association = resourcesOfType(plan, "aws:eks/accessPolicyAssociation:AccessPolicyAssociation").find((r) => r.parent === entries[0].urn)!;
        expect(association.inputs).toEqual({
            clusterName: "dev-blue",
            principalArn: "arn:aws:iam::123456789012:role/platform-admin",
            policyArn: "arn:aws:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy",
            accessScope: { type: "cluster" },
        });
        expect(resourceNamed(plan, "eks:index:Cluster", "dev-blue-eks").inputs.accessEntries).toBeUndefined();
        expect(resourcesOfType(plan, "kubernetes:core/v1:ConfigMap").filter((r) => r.name.includes("aws-auth"))).toEqual([]);
    });

    test("endpoint access: public to the given CIDRs only, private on", () => {
        expect(resourceNamed(plan, "eks:index:Cluster", "dev-blue-eks").inputs).toMatchObject({ endpointPublicAccess: true, endpointPrivateAccess: true, publicAccessCidrs: ["203.0.113.0/24"] });
        expect(resourceNamed(plan, "eks:index:Cluster", "dev-green-eks").inputs).toMatchObject({ endpointPublicAccess: true, publicAccessCidrs: ["203.0.113.0/24"] });
    });

    test("secrets are envelope-encrypted with a rotating KMS key the control plane's own role may use", () => {
        const key = resourceNamed(plan, "aws:kms/key:Key", "dev-green-secrets");
        expect(key.inputs).toMatchObject({ enableKeyRotation: true });
        const role = resourceNamed(plan, "aws:iam/role:Role", "dev-green-cluster");
        expect(JSON.parse(String(role.inputs.assumeRolePolicy)).Statement[0].Principal).toEqual({ Service: "eks.amazonaws.com" });
        expect(resourceNamed(plan, "eks:index:Cluster", "dev-green-eks").inputs.serviceRole).toBe(role.urn);
        const keyPolicy = resourceNamed(plan, "aws:iam/rolePolicy:RolePolicy", "dev-green-cluster-secrets-key");
        expect(keyPolicy.dependencies).toContain(key.urn);
    });

    test("node groups carry the spec: instance types, capacity, scaling, update budget, labels, taints, disk, version", () => {
        const apps = resourceNamed(plan, "aws:eks/nodeGroup:NodeGroup", "dev-green-apps");
        expect(apps.inputs).toMatchObject({
            clusterName: "dev-green",
            // A hash of the settings EKS cannot change in place (issue 10 item 4): replacements never collide.
            nodeGroupName: expect.stringMatching(/^apps-[0-9a-f]{8}$/),
            version: "1.33",
            instanceTypes: ["m7i.2xlarge"],
            capacityType: "SPOT",
            diskSize: 100,
            amiType: "AL2023_x86_64_STANDARD",
            scalingConfig: { minSize: 1, desiredSize: 2, maxSize: 3 },
            updateConfig: { maxUnavailablePercentage: 25 },
            labels: { tier: "apps", "bluegreen/node-group": "apps" },
        });
        const system = resourceNamed(plan, "aws:eks/nodeGroup:NodeGroup", "dev-green-system");
        expect(system.inputs.updateConfig).toEqual({ maxUnavailable: 1 });
        expect(system.inputs.taints).toEqual([{ key: "CriticalAddonsOnly", value: "true", effect: "NO_SCHEDULE" }]);
    });

    test("managed add-ons: pinned where configured, resolved for the cluster version otherwise; coredns after the nodes", () => {
        expect(resourceNamed(plan, "aws:eks/addon:Addon", "dev-blue-coredns").inputs).toMatchObject({ addonName: "coredns", addonVersion: "v1.11.4-eksbuild.2" });
        expect(resourceNamed(plan, "aws:eks/addon:Addon", "dev-green-coredns").inputs.addonVersion).toBe("<default for Kubernetes 1.33>");
        for (const name of ["vpc-cni", "kube-proxy", "eks-pod-identity-agent", "coredns"]) {
            expect(resourceNamed(plan, "aws:eks/addon:Addon", `dev-green-${name}`).inputs.clusterName).toBe("dev-green");
        }
        const coredns = resourceNamed(plan, "aws:eks/addon:Addon", "dev-green-coredns");
        expect(coredns.dependencies).toEqual(expect.arrayContaining([
            resourceNamed(plan, "aws:eks/nodeGroup:NodeGroup", "dev-green-system").urn,
            resourceNamed(plan, "aws:eks/nodeGroup:NodeGroup", "dev-green-apps").urn,
        ]));
        const system = resourceNamed(plan, "aws:eks/nodeGroup:NodeGroup", "dev-green-system");
        expect(system.dependencies).toEqual(expect.arrayContaining([
            resourceNamed(plan, "aws:eks/addon:Addon", "dev-green-vpc-cni").urn,
            resourceNamed(plan, "aws:eks/addon:Addon", "dev-green-eks-pod-identity-agent").urn,
        ]));
    });

    test("its own Kubernetes provider: server-side apply and a stable cluster identifier", () => {
        const provider = resourceNamed(plan, "pulumi:providers:kubernetes", "dev-green-k8s");
        expect(provider.inputs).toMatchObject({ enableServerSideApply: "true", clusterIdentifier: "dev-green" });
    });

    test("the cluster carrying traffic is protected; the one at weight 0 is not", () => {
        expect(resourceNamed(plan, "eks:index:Cluster", "dev-blue-eks").protect).toBe(true);
        expect(resourceNamed(plan, "aws:kms/key:Key", "dev-blue-secrets").protect).toBe(true);
        expect(resourceNamed(plan, "eks:index:Cluster", "dev-green-eks").protect).toBe(false);
    });

    test("every AWS resource of a color goes through that color's provider, whose default tags name environment and color", () => {
        const colorComponent = resourceNamed(plan, "bluegreen:index:ColorCluster", "dev-green");
        const provider = resourceNamed(plan, "pulumi:providers:aws", "dev-green-aws");
        expect(JSON.parse(String(provider.inputs.defaultTags))).toEqual({ tags: { "bluegreen:environment": "dev", "bluegreen:color": "green", "managed-by": "pulumi-bluegreen" } });
        const awsResources = descendantsOf(plan, colorComponent.urn).filter((r) => r.custom && r.type.startsWith("aws:"));
        expect(awsResources.length).toBeGreaterThan(5);
        for (const r of awsResources) expect(r.provider).toBe(provider.urn);
    });

    test("a color's resources all live inside its component, and none of them is named after the other color", () => {
        const colorComponent = resourceNamed(plan, "bluegreen:index:ColorCluster", "dev-blue");
        const children = descendantsOf(plan, colorComponent.urn).map((r) => r.name);
        expect(children).toEqual(expect.arrayContaining(["dev-blue-eks", "dev-blue-system", "dev-blue-k8s", "dev-blue-node"]));
        expect(children.some((n) => n.includes("green"))).toBe(false);
    });

    test("without routing, a single cluster carries the traffic and is protected", async () => {
        const single = await planFor(withValue(rawConfig(), "clusters", { blue: clusterSpec("1.32") }));
        expect(resourceNamed(single, "eks:index:Cluster", "dev-blue-eks").protect).toBe(true);
        expect(resourcesOfType(single, "eks:index:Cluster")).toHaveLength(1);
    });
});
