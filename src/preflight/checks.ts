/**
 * The preflight checks that run on a valid config, in report order. A check is a function of the
 * context; add a check by adding it to `PREFLIGHT_CHECKS` (or pass a list to `runPreflight`).
 */
import * as path from "path";
import { crdGateCheck } from "./crd-gate-check";
import { ADDON_IDS } from "../addons/registry";
import { addonVersion, decideInPlaceUpgrade } from "../addons/crd-gate";
import { COLORS } from "../config";
import { ApiFinding, isRemovedBy } from "../apis";
import { checkInPlaceUpgrade, checkNewColorVersion, checkNodeGroupVersion, compareMinorVersions, versionSupportStatus } from "../versions";
import { colorRoles, colorStates, describeColor } from "../config/colors";
import { CheckStatus, PreflightCheck, PreflightItem } from "./model";

/** Each color's node groups against its control plane (version and kubelet skew). */
export const nodeGroupVersionsCheck: PreflightCheck = ({ config }) =>
    colorStates(config).map(({ color, version }) => {
        const groups = config.clusters[color]!.nodeGroups.map((group) => ({
            name: group.name,
            version: group.version ?? version,
            result: checkNodeGroupVersion(version, group.version ?? version),
        }));
        const refused = groups.filter((g) => !g.result.allowed);
        const title = `Versions of ${color}`;
        if (refused.length > 0) {
            return item(`versions.${color}`, title, "fail", refused.map((g) => `node group ${g.name}: ${g.result.detail}`).join("; "));
        }
        const lagging = groups.filter((g) => g.version !== version);
        const detail =
            `control plane ${version}; node groups ${groups.map((g) => `${g.name} ${g.version}`).join(", ")}` +
            (lagging.length ? ` (${lagging.map((g) => `${g.name}: ${g.result.detail}`).join("; ")})` : "");
        return item(`versions.${color}`, title, "pass", detail);
    });

/** The EKS support status of each color's version on `today`. */
export const supportStatusCheck: PreflightCheck = ({ config, today }) =>
    colorStates(config).map(({ color, version }) => {
        const support = versionSupportStatus(version, today);
        return item(`support.${color}`, `EKS support of ${color}`, support.level, support.detail);
    });

/** Which color is the candidate, and whether it skips versions from the live one (allowed for a new color). */
export const candidateCheck: PreflightCheck = ({ config }) => {
    const roles = colorRoles(config);
    const title = "Upgrade candidate";
    if (roles.present.length === 1) {
        const only = roles.present[0];
        return [item("candidate", title, "pass", `only ${describeColor(only)} exists: no upgrade in progress (add the other color on a newer version to start one)`)];
    }
    if (!roles.candidate || !roles.live) {
        const [a, b] = roles.present;
        return [item("candidate", title, "pass", `${describeColor(a)} and ${describeColor(b)}: same version and weight, no candidate`)];
    }
    const rule = checkNewColorVersion(roles.live.version, roles.candidate.version);
    const older = compareMinorVersions(roles.candidate.version, roles.live.version) < 0;
    return [
        item(
            "candidate",
            title,
            older ? "warn" : "pass",
            `${describeColor(roles.candidate)} beside live ${describeColor(roles.live)}: ${rule.detail}`,
        ),
    ];
};

/** Against the previously deployed versions (stack outputs), each color's control plane moves at most one minor in place. */
export const inPlaceUpgradeCheck: PreflightCheck = ({ config, previous }) => {
    if (!previous) {
        return [item("in-place", "In-place upgrades", "warn", "not checked: the deployed versions are unknown (pass --previous with the stack outputs as JSON)")];
    }
    const items: PreflightItem[] = [];
    for (const color of COLORS) {
        const deployed = previous.clusters[color]?.version;
        const configured = config.clusters[color]?.version;
        const title = `In-place upgrade of ${color}`;
        if (deployed === undefined && configured === undefined) continue;
        if (deployed === undefined) {
            items.push(item(`in-place.${color}`, title, "pass", `${color} is a new cluster: it may start on any version (${configured})`));
        } else if (configured === undefined) {
            items.push(item(`in-place.${color}`, title, "warn", `${color} (deployed on ${deployed}) is not in the config: pulumi up deletes it (turn its deletionProtection off first)`));
        } else {
            const rule = checkInPlaceUpgrade(deployed, configured);
            items.push(item(`in-place.${color}`, title, rule.allowed ? "pass" : "fail", rule.detail));
        }
    }
    return items;
};

/**
 * Which method the change in the stack file calls for, per color, and why: in place (one minor, add-on
 * CRD changes within the configured level) or a new color (versions skipped or going back, or an
 * add-on whose CRDs change beyond what the gate allows in place). Against the deployed versions.
 */
