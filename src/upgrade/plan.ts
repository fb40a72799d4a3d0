/**
 * The in-place upgrade plan of one color: the ordered steps that take its control plane from the
 * version it runs to a target one minor at a time, with what must move with each minor (EKS managed
 * add-on versions, node groups by surge replacement) and what moves once (the three Helm add-ons, in
 * place only where the CRD gate allows it). It refuses what EKS or Kubernetes would not do: a
 * downgrade, a node group left more than one minor behind when the control plane moves (EKS
 * upgrades a control plane only when managed nodes run its current minor), kubelet skew beyond
 * Kubernetes' policy, and manifests whose APIs an intermediate version no longer serves.
 * Pure apart from the injected look-ups (EKS add-on versions, add-on CRDs, the manifest scan).
 */
import { Color, EnvironmentConfig, otherColor } from "../config";
import { currentSettings, nodeGroupInstanceName, promotedEntry } from "../config/node-groups";
import type { NodeGroupSpec } from "../config/schema";
import { ADDON_IDS, AddonId } from "../addons/registry";
import { addonVersion, decideInPlaceUpgrade } from "../addons/crd-gate";
import type { CrdSet } from "../crd";
import { ApiFinding, isRemovedBy, PathsScan } from "../apis";
import { checkInPlaceUpgrade, checkNodeGroupVersion, minorOf, minorVersion } from "../versions";

export const EKS_MANAGED_ADDONS = ["vpc-cni", "kube-proxy", "coredns", "eks-pod-identity-agent"] as const;
export type EksManagedAddon = (typeof EKS_MANAGED_ADDONS)[number];

/** What EKS reports for one managed add-on on one Kubernetes version. */
export interface ManagedAddonVersions {
    /** The version EKS installs by default on that Kubernetes version. */
    defaultVersion?: string;
    /** Every version EKS lists as compatible, newest first. */
    compatible: string[];
}

export interface UpgradePlanDeps {
    /** Online: DescribeAddonVersions. Absent offline: versions are resolved at deploy time. */
    managedAddonVersions?: (addon: EksManagedAddon, kubernetesVersion: string) => Promise<ManagedAddonVersions>;
    /** Online: the CRDs an add-on version installs. Absent offline: the CRD gate is not run. */
    loadAddonCrds?: (addon: AddonId, version: string) => Promise<CrdSet>;
    /** The GitOps manifests scanned for APIs removed by a version; absent when there are none. */
    scanManifests?: (target: string) => Promise<PathsScan>;
}

export interface UpgradePlanInput {
    stack: string;
    config: EnvironmentConfig;
    color: Color;
    to: string;
    /** The control plane's version now; the stack file's when absent. */
    from?: string;
    /** Add-on versions the cluster runs now (stack outputs); the stack file's when absent. */
    runningAddons?: Partial<Record<AddonId, string>>;
    /** Add-on versions to move to; the stack file's when absent. */
    addonTargets?: Partial<Record<AddonId, string>>;
}

export type StepKind = "control-plane" | "managed-addons" | "addons" | "node-group" | "check";

export interface UpgradeStep {
    kind: StepKind;
    /** The control plane's minor this step belongs to. */
    minor: string;
    title: string;
    details: string[];
    /** Exact commands or config changes, in order. */
    actions: string[];
}

export interface AddonDecision {
    addon: AddonId;
    from: string;
    to: string;
    method: "unchanged" | "in place" | "new color" | "not checked offline";
    why: string;
}

export interface UpgradePlan {
    stack: string;
    color: Color;
    from: string;
    to: string;
    /** "in place" when every step can be done on this color; "new color" when an add-on's CRDs forbid it. */
    method: "in place" | "new color";
    steps: UpgradeStep[];
    addons: AddonDecision[];
    /** Why the plan cannot be carried out in place as it stands; empty when it can. */
    refusals: string[];
    notes: string[];
}

