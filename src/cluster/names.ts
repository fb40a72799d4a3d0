/**
 * Names of a cluster's account-wide IAM roles. IAM names are global to the account, so one
 * environment name deployed to two regions would collide on `<cluster>-node`: the region is part of
 * the name, and a name longer than IAM's 64 characters is shortened with a hash of the whole.
 */
import { createHash } from "crypto";

export const IAM_ROLE_NAME_MAX = 64;

export function clusterRoleName(clusterName: string, region: string, purpose: "cluster" | "node"): string {
    const full = `${clusterName}-${region}-${purpose}`;
    if (full.length <= IAM_ROLE_NAME_MAX) return full;
    const hash = createHash("sha256").update(full).digest("hex").slice(0, 8);
    const tail = `-${purpose}-${hash}`;
    return `${clusterName.slice(0, IAM_ROLE_NAME_MAX - tail.length)}${tail}`;
}
