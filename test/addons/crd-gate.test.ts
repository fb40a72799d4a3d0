import { loadEnvironmentConfig } from "../../stacks/config";
import { AddonCrdDeps, CrdGateError, decideInPlaceUpgrade, prepareAddonCrds, PreviousDeployment } from "../../src/addons/crd-gate";
import { AddonId } from "../../src/addons/catalog";
import { CrdSet } from "../../src/crd";
import { crdObject, mutatedSchema, setOf } from "../crd/builders";
import { clusterSpec, rawConfig } from "../helpers/raw-config";

/** Versions of a fake add-on's CRDs: 1.0.0 the base, 1.0.1 docs only, 1.1.0 an enum value more, 2.0.0 a field removed. */
const VERSIONS: Record<string, CrdSet> = {
    "1.0.0": setOf([crdObject()]),
    "1.0.1": setOf([crdObject({ versions: [{ schema: mutatedSchema((s) => (s.properties.size.description = "size of it")) }] })]),
    "1.1.0": setOf([crdObject({ versions: [{ schema: mutatedSchema((s) => s.properties.color.enum.push("green")) }] })]),
    "2.0.0": setOf([crdObject({ versions: [{ schema: mutatedSchema((s) => delete s.properties.color) }] })]),
};

function deps(options: { previous?: PreviousDeployment; live?: CrdSet | Error; failing?: string } = {}): AddonCrdDeps & { loads: string[] } {
    const loads: string[] = [];
    return {
        loads,
        loadAddonCrds: async (addon: AddonId, version: string) => {
            loads.push(`${addon}@${version}`);
            if (options.failing === version) throw new Error(`could not fetch https://charts.example.com/${addon}-${version}.tgz: HTTP 404`);
            const set = VERSIONS[version];
            if (!set) throw new Error(`no fixture for ${version}`);
            return set;
        },
        readLiveCrds: async () => {
            if (options.live instanceof Error) throw options.live;
            return options.live ?? VERSIONS["1.0.0"];
        },
        previousDeployment: async () => options.previous,
    };
}

/** Only argocd enabled (external-dns needs zones; the controller is switched off) so each test reads one add-on. */
function config(blueVersion?: string, greenVersion?: string, level: "cosmetic" | "compatible" = "cosmetic") {
    const addons = (version?: string) => ({ argocd: { version, inPlaceCrdChanges: level }, "aws-load-balancer-controller": { enabled: false } });
    return loadEnvironmentConfig(rawConfig({
        clusters: {
            ...(blueVersion ? { blue: clusterSpec("1.33", { addons: addons(blueVersion) }) } : {}),
            ...(greenVersion ? { green: clusterSpec("1.34", { addons: addons(greenVersion) }) } : {}),
        },
    }));
}

const runningOnBlue = (version: string, kubeconfig?: string): PreviousDeployment => ({ clusters: { blue: { kubeconfig, addons: { argocd: { version } } } } });

