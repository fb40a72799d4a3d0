/**
 * The managed node groups one node-group entry of the config stands for. A group's EKS name carries a
 * hash of the settings that force EKS to replace it (instance types, capacity type, AMI type, disk
 * size) and of its `generation`, so a replacement never collides with the group it replaces
 * (create-before-delete needs two names). While a `replacement` block is present, the entry stands
 * for two groups — the current one and the surge group with the new settings — so `pulumi up`
 * creates the new one beside the old; the operator drains the old one (`bluegreen nodes drain`) and
 * promotes the replacement's settings into the entry (generation + 1) to remove the old group.
 * Pure: the Pulumi component and the CLI (drain, upgrade plan) compute the same names.
 */
import { createHash } from "crypto";
import type { NodeGroupSpec } from "./schema";

export interface NodeGroupSettings {
    version: string;
    instanceTypes: string[];
    capacityType: string;
    amiType: string;
    diskSize: number;
    generation: number;
}

export interface NodeGroupInstance {
    /** "current", or "replacement" while a surge is in progress. */
    role: "current" | "replacement";
    /** The EKS node group name, also the suffix of the Pulumi resource name. */
    nodeGroupName: string;
    settings: NodeGroupSettings;
}

/** EKS limits node group names to 63 characters; the hash takes 9 of them. */
const NAME_ROOM = 63 - 9;

/** The EKS name of a group with these settings: "<name>-<8 hex of the replace-forcing settings>". */
export function nodeGroupInstanceName(name: string, settings: Omit<NodeGroupSettings, "version">): string {
    const key = JSON.stringify([settings.instanceTypes, settings.capacityType, settings.amiType, settings.diskSize, settings.generation]);
    return `${name.slice(0, NAME_ROOM)}-${createHash("sha256").update(key).digest("hex").slice(0, 8)}`;
}

export function currentSettings(group: NodeGroupSpec, controlPlaneVersion: string): NodeGroupSettings {
    return {
        version: group.version ?? controlPlaneVersion,
        instanceTypes: group.instanceTypes,
        capacityType: group.capacityType,
        amiType: group.amiType,
        diskSize: group.diskSize,
        generation: group.generation,
    };
}

/** The settings of the surge group: the replacement's over the current ones, one generation on. */
export function replacementSettings(group: NodeGroupSpec, controlPlaneVersion: string): NodeGroupSettings | undefined {
    if (!group.replacement) return undefined;
    const current = currentSettings(group, controlPlaneVersion);
    const { version, instanceTypes, capacityType, amiType, diskSize } = group.replacement;
    return {
        version: version ?? current.version,
        instanceTypes: instanceTypes ?? current.instanceTypes,
        capacityType: capacityType ?? current.capacityType,
        amiType: amiType ?? current.amiType,
        diskSize: diskSize ?? current.diskSize,
        generation: current.generation + 1,
    };
}

export function nodeGroupInstances(group: NodeGroupSpec, controlPlaneVersion: string): NodeGroupInstance[] {
    const current = currentSettings(group, controlPlaneVersion);
    const instances: NodeGroupInstance[] = [{ role: "current", nodeGroupName: nodeGroupInstanceName(group.name, current), settings: current }];
    const next = replacementSettings(group, controlPlaneVersion);
    if (next) instances.push({ role: "replacement", nodeGroupName: nodeGroupInstanceName(group.name, next), settings: next });
    return instances;
}

/** What the entry must say once the replacement has taken over: its settings, generation + 1, no `replacement`. */
export function promotedEntry(group: NodeGroupSpec, controlPlaneVersion: string): Record<string, unknown> | undefined {
    const next = replacementSettings(group, controlPlaneVersion);
    if (!next) return undefined;
    return {
        version: next.version,
        instanceTypes: next.instanceTypes,
        capacityType: next.capacityType,
        amiType: next.amiType,
        diskSize: next.diskSize,
        generation: next.generation,
    };
}
