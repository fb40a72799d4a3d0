/** The pure parts of a color's cluster: role names, access-entry keys, the creator, the kubeconfig, records read back. */
import fc from "fast-check";
import { adminEntries, clusterCreator, creatorPrincipal, principalKey } from "../../src/cluster/access";
import { kubeconfigFor } from "../../src/cluster/kubeconfig";
import { clusterRoleName } from "../../src/cluster/names";
import { chooseAddonVersion, recordedCluster } from "../../src/cluster/recorded";

describe("IAM role names", () => {
    test.each([
        ["dev-blue", "eu-west-1", "node", "dev-blue-eu-west-1-node"],
        ["dev-blue", "us-gov-west-1", "cluster", "dev-blue-us-gov-west-1-cluster"],
    ] as const)("%s in %s (%s)", (cluster, region, purpose, expected) => {
        expect(clusterRoleName(cluster, region, purpose)).toBe(expected);
    });

    test("property: at most 64 characters, and two regions or two clusters never share a name", () => {
        const label = fc.stringMatching(/^[a-z0-9]([-a-z0-9]{0,55}[a-z0-9])?$/);
        const region = fc.constantFrom("eu-west-1", "us-east-1", "ap-southeast-2", "us-gov-west-1", "cn-northwest-1");
        fc.assert(fc.property(label, region, region, fc.constantFrom("cluster" as const, "node" as const), (env, r1, r2, purpose) => {
            const blue = clusterRoleName(`${env}-blue`, r1, purpose);
            expect(blue.length).toBeLessThanOrEqual(64);
            expect(blue).toMatch(/^[\w+=,.@-]+$/);
            expect(blue).not.toBe(clusterRoleName(`${env}-green`, r1, purpose));
            if (r1 !== r2) expect(blue).not.toBe(clusterRoleName(`${env}-blue`, r2, purpose));
        }));
    });
});

describe("access entries", () => {
    test("keys name the principal and never its list position; distinct principals never share a key", () => {
        const a = "arn:aws:iam::123456789012:role/platform-admin";
        const b = "arn:aws:iam::210987654321:role/platform-admin";
        const c = "arn:aws:iam::123456789012:role/teams/platform-admin";
        expect(principalKey(a)).toMatch(/^role-platform-admin-[0-9a-f]{8}$/);
        expect(new Set([a, b, c].map(principalKey)).size).toBe(3);
        expect(adminEntries([a, b], undefined).map((e) => e.key)).toEqual(adminEntries([b, a], undefined).map((e) => e.key).reverse());
    });

    test.each([
        ["an assumed-role session is its role, with the path the issuer gives", "arn:aws:sts::123456789012:assumed-role/AWSReservedSSO_Admin_1f9f/jane", "arn:aws:iam::123456789012:role/aws-reserved/sso.amazonaws.com/AWSReservedSSO_Admin_1f9f", "arn:aws:iam::123456789012:role/aws-reserved/sso.amazonaws.com/AWSReservedSSO_Admin_1f9f"],
        ["a user is itself", "arn:aws:iam::123456789012:user/jane", undefined, "arn:aws:iam::123456789012:user/jane"],
    ])("creator: %s", (_name, caller, issuer, expected) => {
        expect(creatorPrincipal(caller, issuer)).toBe(expected);
    });

    test("the creator: recorded wins; the deployer for a cluster created now; unknown for one deployed before records", () => {
        expect(clusterCreator({ deployed: true, creator: "arn:aws:iam::123456789012:role/a" }, "arn:aws:iam::123456789012:role/b")).toBe("arn:aws:iam::123456789012:role/a");
        expect(clusterCreator({ deployed: false }, "arn:aws:iam::123456789012:role/b")).toBe("arn:aws:iam::123456789012:role/b");
        expect(clusterCreator({ deployed: true }, "arn:aws:iam::123456789012:role/b")).toBeUndefined();
    });
});

describe("the kubeconfig", () => {
    const base = { clusterName: "prod-green", endpoint: "https://ABC.gr7.eu-west-1.eks.amazonaws.com", certificateAuthorityData: "Q0E=", region: "eu-west-1" };
    const execOf = (config: Record<string, unknown>) => (config.users as { user: { exec: { command: string; args: string[] } } }[])[0].user.exec;

    test("the token command names the cluster and its region, and the stack's profile when set", () => {
        expect(execOf(kubeconfigFor({ ...base, profile: "prod-admin" }))).toMatchObject({
            command: "aws",
            args: ["--region", "eu-west-1", "eks", "get-token", "--cluster-name", "prod-green", "--output", "json", "--profile", "prod-admin"],
        });
        expect(execOf(kubeconfigFor(base)).args).not.toContain("--profile");
        expect(execOf(kubeconfigFor({ ...base, roleArn: "arn:aws:iam::123456789012:role/deployer" })).args).toEqual(expect.arrayContaining(["--role-arn", "arn:aws:iam::123456789012:role/deployer"]));
    });

    test("server and CA of the cluster, one context that is current", () => {
        const config = kubeconfigFor(base);
        expect(config.clusters).toEqual([{ name: "prod-green", cluster: { server: base.endpoint, "certificate-authority-data": "Q0E=" } }]);
        expect(config["current-context"]).toBe("prod-green");
    });
});

describe("what the last deployment recorded", () => {
    test("read per color; malformed entries count as not recorded", () => {
        const clusters = {
            blue: { creator: "arn:aws:iam::123456789012:role/a", managedAddons: { "vpc-cni": { version: "v1", kubernetesVersion: "1.32", source: "resolved" }, coredns: { version: 3 } } },
        };
        expect(recordedCluster(clusters, "blue")).toEqual({ deployed: true, creator: "arn:aws:iam::123456789012:role/a", managedAddons: { "vpc-cni": { version: "v1", kubernetesVersion: "1.32", source: "resolved" } } });
        expect(recordedCluster(clusters, "green")).toEqual({ deployed: false, managedAddons: {} });
        expect(recordedCluster(undefined, "blue")).toEqual({ deployed: false, managedAddons: {} });
    });

    test.each([
        ["a pin wins", "v9", "1.32", { version: "v1", kubernetesVersion: "1.32", source: "resolved" as const }, { kind: "pinned", version: "v9" }],
        ["resolved for the same Kubernetes version: kept", undefined, "1.32", { version: "v1", kubernetesVersion: "1.32", source: "resolved" as const }, { kind: "kept", version: "v1" }],
        ["another Kubernetes version: resolved again", undefined, "1.33", { version: "v1", kubernetesVersion: "1.32", source: "resolved" as const }, { kind: "resolve" }],
        ["a pin removed: resolved again", undefined, "1.32", { version: "v1", kubernetesVersion: "1.32", source: "pinned" as const }, { kind: "resolve" }],
        ["nothing recorded: resolved", undefined, "1.32", undefined, { kind: "resolve" }],
    ])("%s", (_name, pinned, kubernetes, recorded, expected) => {
        expect(chooseAddonVersion(pinned, kubernetes, recorded)).toEqual(expected);
    });
});
