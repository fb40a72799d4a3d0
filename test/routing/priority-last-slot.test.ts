/**
 * The rule-priority planner where two rules collide on the last slot of a bucket: the second must
 * wrap to the bucket's first priority, never spill into the next bucket (a less specific rule's
 * range), and a full bucket is an error, not a priority borrowed from a neighbour. The bucket's
 * bounds are worked out here from the documented layout, not read from the planner.
 */
import { fnv1a, planRules, PlannedRule, RoutableApp } from "../../src/routing/rules";

const both = { colors: ["blue", "green"] as ("blue" | "green")[], headerRule: false, verification: false };
const app = (name: string, hostnames: string[], paths: string[] = []): RoutableApp => ({ name, hostnames, paths });
const priorityOf = (rules: PlannedRule[], key: string) => rules.find((r) => r.key === key)!.priority;

// Weighted band: 10000 + 500 per unit. An exact host with path "/v1/*" (4 literal characters before
// the wildcard) is in bucket 30 - 4 = 26: priorities 23000..23499, one unit wide.
const BUCKET_START = 10000 + 26 * 500;
const BUCKET_SIZE = 500;
const LAST_SLOT = BUCKET_START + BUCKET_SIZE - 1;

/** The first `count` app names whose rule key hashes to the bucket's last slot. */
function namesOnLastSlot(count: number): string[] {
    const names: string[] = [];
    for (let i = 0; names.length < count; i++) {
        if (fnv1a(`app${i}`) % BUCKET_SIZE === BUCKET_SIZE - 1) names.push(`app${i}`);
    }
    return names;
}

describe("rule priorities: a collision on the last slot of a bucket", () => {
    test("the first rule takes the last slot, the second wraps to the bucket's first priority", () => {
        const [a, b] = namesOnLastSlot(2);
        const rules = planRules([app(a, [`${a}.example.com`], ["/v1/*"]), app(b, [`${b}.example.com`], ["/v1/*"])], both).weighted;
        const [first, second] = [a, b].sort();
        expect(priorityOf(rules, first)).toBe(LAST_SLOT);
        expect(priorityOf(rules, second)).toBe(BUCKET_START);
    });

    test("three on the last slot: the wrap continues inside the bucket, and a more specific bucket is untouched", () => {
        const names = namesOnLastSlot(3);
        const rules = planRules(names.map((n) => app(n, [`${n}.example.com`], ["/v1/*"])), both).weighted;
        const priorities = [...names].sort().map((n) => priorityOf(rules, n));
        expect(priorities).toEqual([LAST_SLOT, BUCKET_START, BUCKET_START + 1]);
        for (const p of priorities) {
            expect(p).toBeGreaterThanOrEqual(BUCKET_START);
            expect(p).toBeLessThanOrEqual(LAST_SLOT);
        }
    });

    test("the wrapped rule still comes after every rule of the more specific bucket before it", () => {
        const [a, b] = namesOnLastSlot(2);
        // "/v1/a*" has 5 literal characters: bucket 25, priorities 22500..22999, all below the wrapped one.
        const rules = planRules([app(a, [`${a}.example.com`], ["/v1/*"]), app(b, [`${b}.example.com`], ["/v1/*"]), app("deeper", ["deeper.example.com"], ["/v1/a*"])], both).weighted;
        const deeper = priorityOf(rules, "deeper");
        expect(deeper).toBeGreaterThanOrEqual(22500);
        expect(deeper).toBeLessThan(BUCKET_START);
        for (const key of [a, b]) expect(priorityOf(rules, key)).toBeGreaterThan(deeper);
    });
});