export const upgradeMethodCheck: PreflightCheck = async ({ config, previous }, deps) => {
    if (!previous) return [];
    const items: PreflightItem[] = [];
    for (const color of COLORS) {
        const spec = config.clusters[color];
        const deployed = previous.clusters[color];
        if (!spec) continue;
        const title = `Upgrade method for ${color}`;
        if (!deployed) {
            items.push(item(`method.${color}`, title, "pass", `new color: ${color} is a new cluster on ${spec.version}; it may skip versions, and its add-ons install fresh (no CRD gate); shift traffic to it with bluegreen cutover`));
            continue;
        }
        const reasons: string[] = [];
        const blockers: string[] = [];
        const rule = checkInPlaceUpgrade(deployed.version, spec.version);
        if (deployed.version !== spec.version) (rule.allowed ? reasons : blockers).push(`control plane: ${rule.detail}`);
        for (const addon of ADDON_IDS) {
            const to = addonVersion(config, color, addon);
            const from = deployed.addons?.[addon]?.version;
            if (!to || !from || from === to) continue;
            if (!deps.addonCrds) {
                reasons.push(`${addon} ${from} → ${to}: CRD gate not checked (--offline)`);
                continue;
            }
            const [current, target] = await Promise.all([deps.addonCrds.loadAddonCrds(addon, from), deps.addonCrds.loadAddonCrds(addon, to)]);
            const level = spec.addons[addon].inPlaceCrdChanges;
            const decision = decideInPlaceUpgrade({ addon, color, targetVersion: to, target, current: { version: from, set: current, source: "previous-version" }, level });
            const verdict = decision.diff?.verdict ?? "unknown";
            (decision.allowed ? reasons : blockers).push(`${addon} ${from} → ${to}: CRD changes ${verdict}${decision.allowed ? ` (within "${level}")` : `, above the allowed "${level}"`}`);
        }
        const surges = spec.nodeGroups.filter((g) => g.replacement).map((g) => g.name);
        if (surges.length) reasons.push(`surge replacement of node group${surges.length === 1 ? "" : "s"} ${surges.join(", ")} in progress (bluegreen nodes drain, then promote)`);
        if (blockers.length) {
            const other = COLORS.find((c) => c !== color)!;
            items.push(item(`method.${color}`, title, "fail", `new color: ${blockers.join("; ")}. Put this change on ${other} (clusters.${other}, a new cluster) and shift traffic with bluegreen cutover, instead of changing ${color} in place`));
        } else if (reasons.length) {
            items.push(item(`method.${color}`, title, "pass", `in place: ${reasons.join("; ")}; steps: bluegreen upgrade plan --color ${color} --to ${spec.version}`));
        } else {
            items.push(item(`method.${color}`, title, "pass", `no upgrade: ${color} stays on ${spec.version} with the same add-on versions`));
        }
    }
    return items;
};

const FINDINGS_SHOWN = 3;
const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? "" : "s"}`;

/** The GitOps manifests against the version every color must serve (the candidate's, normally the newest). */
export const apiScanCheck: PreflightCheck = async ({ config, projectDir, manifestsPath }, deps) => {
    const title = "Removed APIs in the GitOps manifests";
    const roles = colorRoles(config);
    const target = roles.newestVersion;
    const root = manifestsPath ?? (config.gitops.manifestsPath !== undefined ? path.resolve(projectDir, config.gitops.manifestsPath) : undefined);
    const against = roles.candidate && roles.candidate.version === target ? `${roles.candidate.color}'s ${target}` : target;
    if (root === undefined) {
        return [item("api-scan", title, "warn", "not scanned: no manifests (set gitops.manifestsPath in the stack config or pass --manifests)")];
    }
    const scan = await deps.scanManifests(root, target);
    if (scan.errors.length > 0) {
        const rootUnreadable = scan.errors.some((e) => e.startsWith(`cannot read ${root}:`));
        const hint = rootUnreadable ? ": check out the GitOps repository there (gitops.manifestsPath is relative to the project directory) or pass --manifests" : "";
        return [{ ...item("api-scan", title, "fail", `not scanned: ${scan.errors.join("; ")}${hint}`), badInput: true }];
    }
    if (scan.files === 0) return [item("api-scan", title, "warn", `no .yaml, .yml or .json files under ${root}`)];
    const removed = scan.findings.filter((f) => isRemovedBy(f, target));
    const deprecated = scan.findings.filter((f) => !isRemovedBy(f, target));
    const rerun = `\`bluegreen check-apis --target ${target} ${root}\``;
    if (removed.length > 0) {
        return [item("api-scan", title, "fail", `${removed.length} removed in ${against}: ${listFindings(removed, root)}; see ${rerun}`)];
    }
    if (deprecated.length > 0) {
        return [item("api-scan", title, "warn", `${deprecated.length} deprecated, still served by ${against}: ${listFindings(deprecated, root)}; see ${rerun}`)];
    }
    return [item("api-scan", title, "pass", `nothing deprecated or removed by ${against} in ${plural(scan.documents, "document")} of ${plural(scan.files, "file")} under ${root}`)];
};

function listFindings(findings: ApiFinding[], root: string): string {
    const shown = findings
        .slice(0, FINDINGS_SHOWN)
        .map((f) => `${f.kind} ${f.name} ${f.apiVersion}${f.replacement ? ` → ${f.replacement}` : ""} (${path.relative(root, f.file) || path.basename(f.file)}#${f.index})`);
    return shown.join(", ") + (findings.length > FINDINGS_SHOWN ? `, and ${findings.length - FINDINGS_SHOWN} more` : "");
}

export const PREFLIGHT_CHECKS: readonly PreflightCheck[] = [
    nodeGroupVersionsCheck,
    supportStatusCheck,
    candidateCheck,
    inPlaceUpgradeCheck,
    upgradeMethodCheck,
    apiScanCheck,
    crdGateCheck,
];

function item(id: string, title: string, status: CheckStatus, detail: string): PreflightItem {
    return { id, title, status, detail };
}
