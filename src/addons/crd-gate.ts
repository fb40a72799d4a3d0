/**
 * The CRD gate, decided before any resource is registered. For a cluster that already runs an
 * add-on, the target version's CRDs are compared with what the cluster has (live, or the version
 * recorded at the last deployment); an upgrade in place is allowed only up to the configured class.
 * For a cluster that does not run it yet, anything installs, and the difference between the colors'
 * versions is reported. Pure decisions here; the loading is injected (`AddonCrdDeps`).
 */
import { Color, COLORS, CrdChangeLevel, EnvironmentConfig, presentColors } from "../../stacks/config";
import { CrdDiffResult, CrdSet, diffCrdSets, orderChanges, ParsedCrd, verdictAtMost } from "../crd";
import { ADDON_CATALOG, ADDON_IDS, AddonId } from "./catalog";

export interface CurrentCrds {
    /** The add-on version the cluster runs, when known. */
    version?: string;
    set: CrdSet;
    source: "live" | "previous-version";
}

export interface GateDecision {
    allowed: boolean;
    diff?: CrdDiffResult;
    message?: string;
}

const FIRST_CHANGES_SHOWN = 5;

export function decideInPlaceUpgrade(input: {
    addon: AddonId;
    color: Color;
    targetVersion: string;
    target: CrdSet;
    current: CurrentCrds;
    level: CrdChangeLevel;
}): GateDecision {
    const diff = diffCrdSets(input.current.set, input.target);
    if (verdictAtMost(diff.verdict, input.level)) return { allowed: true, diff };
    const from = input.current.version ?? "the version on the cluster";
    const changes = orderChanges(diff.changes).filter((c) => !verdictAtMost(c.class, input.level));
    const shown = changes.slice(0, FIRST_CHANGES_SHOWN).map((c) => `    - ${c.class}: ${c.crd}${c.version ? ` ${c.version}` : ""} ${c.path || ""} ${c.message} [${c.rule}]`.replace(/\s+\[/, " ["));
    const other = COLORS.find((c) => c !== input.color)!;
    const message = [
        `${input.addon} on ${input.color}: upgrading ${from} → ${input.targetVersion} in place changes its CRDs (${diff.verdict}: ${diff.summary.breaking} breaking, ${diff.summary.compatible} compatible, ${diff.summary.cosmetic} cosmetic; compared with the ${input.current.source === "live" ? "CRDs live on the cluster" : `CRDs of ${from}, as recorded at the last deployment`}), above the allowed "${input.level}":`,
        ...shown,
        ...(changes.length > FIRST_CHANGES_SHOWN ? [`    … and ${changes.length - FIRST_CHANGES_SHOWN} more (bluegreen crd-diff addon:${input.addon}@${input.current.version ?? "<current>"} addon:${input.addon}@${input.targetVersion})`] : []),
        `  Way forward: put ${input.addon} ${input.targetVersion} on the other color (clusters.${other}.addons.${input.addon}.version, a new cluster) and shift traffic to it with bluegreen cutover${diff.verdict === "breaking" ? "; breaking CRD changes are never applied in place." : ";"}`,
        ...(diff.verdict === "breaking"
            ? []
            : [`  or, knowingly, allow it for this one upgrade: pulumi config set --path 'bluegreen:clusters.${input.color}.addons.${input.addon}.inPlaceCrdChanges' ${diff.verdict}`]),
    ].join("\n");
    return { allowed: false, diff, message };
}

/** What the last deployment recorded, from the stack's own previous outputs. */
export interface PreviousDeployment {
    clusters?: Partial<Record<Color, { kubeconfig?: string; addons?: Partial<Record<AddonId, { version?: string }>> }>>;
}

export interface AddonCrdDeps {
    /** The CRDs an add-on's chart version installs (the same source `bluegreen crd-diff addon:` uses). */
    loadAddonCrds(addon: AddonId, version: string): Promise<CrdSet>;
    /** The CRDs of the given API groups live on a cluster. */
    readLiveCrds(kubeconfig: string, groups: string[]): Promise<CrdSet>;
    previousDeployment(): Promise<PreviousDeployment | undefined>;
    /** Offline (the plan): nothing is fetched, the gate does not run, CRDs are known by name only. */
    offline?: boolean;
}

export interface AddonCrdsOfColor {
    version: string;
    /** Parsed CRDs to apply; undefined offline, where only their names are known. */
    crds?: ParsedCrd[];
    crdNames: string[];
    gate: "upgrade-allowed" | "unchanged" | "new-install" | "not-checked-offline";
}

export interface CrdChangeSummary {
    from: string;
    to: string;
    verdict: string;
    breaking: number;
    compatible: number;
    cosmetic: number;
}

export interface AddonCrdPlan {
    colors: Partial<Record<Color, Partial<Record<AddonId, AddonCrdsOfColor>>>>;
    /** Blue's version → green's, per add-on installed on both. */
    crdChanges: Partial<Record<AddonId, CrdChangeSummary>>;
    notes: string[];
}

export class CrdGateError extends Error {
    constructor(readonly failures: string[]) {
        super(`The CRD gate stopped this update before any change (${failures.length} add-on upgrade${failures.length === 1 ? "" : "s"}):\n${failures.join("\n")}`);
        this.name = "CrdGateError";
    }
}

export function addonVersion(config: EnvironmentConfig, color: Color, addon: AddonId): string | undefined {
    const spec = config.clusters[color]?.addons[addon];
    if (!spec || !spec.enabled) return undefined;
    return spec.version ?? ADDON_CATALOG[addon].defaultVersion;
}

export async function prepareAddonCrds(config: EnvironmentConfig, deps: AddonCrdDeps): Promise<AddonCrdPlan> {
    const plan: AddonCrdPlan = { colors: {}, crdChanges: {}, notes: [] };
    if (deps.offline) {
        for (const color of presentColors(config)) {
            for (const addon of ADDON_IDS) {
                const version = addonVersion(config, color, addon);
                if (!version) continue;
                (plan.colors[color] ??= {})[addon] = { version, crdNames: ADDON_CATALOG[addon].knownCrds, gate: "not-checked-offline" };
            }
        }
        plan.notes.push("offline: CRDs are shown by name and fetched at deploy time; the CRD gate runs on `pulumi preview` / `pulumi up`, not here");
        return plan;
    }

    const targets = new Map<string, Promise<CrdSet>>();
    const targetCrds = (addon: AddonId, version: string) => {
        const key = `${addon}@${version}`;
        if (!targets.has(key)) targets.set(key, deps.loadAddonCrds(addon, version));
        return targets.get(key)!;
    };
    const previous = await deps.previousDeployment();
    const failures: string[] = [];
    for (const color of presentColors(config)) {
        for (const addon of ADDON_IDS) {
            const version = addonVersion(config, color, addon);
            if (!version) continue;
            const target = await targetCrds(addon, version);
            const entry: AddonCrdsOfColor = { version, crds: [...target.crds.values()], crdNames: [...target.crds.keys()], gate: "new-install" };
            (plan.colors[color] ??= {})[addon] = entry;
            const installed = previous?.clusters?.[color]?.addons?.[addon]?.version;
            if (installed === undefined) continue;
            const current = await currentCrds(addon, installed, previous?.clusters?.[color]?.kubeconfig, deps, plan.notes, color, targetCrds);
            const decision = decideInPlaceUpgrade({ addon, color, targetVersion: version, target, current, level: config.clusters[color]!.addons[addon].inPlaceCrdChanges });
            if (!decision.allowed) failures.push(decision.message!);
            entry.gate = decision.diff?.verdict === "identical" ? "unchanged" : "upgrade-allowed";
        }
    }
    if (failures.length) throw new CrdGateError(failures);

    const blue = plan.colors.blue;
    const green = plan.colors.green;
    for (const addon of ADDON_IDS) {
        const from = blue?.[addon];
        const to = green?.[addon];
        if (!from || !to) continue;
        const diff = diffCrdSets(await targetCrds(addon, from.version), await targetCrds(addon, to.version));
        plan.crdChanges[addon] = { from: from.version, to: to.version, verdict: diff.verdict, ...diff.summary };
    }
    return plan;
}

async function currentCrds(
    addon: AddonId,
    installedVersion: string,
    kubeconfig: string | undefined,
    deps: AddonCrdDeps,
    notes: string[],
    color: Color,
    targetCrds: (addon: AddonId, version: string) => Promise<CrdSet>,
): Promise<CurrentCrds> {
    if (kubeconfig) {
        try {
            const live = await deps.readLiveCrds(kubeconfig, ADDON_CATALOG[addon].crdGroups);
            if (live.crds.size > 0) return { version: installedVersion, set: live, source: "live" };
            notes.push(`${addon} on ${color}: the cluster has no CRD of ${ADDON_CATALOG[addon].crdGroups.join(", ")}; compared with ${installedVersion}'s CRDs instead`);
        } catch (err) {
            notes.push(`${addon} on ${color}: could not read the cluster's CRDs (${(err as Error).message.split("\n")[0]}); compared with ${installedVersion}'s CRDs, as recorded at the last deployment`);
        }
    }
    // A fetch failure here propagates: the gate never silently passes.
    return { version: installedVersion, set: await targetCrds(addon, installedVersion), source: "previous-version" };
}
