import fc from "fast-check";
import { ALB_QUOTAS, wildcardCount } from "../../src/routing/quotas";
import {
    appMatches,
    bucketFor,
    fnv1a,
    HEADER_BAND,
    literalPrefixLength,
    planRules,
    PlannedRule,
    RoutableApp,
    ruleCount,
    TESTER_HEADER,
    WEIGHTED_BAND,
} from "../../src/routing/rules";

const app = (name: string, hostnames: string[], paths: string[] = []): RoutableApp => ({ name, hostnames, paths });
const both = { colors: ["blue", "green"] as ("blue" | "green")[], headerRule: false, verification: true };

function priorityOf(rules: PlannedRule[], key: string): number {
    const rule = rules.find((r) => r.key === key);
    if (!rule) throw new Error(`no rule ${key} (have ${rules.map((r) => r.key).join(", ")})`);
    return rule.priority;
}

const label = fc.stringMatching(/^[a-z][a-z0-9]{0,8}$/);
const hostname = fc.tuple(fc.boolean(), label, label).map(([wild, a, b]) => `${wild ? "*" : a}.${b}.com`);
const pathPattern = fc.tuple(fc.array(label, { maxLength: 3 }), fc.constantFrom("", "*", "/*", "?.js")).map(([segments, tail]) => `/${segments.join("/")}${tail}`);
const apps = fc
    .uniqueArray(label, { minLength: 1, maxLength: 30 })
    .chain((names) => fc.tuple(...names.map((name) => fc.record({
        name: fc.constant(name),
        hostnames: fc.uniqueArray(hostname, { minLength: 1, maxLength: 7 }),
        paths: fc.uniqueArray(pathPattern, { maxLength: 3 }),
    }))));

/** What breaks an ALB quota in one rule (its match values, wildcards, host count), as readable lines. */
function quotaProblems(rule: PlannedRule): string[] {
    const values = rule.hosts.length + (rule.path ? 1 : 0) + ("color" in rule ? 1 : 0);
    const wildcards = rule.hosts.reduce((n, h) => n + wildcardCount(h), 0) + (rule.path ? wildcardCount(rule.path) : 0);
    const problems: string[] = [];
    if (rule.hosts.length === 0) problems.push(`${rule.key}: no host`);
    if (rule.hosts.length > ALB_QUOTAS.matchEvaluationsPerCondition) problems.push(`${rule.key}: ${rule.hosts.length} hosts in one condition`);
    if (values > ALB_QUOTAS.matchEvaluationsPerRule) problems.push(`${rule.key}: ${values} match values`);
    if (wildcards > ALB_QUOTAS.wildcardsPerRule) problems.push(`${rule.key}: ${wildcards} wildcards`);
    return problems;
}

describe("listener rule matches", () => {
    test("hosts are cut into rules of at most 3, exact and wildcard apart, times each path", () => {
        const matches = appMatches(app("shop", ["a.example.com", "b.example.com", "*.example.com", "c.example.com", "d.example.com"], ["/api/*", "/static/*"]));
        expect(matches).toEqual([
            { hosts: ["a.example.com", "b.example.com", "c.example.com"], path: "/api/*" },
            { hosts: ["d.example.com"], path: "/api/*" },
            { hosts: ["*.example.com"], path: "/api/*" },
            { hosts: ["a.example.com", "b.example.com", "c.example.com"], path: "/static/*" },
            { hosts: ["d.example.com"], path: "/static/*" },
            { hosts: ["*.example.com"], path: "/static/*" },
        ]);
    });

    test("an app without paths matches every path: no path condition", () => {
        expect(appMatches(app("shop", ["shop.example.com"]))).toEqual([{ hosts: ["shop.example.com"] }]);
    });

    test("rule keys: the first match is the app's name, the others numbered", () => {
        const plan = planRules([app("shop", ["a.example.com", "b.example.com", "c.example.com", "d.example.com"])], both);
        expect(plan.weighted.map((r) => r.key)).toEqual(["shop", "shop-2"]);
        expect(plan.verification.map((r) => r.key)).toEqual(["shop-verify", "shop-2-verify"]);
    });

    test("every rule stays within the ALB's per-rule quotas, header included, and every route is covered", () => {
        fc.assert(fc.property(apps, (generated) => {
            const plan = planRules(generated, { ...both, headerRule: true });
            // Every problem of every rule at once, one assertion per run (an expect per rule costs more than the planner).
            expect([...plan.weighted, ...plan.header].flatMap(quotaProblems)).toEqual([]);
            const uncovered = generated.filter((a) => {
                const routes = new Set(plan.weighted.filter((r) => r.app === a.name).flatMap((r) => r.hosts.map((h) => `${h}${r.path ?? ""}`)));
                const expected = new Set(a.hostnames.flatMap((h) => (a.paths.length ? a.paths : [""]).map((p) => `${h}${p}`)));
                return routes.size !== expected.size || [...expected].some((route) => !routes.has(route));
            });
            expect(uncovered.map((a) => a.name)).toEqual([]);
        }));
    });
});