describe("the CRD gate", () => {
    test("an in-place upgrade whose CRDs break fails before anything, naming the add-on, both versions, the changes and the way forward", async () => {
        const error = await prepareAddonCrds(config("2.0.0"), deps({ previous: runningOnBlue("1.0.0", "kubeconfig") })).catch((e) => e);
        expect(error).toBeInstanceOf(CrdGateError);
        const message = (error as Error).message;
        expect(message).toMatch(/^The CRD gate stopped this update before any change \(1 add-on upgrade\):/);
        expect(message).toContain("argocd on blue: upgrading 1.0.0 → 2.0.0 in place changes its CRDs (breaking: 1 breaking");
        expect(message).toContain("compared with the CRDs live on the cluster");
        expect(message).toMatch(/- breaking: widgets\.example\.com v1 \.spec\.color \.spec\.color is removed \[field-removed\]/);
        expect(message).toContain("Way forward: put argocd 2.0.0 on the other color (clusters.green.addons.argocd.version, a new cluster)");
        expect(message).toContain("breaking CRD changes are never applied in place");
    });

    test("a cosmetic change passes in place", async () => {
        const plan = await prepareAddonCrds(config("1.0.1"), deps({ previous: runningOnBlue("1.0.0", "kubeconfig") }));
        expect(plan.colors.blue!.argocd).toMatchObject({ version: "1.0.1", gate: "upgrade-allowed", crdNames: ["widgets.example.com"] });
    });

    test("a compatible change passes only when inPlaceCrdChanges allows it, and the message says how to allow it", async () => {
        const refused = await prepareAddonCrds(config("1.1.0"), deps({ previous: runningOnBlue("1.0.0", "kubeconfig") })).catch((e) => e);
        expect((refused as Error).message).toContain("pulumi config set --path 'bluegreen:clusters.blue.addons.argocd.inPlaceCrdChanges' compatible");
        const allowed = await prepareAddonCrds(config("1.1.0", undefined, "compatible"), deps({ previous: runningOnBlue("1.0.0", "kubeconfig") }));
        expect(allowed.colors.blue!.argocd!.gate).toBe("upgrade-allowed");
    });

    test("the same version again is unchanged", async () => {
        const plan = await prepareAddonCrds(config("1.0.0"), deps({ previous: runningOnBlue("1.0.0", "kubeconfig") }));
        expect(plan.colors.blue!.argocd!.gate).toBe("unchanged");
    });

    test("when the cluster cannot be read, the gate compares with the version recorded at the last deployment, and says so", async () => {
        const d = deps({ previous: runningOnBlue("1.0.0", "kubeconfig"), live: new Error("connect ETIMEDOUT 10.0.1.5:443") });
        const error = await prepareAddonCrds(config("2.0.0"), d).catch((e) => e);
        expect((error as Error).message).toContain("compared with the CRDs of 1.0.0, as recorded at the last deployment");
        expect(d.loads).toEqual(["argocd@2.0.0", "argocd@1.0.0"]);
        const passing = await prepareAddonCrds(config("1.0.1"), deps({ previous: runningOnBlue("1.0.0", "kubeconfig"), live: new Error("connect ETIMEDOUT") }));
        expect(passing.notes[0]).toMatch(/argocd on blue: could not read the cluster's CRDs \(connect ETIMEDOUT\); compared with 1\.0\.0's CRDs/);
    });

    test("a new green installs whatever it is given and the blue → green difference is exported", async () => {
        const plan = await prepareAddonCrds(config("1.0.0", "2.0.0"), deps({ previous: runningOnBlue("1.0.0", "kubeconfig") }));
        expect(plan.colors.green!.argocd).toMatchObject({ version: "2.0.0", gate: "new-install" });
        expect(plan.crdChanges.argocd).toEqual({ from: "1.0.0", to: "2.0.0", verdict: "breaking", breaking: 1, compatible: 0, cosmetic: 0 });
    });

    test("a fetch failure fails the preview with the reason; it never skips the gate", async () => {
        await expect(prepareAddonCrds(config("2.0.0"), deps({ failing: "2.0.0" }))).rejects.toThrow(/could not fetch https:\/\/charts\.example\.com\/argocd-2\.0\.0\.tgz: HTTP 404/);
        // The installed version's CRDs are needed when the cluster cannot be read: their fetch failing fails too.
        await expect(prepareAddonCrds(config("1.0.1"), deps({ previous: runningOnBlue("1.0.0"), failing: "1.0.0" }))).rejects.toThrow(/HTTP 404/);
    });

    test("offline (the plan) nothing is fetched and the gate is marked as not run", async () => {
        const d = { ...deps(), offline: true };
        const plan = await prepareAddonCrds(config("2.0.0", "1.0.0"), d);
        expect(d.loads).toEqual([]);
        expect(plan.colors.blue!.argocd).toEqual({ version: "2.0.0", crdNames: ["applications.argoproj.io", "applicationsets.argoproj.io", "appprojects.argoproj.io"], gate: "not-checked-offline" });
        expect(plan.notes[0]).toMatch(/CRD gate runs on `pulumi preview` \/ `pulumi up`, not here/);
    });

    test("decideInPlaceUpgrade lists at most five changes and points at crd-diff for the rest", () => {
        const many = setOf([crdObject({ versions: [{ schema: mutatedSchema((s) => { for (const k of Object.keys(s.properties)) delete s.properties[k]; }) }] })]);
        const decision = decideInPlaceUpgrade({ addon: "argocd", color: "green", targetVersion: "9.0.0", target: many, current: { version: "8.0.0", set: VERSIONS["1.0.0"], source: "previous-version" }, level: "cosmetic" });
        expect(decision.allowed).toBe(false);
        expect(decision.message!.split("\n").filter((l) => l.startsWith("    - "))).toHaveLength(5);
        expect(decision.message).toContain("… and 2 more (bluegreen crd-diff addon:argocd@8.0.0 addon:argocd@9.0.0)");
        expect(decision.message).toContain("clusters.blue.addons.argocd.version");
    });
});
