/**
 * The alb-mode planner on its own: what it decides for each weight, color and app, without Pulumi.
 * The offline-plan tests (alb-plan, weight-shift) check that the component turns it into resources.
 */
import fc from "fast-check";
import { COLORS, loadEnvironmentConfig } from "../../src/config";
import { AlbRoutingPlan, planAlbRouting, READINESS_GATE_LABEL, routingWarnings } from "../../src/routing/alb-plan";
import { ELB_NAME_MAX } from "../../src/routing/names";
import { clusterSpec, rawConfig } from "../helpers/raw-config";
import { albRouting, routedApp } from "./fixtures";

const plan = (routing: Record<string, unknown>, extra: Record<string, unknown> = {}, environment = "prod") =>
    planAlbRouting({ config: loadEnvironmentConfig(rawConfig({ routing: albRouting(routing), ...extra })), environment });

const rule = (p: AlbRoutingPlan, name: string) => {
    const found = p.rules.find((r) => r.name === name);
    if (!found) throw new Error(`no rule ${name} (have ${p.rules.map((r) => r.name).join(", ")})`);
    return found;
};

describe("forward actions per weight", () => {
    test.each([
        [{ blue: 100, green: 0 }, [["prod-shop-blue", 100], ["prod-shop-green", 0]], "green"],
        [{ blue: 90, green: 10 }, [["prod-shop-blue", 90], ["prod-shop-green", 10]], "green"],
        [{ blue: 50, green: 50 }, [["prod-shop-blue", 50], ["prod-shop-green", 50]], "green"],
        [{ blue: 0, green: 100 }, [["prod-shop-blue", 0], ["prod-shop-green", 100]], "blue"],
        [{ green: 100 }, [["prod-shop-blue", 0], ["prod-shop-green", 100]], "blue"],
    ])("weights %j: the weighted rule forwards %j; verification goes to %s", (weights, expected, candidate) => {
        const p = plan({ weights, verification: { allowedCidrs: ["198.51.100.0/24"], headerRule: true } });
        expect(rule(p, "prod-shop").forward.map((f) => [f.targetGroup, f.weight])).toEqual(expected);
        expect(p.verificationColor).toBe(candidate);
        expect(rule(p, "prod-shop-verify").forward).toEqual([{ targetGroup: `prod-shop-${candidate}`, color: candidate, weight: 100 }]);
        expect(rule(p, "prod-shop-header-blue").forward).toEqual([{ targetGroup: "prod-shop-blue", color: "blue", weight: 100 }]);
        expect(rule(p, "prod-shop-header-green").forward).toEqual([{ targetGroup: "prod-shop-green", color: "green", weight: 100 }]);
    });

    test("one color: its target group alone, at 100, and no target group, binding or namespace of the absent color", () => {
        const p = plan({ weights: { blue: 100 } }, { clusters: { blue: clusterSpec("1.32") } });
        expect(rule(p, "prod-shop").forward).toEqual([{ targetGroup: "prod-shop-blue", color: "blue", weight: 100 }]);
        expect(p.targetGroups.map((g) => g.name)).toEqual(["prod-shop-blue"]);
        expect(p.bindings.map((b) => b.name)).toEqual(["prod-blue-shop-binding"]);
        expect(p.namespaces.map((n) => n.name)).toEqual(["prod-blue-ns-shop"]);
        expect(p.verificationColor).toBe("blue");
    });

    test("target groups are protected exactly while their color has weight", () => {
        const p = plan({ weights: { blue: 100, green: 0 }, apps: [routedApp("shop"), routedApp("api")] });
        expect(Object.fromEntries(p.targetGroups.map((g) => [g.name, g.protected]))).toEqual({
            "prod-shop-blue": true, "prod-shop-green": false, "prod-api-blue": true, "prod-api-green": false,
        });
    });

    test("without verification: no verification listener, rules, port or candidate", () => {
        const p = plan({ verification: { enabled: false } });
        expect(p.verificationColor).toBeUndefined();
        expect(p.listeners.map((l) => l.kind)).toEqual(["https", "http"]);
        expect(p.rules.map((r) => r.kind)).toEqual(["weighted"]);
        expect(p.securityGroupRules.filter((r) => r.direction === "ingress").map((r) => r.fromPort)).toEqual([443, 80]);
        expect(p.weightedRules).toEqual(["prod-shop"]);
    });
});

