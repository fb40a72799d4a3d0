/**
 * Proven against the upstream contracts (the custom resources are in contracts-crds.test.ts):
 * - every Helm value path our add-ons set exists in the chart's values.yaml at the pinned version
 *   (fixtures/chart-value-paths, taken from each chart; Helm ignores a misspelt key silently);
 * - each add-on's chart service account is the one its Pod Identity association names.
 */
import * as fs from "fs";
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import { Plan } from "../../src/plan/model";
import { ADDON_IDS, ADDONS, AddonId } from "../../src/addons/registry";
import { addonDefinition } from "../../components/addons/definitions";
import { AddonContext } from "../../components/addons/addon";
import { loadEnvironmentConfig } from "../../src/config";
import { clusterSpec, rawConfig } from "../helpers/raw-config";
import { planFor, resourceNamed, resourcesOfType } from "../helpers/plan";

/** The value paths of a values object: plain objects are walked, anything else (lists, scalars, outputs) is a leaf. */
function valuePaths(values: Record<string, unknown>, prefix = ""): string[] {
    return Object.entries(values).flatMap(([key, value]) => {
        const at = prefix ? `${prefix}.${key}` : key;
        return value !== null && typeof value === "object" && Object.getPrototypeOf(value) === Object.prototype && Object.keys(value).length > 0
            ? valuePaths(value as Record<string, unknown>, at)
            : [at];
    });
}

function chartPaths(chart: string, version: string): string[] {
    const file = path.join(__dirname, "fixtures", "chart-value-paths", `${chart}-${version}.json`);
    if (!fs.existsSync(file)) throw new Error(`no value-path fixture for ${chart} ${version}: add ${file} from the chart's values.yaml at that version`);
    return (JSON.parse(fs.readFileSync(file, "utf8")) as { paths: string[] }).paths;
}

/** Our paths the chart's values.yaml does not have (an empty map in the chart, `x.*`, takes any key). */
function unknownValuePaths(values: Record<string, unknown>, known: string[]): string[] {
    const exact = new Set(known);
    const maps = known.filter((p) => p.endsWith(".*")).map((p) => p.slice(0, -1));
    return valuePaths(values).filter((p) => !exact.has(p) && !maps.some((m) => p.startsWith(m)) && !known.some((k) => k.startsWith(`${p}.`)));
}

const resolved = <T>(input: pulumi.Input<T>): Promise<T> => new Promise((resolve) => pulumi.output(input).apply((v) => resolve(v as T)));

describe("Helm values against the charts' own values.yaml at the pinned versions", () => {
    const config = loadEnvironmentConfig(rawConfig({
        clusters: {
            blue: clusterSpec("1.33", {
                addons: {
                    argocd: { highAvailability: true, bootstrap: { repoURL: "https://git.example.com/platform.git", path: "envs/dev" } },
                    "external-dns": { domainFilters: ["example.com"], zoneIdFilters: ["Z0123456789ABC"] },
                },
            }),
        },
    }));
    const context: AddonContext = { environment: "dev", color: "blue", clusterName: "dev-blue", region: "eu-west-1", vpcId: "vpc-0123456789abcdef0", argocdAdminPassword: "correct horse battery staple", routedHostnames: ["shop.example.com", "*.apps.example.com"] };

    test.each(ADDON_IDS)("every value %s sets exists in its chart at the default version", async (id: AddonId) => {
        const values = await resolved(addonDefinition(id).values(context, config.clusters.blue!.addons[id] as never));
        const known = chartPaths(ADDONS[id].chart, ADDONS[id].defaultVersion);
        expect(valuePaths(values).length).toBeGreaterThan(3);
        expect(unknownValuePaths(values, known)).toEqual([]);
    });

    test("ArgoCD's password values set no fixed mtime: the chart stamps the rotation time, ending old sessions", async () => {
        const values = await resolved(addonDefinition("argocd").values(context, config.clusters.blue!.addons.argocd as never)) as { configs: { secret: Record<string, string> } };
        expect(values.configs.secret.argocdServerAdminPassword).toMatch(/^\$2a\$10\$/);
        expect(values.configs.secret).not.toHaveProperty("argocdServerAdminPasswordMtime");
    });

    test("a misspelt or invented key is caught", () => {
        const known = chartPaths("aws-load-balancer-controller", "1.14.0");
        expect(unknownValuePaths({ serviceAcount: { name: "x" }, enableServiceMutatorWebhooks: false, podDisruptionBudget: { maxUnavailable: 1 }, region: "eu-west-1" }, known)).toEqual([
            "serviceAcount.name", "enableServiceMutatorWebhooks",
        ]);
    });
});

describe("service accounts: the chart's is the one Pod Identity names, for every add-on and color", () => {
    let plan: Plan;
    beforeAll(async () => {
        const addons = { "external-dns": { zoneIdFilters: ["Z0123456789ABC"] } };
        plan = await planFor(rawConfig({ clusters: { blue: clusterSpec("1.33", { addons }), green: clusterSpec("1.34", { addons }) } }));
    });

    test.each(ADDON_IDS.flatMap((id) => (["blue", "green"] as const).map((color) => [id, color] as const)))("%s on %s", (id, color) => {
        const account = (ADDONS[id] as { serviceAccount?: { name: string } }).serviceAccount;
        const associations = resourcesOfType(plan, "aws:eks/podIdentityAssociation:PodIdentityAssociation").filter((a) => a.name === `dev-${color}-addons-${id}-pod-identity`);
        if (!account) {
            expect(associations).toEqual([]);
            return;
        }
        const release = resourceNamed(plan, "kubernetes:helm.sh/v3:Release", `dev-${color}-addons-${id}-release`);
        const values = release.inputs.values as { serviceAccount: { create: boolean; name: string } };
        expect(associations).toHaveLength(1);
        expect(associations[0].inputs).toMatchObject({ clusterName: `dev-${color}`, namespace: release.inputs.namespace, serviceAccount: values.serviceAccount.name });
        expect(values.serviceAccount.create).toBe(true);
    });
});
