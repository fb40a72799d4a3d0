/**
 * Who gets cluster-admin through our own EKS access entries. EKS gives the identity that creates a
 * cluster an admin access entry of its own (pulumi-eks 4.3.0 always sets
 * `bootstrapClusterCreatorAdminPermissions: true`), and a second entry for the same principal fails
 * with 409 ResourceInUseException. So the creator is left out, and the creator is remembered: it is
 * the identity that ran the update that created the cluster (recorded in the stack's outputs), not
 * whoever runs the current update, or a later run by another admin would delete that admin's entry.
 * Entries are keyed by principal, so reordering `access.clusterAdmins` changes nothing.
 */
import { createHash } from "crypto";

export interface AdminEntry {
    /** Stable resource-name part derived from the principal (never its list position). */
    key: string;
    principalArn: string;
    /** Position in `access.clusterAdmins`: only to adopt entries created when they were keyed by index. */
    listIndex: number;
}

/** `role/platform-admin` of `arn:aws:iam::123456789012:role/platform-admin` as a name part, with a hash of the whole ARN for uniqueness. */
export function principalKey(principalArn: string): string {
    const resource = principalArn.split(":").slice(5).join(":");
    const readable = resource.replace(/[^A-Za-z0-9-]+/g, "-").replace(/-+/g, "-").replace(/^-|-$/g, "").slice(0, 48);
    const hash = createHash("sha256").update(principalArn).digest("hex").slice(0, 8);
    return `${readable}-${hash}`;
}

/**
 * The IAM principal EKS records as a cluster's creator, from the caller identity: an assumed-role
 * session (`arn:aws:sts::…:assumed-role/<role>/<session>`) is its role, whose full ARN (with its
 * path) the session issuer gives; users and roles are themselves.
 */
export function creatorPrincipal(callerArn: string, sessionIssuerArn: string | undefined): string {
    if (/^arn:aws[a-z-]*:sts::\d{12}:assumed-role\//.test(callerArn)) {
        if (!sessionIssuerArn) throw new Error(`cannot tell the IAM role of the session ${callerArn}: its session issuer is unknown`);
        return sessionIssuerArn;
    }
    return callerArn;
}

/**
 * The creator of a color's cluster: the one recorded at its creation; the current deployer when the
 * cluster is created by this update; unknown for a cluster deployed before creators were recorded
 * (it deployed fine, so none of its listed admins is its creator).
 */
export function clusterCreator(recorded: { deployed: boolean; creator?: string }, deployer: string | undefined): string | undefined {
    if (recorded.creator !== undefined) return recorded.creator;
    return recorded.deployed ? undefined : deployer;
}

/** The admins that get an access entry from this program: every listed principal but the creator. */
export function adminEntries(clusterAdmins: string[], creator: string | undefined): AdminEntry[] {
    return clusterAdmins
        .map((principalArn, listIndex) => ({ key: principalKey(principalArn), principalArn, listIndex }))
        .filter((entry) => entry.principalArn !== creator);
}