describe("rule priorities", () => {
    test("more specific rules come first: header, exact host with longer path, shorter path, exact host, wildcard host with path, wildcard host", () => {
        const plan = planRules([
            app("catchall", ["*.example.com"]),
            app("wildpath", ["*.example.com"], ["/v1/*"]),
            app("site", ["api.example.com"]),
            app("v1", ["api.example.com"], ["/v1/*"]),
            app("admin", ["api.example.com"], ["/v1/admin/*"]),
            app("health", ["api.example.com"], ["/v1/admin/healthz"]),
        ], { ...both, headerRule: true });
        const order = ["health", "admin", "v1", "site", "wildpath", "catchall"].map((key) => priorityOf(plan.weighted, key));
        expect([...order].sort((a, b) => a - b)).toEqual(order);
        const headers = ["health", "admin", "v1", "site", "wildpath", "catchall"].map((key) => priorityOf(plan.header, `${key}-header-green`));
        expect([...headers].sort((a, b) => a - b)).toEqual(headers);
        expect(Math.max(...plan.header.map((r) => r.priority))).toBeLessThan(Math.min(...plan.weighted.map((r) => r.priority)));
    });

    test("an exact path outranks the wildcard pattern it starts; literal prefixes are measured up to the first wildcard", () => {
        expect(literalPrefixLength("/healthz")).toBe(9);
        expect(literalPrefixLength("/healthz*")).toBe(8);
        expect(literalPrefixLength("/v1/*")).toBe(4);
        expect(literalPrefixLength("/a?c")).toBe(2);
    });

    test("the bands fit the listener's priority range and do not overlap", () => {
        const extremes = (band: typeof WEIGHTED_BAND) => {
            const buckets = [
                bucketFor(band, { hosts: ["a.com"], path: "/" + "x".repeat(100) }),
                bucketFor(band, { hosts: ["a.com"], path: "/*" }),
                bucketFor(band, { hosts: ["a.com"] }),
                bucketFor(band, { hosts: ["*.a.com"], path: "/" + "x".repeat(100) }),
                bucketFor(band, { hosts: ["*.a.com"], path: "/*" }),
                bucketFor(band, { hosts: ["*.a.com"] }),
            ];
            for (let i = 1; i < buckets.length; i++) expect(buckets[i].start).toBeGreaterThanOrEqual(buckets[i - 1].start + buckets[i - 1].size);
            return { first: buckets[0].start, last: buckets[5].start + buckets[5].size - 1 };
        };
        const header = extremes(HEADER_BAND);
        const weighted = extremes(WEIGHTED_BAND);
        expect(header.first).toBe(ALB_QUOTAS.minRulePriority);
        expect(header.last).toBeLessThan(weighted.first);
        expect(weighted.last).toBeLessThanOrEqual(ALB_QUOTAS.maxRulePriority);
    });

    test("the hash is FNV-1a (stable across runs and platforms)", () => {
        expect(fnv1a("")).toBe(0x811c9dc5);
        expect(fnv1a("a")).toBe(0xe40c292c);
        expect(fnv1a("foobar")).toBe(0xbf9cf968);
    });

    test("priorities are unique per listener and within 1..50000", () => {
        fc.assert(fc.property(apps, (generated) => {
            const plan = planRules(generated, { ...both, headerRule: true });
            const main = [...plan.weighted, ...plan.header].map((r) => r.priority);
            expect(new Set(main).size).toBe(main.length);
            expect(main.filter((p) => p < ALB_QUOTAS.minRulePriority || p > ALB_QUOTAS.maxRulePriority)).toEqual([]);
            expect(plan.verification.map((r) => r.priority)).toEqual(plan.weighted.map((r) => r.priority));
        }));
    });

    test("the order of routing.apps does not matter", () => {
        fc.assert(fc.property(apps.chain((a) => fc.tuple(fc.constant(a), fc.shuffledSubarray(a, { minLength: a.length, maxLength: a.length }))), ([original, shuffled]) => {
            const byKey = (rules: PlannedRule[]) => Object.fromEntries(rules.map((r) => [r.key, r.priority]));
            expect(byKey(planRules(shuffled, both).weighted)).toEqual(byKey(planRules(original, both).weighted));
        }));
    });

    test("adding an app leaves every existing rule's priority alone when the new rules land on free home slots", () => {
        fc.assert(fc.property(apps, label, fc.uniqueArray(hostname, { minLength: 1, maxLength: 4 }), (existing, newName, newHosts) => {
            fc.pre(!existing.some((a) => a.name === newName));
            const before = planRules(existing, both).weighted;
            const after = planRules([...existing, app(newName, newHosts)], both).weighted;
            const taken = new Set(before.map((r) => r.priority));
            const added = after.filter((r) => r.app === newName);
            const landedHome = added.every((r) => {
                const bucket = bucketFor(WEIGHTED_BAND, r);
                return r.priority === bucket.start + (fnv1a(r.key) % bucket.size) && !taken.has(r.priority);
            });
            fc.pre(landedHome);
            for (const rule of before) expect(priorityOf(after, rule.key)).toBe(rule.priority);
        }));
    });

    test("50 apps: adding or removing any one app changes no other app's priority", () => {
        const fifty = Array.from({ length: 50 }, (_, i) => app(`service-${i}`, [`s${i}.example.com`]));
        const all = planRules(fifty, both).weighted;
        for (let i = 0; i < fifty.length; i++) {
            const without = planRules(fifty.filter((_, j) => j !== i), both).weighted;
            for (const rule of without) expect(rule.priority).toBe(priorityOf(all, rule.key));
        }
        const withOneMore = planRules([...fifty, app("newcomer", ["new.example.com"])], both).weighted;
        for (const rule of all) expect(priorityOf(withOneMore, rule.key)).toBe(rule.priority);
    });

    test("a hash collision is resolved by probing to the next free priority of the same bucket", () => {
        // Find two app names whose rules share a home slot in the exact-host bucket.
        const bucket = bucketFor(WEIGHTED_BAND, { hosts: ["x.com"] });
        const seen = new Map<number, string>();
        let pair: [string, string] | undefined;
        for (let i = 0; !pair; i++) {
            const name = `app${i}`;
            const home = fnv1a(name) % bucket.size;
            const other = seen.get(home);
            if (other) pair = [other, name];
            else seen.set(home, name);
        }
        const plan = planRules(pair.map((n) => app(n, [`${n}.example.com`])), both).weighted;
        const [first, second] = [...pair].sort();
        const home = bucket.start + (fnv1a(first) % bucket.size);
        expect(priorityOf(plan, first)).toBe(home);
        expect(priorityOf(plan, second)).toBe(home + 1 === bucket.start + bucket.size ? bucket.start : home + 1);
    });
});

describe("rule counts", () => {
    test("weighted rules, one verification rule each, and header rules per color", () => {
        const plan = planRules([app("a", ["a.example.com"]), app("b", ["b.example.com"], ["/x/*", "/y/*"])], { ...both, headerRule: true });
        expect(plan.weighted).toHaveLength(3);
        expect(plan.verification).toHaveLength(3);
        expect(plan.header).toHaveLength(6);
        expect(plan.header.every((r) => ["blue", "green"].includes(r.color))).toBe(true);
        expect(ruleCount(plan)).toBe(12);
        expect(ruleCount(planRules([app("a", ["a.example.com"])], { colors: ["blue"], headerRule: false, verification: false }))).toBe(1);
        expect(TESTER_HEADER).toBe("X-Bluegreen-Color");
    });
});
