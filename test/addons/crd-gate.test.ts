import { loadEnvironmentConfig } from "../../src/config";
import {
    ADDON_CRD_LABEL,
    AddonCrdDeps,
    CrdGateError,
    CrdGateLoadError,
    decideInPlaceUpgrade,
    liveCrdsOfAddon,
    prepareAddonCrds,
    PreviousDeployment,
} from "../../src/addons/crd-gate";
import { AddonId } from "../../src/addons/registry";
import { CrdSet } from "../../src/crd";
import { crdObject, mutatedSchema, Schema, setOf } from "../crd/builders";
import { clusterSpec, rawConfig } from "../helpers/raw-config";

/** A CRD of ArgoCD's API group (the gate only looks at an add-on's own groups on a live cluster). */
const argoCrd = (options: { schema?: Schema; name?: string; labels?: Record<string, string> } = {}) =>
    crdObject({
        name: options.name ?? "widgets.argoproj.io",
        spec: { group: "argoproj.io" },
        metadata: options.labels ? { labels: options.labels } : {},
        versions: [{ schema: options.schema }],
    });

/** Versions of a fake ArgoCD's CRDs: 1.0.0 the base, 1.0.1 docs only, 1.1.0 an enum value more, 2.0.0 a field removed. */
const VERSIONS: Record<string, CrdSet> = {
    "1.0.0": setOf([argoCrd()]),
    "1.0.1": setOf([argoCrd({ schema: mutatedSchema((s) => (s.properties.size.description = "size of it")) })]),
    "1.1.0": setOf([argoCrd({ schema: mutatedSchema((s) => s.properties.color.enum.push("green")) })]),
    "2.0.0": setOf([argoCrd({ schema: mutatedSchema((s) => delete s.properties.color) })]),
};

interface FakeDeps extends AddonCrdDeps {
    loads: string[];
    liveReads: Array<{ kubeconfig: string; groups: string[] }>;
}