export async function planUpgrade(input: UpgradePlanInput, deps: UpgradePlanDeps = {}): Promise<UpgradePlan> {
    const cluster = input.config.clusters[input.color];
    if (!cluster) throw new Error(`clusters.${input.color} is not in the stack config`);
    const from = input.from ?? cluster.version;
    const plan: UpgradePlan = { stack: input.stack, color: input.color, from, to: input.to, method: "in place", steps: [], addons: [], refusals: [], notes: [] };
    const direction = checkInPlaceUpgrade(from, input.to);
    if (minorOf(input.to) < minorOf(from)) {
        plan.refusals.push(direction.detail);
        return plan;
    }
    if (minorOf(input.to) === minorOf(from)) plan.notes.push(`the control plane already runs ${from}: no control-plane step`);

    // Each group as it will be when its step comes: promoted after every surge (version, generation + 1).
    const groups = cluster.nodeGroups.map((group, index) => ({ group, index, version: currentSettings(group, from).version }));
    for (let minor = minorOf(from) + 1; minor <= minorOf(input.to); minor++) {
        const previous = minorVersion(minor - 1);
        const version = minorVersion(minor);
        plan.refusals.push(...nodeGroupRefusals(input.color, groups, previous, version));
        plan.refusals.push(...(await apiRefusals(deps, version)));
        plan.steps.push(controlPlaneStep(input, previous, version, groups.map((g) => g.group)));
        plan.steps.push(await managedAddonStep(input, version, deps, plan.refusals));
        for (const entry of groups) {
            plan.steps.push(nodeGroupStep(input, entry.index, entry.group, version, previous));
            entry.group = { ...entry.group, version, generation: entry.group.generation + 1, replacement: undefined };
            entry.version = version;
        }
        plan.steps.push(checkStep(input, version));
    }
    plan.addons = await addonDecisions(input, deps);
    const addonStep = addonsStep(input, plan.addons);
    if (addonStep) plan.steps.push(addonStep, checkStep(input, input.to));
    if (plan.addons.some((a) => a.method === "new color")) plan.method = "new color";
    if (!deps.managedAddonVersions) plan.notes.push("offline: EKS managed add-on versions are resolved at deploy time (run without --offline to pin them from the EKS API)");
    if (!deps.scanManifests) plan.notes.push("no GitOps manifests to scan for removed APIs (set gitops.manifestsPath or pass --manifests)");
    return plan;
}

/** Before the control plane moves to `version`, every managed node group must run `previous` (EKS) and stay within Kubernetes' kubelet skew. */
function nodeGroupRefusals(color: Color, groups: Array<{ group: NodeGroupSpec; index: number; version: string }>, previous: string, version: string): string[] {
    const refusals: string[] = [];
    groups.forEach(({ group, index, version: running }) => {
        const skew = checkNodeGroupVersion(version, running);
        const lag = minorOf(version) - minorOf(running);
        if (!skew.allowed || lag > 1) {
            refusals.push(
                `node group ${group.name} (clusters.${color}.nodeGroups[${index}]) runs ${running} and would be ${lag} minor versions behind once the control plane moves to ${version}: ` +
                    `EKS upgrades a control plane only when its managed nodes run its current minor (${previous})` +
                    (skew.allowed ? "" : `, and ${skew.detail}`) +
                    `. Replace the group on ${previous} first (replacement: { version: "${previous}" }, bluegreen nodes drain, promote), then plan again`,
            );
        }
    });
    return refusals;
}

async function apiRefusals(deps: UpgradePlanDeps, version: string): Promise<string[]> {
    if (!deps.scanManifests) return [];
    const scan = await deps.scanManifests(version);
    if (scan.errors.length) return [`the manifests could not be scanned for ${version}: ${scan.errors.join("; ")}`];
    const removed = scan.findings.filter((f) => isRemovedBy(f, version) && minorOf(f.removedIn!) === minorOf(version));
    if (removed.length === 0) return [];
    return [`${removed.length} manifest object${removed.length === 1 ? "" : "s"} use APIs that ${version} no longer serves: ${removed.slice(0, 5).map(describeFinding).join(", ")}${removed.length > 5 ? `, and ${removed.length - 5} more` : ""}; move them before the control plane reaches ${version} (bluegreen check-apis --target ${version} <manifests>)`];
}

