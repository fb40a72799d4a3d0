/**
 * The CRD gate, decided before any resource is registered. For a cluster that already runs an
 * add-on, the target version's CRDs are compared with what the cluster has (live, or the version
 * recorded at the last deployment); an upgrade in place is allowed only up to the configured class.
 * For a cluster that does not run it yet, anything installs, and the difference between the colors'
 * versions is reported. Pure decisions here; the loading is injected (`AddonCrdDeps`).
 */
import { Color, COLORS, CrdChangeLevel, EnvironmentConfig, presentColors } from "../config";
import { CrdDiffResult, CrdSet, diffCrdSets, orderChanges, ParsedCrd, verdictAtMost } from "../crd";
import { ADDON_CATALOG, ADDON_IDS, AddonId } from "./registry";
import { LockEntry, lockReference } from "./lock";

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
    const from = input.current.version ?? "the version on the cluster (not recorded)";
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
    clusters?: Partial<Record<Color, { kubeconfig?: string; addons?: Partial<Record<AddonId, { version?: string }>>; nodeGroupDesiredSizes?: Record<string, number> }>>;
}

export interface AddonCrdDeps {
    /** The CRDs an add-on's chart version installs (the same source `bluegreen crd-diff addon:` uses). */
    loadAddonCrds(addon: AddonId, version: string): Promise<CrdSet>;
    /** The CRDs of the given API groups live on a cluster. */
    readLiveCrds(kubeconfig: string, groups: string[]): Promise<CrdSet>;
    previousDeployment(): Promise<PreviousDeployment | undefined>;
    /** The lock file's entry of an add-on version, when there is one (read offline too: the plan shows it). */
    lockEntry?(addon: AddonId, version: string): LockEntry | undefined;
    /** Offline (the plan): nothing is fetched, the gate does not run, CRDs are known by name only. */
    offline?: boolean;
}

