/** The CRD gate as a preflight item: what `pulumi up` would decide for each add-on, before running it. */
import { CrdGateError, CrdGateLoadError, prepareAddonCrds } from "../addons/crd-gate";
import { PreflightCheck, PreflightItem } from "./model";

export const crdGateCheck: PreflightCheck = async ({ config, previous }, deps) => {
    if (!deps.addonCrds) {
        return [{ id: "crd-gate", title: "Add-on CRD gate", status: "warn", detail: "not checked (--offline): run without --offline to fetch each add-on's CRDs and compare them" }];
    }
    try {
        const plan = await prepareAddonCrds(config, { ...deps.addonCrds, previousDeployment: async () => previous });
        const items: PreflightItem[] = [];
        for (const [color, addons] of Object.entries(plan.colors)) {
            const parts = Object.entries(addons ?? {}).map(([addon, entry]) => `${addon} ${entry!.version} (${entry!.gate === "new-install" ? "new install" : entry!.gate === "unchanged" ? "unchanged" : "upgrade in place allowed"})`);
            items.push({ id: `crd-gate.${color}`, title: `Add-on CRDs on ${color}`, status: "pass", detail: parts.join(", ") || "no add-on enabled" });
        }
        for (const [addon, change] of Object.entries(plan.crdChanges)) {
            if (change!.verdict === "identical") continue;
            items.push({
                id: `crd-changes.${addon}`,
                title: `${addon} CRDs, blue → green`,
                status: change!.verdict === "breaking" ? "warn" : "pass",
                detail: `${change!.from} → ${change!.to}: ${change!.verdict} (${change!.breaking} breaking, ${change!.compatible} compatible, ${change!.cosmetic} cosmetic)${change!.verdict === "breaking" ? `: workloads using removed fields must be fixed before green takes traffic (bluegreen crd-diff addon:${addon}@${change!.from} addon:${addon}@${change!.to})` : ""}`,
            });
        }
        for (const note of plan.notes) items.push({ id: "crd-gate.note", title: "Add-on CRD gate", status: "warn", detail: note });
        return items;
    } catch (err) {
        if (err instanceof CrdGateError) {
            return err.failures.map((failure, i) => ({ id: `crd-gate.refused.${i}`, title: "Add-on CRD gate", status: "fail" as const, detail: failure.split("\n").join(" ").replace(/\s+/g, " ") }));
        }
        return [{ id: "crd-gate", title: "Add-on CRD gate", status: "fail", detail: `could not be checked: ${whyNotChecked(err)}` }];
    }
};

/** The cause, whole (a lock mismatch lists every difference), on one line. */
function whyNotChecked(err: unknown): string {
    const cause = err instanceof CrdGateLoadError ? err.reason : (err as Error);
    return cause.message.split("\n").map((line) => line.trim()).filter(Boolean).join(" ");
}
