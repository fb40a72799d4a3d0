import { loadEnvironmentConfig, parseEnvironmentConfig, ConfigError, trafficCarryingColors, presentColors } from "../../src/config";
import { readStackFile } from "../../src/config/stack-file";
import { clusterSpec, nodeGroup, rawConfig, withValue } from "../helpers/raw-config";
import * as path from "path";

function problems(raw: Record<string, unknown>): string[] {
    const result = parseEnvironmentConfig(raw);
    if (result.ok) return [];
    return result.problems.map((p) => `${p.path} ${p.message}`);
}

describe("environment config validation", () => {
    test("a minimal valid config gets safe defaults", () => {
        const config = loadEnvironmentConfig(rawConfig());
        const blue = config.clusters.blue!;
        expect(blue.endpoint).toEqual({ privateAccess: true, publicAccess: true, publicAccessCidrs: ["203.0.113.0/24"], apiAccessCidrs: [], apiAccessSecurityGroupIds: [] });
        expect(blue.deletionProtection).toBe(true);
        expect(blue.logging).toEqual(["api", "audit", "authenticator", "controllerManager", "scheduler"]);
        expect(blue.nodeGroups[0]).toMatchObject({ capacityType: "ON_DEMAND", amiType: "AL2023_x86_64_STANDARD", diskSize: 50, maxUnavailable: 1 });
        expect(blue.addons.argocd.inPlaceCrdChanges).toBe("cosmetic");
        expect(config.network.natGateways).toBe("perAz");
    });

    test.each<[string, Record<string, unknown>, string]>([
        ["minSize above maxSize", withValue(rawConfig(), "clusters.green", clusterSpec("1.33", { nodeGroups: [nodeGroup({ minSize: 5, desiredSize: 5, maxSize: 3 })] })), "clusters.green.nodeGroups[0].minSize (5) is greater than maxSize (3)"],
        ["desired outside bounds", withValue(rawConfig(), "clusters.green", clusterSpec("1.33", { nodeGroups: [nodeGroup({ minSize: 1, desiredSize: 9, maxSize: 3 })] })), "clusters.green.nodeGroups[0].desiredSize (9) must be between minSize (1) and maxSize (3)"],
        ["version not a minor", withValue(rawConfig(), "clusters.green.version", "1.3"), 'clusters.green.version "1.3" is not a Kubernetes minor version like "1.33"'],
        ["version as a number", withValue(rawConfig(), "clusters.green.version", 1.33), "clusters.green.version must be a string, not number 1.33"],
        ["unknown key with suggestion", withValue(rawConfig(), "clusters.blue.verison", "1.33"), 'clusters.blue.verison is not a known setting (did you mean "version"?)'],
        ["unknown top-level key", { ...rawConfig(), clusterz: {} }, "clusterz is not a known setting"],
        ["unknown color", withValue(rawConfig(), "clusters.purple", clusterSpec("1.33")), "clusters.purple is not a known setting"],
        ["no node groups", withValue(rawConfig(), "clusters.blue.nodeGroups", []), "clusters.blue.nodeGroups needs at least 1 item"],
        ["duplicate node group names", withValue(rawConfig(), "clusters.blue.nodeGroups", [nodeGroup(), nodeGroup()]), 'clusters.blue.nodeGroups[1].name "system" is already used by nodeGroups[0]'],
        ["bad capacity type", withValue(rawConfig(), "clusters.blue.nodeGroups", [nodeGroup({ capacityType: "SPOTTY" })]), 'clusters.blue.nodeGroups[0].capacityType ("SPOTTY") must be one of "ON_DEMAND", "SPOT"'],
        ["bad maxUnavailable", withValue(rawConfig(), "clusters.blue.nodeGroups", [nodeGroup({ maxUnavailable: "150%" })]), "clusters.blue.nodeGroups[0].maxUnavailable"],
        ["public endpoint without CIDRs", withValue(rawConfig(), "clusters.blue.endpoint", { publicAccess: true }), "clusters.blue.endpoint.publicAccessCidrs is empty while publicAccess is true"],
        ["no endpoint at all", withValue(rawConfig(), "clusters.blue.endpoint", { privateAccess: false, publicAccess: false }), "clusters.blue.endpoint.privateAccess is false and publicAccess is false"],
        ["bad CIDR", withValue(rawConfig(), "network.cidr", "10.0.0.300/16"), 'network.cidr "10.0.0.300/16" is not an IPv4 CIDR'],
        ["too small VPC", withValue(rawConfig(), "network.cidr", "10.0.0.0/24"), 'network.cidr ("10.0.0.0/24") is too small'],
        ["both VPC modes", withValue(rawConfig(), "network", { cidr: "10.0.0.0/16", vpcId: "vpc-0123456789abcdef0", privateSubnetIds: ["subnet-0123456789abcdef0", "subnet-0123456789abcdef1"], publicSubnetIds: ["subnet-0123456789abcdef2", "subnet-0123456789abcdef3"] }), "network.cidr is set together with vpcId"],
        ["no network", withValue(rawConfig(), "network", {}), "network needs either an existing VPC"],
        ["one subnet only", withValue(rawConfig(), "network", { vpcId: "vpc-0123456789abcdef0", privateSubnetIds: ["subnet-0123456789abcdef0"], publicSubnetIds: ["subnet-0123456789abcdef2", "subnet-0123456789abcdef3"] }), "network.privateSubnetIds needs at least 2 subnets"],
        ["bad subnet id", withValue(rawConfig(), "network", { vpcId: "vpc-0123456789abcdef0", privateSubnetIds: ["subnet-1", "subnet-0123456789abcdef1"], publicSubnetIds: ["subnet-0123456789abcdef2", "subnet-0123456789abcdef3"] }), 'network.privateSubnetIds[0] "subnet-1" is not a subnet id'],
        ["bad admin ARN", withValue(rawConfig(), "access.clusterAdmins", ["admin"]), 'access.clusterAdmins[0] "admin" is not an IAM role or user ARN'],
        ["no cluster", withValue(rawConfig(), "clusters", {}), "clusters has no cluster"],
        ["bad inPlaceCrdChanges", withValue(rawConfig(), "clusters.blue.addons", { argocd: { inPlaceCrdChanges: "breaking" } }), 'clusters.blue.addons.argocd.inPlaceCrdChanges ("breaking") must be one of "cosmetic", "compatible"'],
    ])("%s", (_name, raw, expected) => {
        const found = problems(raw);
        expect(found.some((p) => p.startsWith(expected))).toBe(true);
    });

    describe("the API endpoint: reachable from where Pulumi runs, or refused with the way forward", () => {
        const existingVpc = { vpcId: "vpc-0123456789abcdef0", privateSubnetIds: ["subnet-0123456789abcdef0", "subnet-0123456789abcdef1"], publicSubnetIds: ["subnet-0123456789abcdef2", "subnet-0123456789abcdef3"] };
        const onExistingVpc = (endpoint: Record<string, unknown>) => withValue(withValue(rawConfig(), "network", existingVpc), "clusters.blue.endpoint", endpoint);

        test("with no endpoint section, the API is public and the CIDRs are required, naming both ways forward", () => {
            const found = problems(withValue(rawConfig(), "clusters.blue", { version: "1.32", nodeGroups: [nodeGroup()] }));
            expect(found).toEqual([expect.stringMatching(/^clusters\.blue\.endpoint\.publicAccessCidrs is empty while publicAccess is true \(the default\): list the CIDRs .*set publicAccess to false and give apiAccessSecurityGroupIds or apiAccessCidrs$/)]);
        });

        test.each<[string, Record<string, unknown>, string[]]>([
            ["public with CIDRs, private on (the default shape)", { publicAccessCidrs: ["198.51.100.7/32"] }, []],
            ["private only with a runner's security group", { publicAccess: false, apiAccessSecurityGroupIds: ["sg-0123456789abcdef0"] }, []],
            ["private only with a runner's CIDR", { publicAccess: false, apiAccessCidrs: ["10.20.0.0/16"] }, []],
            ["public plus a runner inside the VPC", { publicAccessCidrs: ["198.51.100.7/32"], apiAccessCidrs: ["10.20.0.0/16"] }, []],
            ["private only and nothing may reach it", { publicAccess: false }, ["clusters.blue.endpoint.publicAccess is false, so the API is private only, and nothing is allowed to reach it"]],
            ["public CIDRs on a private endpoint", { publicAccess: false, publicAccessCidrs: ["198.51.100.7/32"], apiAccessCidrs: ["10.20.0.0/16"] }, ["clusters.blue.endpoint.publicAccessCidrs is set while publicAccess is false"]],
            ["runner rules without a private endpoint", { privateAccess: false, publicAccessCidrs: ["198.51.100.7/32"], apiAccessSecurityGroupIds: ["sg-0123456789abcdef0"] }, ["clusters.blue.endpoint.apiAccessSecurityGroupIds opens the private endpoint, but privateAccess is false"]],
            ["a malformed security group id", { publicAccess: false, apiAccessSecurityGroupIds: ["sg-123"] }, ['clusters.blue.endpoint.apiAccessSecurityGroupIds[0] "sg-123" is not a security group id like "sg-0123456789abcdef0"']],
            ["a malformed runner CIDR", { publicAccess: false, apiAccessCidrs: ["10.20.0.0/33"] }, ['clusters.blue.endpoint.apiAccessCidrs[0] "10.20.0.0/33"']],
        ])("existing VPC, %s", (_name, endpoint, expected) => {
            const found = problems(onExistingVpc(endpoint));
            expect(found.length).toBe(expected.length);
            expected.forEach((start, i) => expect(found[i].startsWith(start)).toBe(true));
        });

        test("private only on a VPC this stack creates is refused: no runner can be inside a VPC that does not exist yet", () => {
            const found = problems(withValue(rawConfig(), "clusters.green.endpoint", { publicAccess: false, apiAccessSecurityGroupIds: ["sg-0123456789abcdef0"] }));
            expect(found).toEqual([expect.stringMatching(/^clusters\.green\.endpoint\.publicAccess is false while network\.cidr creates the VPC in the same update: .*give it as network\.vpcId/)]);
        });
    });

    test("a principal listed twice in access.clusterAdmins is refused (one access entry per principal)", () => {
        const admin = "arn:aws:iam::123456789012:role/platform-admin";
        expect(problems(withValue(rawConfig(), "access.clusterAdmins", [admin, "arn:aws:iam::123456789012:role/ci-deployer", admin]))).toEqual([
            `access.clusterAdmins[2] "${admin}" is already listed as clusterAdmins[0]: EKS has one access entry per principal; remove the duplicate`,
        ]);
    });

    test("every problem is reported at once, each with its path", () => {
        let raw = withValue(rawConfig(), "clusters.green.version", "1.3");
        raw = withValue(raw, "clusters.blue.nodeGroups", [nodeGroup({ minSize: 5, desiredSize: 5, maxSize: 3 })]);
        raw = withValue(raw, "network.cidr", "nope");
        raw = withValue(raw, "clusters.green.typo", true);
        const found = problems(raw);
        expect(found).toHaveLength(4);
        expect(found.map((p) => p.split(" ")[0]).sort()).toEqual([
            "clusters.blue.nodeGroups[0].minSize",
            "clusters.green.typo",
            "clusters.green.version",
            "network.cidr",
        ]);
    });

    test("loadEnvironmentConfig throws one ConfigError listing every problem", () => {
        const raw = withValue(withValue(rawConfig(), "clusters.green.version", "2"), "clusters.blue.version", "x");
        expect(() => loadEnvironmentConfig(raw)).toThrow(ConfigError);
        try {
            loadEnvironmentConfig(raw);
        } catch (err) {
            expect((err as Error).message).toMatch(/has 2 problems; please fix them:\n  - clusters\.blue\.version "x".*\n  - clusters\.green\.version "2"/);
        }
    });

    test("either color may be absent", () => {
        expect(presentColors(loadEnvironmentConfig(withValue(rawConfig(), "clusters", { green: clusterSpec("1.33") })))).toEqual(["green"]);
        expect(presentColors(loadEnvironmentConfig(withValue(rawConfig(), "clusters", { blue: clusterSpec("1.33") })))).toEqual(["blue"]);
    });

    test("without routing every cluster is treated as carrying traffic; with routing, those with weight", () => {
        expect(trafficCarryingColors(loadEnvironmentConfig(rawConfig()))).toEqual(["blue", "green"]);
        const routed = loadEnvironmentConfig({ ...rawConfig(), routing: { weights: { blue: 100, green: 0 }, verification: { enabled: false } } });
        expect(trafficCarryingColors(routed)).toEqual(["blue"]);
    });

    test.each(["dev", "staging", "prod"])("the example stack %s passes validation", (stack) => {
        const file = readStackFile(path.join(__dirname, "..", ".."), stack);
        const result = parseEnvironmentConfig(file.values);
        expect(result.ok ? [] : result.problems).toEqual([]);
        expect(file.awsRegion).toBe("eu-west-1");
    });
});