export interface AddonCrdsOfColor {
    version: string;
    /** Parsed CRDs to apply; undefined offline, where only their names are known. */
    crds?: ParsedCrd[];
    crdNames: string[];
    /** Per CRD name, the lock entry it comes from (`addons.lock.json argocd@8.5.0 <crd> sha256:…`). */
    lockRefs?: Record<string, string>;
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

/**
 * Put on every CRD this program applies, naming its add-on. An API group is not an add-on's alone
 * (argoproj.io also holds Argo Rollouts' and Workflows' CRDs): the gate compares only the live CRDs
 * an add-on owns — labelled so, or named by the target version or the catalog.
 */
export const ADDON_CRD_LABEL = "bluegreen/addon";

/** The CRDs of a live cluster that belong to an add-on, without this program's own label (not a change). */
export function liveCrdsOfAddon(live: CrdSet, addon: AddonId, targetNames: ReadonlySet<string>): CrdSet {
    const catalog = ADDON_CATALOG[addon];
    const crds = new Map<string, ParsedCrd>();
    for (const [name, crd] of live.crds) {
        const group = (crd.object.spec as { group?: string } | undefined)?.group;
        const metadata = (crd.object.metadata ?? {}) as { labels?: Record<string, string> };
        const labelled = metadata.labels?.[ADDON_CRD_LABEL];
        if (!group || !catalog.crdGroups.includes(group)) continue;
        if (labelled !== addon && !targetNames.has(name) && !catalog.knownCrds.includes(name)) continue;
        if (labelled === undefined) {
            crds.set(name, crd);
            continue;
        }
        const { [ADDON_CRD_LABEL]: _ours, ...labels } = metadata.labels!;
        crds.set(name, { ...crd, object: { ...crd.object, metadata: { ...metadata, labels } } });
    }
    return { crds, live: live.live };
}

/** A CRD source that could not be read: the gate cannot decide, so nothing is changed. The reason comes first. */
export class CrdGateLoadError extends Error {
    constructor(what: string, readonly reason: Error) {
        super(
            `${reason.message}\n` +
                `  The CRD gate needs ${what} and does not run without them, so nothing was changed. Fix the cause (network, a mirror through BLUEGREEN_URL_REWRITE, or the version), then run again.`,
        );
        this.name = "CrdGateLoadError";
    }
}

export async function prepareAddonCrds(config: EnvironmentConfig, deps: AddonCrdDeps): Promise<AddonCrdPlan> {
    const plan: AddonCrdPlan = { colors: {}, crdChanges: {}, notes: [] };
    if (deps.offline) {
        for (const color of presentColors(config)) {
            for (const addon of ADDON_IDS) {
                const version = addonVersion(config, color, addon);
                if (!version) continue;
                const locked = deps.lockEntry?.(addon, version);
                (plan.colors[color] ??= {})[addon] = locked
                    ? { version, crdNames: locked.crds.map((c) => c.name), lockRefs: lockRefsOf(addon, version, locked), gate: "not-checked-offline" }
                    : { version, crdNames: [...ADDON_CATALOG[addon].knownCrds], gate: "not-checked-offline" };
            }
        }
        plan.notes.push(
            "CRD gate skipped offline: the plan makes no network call, so no CRD is fetched and no cluster is read. CRDs are shown by the names the catalog lists, their contents fetched at deploy time; the gate runs on every `pulumi preview` / `pulumi up` (and `bluegreen preflight`)",
        );
        return plan;
    }

    const targets = new Map<string, Promise<CrdSet>>();
    const targetCrds = (addon: AddonId, version: string, purpose: string): Promise<CrdSet> => {
        const key = `${addon}@${version}`;
        if (!targets.has(key)) {
            targets.set(key, deps.loadAddonCrds(addon, version).catch((err: Error) => {
                throw new CrdGateLoadError(`the CRDs of ${addon} ${version} (${purpose})`, err);
            }));
        }
        return targets.get(key)!;
    };
    const previous = await deps.previousDeployment().catch((err: Error) => {
        throw new CrdGateLoadError("the stack's previous outputs (which add-on versions each cluster runs)", err);
    });
    const failures: string[] = [];
    for (const color of presentColors(config)) {
        const recorded = previous?.clusters?.[color];
        const live = recorded?.kubeconfig ? readLiveOnce(recorded.kubeconfig, config, color, deps) : undefined;
        for (const addon of ADDON_IDS) {
            const version = addonVersion(config, color, addon);
            if (!version) continue;
            const target = await targetCrds(addon, version, `clusters.${color}.addons.${addon}.version`);
            const locked = deps.lockEntry?.(addon, version);
            const entry: AddonCrdsOfColor = { version, crds: [...target.crds.values()], crdNames: [...target.crds.keys()], ...(locked ? { lockRefs: lockRefsOf(addon, version, locked) } : {}), gate: "new-install" };
            (plan.colors[color] ??= {})[addon] = entry;
            const current = await currentCrds({ addon, color, installedVersion: recorded?.addons?.[addon]?.version, live, target, notes: plan.notes, targetCrds });
            if (!current) continue;
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
        const diff = diffCrdSets(
            await targetCrds(addon, from.version, `clusters.blue.addons.${addon}.version`),
            await targetCrds(addon, to.version, `clusters.green.addons.${addon}.version`),
        );
        plan.crdChanges[addon] = { from: from.version, to: to.version, verdict: diff.verdict, ...diff.summary };
    }
    return plan;
}

function lockRefsOf(addon: AddonId, version: string, entry: LockEntry): Record<string, string> {
    return Object.fromEntries(entry.crds.map((crd) => [crd.name, lockReference(addon, version, crd)]));
}

/** One read of a cluster's CRDs for all its add-ons' groups; a failure is kept, to be noted per add-on. */
function readLiveOnce(kubeconfig: string, config: EnvironmentConfig, color: Color, deps: AddonCrdDeps): Promise<CrdSet | Error> {
    const groups = [...new Set(ADDON_IDS.filter((addon) => addonVersion(config, color, addon)).flatMap((addon) => ADDON_CATALOG[addon].crdGroups))];
    return deps.readLiveCrds(kubeconfig, groups).catch((err: unknown) => (err instanceof Error ? err : new Error(String(err))));
}

/**
 * What the cluster has now, or undefined when the add-on is not on it yet (a new install).
 * Live first; when the cluster cannot be read, the CRDs of the version recorded at the last deployment.
 */
async function currentCrds(input: {
    addon: AddonId;
    color: Color;
    installedVersion?: string;
    live?: Promise<CrdSet | Error>;
    target: CrdSet;
    notes: string[];
    targetCrds: (addon: AddonId, version: string, purpose: string) => Promise<CrdSet>;
}): Promise<CurrentCrds | undefined> {
    const { addon, color, installedVersion, notes } = input;
    const groups = ADDON_CATALOG[addon].crdGroups.join(", ");
    const live = await input.live;
    if (live instanceof Error) {
        if (installedVersion === undefined) {
            notes.push(`${addon} on ${color}: not recorded at the last deployment and the cluster's CRDs could not be read (${live.message.split("\n")[0]}); installed as new`);
            return undefined;
        }
        notes.push(`${addon} on ${color}: could not read the cluster's CRDs (${live.message.split("\n")[0]}); compared with ${installedVersion}'s CRDs, as recorded at the last deployment`);
    } else if (live) {
        const owned = liveCrdsOfAddon(live, addon, new Set(input.target.crds.keys()));
        if (owned.crds.size > 0) return { version: installedVersion, set: owned, source: "live" };
        if (installedVersion === undefined) return undefined;
        notes.push(`${addon} on ${color}: the cluster has no CRD of ${addon} (${groups}); compared with ${installedVersion}'s CRDs instead`);
    }
    if (installedVersion === undefined) return undefined;
    // A fetch failure here propagates: the gate never silently passes.
    return { version: installedVersion, set: await input.targetCrds(addon, installedVersion, `the version ${color} runs, recorded at the last deployment`), source: "previous-version" };
}