function deps(options: { previous?: PreviousDeployment | Error; live?: CrdSet | Error; failing?: string } = {}): FakeDeps {
    const loads: string[] = [];
    const liveReads: FakeDeps["liveReads"] = [];
    return {
        loads,
        liveReads,
        loadAddonCrds: async (addon: AddonId, version: string) => {
            loads.push(`${addon}@${version}`);
            if (options.failing === version) throw new Error(`could not fetch https://charts.example.com/${addon}-${version}.tgz: HTTP 404`);
            const set = VERSIONS[version];
            if (!set) throw new Error(`no fixture for ${version}`);
            return set;
        },
        readLiveCrds: async (kubeconfig: string, groups: string[]) => {
            liveReads.push({ kubeconfig, groups });
            if (options.live instanceof Error) throw options.live;
            return options.live ?? { ...VERSIONS["1.0.0"], live: true };
        },
        previousDeployment: async () => {
            if (options.previous instanceof Error) throw options.previous;
            return options.previous;
        },
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

const runningOnBlue = (version: string | undefined, kubeconfig?: string): PreviousDeployment => ({
    clusters: { blue: { kubeconfig, addons: version ? { argocd: { version } } : {} } },
});

const gateError = (promise: Promise<unknown>): Promise<Error> => promise.then(() => { throw new Error("the gate passed"); }, (e: Error) => e);

describe("the CRD gate, in place", () => {
    test("an upgrade whose CRDs break fails before anything, naming the add-on, color, both versions, the changes and the way forward", async () => {
        const error = await gateError(prepareAddonCrds(config("2.0.0"), deps({ previous: runningOnBlue("1.0.0", "kubeconfig") })));
        expect(error).toBeInstanceOf(CrdGateError);
        expect(error.message).toMatch(/^The CRD gate stopped this update before any change \(1 add-on upgrade\):/);
        expect(error.message).toContain("argocd on blue: upgrading 1.0.0 → 2.0.0 in place changes its CRDs (breaking: 1 breaking");
        expect(error.message).toContain("compared with the CRDs live on the cluster");
        expect(error.message).toMatch(/- breaking: widgets\.argoproj\.io v1 \.spec\.color \.spec\.color is removed \[field-removed\]/);
        expect(error.message).toContain("Way forward: put argocd 2.0.0 on the other color (clusters.green.addons.argocd.version, a new cluster) and shift traffic to it with bluegreen cutover");
        expect(error.message).toContain("breaking CRD changes are never applied in place");
        expect(error.message).not.toContain("pulumi config set");
    });

    test("a cosmetic change passes at the default level", async () => {
        const plan = await prepareAddonCrds(config("1.0.1"), deps({ previous: runningOnBlue("1.0.0", "kubeconfig") }));
        expect(plan.colors.blue!.argocd).toMatchObject({ version: "1.0.1", gate: "upgrade-allowed", crdNames: ["widgets.argoproj.io"] });
        expect(plan.colors.blue!.argocd!.crds!.map((c) => c.name)).toEqual(["widgets.argoproj.io"]);
    });

    test("a compatible change passes only when inPlaceCrdChanges allows it, and the refusal says how to allow it", async () => {
        const refused = await gateError(prepareAddonCrds(config("1.1.0"), deps({ previous: runningOnBlue("1.0.0", "kubeconfig") })));
        expect(refused).toBeInstanceOf(CrdGateError);
        expect(refused.message).toContain('above the allowed "cosmetic"');
        expect(refused.message).toContain("- compatible: widgets.argoproj.io v1 .spec.color");
        expect(refused.message).toContain("or, knowingly, allow it for this one upgrade: pulumi config set --path 'bluegreen:clusters.blue.addons.argocd.inPlaceCrdChanges' compatible");
        const allowed = await prepareAddonCrds(config("1.1.0", undefined, "compatible"), deps({ previous: runningOnBlue("1.0.0", "kubeconfig") }));
        expect(allowed.colors.blue!.argocd!.gate).toBe("upgrade-allowed");
        // The level never admits a breaking change.
        await expect(prepareAddonCrds(config("2.0.0", undefined, "compatible"), deps({ previous: runningOnBlue("1.0.0", "kubeconfig") }))).rejects.toThrow(CrdGateError);
    });

    test("the same version again is unchanged, also with this program's own label on the live CRDs", async () => {
        const live = setOf([argoCrd({ labels: { [ADDON_CRD_LABEL]: "argocd" } })], true);
        const plan = await prepareAddonCrds(config("1.0.0"), deps({ previous: runningOnBlue("1.0.0", "kubeconfig"), live }));
        expect(plan.colors.blue!.argocd!.gate).toBe("unchanged");
    });

    test("other CRDs of the add-on's API group (Argo Rollouts in argoproj.io) are not the add-on's and are not compared", async () => {
        const live = setOf([argoCrd(), argoCrd({ name: "rollouts.argoproj.io" })], true);
        const plan = await prepareAddonCrds(config("1.0.1"), deps({ previous: runningOnBlue("1.0.0", "kubeconfig"), live }));
        expect(plan.colors.blue!.argocd!.gate).toBe("upgrade-allowed");
    });

    test("a CRD the add-on applied (labelled) and the target no longer has is a breaking removal", async () => {
        const live = setOf([argoCrd(), argoCrd({ name: "gadgets.argoproj.io", labels: { [ADDON_CRD_LABEL]: "argocd" } })], true);
        const error = await gateError(prepareAddonCrds(config("1.0.0"), deps({ previous: runningOnBlue("1.0.0", "kubeconfig"), live })));
        expect(error.message).toMatch(/- breaking: gadgets\.argoproj\.io .*\[crd-removed\]/);
    });

    test("the cluster is read once per color, for the groups of every enabled add-on, through the previous kubeconfig", async () => {
        const raw = rawConfig({ clusters: { blue: clusterSpec("1.33", { addons: { argocd: { version: "1.0.0" }, "aws-load-balancer-controller": { version: "1.0.0" } } }) } });
        const d = deps({ previous: { clusters: { blue: { kubeconfig: "blue-kubeconfig", addons: { argocd: { version: "1.0.0" } } } } } });
        const plan = await prepareAddonCrds(loadEnvironmentConfig(raw), d);
        expect(d.liveReads).toEqual([{ kubeconfig: "blue-kubeconfig", groups: ["argoproj.io", "elbv2.k8s.aws", "gateway.k8s.aws"] }]);
        expect(plan.colors.blue!.argocd!.gate).toBe("unchanged");
        // Not recorded and none of its CRDs on the cluster: a new install.
        expect(plan.colors.blue!["aws-load-balancer-controller"]!.gate).toBe("new-install");
    });
});

describe("the CRD gate when the cluster cannot be read, or the add-on was not recorded", () => {
    test("an unreadable cluster is compared with the version recorded at the last deployment, and the gate says so", async () => {
        const d = deps({ previous: runningOnBlue("1.0.0", "kubeconfig"), live: new Error("connect ETIMEDOUT 10.0.1.5:443") });
        const error = await gateError(prepareAddonCrds(config("2.0.0"), d));
        expect(error.message).toContain("compared with the CRDs of 1.0.0, as recorded at the last deployment");
        expect(d.loads).toEqual(["argocd@2.0.0", "argocd@1.0.0"]);
        const passing = await prepareAddonCrds(config("1.0.1"), deps({ previous: runningOnBlue("1.0.0", "kubeconfig"), live: new Error("connect ETIMEDOUT") }));
        expect(passing.notes[0]).toMatch(/argocd on blue: could not read the cluster's CRDs \(connect ETIMEDOUT\); compared with 1\.0\.0's CRDs/);
    });

    test("without a kubeconfig in the previous outputs, the recorded version's CRDs are the reference", async () => {
        const d = deps({ previous: runningOnBlue("1.0.0") });
        await expect(prepareAddonCrds(config("2.0.0"), d)).rejects.toThrow(/compared with the CRDs of 1\.0\.0, as recorded/);
        expect(d.liveReads).toEqual([]);
    });

    test("an add-on not recorded whose CRDs are on the cluster (kept from an earlier install) goes through the gate", async () => {
        const error = await gateError(prepareAddonCrds(config("2.0.0"), deps({ previous: runningOnBlue(undefined, "kubeconfig") })));
        expect(error.message).toContain("argocd on blue: upgrading the version on the cluster (not recorded) → 2.0.0 in place");
    });

    test("an add-on not recorded on a cluster that cannot be read is installed as new, with a note", async () => {
        const plan = await prepareAddonCrds(config("2.0.0"), deps({ previous: runningOnBlue(undefined, "kubeconfig"), live: new Error("Unauthorized") }));
        expect(plan.colors.blue!.argocd!.gate).toBe("new-install");
        expect(plan.notes).toEqual(["argocd on blue: not recorded at the last deployment and the cluster's CRDs could not be read (Unauthorized); installed as new"]);
    });
});

describe("the CRD gate on a new cluster", () => {
    test("a new green installs whatever it is given and the blue → green difference is exported", async () => {
        const plan = await prepareAddonCrds(config("1.0.0", "2.0.0"), deps({ previous: runningOnBlue("1.0.0", "kubeconfig") }));
        expect(plan.colors.green!.argocd).toMatchObject({ version: "2.0.0", gate: "new-install" });
        expect(plan.crdChanges.argocd).toEqual({ from: "1.0.0", to: "2.0.0", verdict: "breaking", breaking: 1, compatible: 0, cosmetic: 0 });
    });

    test("the very first deployment (no previous outputs) installs both colors", async () => {
        const plan = await prepareAddonCrds(config("1.0.0", "1.1.0"), deps());
        expect([plan.colors.blue!.argocd!.gate, plan.colors.green!.argocd!.gate]).toEqual(["new-install", "new-install"]);
        expect(plan.crdChanges.argocd).toMatchObject({ from: "1.0.0", to: "1.1.0", verdict: "compatible", compatible: 1 });
    });
});

describe("the CRD gate never skips itself", () => {
    test("a CRD fetch failure fails with the reason, the add-on, its version and its config path", async () => {
        const error = await gateError(prepareAddonCrds(config("2.0.0"), deps({ failing: "2.0.0" })));
        expect(error).toBeInstanceOf(CrdGateLoadError);
        expect(error.message.split("\n")).toEqual([
            "could not fetch https://charts.example.com/argocd-2.0.0.tgz: HTTP 404",
            "  The CRD gate needs the CRDs of argocd 2.0.0 (clusters.blue.addons.argocd.version) and does not run without them, so nothing was changed. Fix the cause (network, a mirror through BLUEGREEN_URL_REWRITE, or the version), then run again.",
        ]);
        // The installed version's CRDs are needed when the cluster cannot be read: their fetch failing fails too.
        await expect(prepareAddonCrds(config("1.0.1"), deps({ previous: runningOnBlue("1.0.0"), failing: "1.0.0" }))).rejects.toThrow(/HTTP 404\n.*needs the CRDs of argocd 1\.0\.0 \(the version blue runs, recorded at the last deployment\)/);
    });

    test("previous outputs that cannot be read fail the gate", async () => {
        await expect(prepareAddonCrds(config("1.0.0"), deps({ previous: new Error("could not read stack org/bluegreen/dev: 403") }))).rejects.toThrow(
            /^could not read stack org\/bluegreen\/dev: 403\n {2}The CRD gate needs the stack's previous outputs/,
        );
    });

    test("offline (the plan) nothing is fetched or read, and the gate says it did not run and why", async () => {
        const d = { ...deps({ previous: runningOnBlue("1.0.0", "kubeconfig") }), offline: true };
        const plan = await prepareAddonCrds(config("2.0.0", "1.0.0"), d);
        expect(d.loads).toEqual([]);
        expect(d.liveReads).toEqual([]);
        expect(plan.colors.blue!.argocd).toEqual({ version: "2.0.0", crdNames: ["applications.argoproj.io", "applicationsets.argoproj.io", "appprojects.argoproj.io"], gate: "not-checked-offline" });
        expect(plan.crdChanges).toEqual({});
        expect(plan.notes[0]).toMatch(/^CRD gate skipped offline: the plan makes no network call/);
    });
});

describe("decisions and filters", () => {
    test("decideInPlaceUpgrade lists at most five changes and points at crd-diff for the rest", () => {
        const many = setOf([argoCrd({ schema: mutatedSchema((s) => { for (const k of Object.keys(s.properties)) delete s.properties[k]; }) })]);
        const decision = decideInPlaceUpgrade({ addon: "argocd", color: "green", targetVersion: "9.0.0", target: many, current: { version: "8.0.0", set: VERSIONS["1.0.0"], source: "previous-version" }, level: "cosmetic" });
        expect(decision.allowed).toBe(false);
        expect(decision.message!.split("\n").filter((l) => l.startsWith("    - "))).toHaveLength(5);
        expect(decision.message).toContain("… and 2 more (bluegreen crd-diff addon:argocd@8.0.0 addon:argocd@9.0.0)");
        expect(decision.message).toContain("clusters.blue.addons.argocd.version");
    });

    test("liveCrdsOfAddon keeps the add-on's groups and names, and drops this program's label", () => {
        const live = setOf([
            argoCrd({ name: "applications.argoproj.io", labels: { [ADDON_CRD_LABEL]: "argocd", team: "platform" } }),
            argoCrd({ name: "rollouts.argoproj.io" }),
            crdObject({ name: "widgets.example.com" }),
        ], true);
        const owned = liveCrdsOfAddon(live, "argocd", new Set());
        expect([...owned.crds.keys()]).toEqual(["applications.argoproj.io"]);
        expect((owned.crds.get("applications.argoproj.io")!.object.metadata as { labels: unknown }).labels).toEqual({ team: "platform" });
        expect(owned.live).toBe(true);
        expect([...liveCrdsOfAddon(live, "argocd", new Set(["rollouts.argoproj.io"])).crds.keys()].sort()).toEqual(["applications.argoproj.io", "rollouts.argoproj.io"]);
    });
});
