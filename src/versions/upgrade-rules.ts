/**
 * What EKS allows between Kubernetes versions: in-place control-plane upgrades, new colors,
 * and node groups against their control plane.
 */
import { minorOf, minorVersion, versionsBetween } from "./minor-version";

export interface VersionRuleResult {
    allowed: boolean;
    /** One line: why it is allowed (with what to know) or why not and what to do instead. */
    detail: string;
}

/**
 * An in-place upgrade of a control plane from `from` to `to`: EKS moves one minor version at a
 * time and never downgrades.
 */
export function checkInPlaceUpgrade(from: string, to: string): VersionRuleResult {
    const step = minorOf(to) - minorOf(from);
    if (step === 0) return { allowed: true, detail: `stays on ${from}` };
    if (step === 1) return { allowed: true, detail: `${from} → ${to}: one minor version, allowed in place` };
    if (step < 0) {
        return {
            allowed: false,
            detail: `${from} → ${to} is a downgrade: EKS cannot downgrade a control plane; keep ${from}, or build a new color on ${to}`,
        };
    }
    const skipped = versionsBetween(from, to);
    return {
        allowed: false,
        detail:
            `${from} → ${to} skips ${skipped.join(", ")}: upgrade in place one minor version at a time ` +
            `(${from} → ${minorVersion(minorOf(from) + 1)} first), or build a new color on ${to} and shift traffic to it`,
    };
}

/** A new cluster (a new color) may start on any version; the detail says what it skips from the live one. */
export function checkNewColorVersion(live: string, candidate: string): VersionRuleResult & { skipped: string[] } {
    const step = minorOf(candidate) - minorOf(live);
    if (step === 0) return { allowed: true, skipped: [], detail: `same version as the live color (${live})` };
    if (step < 0) {
        return {
            allowed: true,
            skipped: [],
            detail: `${candidate} is older than the live color's ${live}: shifting traffic to it moves workloads back to an older Kubernetes`,
        };
    }
    const skipped = versionsBetween(live, candidate);
    if (skipped.length === 0) return { allowed: true, skipped, detail: `${live} → ${candidate}: one minor version` };
    return {
        allowed: true,
        skipped,
        detail: `${live} → ${candidate} skips ${skipped.join(", ")}: allowed for a new color (a new cluster), never in place`,
    };
}

/** How many minor versions a kubelet may lag its control plane: 3 from Kubernetes 1.28 on, 2 before. */
export function maxKubeletSkew(controlPlane: string): number {
    return minorOf(controlPlane) >= 28 ? 3 : 2;
}

/** A node group's kubelet version against its control plane's. */
export function checkNodeGroupVersion(controlPlane: string, nodeGroup: string): VersionRuleResult {
    const lag = minorOf(controlPlane) - minorOf(nodeGroup);
    if (lag < 0) {
        return {
            allowed: false,
            detail: `${nodeGroup} is newer than its control plane (${controlPlane}): upgrade the control plane first, or set the node group to ${controlPlane}`,
        };
    }
    if (lag === 0) return { allowed: true, detail: `${nodeGroup}, the control plane's version` };
    const maxSkew = maxKubeletSkew(controlPlane);
    if (lag > maxSkew) {
        return {
            allowed: false,
            detail:
                `${nodeGroup} is ${lag} minor versions behind its control plane (${controlPlane}); ` +
                `kubelets may be at most ${maxSkew} behind: upgrade the node group to at least ${minorVersion(minorOf(controlPlane) - maxSkew)}`,
        };
    }
    return { allowed: true, detail: `${nodeGroup}, ${lag} minor version${lag === 1 ? "" : "s"} behind the control plane (${controlPlane}; at most ${maxSkew} allowed)` };
}
