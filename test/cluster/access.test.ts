/**
 * Cluster access on a real account: the creator's admin entry comes from EKS (pulumi-eks 4.3.0 sets
 * bootstrapClusterCreatorAdminPermissions), so a second entry for it would fail with 409; entries are
 * keyed by principal; the API is reachable from where Pulumi runs.
 */
import { diffPlans } from "../../src/plan/diff";
import { Plan, PlannedResource } from "../../src/plan/model";
import { clusterSpec, rawConfig, withValue } from "../helpers/raw-config";
import { outputValue, planFor, planWith, planWithOutputs, resourceNamed, resourcesOfType } from "../helpers/plan";

const PLATFORM_ADMIN = "arn:aws:iam::123456789012:role/platform-admin";
const CI_DEPLOYER = "arn:aws:iam::123456789012:role/ci-deployer";
const AUDITOR = "arn:aws:iam::123456789012:user/auditor";
const ADMIN_POLICY = "arn:aws:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy";

function entriesOf(plan: Plan, color: string): PlannedResource[] {
    return resourcesOfType(plan, "aws:eks/accessEntry:AccessEntry").filter((r) => r.name.startsWith(`dev-${color}-`));
}
/** The URN Pulumi gives a child of `parentUrn`: the parent's type chain, then the child's type and name. */
function childUrn(parentUrn: string, type: string, name: string): string {
    const [prefix, parentTypes] = [parentUrn.split("::").slice(0, 2).join("::"), parentUrn.split("::")[2]];
    return `${prefix}::${parentTypes}$${type}::${name}`;
}
const principals = (plan: Plan, color: string) => entriesOf(plan, color).map((r) => r.inputs.principalArn).sort();