const describeFinding = (f: ApiFinding) => `${f.kind} ${f.name} ${f.apiVersion}${f.replacement ? ` → ${f.replacement}` : ""}`;

function configPrefix(input: UpgradePlanInput): string {
    return `bluegreen:clusters.${input.color}`;
}

function controlPlaneStep(input: UpgradePlanInput, previous: string, version: string, groups: NodeGroupSpec[]): UpgradeStep {
    const pins = groups
        .map((g, i) => ({ g, i }))
        .filter(({ g }) => g.version === undefined)
        .map(({ i }) => `pulumi config set --path '${configPrefix(input)}.nodeGroups[${i}].version' '${previous}' --stack ${input.stack}`);
    return {
        kind: "control-plane",
        minor: version,
        title: `control plane ${previous} → ${version}`,
        details: [
            `one minor version, in place (${checkInPlaceUpgrade(previous, version).detail})`,
            ...(pins.length ? [`node groups without a version follow the control plane: pin them on ${previous} so EKS does not roll them in place during this update; they move by surge replacement next`] : []),
        ],
        actions: [
            ...pins,
            `pulumi config set --path '${configPrefix(input)}.version' '${version}' --stack ${input.stack}`,
            `pulumi up --stack ${input.stack}`,
        ],
    };
}

async function managedAddonStep(input: UpgradePlanInput, version: string, deps: UpgradePlanDeps, refusals: string[]): Promise<UpgradeStep> {
    const pinned = input.config.clusters[input.color]!.managedAddons;
    const details: string[] = [];
    const actions: string[] = [];
    for (const addon of EKS_MANAGED_ADDONS) {
        const pin = pinned[addon];
        if (!deps.managedAddonVersions) {
            details.push(`${addon}: ${pin ? `pinned ${pin}; its compatibility with ${version} is not checked offline` : "resolved at deploy time"}`);
            continue;
        }
        const versions = await deps.managedAddonVersions(addon, version);
        const chosen = versions.defaultVersion ?? versions.compatible[0];
        if (!chosen) {
            refusals.push(`EKS lists no ${addon} version for Kubernetes ${version}`);
            continue;
        }
        if (pin && versions.compatible.includes(pin) && pin === chosen) {
            details.push(`${addon}: ${pin} (pinned, EKS's default on ${version})`);
            continue;
        }
        details.push(`${addon}: ${chosen} (EKS's ${versions.defaultVersion ? "default" : "newest"} on ${version}${pin ? `; pinned ${pin} ${versions.compatible.includes(pin) ? "is compatible but older" : "is not compatible"}` : ""})`);
        actions.push(`pulumi config set --path '${configPrefix(input)}.managedAddons.${addon}' '${chosen}' --stack ${input.stack}`);
    }
    if (actions.length) actions.push(`pulumi up --stack ${input.stack}`);
    return { kind: "managed-addons", minor: version, title: `EKS managed add-ons on ${version}`, details, actions };
}

