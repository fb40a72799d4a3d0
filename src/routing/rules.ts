/**
 * The listener rules of the shared ALB, decided from config alone: which hosts and path each rule
 * matches, and its priority. Pure; the Pulumi component turns the result into resources.
 *
 * Matching: a rule holds at most 3 hosts (the per-condition limit) of one kind (exact or wildcard)
 * and at most one path, so with the tester header a rule has at most 5 match evaluations and at
 * most 3 + 2 wildcards (paths are limited to 2 wildcards in config).
 *
 * Priorities: the ALB takes the first matching rule by ascending priority, so a more specific rule
 * must come first (exact hosts before wildcard hosts, longer literal path prefixes before shorter ones,
 * path rules before host-only rules, tester-header rules before all weighted ones). The priority space
 * is cut into fixed buckets by that specificity; inside a bucket a rule's slot is a hash of its
 * stable key (app name and match index), with linear probing in key order on collision. A rule's
 * priority therefore does not depend on the order of `routing.apps` nor on other apps, except in
 * the rare case of a hash collision inside its bucket.
 */
import type { Color } from "../config/colors";
import { ALB_QUOTAS } from "./quotas";

export interface RoutableApp {
    name: string;
    hostnames: string[];
    paths: string[];
}

export interface RuleMatch {
    /** Host-header values, all exact or all wildcard. */
    hosts: string[];
    /** Path-pattern value; none matches every path. */
    path?: string;
}

export interface PlannedRule extends RuleMatch {
    app: string;
    /** Unique per listener and stable across runs: used for the resource name and the priority hash. */
    key: string;
    priority: number;
}

export interface PlannedHeaderRule extends PlannedRule {
    /** The `X-Bluegreen-Color` value this rule answers, and the color it forwards to. */
    color: Color;
}

export interface RulePlan {
    /** One per app match on the HTTPS listener, forwarding to every present color by weight. */
    weighted: PlannedRule[];
    /** On the HTTPS listener, one per app match and present color; empty unless enabled. */
    header: PlannedHeaderRule[];
    /** On the verification listener, one per app match (same priorities as the weighted rules); empty unless enabled. */
    verification: PlannedRule[];
}

export const TESTER_HEADER = "X-Bluegreen-Color";

export class RulePlanError extends Error {}

const HOSTS_PER_RULE = ALB_QUOTAS.matchEvaluationsPerCondition;
/** Path literal-prefix lengths told apart; longer prefixes share the most specific bucket. */
const EXACT_HOST_PATH_BUCKETS = 30;
const WILDCARD_HOST_PATH_BUCKETS = 14;

/**
 * One band of priorities, in units: exact hosts with a path (30 buckets by prefix length), exact
 * hosts without a path (30 units: the common case gets room), wildcard hosts with a path (14
 * buckets), wildcard hosts without a path (6 units). 80 units in all.
 */
export interface Band {
    first: number;
    unit: number;
}
export const HEADER_BAND: Band = { first: ALB_QUOTAS.minRulePriority, unit: 124 }; // 1..9920
export const WEIGHTED_BAND: Band = { first: 10000, unit: 500 }; // 10000..49999

interface Bucket {
    start: number;
    size: number;
}

/** Characters before the first wildcard; an exact path counts one more than any wildcard pattern it starts. */
export function literalPrefixLength(path: string): number {
    const index = path.search(/[*?]/);
    return index === -1 ? path.length + 1 : index;
}

export function bucketFor(band: Band, match: RuleMatch): Bucket {
    const wildcardHosts = match.hosts.some((h) => h.startsWith("*"));
    const { first, unit } = band;
    if (!wildcardHosts) {
        if (match.path === undefined) return { start: first + EXACT_HOST_PATH_BUCKETS * unit, size: 30 * unit };
        const index = EXACT_HOST_PATH_BUCKETS - Math.min(literalPrefixLength(match.path), EXACT_HOST_PATH_BUCKETS);
        return { start: first + index * unit, size: unit };
    }
    const wildcardStart = first + (EXACT_HOST_PATH_BUCKETS + 30) * unit;
    if (match.path === undefined) return { start: wildcardStart + WILDCARD_HOST_PATH_BUCKETS * unit, size: 6 * unit };
    const index = WILDCARD_HOST_PATH_BUCKETS - Math.min(literalPrefixLength(match.path), WILDCARD_HOST_PATH_BUCKETS);
    return { start: wildcardStart + index * unit, size: unit };
}

