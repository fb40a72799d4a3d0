/**
 * The one list of add-ons. The add-on ids, the config schema's `clusters.<color>.addons` section,
 * the CLI's `addon:` help, the CRD gate and the Pulumi components (components/addons/<id>/) are all
 * derived from it. Adding an add-on: `src/addons/<id>.ts`, `components/addons/<id>/` and one line
 * here (test/addons/registry.test.ts fails when a piece is missing).
 */
import { z } from "zod";
import { AddonEntry } from "./addon";
import { argocd } from "./argocd";
import { loadBalancerController } from "./aws-load-balancer-controller";
import { externalDns } from "./external-dns";

/** One line per add-on. Install order is decided by `webhooksOnOtherAddons`, not by this order. */
export const ADDONS = {
    argocd,
    "aws-load-balancer-controller": loadBalancerController,
    "external-dns": externalDns,
} as const;

export type AddonId = keyof typeof ADDONS;
export const ADDON_IDS = Object.keys(ADDONS) as AddonId[];
export type AddonEntryOf<K extends AddonId> = (typeof ADDONS)[K];
/** An add-on's settings as the schema outputs them. */
export type AddonSettings<K extends AddonId> = z.output<AddonEntryOf<K>["settings"]>;

/** The catalog entries by id, as the shared mechanism sees them (chart, repository, default version, namespace, service account, CRD source). */
export const ADDON_CATALOG: Readonly<Record<AddonId, AddonEntry>> = ADDONS;

export function isAddonId(value: string): value is AddonId {
    return Object.prototype.hasOwnProperty.call(ADDONS, value);
}

/** How the CLI names an add-on's CRDs: `addon:<argocd|…>@<chart-version>`. */
export const ADDON_SOURCE_FORM = `addon:<${ADDON_IDS.join("|")}>@<chart-version>`;

/** The add-ons whose releases every other add-on's release waits for. */
export function webhookProviders(): AddonId[] {
    return ADDON_IDS.filter((id) => ADDON_CATALOG[id].webhooksOnOtherAddons === true);
}

function valueAt(values: Record<string, unknown>, dotted: string): unknown {
    let current: unknown = values;
    for (const key of dotted.split(".")) {
        if (current === null || typeof current !== "object") return undefined;
        current = (current as Record<string, unknown>)[key];
    }
    return current;
}

/**
 * Refuses user `values` that rename an add-on's service account: its Pod Identity association
 * names the catalog's one, so a renamed account would run without AWS permissions.
 */
function withServiceAccountCheck<S extends z.ZodType>(id: AddonId, settings: S): S {
    const account = ADDON_CATALOG[id].serviceAccount;
    if (!account) return settings;
    return settings.superRefine((value, ctx) => {
        const values = (value as { values?: Record<string, unknown> }).values ?? {};
        const named = valueAt(values, account.nameValue);
        if (named !== undefined && named !== account.name) {
            ctx.addIssue({
                code: "custom",
                path: ["values", ...account.nameValue.split(".")],
                message: `(${JSON.stringify(named)}) renames ${id}'s service account, but its EKS Pod Identity association names "${account.name}" in ${ADDONS[id].namespace}: remove this value (the add-on would run without its AWS permissions)`,
            });
        }
        const create = valueAt(values, account.nameValue.replace(/name$/, "create"));
        if (create === false) {
            ctx.addIssue({
                code: "custom",
                path: ["values", ...account.nameValue.replace(/name$/, "create").split(".")],
                message: `is false, but ${id}'s chart must create its service account "${account.name}" (its EKS Pod Identity association names it): remove this value`,
            });
        }
    }) as unknown as S;
}

type AddonsShape = { [K in AddonId]: z.ZodPrefault<AddonEntryOf<K>["settings"]> };

/** The `clusters.<color>.addons` section of the config schema, one key per registered add-on. */
export function addonsConfigSchema() {
    const shape = Object.fromEntries(ADDON_IDS.map((id) => [id, (withServiceAccountCheck(id, ADDONS[id].settings) as z.ZodType).prefault({})])) as unknown as AddonsShape;
    return z.strictObject(shape).prefault({});
}