function nodeGroupStep(input: UpgradePlanInput, index: number, group: NodeGroupSpec, version: string, from: string): UpgradeStep {
    const path = `${configPrefix(input)}.nodeGroups[${index}]`;
    const current = currentSettings(group, from);
    const old = nodeGroupInstanceName(group.name, current);
    const surge = { ...group, replacement: { version } };
    const promoted = promotedEntry(surge, from)!;
    return {
        kind: "node-group",
        minor: version,
        title: `node group ${group.name}: surge replacement on ${version}`,
        details: [
            `a new managed node group (same labels and taints, kubelet ${version}) beside the old one; the old one is drained through the Eviction API, then removed`,
            `old EKS node group ${old} (generation ${current.generation}); the new one is generation ${current.generation + 1}`,
        ],
        actions: [
            `pulumi config set --path '${path}.replacement.version' '${version}' --stack ${input.stack}`,
            `pulumi up --stack ${input.stack}`,
            `bluegreen nodes drain --stack ${input.stack} --color ${input.color} --node-group ${group.name}`,
            `bluegreen upgrade check --stack ${input.stack} --color ${input.color}`,
            `pulumi config set --path '${path}.version' '${promoted.version}' --stack ${input.stack}`,
            `promote in stacks/Pulumi.${input.stack}.yaml: clusters.${input.color}.nodeGroups[${index}].generation: ${promoted.generation}, and delete its replacement block`,
            `pulumi up --stack ${input.stack}`,
        ],
    };
}

function checkStep(input: UpgradePlanInput, version: string): UpgradeStep {
    return {
        kind: "check",
        minor: version,
        title: `check ${input.color} on ${version}`,
        details: ["nodes Ready on the expected kubelet versions, no pod left on old nodes, workloads rolled out, ArgoCD Applications Synced and Healthy"],
        actions: [`bluegreen upgrade check --stack ${input.stack} --color ${input.color} --version ${version}`],
    };
}

async function addonDecisions(input: UpgradePlanInput, deps: UpgradePlanDeps): Promise<AddonDecision[]> {
    const decisions: AddonDecision[] = [];
    for (const addon of ADDON_IDS) {
        const configured = addonVersion(input.config, input.color, addon);
        if (!configured) continue;
        const to = input.addonTargets?.[addon] ?? configured;
        const from = input.runningAddons?.[addon] ?? configured;
        if (from === to) {
            decisions.push({ addon, from, to, method: "unchanged", why: `stays on ${from}` });
            continue;
        }
        if (!deps.loadAddonCrds) {
            decisions.push({ addon, from, to, method: "not checked offline", why: `the CRD gate needs the CRDs of ${from} and ${to}: run without --offline` });
            continue;
        }
        const [current, target] = await Promise.all([deps.loadAddonCrds(addon, from), deps.loadAddonCrds(addon, to)]);
        const level = input.config.clusters[input.color]!.addons[addon].inPlaceCrdChanges;
        const decision = decideInPlaceUpgrade({ addon, color: input.color, targetVersion: to, target, current: { version: from, set: current, source: "previous-version" }, level });
        const verdict = decision.diff?.verdict ?? "unknown";
        decisions.push(
            decision.allowed
                ? { addon, from, to, method: "in place", why: `CRD changes ${verdict}, within the allowed "${level}"` }
                : {
                      addon,
                      from,
                      to,
                      method: "new color",
                      why: `CRD changes ${verdict} (${decision.diff!.summary.breaking} breaking, ${decision.diff!.summary.compatible} compatible), above the allowed "${level}": install ${addon} ${to} on ${otherColor(input.color)} (a new cluster) and shift traffic with bluegreen cutover`,
                  },
        );
    }
    return decisions;
}

function addonsStep(input: UpgradePlanInput, decisions: AddonDecision[]): UpgradeStep | undefined {
    const moving = decisions.filter((d) => d.method !== "unchanged");
    if (moving.length === 0) return undefined;
    const inPlace = moving.filter((d) => d.method === "in place");
    return {
        kind: "addons",
        minor: input.to,
        title: "add-ons",
        details: moving.map((d) => `${d.addon} ${d.from} → ${d.to}: ${d.method} — ${d.why}`),
        actions: [
            ...inPlace.map((d) => `pulumi config set --path '${configPrefix(input)}.addons.${d.addon}.version' '${d.to}' --stack ${input.stack}`),
            ...(inPlace.length ? [`pulumi up --stack ${input.stack}`] : []),
        ],
    };
}