describe("bindings and namespaces", () => {
    test("every rule waits for the bindings of the target groups it forwards to", () => {
        const p = plan({ weights: { blue: 90, green: 10 }, verification: { allowedCidrs: ["198.51.100.0/24"], headerRule: true } });
        for (const r of p.rules) {
            const bound = r.forward.map((f) => p.bindings.find((b) => b.targetGroup === f.targetGroup)!.name);
            expect(r.waitsFor).toEqual(bound);
        }
        expect(rule(p, "prod-shop").waitsFor).toEqual(["prod-blue-shop-binding", "prod-green-shop-binding"]);
    });

    test("a binding's name carries its target group's identity: a port change (a new target group) gives a new binding name, a weight change does not", () => {
        const before = plan({ weights: { blue: 100, green: 0 } });
        const shifted = plan({ weights: { blue: 0, green: 100 } });
        const ported = plan({ weights: { blue: 100, green: 0 }, apps: [routedApp("shop", { service: { name: "shop", port: 80, targetPort: 8080 } })] });
        const names = (p: AlbRoutingPlan) => p.bindings.map((b) => b.objectName);
        expect(names(shifted)).toEqual(names(before));
        expect(names(ported)).not.toEqual(names(before));
        for (const name of [...names(before), ...names(ported)]) expect(name).toMatch(/^bluegreen-shop-[0-9a-f]{8}$/);
        expect(new Set([...names(before), ...names(ported)]).size).toBe(4);
    });

    test("one labelled namespace per color and distinct app namespace, which the bindings wait for", () => {
        const p = plan({ apps: [routedApp("shop"), routedApp("api", { namespace: "shop" }), routedApp("web", { namespace: "kube-system" })] });
        expect(p.namespaces.map((n) => [n.name, n.namespace])).toEqual([
            ["prod-blue-ns-kube-system", "kube-system"], ["prod-blue-ns-shop", "shop"],
            ["prod-green-ns-kube-system", "kube-system"], ["prod-green-ns-shop", "shop"],
        ]);
        for (const n of p.namespaces) expect(n.labels).toEqual({ [READINESS_GATE_LABEL]: "enabled" });
        expect(p.bindings.find((b) => b.name === "prod-green-web-binding")!.namespacePatch).toBe("prod-green-ns-kube-system");
    });
});

describe("AWS names fit 32 characters", () => {
    test("short names are left to Pulumi's autonaming (as existing stacks have them)", () => {
        const p = plan({});
        expect(p.loadBalancer.awsName).toBeUndefined();
        expect(p.targetGroups.map((g) => g.awsName)).toEqual([undefined, undefined]);
    });

    test("long environment and app names get a deterministic hashed name of at most 32 characters, unique per color", () => {
        const environment = "production-eu-central-payments";
        const apps = [routedApp("customer-checkout-api"), routedApp("customer-checkout-web")];
        const p = plan({ apps }, {}, environment);
        const again = plan({ apps }, {}, environment);
        expect(p.loadBalancer.awsName).toMatch(/^production-eu-central-p-[0-9a-f]{8}$/);
        const names = p.targetGroups.map((g) => g.awsName!);
        expect(names).toHaveLength(4);
        expect(new Set(names).size).toBe(4);
        for (const name of [p.loadBalancer.awsName!, ...names]) {
            expect(name.length).toBeLessThanOrEqual(ELB_NAME_MAX);
            expect(name).toMatch(/^[a-z0-9]([a-z0-9-]*[a-z0-9])?$/);
        }
        expect(again.targetGroups.map((g) => g.awsName)).toEqual(names);
        const ported = plan({ apps: [routedApp("customer-checkout-api", { service: { name: "x", port: 8080 } }), apps[1]] }, {}, environment);
        expect(ported.targetGroups[0].awsName).not.toBe(names[0]);
        expect(ported.targetGroups[2].awsName).toBe(names[2]);
    });

    test("property: whatever the environment and app names, every name Pulumi or the plan gives is at most 32 characters", () => {
        const label = (max: number) => fc.stringMatching(new RegExp(`^[a-z]([a-z0-9-]{0,${max - 2}}[a-z0-9])?$`));
        fc.assert(fc.property(label(40), label(50), (environment, app) => {
            const p = plan({ apps: [routedApp(app)] }, {}, environment);
            for (const resource of [p.loadBalancer, ...p.targetGroups]) {
                const length = resource.awsName?.length ?? resource.name.length + 8;
                expect(length).toBeLessThanOrEqual(ELB_NAME_MAX);
            }
        }), { numRuns: 60 });
    });
});

