import { BlueGreenEnvironment } from "../../components/environment";
import { loadEnvironmentConfig } from "../../src/config";
import { prepareAddonCrds } from "../../src/addons/crd-gate";
import { Plan } from "../../src/plan/model";
import { recordPlan } from "../../src/plan/run";
import { OFFLINE_CRD_DEPS } from "../../src/plan/stack-plan";
import { adminPasswordHash } from "../../components/addons/argocd";
import { addonRoleName, mergeValues } from "../../components/addons/addon";
import { loadBalancerControllerPolicy } from "../../components/addons/aws-load-balancer-controller";
import { externalDnsPolicy } from "../../components/addons/external-dns";
import { clusterSpec, rawConfig } from "../helpers/raw-config";
import { planFor, resourceNamed, resourcesOfType } from "../helpers/plan";

const addons = (argocdVersion: string) => ({
    argocd: { version: argocdVersion, highAvailability: true, bootstrap: { repoURL: "https://git.example.com/platform.git", path: "envs/dev" }, values: { server: { replicas: 3 } } },
    "external-dns": { domainFilters: ["dev.example.com"], zoneIdFilters: ["Z0123456789ABC", "Z0123456789DEF"] },
});

describe("add-ons on every color", () => {
    let plan: Plan;
    beforeAll(async () => {
        plan = await planFor(rawConfig({
            clusters: { blue: clusterSpec("1.33", { addons: addons("8.5.0") }), green: clusterSpec("1.34", { addons: addons("9.1.0") }) },
            argocdAdminPassword: "correct horse battery staple",
        }));
    });

    const release = (color: string, addon: string) => resourceNamed(plan, "kubernetes:helm.sh/v3:Release", `dev-${color}-addons-${addon}-release`);

    test.each([
        ["blue", "argocd", "argo-cd", "8.5.0", "https://argoproj.github.io/argo-helm", "argocd"],
        ["green", "argocd", "argo-cd", "9.1.0", "https://argoproj.github.io/argo-helm", "argocd"],
        ["blue", "aws-load-balancer-controller", "aws-load-balancer-controller", "1.14.0", "https://aws.github.io/eks-charts", "kube-system"],
        ["green", "aws-load-balancer-controller", "aws-load-balancer-controller", "1.14.0", "https://aws.github.io/eks-charts", "kube-system"],
        ["blue", "external-dns", "external-dns", "1.15.0", "https://kubernetes-sigs.github.io/external-dns", "external-dns"],
        ["green", "external-dns", "external-dns", "1.15.0", "https://kubernetes-sigs.github.io/external-dns", "external-dns"],
    ])("%s %s: chart %s %s from %s into namespace %s, CRDs skipped by Helm, on the color's cluster after it is ready", (color, addon, chart, version, repo, namespace) => {
        const r = release(color, addon);
        expect(r.inputs).toMatchObject({ name: addon, chart, version, repositoryOpts: { repo }, namespace, skipCrds: true });
        expect(r.provider).toBe(resourceNamed(plan, "pulumi:providers:kubernetes", `dev-${color}-k8s`).urn);
        expect(r.dependencies).toContain(resourceNamed(plan, "aws:eks/nodeGroup:NodeGroup", `dev-${color}-system`).urn);
        expect(plan.outputs.clusters).toBe("<secret>");
    });

    test("each color's add-ons are one component under the environment, with the color's providers", () => {
        const environment = resourceNamed(plan, "bluegreen:index:Environment", "dev");
        for (const color of ["blue", "green"]) {
            const addonsOfColor = resourceNamed(plan, "bluegreen:index:ClusterAddons", `dev-${color}-addons`);
            expect(addonsOfColor.parent).toBe(environment.urn);
            expect(resourceNamed(plan, "aws:iam/role:Role", `dev-${color}-addons-external-dns-role`).provider).toBe(resourceNamed(plan, "pulumi:providers:aws", `dev-${color}-aws`).urn);
        }
    });

    test("the chart version of each add-on is recorded per color for the stack output (clusters.<color>.addons.<name>.version)", async () => {
        const config = loadEnvironmentConfig(rawConfig({
            clusters: { blue: clusterSpec("1.33", { addons: addons("8.5.0") }), green: clusterSpec("1.34", { addons: addons("9.1.0") }) },
        }));
        const inputs = { config, environment: "dev", region: "eu-west-1" };
        const recorded = await recordPlan(async () => {
            const addonCrds = await prepareAddonCrds(config, OFFLINE_CRD_DEPS);
            const environment = new BlueGreenEnvironment("dev", { ...inputs, addonCrds });
            return { blue: environment.addons.blue!.versions(), green: environment.addons.green!.versions() };
        }, { stack: "dev", region: "eu-west-1" });
        expect(recorded.outputs).toEqual({
            blue: { argocd: { version: "8.5.0" }, "aws-load-balancer-controller": { version: "1.14.0" }, "external-dns": { version: "1.15.0" } },
            green: { argocd: { version: "9.1.0" }, "aws-load-balancer-controller": { version: "1.14.0" }, "external-dns": { version: "1.15.0" } },
        });
    });

    test("the controller knows its cluster, region and VPC", () => {
        const values = release("green", "aws-load-balancer-controller").inputs.values as Record<string, unknown>;
        expect(values).toMatchObject({ clusterName: "dev-green", region: "eu-west-1", serviceAccount: { name: "aws-load-balancer-controller" } });
        expect(values.vpcId).toBe("<dev-network-vpc.id>");
    });

    test("external-dns owns its records per color and never deletes: owner id, upsert-only, TXT prefix, zone filters", () => {
        for (const color of ["blue", "green"]) {
            expect(release(color, "external-dns").inputs.values).toMatchObject({
                provider: { name: "aws" },
                txtOwnerId: `dev-${color}`,
                policy: "upsert-only",
                registry: "txt",
                txtPrefix: "bluegreen-%{record_type}-",
                domainFilters: ["dev.example.com"],
                extraArgs: ["--zone-id-filter=Z0123456789ABC", "--zone-id-filter=Z0123456789DEF"],
            });
        }
    });

    test("ArgoCD's values carry the admin password only as a secret; the user's values are merged over ours", () => {
        expect(release("blue", "argocd").inputs.values).toBe("<secret>");
        expect(JSON.stringify(plan)).not.toContain("correct horse battery staple");
        expect(JSON.stringify(plan)).not.toContain(adminPasswordHash("correct horse battery staple", "dev-blue"));
        expect(mergeValues({ server: { replicas: 2, service: { type: "ClusterIP" } }, crds: { install: false } }, { server: { replicas: 3 } })).toEqual({ server: { replicas: 3, service: { type: "ClusterIP" } }, crds: { install: false } });
    });

    test("the admin password hash is bcrypt, stable for one cluster, different across clusters", () => {
        const hash = adminPasswordHash("s3cret-password", "dev-blue");
        expect(hash).toMatch(/^\$2a\$10\$/);
        expect(adminPasswordHash("s3cret-password", "dev-blue")).toBe(hash);
        expect(adminPasswordHash("s3cret-password", "dev-green")).not.toBe(hash);
        expect(require("bcryptjs").compareSync("s3cret-password", hash)).toBe(true);
    });

    test("CRDs are applied by Pulumi (server-side apply provider), kept on delete, and before the release", () => {
        const crds = resourcesOfType(plan, "kubernetes:apiextensions.k8s.io/v1:CustomResourceDefinition").filter((r) => r.name.startsWith("dev-green-addons-aws-load-balancer-controller"));
        expect(crds.map((c) => c.name.replace("dev-green-addons-aws-load-balancer-controller-crd-", "")).sort()).toEqual([
            "ingressclassparams.elbv2.k8s.aws", "listenerruleconfigurations.gateway.k8s.aws", "loadbalancerconfigurations.gateway.k8s.aws",
            "targetgroupbindings.elbv2.k8s.aws", "targetgroupconfigurations.gateway.k8s.aws",
        ]);
        for (const crd of crds) {
            expect(crd.retainOnDelete).toBe(true);
            expect(release("green", "aws-load-balancer-controller").dependencies).toContain(crd.urn);
        }
        expect(resourceNamed(plan, "pulumi:providers:kubernetes", "dev-green-k8s").inputs.enableServerSideApply).toBe("true");
    });

    test("IAM through Pod Identity: a role trusting pods.eks.amazonaws.com, associated with the service account", () => {
        const role = resourceNamed(plan, "aws:iam/role:Role", "dev-green-addons-external-dns-role");
        expect(JSON.parse(String(role.inputs.assumeRolePolicy))).toEqual({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Principal: { Service: "pods.eks.amazonaws.com" }, Action: ["sts:AssumeRole", "sts:TagSession"] }] });
        const association = resourceNamed(plan, "aws:eks/podIdentityAssociation:PodIdentityAssociation", "dev-green-addons-external-dns-pod-identity");
        expect(association.inputs).toMatchObject({ clusterName: "dev-green", namespace: "external-dns", serviceAccount: "external-dns", roleArn: "<dev-green-addons-external-dns-role.arn>" });
        expect(association.dependencies).toContain(role.urn);
        expect(role.inputs.name).toBe("dev-green-external-dns");
        const policy = resourceNamed(plan, "aws:iam/rolePolicy:RolePolicy", "dev-green-addons-external-dns-policy");
        expect(policy.inputs.role).toBe("dev-green-external-dns");
        expect(policy.dependencies).toContain(role.urn);
        const controller = resourceNamed(plan, "aws:eks/podIdentityAssociation:PodIdentityAssociation", "dev-blue-addons-aws-load-balancer-controller-pod-identity");
        expect(controller.inputs).toMatchObject({ clusterName: "dev-blue", namespace: "kube-system", serviceAccount: "aws-load-balancer-controller" });
        expect(controller.dependencies).toContain(resourceNamed(plan, "aws:iam/role:Role", "dev-blue-addons-aws-load-balancer-controller-role").urn);
        // The release waits for the association, so the pods start with their credentials.
        expect(release("green", "external-dns").dependencies).toContain(association.urn);
        // Through the node groups, which wait for the pod identity agent.
        const nodeGroup = resourceNamed(plan, "aws:eks/nodeGroup:NodeGroup", "dev-green-system");
        expect(association.dependencies).toContain(nodeGroup.urn);
        expect(nodeGroup.dependencies).toContain(resourceNamed(plan, "aws:eks/addon:Addon", "dev-green-eks-pod-identity-agent").urn);
        expect(resourcesOfType(plan, "aws:eks/podIdentityAssociation:PodIdentityAssociation").map((a) => a.inputs.serviceAccount).sort()).toEqual([
            "aws-load-balancer-controller", "aws-load-balancer-controller", "external-dns", "external-dns",
        ]);
    });

    test("role names stay within IAM's 64 characters, distinct per cluster; policies name the region's partition", () => {
        expect(addonRoleName("dev-blue", "external-dns")).toBe("dev-blue-external-dns");
        const long = addonRoleName("platform-payments-eu-central-production-blue", "aws-load-balancer-controller");
        expect(long).toHaveLength(64);
        expect(long).toMatch(/^platform-payments-eu-central-production-blue-aws-load-b-[0-9a-f]{8}$/);
        expect(addonRoleName("platform-payments-eu-central-production-green", "aws-load-balancer-controller")).not.toBe(long);
        expect(externalDnsPolicy("cn-north-1", ["Z0123456789ABC"]).Statement[0].Resource).toEqual(["arn:aws-cn:route53:::hostedzone/Z0123456789ABC"]);
        expect(JSON.stringify(loadBalancerControllerPolicy("us-gov-west-1"))).toContain("arn:aws-us-gov:elasticloadbalancing:*:*:targetgroup/*/*");
        expect(JSON.stringify(loadBalancerControllerPolicy("us-gov-west-1"))).not.toContain("arn:aws:");
    });

    test("external-dns may change records only in the configured zones", () => {
        const policy = JSON.parse(String(resourceNamed(plan, "aws:iam/rolePolicy:RolePolicy", "dev-blue-addons-external-dns-policy").inputs.policy));
        expect(policy.Statement).toEqual([
            { Effect: "Allow", Action: ["route53:ChangeResourceRecordSets", "route53:ListResourceRecordSets"], Resource: ["arn:aws:route53:::hostedzone/Z0123456789ABC", "arn:aws:route53:::hostedzone/Z0123456789DEF"] },
            { Effect: "Allow", Action: ["route53:ListHostedZones"], Resource: "*" },
        ]);
    });

    test("the controller's policy limits writes with the elbv2.k8s.aws/cluster tag and may register targets in our target groups", () => {
        const policy = JSON.parse(String(resourceNamed(plan, "aws:iam/rolePolicy:RolePolicy", "dev-blue-addons-aws-load-balancer-controller-policy").inputs.policy));
        const statementWith = (action: string) => policy.Statement.filter((s: { Action: string[] }) => s.Action.includes(action));
        expect(statementWith("elasticloadbalancing:DeleteLoadBalancer")[0].Condition).toEqual({ Null: { "aws:ResourceTag/elbv2.k8s.aws/cluster": "false" } });
        expect(statementWith("elasticloadbalancing:CreateLoadBalancer")[0].Condition).toEqual({ Null: { "aws:RequestTag/elbv2.k8s.aws/cluster": "false" } });
        expect(statementWith("ec2:DeleteSecurityGroup")[0].Condition).toEqual({ Null: { "aws:ResourceTag/elbv2.k8s.aws/cluster": "false" } });
        expect(statementWith("elasticloadbalancing:RegisterTargets")[0]).toEqual({ Effect: "Allow", Action: ["elasticloadbalancing:RegisterTargets", "elasticloadbalancing:DeregisterTargets"], Resource: "arn:aws:elasticloadbalancing:*:*:targetgroup/*/*" });
        expect(statementWith("iam:CreateServiceLinkedRole")[0].Condition).toEqual({ StringEquals: { "iam:AWSServiceName": "elasticloadbalancing.amazonaws.com" } });
    });

    test("ArgoCD gets no AWS role; its root Application syncs the environment's repository, with the color on the cluster secret", () => {
        expect(resourcesOfType(plan, "aws:iam/role:Role").some((r) => r.name.includes("argocd"))).toBe(false);
        const root = resourceNamed(plan, "kubernetes:argoproj.io/v1alpha1:Application", "dev-green-argocd-root-app");
        expect(root.inputs).toMatchObject({
            metadata: { name: "root", namespace: "argocd", labels: { "bluegreen/color": "green", "bluegreen/environment": "dev" } },
            spec: { source: { repoURL: "https://git.example.com/platform.git", path: "envs/dev", targetRevision: "HEAD" }, syncPolicy: { automated: { prune: true, selfHeal: true } } },
        });
        expect(root.dependencies).toContain(release("green", "argocd").urn);
        expect(root.dependencies).toContain(resourceNamed(plan, "kubernetes:apiextensions.k8s.io/v1:CustomResourceDefinition", "dev-green-addons-argocd-crd-applications.argoproj.io").urn);
        const secret = resourceNamed(plan, "kubernetes:core/v1:Secret", "dev-green-argocd-in-cluster");
        expect((secret.inputs.metadata as { labels: unknown }).labels).toEqual({ "bluegreen/color": "green", "bluegreen/environment": "dev", "argocd.argoproj.io/secret-type": "cluster" });
    });

    test("a Helm root app gets the color, environment and cluster as values; without a password ArgoCD's values stay readable", async () => {
        const helmRoot = await planFor(rawConfig({
            clusters: { blue: clusterSpec("1.33", { addons: { argocd: { bootstrap: { repoURL: "https://git.example.com/platform.git", path: "charts/root", helmValues: true } } } }) },
        }));
        const root = resourceNamed(helmRoot, "kubernetes:argoproj.io/v1alpha1:Application", "dev-blue-argocd-root-app");
        expect((root.inputs.spec as { source: unknown }).source).toEqual({
            repoURL: "https://git.example.com/platform.git",
            path: "charts/root",
            targetRevision: "HEAD",
            helm: { valuesObject: { bluegreen: { environment: "dev", color: "blue", clusterName: "dev-blue" } } },
        });
        // A plain directory gets no helm block (Argo CD would render it as a chart).
        expect((resourceNamed(plan, "kubernetes:argoproj.io/v1alpha1:Application", "dev-green-argocd-root-app").inputs.spec as { source: Record<string, unknown> }).source.helm).toBeUndefined();
        const values = resourceNamed(helmRoot, "kubernetes:helm.sh/v3:Release", "dev-blue-addons-argocd-release").inputs.values as Record<string, unknown>;
        expect(values).toMatchObject({ crds: { install: false }, global: { additionalLabels: { "bluegreen/color": "blue", "bluegreen/environment": "dev" } } });
        expect(values.configs).toBeUndefined();
    });

    test("without zones external-dns is not installed; enabling it without zones is a config error", async () => {
        const without = await planFor(rawConfig());
        expect(resourcesOfType(without, "kubernetes:helm.sh/v3:Release").map((r) => r.name).sort()).toEqual([
            "dev-blue-addons-argocd-release", "dev-blue-addons-aws-load-balancer-controller-release",
            "dev-green-addons-argocd-release", "dev-green-addons-aws-load-balancer-controller-release",
        ]);
        await expect(planFor(rawConfig({ clusters: { blue: clusterSpec("1.33", { addons: { "external-dns": { enabled: true } } }) } }))).rejects.toThrow(/clusters\.blue\.addons\.external-dns\.zoneIdFilters is empty while external-dns is enabled/);
    });
});
