/** The single mistakes a review found accepted (exit 0) in the example stacks: each refused with exit 2 and its config path. */
import { expectRefused, mutate, STACKS, stackText, validateText } from "./variants";

describe("the example stacks are valid as they are", () => {
    test.each(STACKS)("%s passes the validation bluegreen plan and pulumi up run", (stack) => {
        expect(() => validateText(stackText(stack))).not.toThrow();
    });
});

describe("single mistakes a review found accepted are refused with exit 2 and the config path", () => {
    const cases: Array<[string, string, (c: Record<string, any>) => void, string[]]> = [
        ["a typo of the bluegreen: namespace", "prod", (c) => { c["bluegren:routing"] = c["bluegreen:routing"]; delete c["bluegreen:routing"]; }, ['bluegren:routing is in the namespace "bluegren", not "bluegreen"', 'did you mean "bluegreen:routing"']],
        ["a misspelt region (aws:region)", "prod", (c) => { c["aws:region"] = "eu-wset-1"; }, ['aws:region ("eu-wset-1") is not an AWS region (did you mean "eu-west-1"?)']],
        ["a misspelt region (bluegreen:region)", "dev", (c) => { c["bluegreen:region"] = "us-east-7"; }, ['region ("us-east-7") is not an AWS region']],
        ["a certificate from another region", "prod", (c) => { c["bluegreen:routing"].certificateArn = "arn:aws:acm:us-east-1:210987654321:certificate/22222222-2222-2222-2222-222222222222"; }, ["routing.certificateArn is in us-east-1 but the load balancer is in eu-west-1"]],
        ["a duplicated admin", "staging", (c) => { c["bluegreen:access"].clusterAdmins.push(c["bluegreen:access"].clusterAdmins[0]); }, ["access.clusterAdmins[2] \"arn:aws:iam::123456789012:role/platform-admin\" is already listed as clusterAdmins[0]"]],
        ["an instance type like m7i-large", "dev", (c) => { c["bluegreen:clusters"].green.nodeGroups[0].instanceTypes = ["m7i-large"]; }, ['clusters.green.nodeGroups[0].instanceTypes[0] "m7i-large" is not an EC2 instance type like "m7i.large" (did you mean "m7i.large"?)']],
        ["an arm64 instance type with an x86 AMI", "dev", (c) => { c["bluegreen:clusters"].green.nodeGroups[0].instanceTypes = ["m7g.large"]; }, ['clusters.green.nodeGroups[0].instanceTypes[0] "m7g.large" is an arm64 instance type but amiType AL2023_x86_64_STANDARD is x86_64']],
        ["an x86 instance type with an arm64 AMI", "dev", (c) => { c["bluegreen:clusters"].green.nodeGroups[0].amiType = "BOTTLEROCKET_ARM_64"; }, ['clusters.green.nodeGroups[0].instanceTypes[0] "m7i.large" is an x86_64 instance type but amiType BOTTLEROCKET_ARM_64 is arm64']],
        ["a node group newer than its control plane", "prod", (c) => { c["bluegreen:clusters"].blue.nodeGroups[1].version = "1.33"; }, ["clusters.blue.nodeGroups[1].version (1.33 is newer than its control plane (1.32)"]],
        ["a node group more than three minors behind", "prod", (c) => { c["bluegreen:clusters"].green.nodeGroups[0].version = "1.29"; }, ["clusters.green.nodeGroups[0].version (1.29 is 4 minor versions behind its control plane (1.33)"]],
        ["a subnet listed twice", "prod", (c) => { c["bluegreen:network"].privateSubnetIds[2] = c["bluegreen:network"].privateSubnetIds[0]; }, ['network.privateSubnetIds[2] "subnet-0f1e2d3c4b5a60001" is already privateSubnetIds[0]']],
        ["identical public and private subnets", "staging", (c) => { c["bluegreen:network"].publicSubnetIds = [...c["bluegreen:network"].privateSubnetIds]; }, ["network.publicSubnetIds[0] \"subnet-0a1b2c3d4e5f60001\" is also in privateSubnetIds"]],
        ["external-dns with domain filters but no zones", "dev", (c) => { delete c["bluegreen:clusters"].green.addons["external-dns"].zoneIdFilters; }, ["clusters.green.addons.external-dns.zoneIdFilters is empty while domainFilters is set"]],
        ["an ArgoCD repository that is not a URL", "prod", (c) => { c["bluegreen:clusters"].green.addons.argocd.bootstrap.repoURL = "example-org/platform-gitops"; }, ['clusters.green.addons.argocd.bootstrap.repoURL ("example-org/platform-gitops") is not a Git repository URL']],
        ["chart version latest", "prod", (c) => { c["bluegreen:clusters"].green.addons.argocd.version = "latest"; }, ['clusters.green.addons.argocd.version ("latest") is not an exact chart version']],
        ["the ArgoCD password in plain text", "dev", (c) => { c["bluegreen:argocdAdminPassword"] = "correct horse battery staple"; }, ["argocdAdminPassword is stored in plain text in the stack config", "pulumi config set --secret bluegreen:argocdAdminPassword"]],
        ["cutover steps that do not end at 100", "prod", (c) => { c["bluegreen:cutover"].steps = [10, 50]; }, ["cutover.steps[1] (50) is the last step but a cutover ends with the candidate at 100"]],
        ["cutover steps that do not increase", "prod", (c) => { c["bluegreen:cutover"].steps = [50, 10, 100]; }, ["cutover.steps[1] (10) is not above the step before it (50)"]],
        ["interval: 0s", "prod", (c) => { c["bluegreen:cutover"].interval = "0s"; }, ['cutover.interval (0 s) must be at least 10 s']],
        ["a secret where the value must be known", "prod", (c) => { c["bluegreen:routing"].weights.green = { secure: "v1:abc" }; }, ["routing.weights.green is a secret (secure:), but bluegreen must know this value"]],
        ["a whole section stored as one secret", "prod", (c) => { c["bluegreen:cutover"] = { secure: "v1:abc" }; }, ["cutover is a secret (secure:)"]],
        ["an ALB with more target groups than it takes", "prod", (c) => {
            const apps = c["bluegreen:routing"].apps;
            for (let i = 0; i < 50; i++) apps.push({ ...apps[0], name: `app-${i}`, hostnames: [`app-${i}.example.com`] });
        }, ["routing.apps need 106 target groups (53 apps × 2 colors) but an ALB takes at most 100"]],
        ["more listener rules than the quota", "prod", (c) => { c["bluegreen:routing"].apps[0].hostnames = Array.from({ length: 330 }, (_, i) => `h${i}.example.com`); }, ["routing.apps need", "listener rules"]],
        ["weights that do not add up to 100", "staging", (c) => { c["bluegreen:routing"].weights.green = 60; }, ["routing.weights add up to 110, not 100"]],
    ];
    test.each(cases)("%s (%s)", async (_name, stack, change, fragments) => {
        await expectRefused(mutate(stack, change), ...fragments);
    });

    test("secure values where a secret may stand are accepted by the plan, as pulumi up accepts them decrypted", async () => {
        const text = mutate("prod", (c) => {
            c["bluegreen:routing"].certificateArn = { secure: "v1:abc" };
            c["bluegreen:access"].clusterAdmins[0] = { secure: "v1:def" };
            c["bluegreen:routing"].verification.allowedCidrs[0] = { secure: "v1:ghi" };
            c["bluegreen:clusters"].green.addons.argocd.bootstrap.repoURL = { secure: "v1:jkl" };
            c["bluegreen:argocdAdminPassword"] = { secure: "v1:mno" };
        });
        expect(() => validateText(text)).not.toThrow();
    });
});