describe("stickiness", () => {
    const config = (stickiness: Record<string, unknown>, bake = "10m") => loadEnvironmentConfig(rawConfig({ routing: albRouting({ stickiness }), cutover: { bake } }));

    test.each([
        [{}, "10m", 0, "off by default"],
        [{ enabled: true, durationSeconds: 600 }, "10m", 0, "as long as a bake step"],
        [{ enabled: true, durationSeconds: 601 }, "10m", 1, "longer than a bake step"],
        [{ enabled: true }, "10m", 1, "the default duration (1 h) is longer than the default bake"],
        [{ enabled: true }, "2h", 0, "a bake longer than the duration"],
    ] as [Record<string, unknown>, string, number, string][])("%j with bake %s: %i warning(s) (%s)", (stickiness, bake, count) => {
        const warnings = routingWarnings(config(stickiness, bake));
        expect(warnings).toHaveLength(count);
        for (const w of warnings) expect(w).toMatch(/^routing\.stickiness\.durationSeconds \(.*\) is longer than a cutover bake step \(cutover\.bake /);
    });

    test("off by default: weighted rules carry no stickiness; on, every weighted rule carries it", () => {
        expect(plan({}).rules.every((r) => r.stickiness === undefined)).toBe(true);
        expect(rule(plan({ stickiness: { enabled: true, durationSeconds: 300 } }), "prod-shop").stickiness).toEqual({ enabled: true, duration: 300 });
    });
});


type PlannedAlbRule = AlbRoutingPlan["rules"][number];

/** What is wrong with one rule's forward action, as readable lines: weights, target groups, colors. */
function forwardProblems(p: AlbRoutingPlan, r: PlannedAlbRule): string[] {
    const problems: string[] = [];
    const total = r.forward.reduce((sum, f) => sum + f.weight, 0);
    if (total !== 100) problems.push(`${r.name}: weights sum to ${total}`);
    for (const f of r.forward) if (f.targetGroup !== `prod-${r.app}-${f.color}`) problems.push(`${r.name}: ${f.color} forwards to ${f.targetGroup}`);
    if (r.kind === "weighted") {
        const colors = r.forward.map((f) => f.color).join(",");
        const present = COLORS.filter((c) => p.colors.includes(c)).join(",");
        if (colors !== present) problems.push(`${r.name}: forwards to ${colors}, present are ${present}`);
        for (const f of r.forward) if (f.weight !== p.weights[f.color]) problems.push(`${r.name}: ${f.color} gets ${f.weight}, the plan's weight is ${p.weights[f.color]}`);
        return problems;
    }
    if (r.forward.length !== 1) return [...problems, `${r.name}: ${r.forward.length} target groups`];
    const color = r.kind === "verification" ? p.verificationColor : r.conditions.at(-1)!.httpHeader!.values[0];
    if (r.forward[0].color !== color) problems.push(`${r.name}: forwards to ${r.forward[0].color}, not ${color}`);
    return problems;
}

describe("properties over apps, weights and options", () => {
    const label = fc.stringMatching(/^[a-z][a-z0-9]{0,7}$/);
    const apps = fc.uniqueArray(label, { minLength: 1, maxLength: 8 }).chain((names) => fc.tuple(...names.map((name) => fc.record({
        wildcard: fc.boolean(),
        paths: fc.subarray(["/api/*", "/v1/orders", "/static/*"], { maxLength: 2 }),
    }).map(({ wildcard, paths }) => routedApp(name, { hostnames: [`${name}.example.com`, ...(wildcard ? [`*.${name}.example.com`] : [])], paths })))));
    const input = fc.record({ apps, green: fc.integer({ min: 0, max: 100 }), headerRule: fc.boolean(), verify: fc.boolean(), colors: fc.constantFrom(["blue", "green"], ["blue"], ["green"]) });

    type Input = typeof input extends fc.Arbitrary<infer T> ? T : never;
    const planOf = ({ apps: a, green, headerRule, verify, colors }: Input, weightOverride?: number) => {
        const present: readonly string[] = colors;
        const g = weightOverride ?? green;
        const weights = present.length === 2 ? { blue: 100 - g, green: g } : { [present[0]]: 100 };
        const clusters = Object.fromEntries(present.map((c) => [c, clusterSpec("1.33")]));
        return plan({ weights, apps: a, verification: { enabled: verify, headerRule, allowedCidrs: ["198.51.100.0/24"] } }, { clusters });
    };

    test("every weighted rule forwards to every present color's target group of its own app, the weights summing to 100; others forward 100 to one", () => {
        fc.assert(fc.property(input, (i) => {
            const p = planOf(i);
            // Every wrong forward of every rule at once, one assertion per run (an expect per rule costs more than the planner).
            expect(p.rules.flatMap((r) => forwardProblems(p, r))).toEqual([]);
            const priorities = (listener: string) => p.rules.filter((r) => r.listener === listener).map((r) => r.priority);
            expect(["https", "verification"].filter((listener) => new Set(priorities(listener)).size !== priorities(listener).length)).toEqual([]);
        }), { numRuns: 80 });
    });

    test("a change of weights changes only the weighted rules' weights, the protect flags, the candidate and the rules that follow it", () => {
        fc.assert(fc.property(input.filter((i) => i.colors.length === 2), fc.integer({ min: 0, max: 100 }), (i, other) => {
            const a = planOf(i);
            const b = planOf(i, other);
            const strip = (p: AlbRoutingPlan) => ({
                ...p,
                weights: undefined,
                verificationColor: undefined,
                targetGroups: p.targetGroups.map((g) => ({ ...g, protected: undefined })),
                rules: p.rules.map((r) => (r.kind === "header" ? r : { ...r, forward: r.forward.map((f) => ({ ...f, weight: undefined, targetGroup: undefined, color: undefined })), waitsFor: undefined })),
            });
            expect(strip(b)).toEqual(strip(a));
            // Priorities, names and conditions of every rule stay put.
            expect(b.rules.map((r) => [r.name, r.priority, r.conditions])).toEqual(a.rules.map((r) => [r.name, r.priority, r.conditions]));
            // Weighted rules keep their target groups (only the weights move).
            const weighted = b.rules.filter((x) => x.kind === "weighted");
            expect(weighted.map((r) => [r.name, r.forward.map((f) => f.targetGroup)])).toEqual(weighted.map((r) => [r.name, rule(a, r.name).forward.map((f) => f.targetGroup)]));
        }), { numRuns: 60 });
    });

    test("an app's rule priorities do not depend on the other apps (barring a hash collision in a bucket)", () => {
        fc.assert(fc.property(input, (i) => {
            const all = planOf(i);
            const first = planOf({ ...i, apps: [i.apps[0]] });
            // A rule may move only when its slot went to another app's rule (linear probing on a hash collision).
            const movedWithoutCause = first.rules.filter((r) => {
                const moved = rule(all, r.name).priority !== r.priority;
                const slotTaken = all.rules.some((o) => o.listener === r.listener && o.app !== r.app && o.priority === r.priority);
                return moved && !slotTaken;
            });
            expect(movedWithoutCause.map((r) => r.name)).toEqual([]);
        }), { numRuns: 40 });
    });
});
