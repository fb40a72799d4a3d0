/**
 * What every add-on is made of on the pure side: its catalog entry (chart, repository, default
 * version, where its CRDs come from, namespace, service account) and its zod settings fragment.
 * Each add-on writes one `AddonEntry` in `src/addons/<name>.ts`; the registry (registry.ts) lists
 * them, and everything else (config schema, CLI help, CRD gate, components) is derived from it.
 */
import { z } from "zod";

/**
 * Where an add-on's CRDs come from:
 * - `chart-crds`: every plain manifest under the chart archive's `crds/` directory;
 * - `upstream-at-app-version`: the chart templates its CRDs, so take the upstream project's CRD
 *   files at the chart's `appVersion` (read from the chart repository's index).
 */
export type CrdLocation =
    | { kind: "chart-crds" }
    | { kind: "upstream-at-app-version"; baseUrl: (appVersion: string) => string; files: readonly string[] };

export const CRD_CHANGE_LEVELS = ["cosmetic", "compatible"] as const;
export type CrdChangeLevel = (typeof CRD_CHANGE_LEVELS)[number];

/** What every add-on's settings accept; each fragment spreads it and adds its own keys. */
export const addonBaseSettings = {
    /** Helm chart version; the add-on's default when absent. */
    version: z.string().min(1).optional(),
    /** The highest CRD change class allowed for an upgrade in place on a cluster that runs the add-on. */
    inPlaceCrdChanges: z.enum(CRD_CHANGE_LEVELS).default("cosmetic"),
    /** Extra Helm values, merged over the add-on's own. */
    values: z.record(z.string(), z.unknown()).default({}),
};

/** The fields every settings fragment's output has, whatever else it adds. */
export interface BaseAddonSettings {
    enabled: boolean;
    version?: string;
    inPlaceCrdChanges: CrdChangeLevel;
    values: Record<string, unknown>;
}

/** The Kubernetes service account the chart creates and its Pod Identity association names. */
export interface ServiceAccountRef {
    /** The chart value holding the service account's name (a dotted path, e.g. `serviceAccount.name`). */
    nameValue: string;
    name: string;
}

export interface AddonEntry<Id extends string = string, Settings extends z.ZodType<BaseAddonSettings> = z.ZodType<BaseAddonSettings>> {
    id: Id;
    chart: string;
    repository: string;
    defaultVersion: string;
    namespace: string;
    /** Present when the add-on calls AWS through EKS Pod Identity. */
    serviceAccount?: ServiceAccountRef;
    /** API groups of the CRDs the add-on installs: what the live reader looks for on a cluster. */
    crdGroups: readonly string[];
    crds: CrdLocation;
    /** The CRDs the default version installs, by name: what the offline plan shows without downloading them. */
    knownCrds: readonly string[];
    /**
     * The add-on registers admission webhooks on objects other add-ons create (Services, Pods), so
     * every other add-on's release waits for its release (which waits for its pods to be ready), and
     * on destroy it is removed last.
     */
    webhooksOnOtherAddons?: boolean;
    /** The settings under `clusters.<color>.addons.<id>`. */
    settings: Settings;
}

/** Keeps the entry's exact type: the literal id, which optional parts it has, the settings fragment. */
export function defineAddon<const E extends AddonEntry>(entry: E): E {
    return entry;
}