describe("access entries for access.clusterAdmins", () => {
    const admins = [PLATFORM_ADMIN, CI_DEPLOYER, AUDITOR];
    // One color is enough where both would only repeat it (each plan costs seconds); two where they differ.
    const raw = withValue(rawConfig({ clusters: { blue: clusterSpec("1.32") } }), "access.clusterAdmins", admins);
    const bothColors = withValue(rawConfig(), "access.clusterAdmins", admins);
    let created: { plan: Plan; outputs: Record<string, unknown> };
    beforeAll(async () => {
        created = await planWithOutputs(raw, { deployer: CI_DEPLOYER });
    });
    const creatorOutput = (outputs: Record<string, unknown>, color: string) => outputValue((outputs.clusters as Record<string, Record<string, unknown>>)[color].creator);

    test("a cluster created by this update: its creator (ci-deployer) gets no second entry; the others do, each with cluster-admin; the creator is recorded", async () => {
        const plan = created.plan;
        for (const color of ["blue"]) {
            expect(principals(plan, color)).toEqual([AUDITOR, PLATFORM_ADMIN].sort());
            for (const entry of entriesOf(plan, color)) {
                const association = resourcesOfType(plan, "aws:eks/accessPolicyAssociation:AccessPolicyAssociation").find((r) => r.parent === entry.urn)!;
                expect(association.inputs).toMatchObject({ principalArn: entry.inputs.principalArn, policyArn: ADMIN_POLICY, accessScope: { type: "cluster" } });
                expect(association.dependencies).toContain(entry.urn);
                expect(entry.dependencies).toContain(resourceNamed(plan, "eks:index:Cluster", `dev-${color}-eks`).urn);
            }
        }
        expect(await creatorOutput(created.outputs, "blue")).toBe(CI_DEPLOYER);
    });

    test("entries pulumi-eks created by list position are adopted: each entry and its association alias the old name under the old parent", () => {
        const plan = created.plan;
        const clusterUrn = resourceNamed(plan, "eks:index:Cluster", "dev-blue-eks").urn;
        // [PLATFORM_ADMIN, CI_DEPLOYER, AUDITOR]: the creator (1) has no entry; the others keep their positions.
        for (const [principal, position] of [[PLATFORM_ADMIN, 0], [AUDITOR, 2]] as const) {
            const entry = entriesOf(plan, "blue").find((r) => r.inputs.principalArn === principal)!;
            const legacyName = `dev-blue-eks-admin-${position}`;
            expect(entry.aliases).toEqual([{ name: legacyName, parent: clusterUrn }]);
            const association = resourcesOfType(plan, "aws:eks/accessPolicyAssociation:AccessPolicyAssociation").find((r) => r.parent === entry.urn)!;
            expect(association.aliases).toEqual([{ name: `${legacyName}-cluster-admin`, parent: childUrn(clusterUrn, "aws:eks/accessEntry:AccessEntry", legacyName) }]);
        }
    });

    test("without an injected identity the caller identity is asked (offline: user/offline-plan, not listed, so every admin gets an entry)", async () => {
        const plan = await planFor(raw);
        // The offline caller (user/offline-plan) is not listed: everyone gets an entry.
        expect(principals(plan, "blue")).toEqual([...admins].sort());
    });

    test("later updates run by another admin keep the recorded creator out, and keep the runner's own entry", async () => {
        const previous = { clusters: { blue: { name: "dev-blue", version: "1.32", creator: CI_DEPLOYER }, green: { name: "dev-green", version: "1.33", creator: PLATFORM_ADMIN } } };
        const { plan, outputs } = await planWithOutputs(bothColors, { deployer: PLATFORM_ADMIN, previous });
        expect(principals(plan, "blue")).toEqual([AUDITOR, PLATFORM_ADMIN].sort());
        expect(principals(plan, "green")).toEqual([AUDITOR, CI_DEPLOYER].sort());
        expect(await creatorOutput(outputs, "blue")).toBe(CI_DEPLOYER);
        expect(await creatorOutput(outputs, "green")).toBe(PLATFORM_ADMIN);
    });

    test("a cluster deployed before creators were recorded keeps every entry it has (none of them can be its creator)", async () => {
        const previous = { clusters: { blue: { name: "dev-blue", version: "1.32" } } };
        const plan = await planWith(bothColors, { deployer: PLATFORM_ADMIN, previous });
        expect(principals(plan, "blue")).toEqual([...admins].sort());
        expect(principals(plan, "green")).toEqual([AUDITOR, CI_DEPLOYER].sort());
    });

    test("reordering the admins replaces, updates or deletes nothing; adding one creates exactly its entry", async () => {
        const before = created.plan;
        const reordered = await planWith(withValue(raw, "access.clusterAdmins", [AUDITOR, PLATFORM_ADMIN, CI_DEPLOYER]), { deployer: CI_DEPLOYER });
        const diff = diffPlans(before, reordered);
        expect(diff.steps.filter((s) => s.op !== "same")).toEqual([]);

        const added = await planWith(withValue(raw, "access.clusterAdmins", [AUDITOR, "arn:aws:iam::123456789012:role/sre", PLATFORM_ADMIN]), { deployer: CI_DEPLOYER });
        const changed = diffPlans(before, added).steps.filter((s) => s.op !== "same");
        expect(changed.map((s) => `${s.op} ${s.type} ${s.name.replace(/-[0-9a-f]{8}/, "")}`).sort()).toEqual([
            "create aws:eks/accessEntry:AccessEntry dev-blue-admin-role-sre",
            "create aws:eks/accessPolicyAssociation:AccessPolicyAssociation dev-blue-admin-role-sre-cluster-admin",
        ]);
    });
});


describe("aws:profile", () => {
    test("every AWS provider uses the stack's profile (explicit providers don't read aws:profile), the identity lookup included, with the region", async () => {
        const { plan } = await planWithOutputs(rawConfig({ region: "eu-central-1", clusters: { blue: clusterSpec("1.32") } }), { awsProfile: "platform-dev" });
        const providers = resourcesOfType(plan, "pulumi:providers:aws");
        expect(providers.map((p) => p.name).sort()).toEqual(["dev-aws", "dev-blue-aws", "dev-identity"]);
        for (const provider of providers) expect(provider.inputs).toMatchObject({ region: "eu-central-1", profile: "platform-dev" });
    });
});
