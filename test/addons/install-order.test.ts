/**
 * The order add-ons are installed and removed in, read from the plan's dependencies: the load
 * balancer controller's webhooks must serve before any other add-on creates Services, it keeps its
 * IAM permissions while its finalizers run, and it outlives ArgoCD so a teardown can delete the
 * apps' Ingresses (and with them their load balancers) first.
 */
import { Plan } from "../../src/plan/model";
import { clusterSpec, rawConfig } from "../helpers/raw-config";
import { planFor, resourceNamed } from "../helpers/plan";

const RELEASE = "kubernetes:helm.sh/v3:Release";

describe("add-on install and removal order", () => {
    let plan: Plan;
    beforeAll(async () => {
        const addons = {
            argocd: { bootstrap: { repoURL: "https://git.example.com/platform.git", path: "envs/dev" } },
            "external-dns": { zoneIdFilters: ["Z0123456789ABC"] },
        };
        plan = await planFor(rawConfig({ clusters: { blue: clusterSpec("1.33", { addons }), green: clusterSpec("1.34", { addons }) } }));
    });
    const release = (color: string, addon: string) => resourceNamed(plan, RELEASE, `dev-${color}-addons-${addon}-release`);

    test.each(["blue", "green"])("%s: the controller's Service mutating webhook (failurePolicy Fail) is disabled", (color) => {
        expect((release(color, "aws-load-balancer-controller").inputs.values as Record<string, unknown>).enableServiceMutatorWebhook).toBe(false);
    });

    test.each([
        ["blue", "argocd"], ["blue", "external-dns"], ["green", "argocd"], ["green", "external-dns"],
    ])("%s %s installs only after the controller's release (which waits for its pods) and is removed before it", (color, addon) => {
        expect(release(color, addon).dependencies).toContain(release(color, "aws-load-balancer-controller").urn);
        // The same color's controller only: each cluster has its own webhooks.
        const other = color === "blue" ? "green" : "blue";
        expect(release(color, addon).dependencies).not.toContain(release(other, "aws-load-balancer-controller").urn);
    });

    test("the controller's release waits for its pods to be ready (Helm --wait; skipAwait unset)", () => {
        expect(release("blue", "aws-load-balancer-controller").inputs.skipAwait).toBeUndefined();
    });

    test("the controller itself waits for no other add-on", () => {
        const deps = release("blue", "aws-load-balancer-controller").dependencies;
        expect(deps).not.toContain(release("blue", "argocd").urn);
        expect(deps).not.toContain(release("blue", "external-dns").urn);
    });

    test.each(["aws-load-balancer-controller", "external-dns"])("%s's IAM policy and Pod Identity association are dependencies of its release (kept until it is gone)", (addon) => {
        for (const color of ["blue", "green"]) {
            const deps = release(color, addon).dependencies;
            expect(deps).toContain(resourceNamed(plan, "aws:iam/rolePolicy:RolePolicy", `dev-${color}-addons-${addon}-policy`).urn);
            expect(deps).toContain(resourceNamed(plan, "aws:eks/podIdentityAssociation:PodIdentityAssociation", `dev-${color}-addons-${addon}-pod-identity`).urn);
        }
    });

    test("ArgoCD's root Application deletes what it synced before it goes (resources finalizer), and goes before the controller", () => {
        for (const color of ["blue", "green"]) {
            const root = resourceNamed(plan, "kubernetes:argoproj.io/v1alpha1:Application", `dev-${color}-argocd-root-app`);
            expect((root.inputs.metadata as { finalizers?: string[] }).finalizers).toEqual(["resources-finalizer.argocd.argoproj.io"]);
            expect(root.dependencies).toContain(release(color, "argocd").urn);
            expect(release(color, "argocd").dependencies).toContain(release(color, "aws-load-balancer-controller").urn);
        }
    });

    test("re-enabling an add-on adopts its retained CRDs: they use a provider that upserts, and take over fields (patchForce); nothing else does", () => {
        for (const color of ["blue", "green"]) {
            const adopt = resourceNamed(plan, "pulumi:providers:kubernetes", `dev-${color}-addons-crd-adopt`);
            expect(adopt.inputs).toMatchObject({ upsertExistingObjects: "true", enableServerSideApply: "true" });
            const crds = plan.resources.filter((r) => r.type === "kubernetes:apiextensions.k8s.io/v1:CustomResourceDefinition" && r.name.startsWith(`dev-${color}-`));
            expect(crds.length).toBeGreaterThanOrEqual(9);
            for (const crd of crds) {
                expect(crd.provider).toBe(adopt.urn);
                expect(crd.retainOnDelete).toBe(true);
                expect((crd.inputs.metadata as { annotations: Record<string, string> }).annotations["pulumi.com/patchForce"]).toBe("true");
            }
            // Everything else (namespaces, releases, the root app) keeps the cluster's provider, which refuses to create what exists.
            const users = plan.resources.filter((r) => r.provider === adopt.urn);
            expect(users.every((r) => r.type === "kubernetes:apiextensions.k8s.io/v1:CustomResourceDefinition")).toBe(true);
            expect(resourceNamed(plan, "kubernetes:core/v1:Namespace", `dev-${color}-addons-argocd-namespace`).provider).toBe(resourceNamed(plan, "pulumi:providers:kubernetes", `dev-${color}-k8s`).urn);
        }
    });
});

describe("ArgoCD admin password rotation ends old sessions", () => {
    // Argo CD refuses a token issued before admin.passwordMtime (util/session/sessionmanager.go); the chart
    // stamps that time when it renders the secret unless a value is given. A fixed value never ends a session.
    const { adminPasswordValues, adminPasswordHash } = jest.requireActual("../../components/addons/argocd") as typeof import("../../components/addons/argocd");

    test("the values carry the hash and no fixed mtime, so the chart stamps the rotation time", () => {
        const values = adminPasswordValues("s3cret-password", "dev-blue");
        expect(values).toEqual({ argocdServerAdminPassword: adminPasswordHash("s3cret-password", "dev-blue") });
        expect(Object.keys(values)).not.toContain("argocdServerAdminPasswordMtime");
    });

    test("a new password changes the values (a Helm upgrade, a new mtime); the same password does not", () => {
        expect(adminPasswordValues("s3cret-password", "dev-blue")).toEqual(adminPasswordValues("s3cret-password", "dev-blue"));
        expect(adminPasswordValues("n3w-password!", "dev-blue")).not.toEqual(adminPasswordValues("s3cret-password", "dev-blue"));
    });
});