/** 32-bit FNV-1a: small, stable across Node versions and platforms. */
export function fnv1a(text: string): number {
    let hash = 0x811c9dc5;
    for (let i = 0; i < text.length; i++) {
        hash ^= text.charCodeAt(i);
        hash = Math.imul(hash, 0x01000193) >>> 0;
    }
    return hash >>> 0;
}

/** An app's matches: host chunks (exact first, then wildcard) for each path, in a stable order. */
export function appMatches(app: RoutableApp): RuleMatch[] {
    const exact = app.hostnames.filter((h) => !h.startsWith("*"));
    const wildcard = app.hostnames.filter((h) => h.startsWith("*"));
    const chunks = [...chunk(exact, HOSTS_PER_RULE), ...chunk(wildcard, HOSTS_PER_RULE)];
    const paths: (string | undefined)[] = app.paths.length > 0 ? app.paths : [undefined];
    return paths.flatMap((path) => chunks.map((hosts) => (path === undefined ? { hosts } : { hosts, path })));
}

function chunk<T>(items: T[], size: number): T[][] {
    const out: T[][] = [];
    for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
    return out;
}

/** The resource-name suffix of an app's i-th match: the first one is just the app's name. */
export function matchName(app: string, index: number): string {
    return index === 0 ? app : `${app}-${index + 1}`;
}

/** Gives each keyed match a priority in its bucket; throws a RulePlanError when a bucket is full. */
export function assignPriorities<T extends RuleMatch & { key: string }>(band: Band, items: T[]): (T & { priority: number })[] {
    const taken = new Set<number>();
    const priorities = new Map<string, number>();
    for (const item of [...items].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0))) {
        if (priorities.has(item.key)) throw new RulePlanError(`two listener rules share the key "${item.key}"`);
        const bucket = bucketFor(band, item);
        const home = fnv1a(item.key) % bucket.size;
        let priority: number | undefined;
        for (let step = 0; step < bucket.size; step++) {
            const candidate = bucket.start + ((home + step) % bucket.size);
            if (!taken.has(candidate)) {
                priority = candidate;
                break;
            }
        }
        if (priority === undefined) {
            throw new RulePlanError(
                `more than ${bucket.size} listener rules of the same specificity as "${item.key}" (priorities ${bucket.start}-${bucket.start + bucket.size - 1}): spread the apps over several environments`,
            );
        }
        taken.add(priority);
        priorities.set(item.key, priority);
    }
    return items.map((item) => ({ ...item, priority: priorities.get(item.key)! }));
}

export interface RulePlanOptions {
    /** Colors present in `clusters`, each bound to every app. */
    colors: Color[];
    headerRule: boolean;
    verification: boolean;
}

export function planRules(apps: RoutableApp[], options: RulePlanOptions): RulePlan {
    const matches = apps.flatMap((app) => appMatches(app).map((match, index) => ({ ...match, app: app.name, key: matchName(app.name, index) })));
    const weighted = assignPriorities(WEIGHTED_BAND, matches);
    const header = options.headerRule
        ? assignPriorities(
              HEADER_BAND,
              matches.flatMap((match) => options.colors.map((color) => ({ ...match, key: `${match.key}-header-${color}`, color }))),
          )
        : [];
    const verification = options.verification ? weighted.map((rule) => ({ ...rule, key: `${rule.key}-verify` })) : [];
    return { weighted, header, verification };
}

/** All rules the plan puts on the load balancer (the quota counts every listener's rules together). */
export function ruleCount(plan: RulePlan): number {
    return plan.weighted.length + plan.header.length + plan.verification.length;
}
