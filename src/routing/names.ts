/**
 * AWS names of the load balancer and its target groups. Elastic Load Balancing caps both at 32
 * characters, and Pulumi's autonaming appends "-" and 7 random hex characters to the resource name,
 * so a resource name longer than 24 characters (a long environment or app name) would fail at
 * `pulumi up`. Such a resource gets an explicit, deterministic name instead: the start of the
 * resource name and a hash of its identity, where the identity holds every input whose change
 * replaces the resource, so a replacement gets a new name and create-before-delete never collides.
 * Pure.
 */
import { fnv1a } from "./rules";

/** Elastic Load Balancing's limit on load balancer and target group names. */
export const ELB_NAME_MAX = 32;
/** What Pulumi's autonaming appends: "-" and 7 hex characters. */
const AUTONAME_SUFFIX = 8;

/** 8 hex characters of a stable hash. */
export function shortHash(text: string): string {
    return fnv1a(text).toString(16).padStart(8, "0");
}

/**
 * The explicit AWS name for a load balancer or target group whose autoname would exceed 32
 * characters; undefined when autonaming fits (the usual case, and what existing stacks have).
 */
export function elbNameFor(resourceName: string, identity: string): string | undefined {
    if (resourceName.length + AUTONAME_SUFFIX <= ELB_NAME_MAX) return undefined;
    const head = resourceName.slice(0, ELB_NAME_MAX - 9).replace(/-+$/, "");
    return `${head}-${shortHash(identity)}`;
}
