import fc from "fast-check";
import { diffPlans, diffValues, isWithin, summaryLine } from "../../src/plan/diff";
import { Plan, PlannedResource } from "../../src/plan/model";

function resource(name: string, type: string, inputs: Record<string, unknown>, extra: Partial<PlannedResource> = {}): PlannedResource {
    return {
        urn: `urn:pulumi:dev::bluegreen::${type}::${name}`,
        type,
        name,
        custom: true,
        protect: false,
        retainOnDelete: false,
        deleteBeforeReplace: false,
        dependencies: [],
        replaceOnChanges: [],
        ignoreChanges: [],
        inputs,
        ...extra,
    };
}

const plan = (...resources: PlannedResource[]): Plan => ({ project: "bluegreen", stack: "dev", resources, outputs: {} });

describe("diffPlans", () => {
    const rule = resource("shop", "aws:lb/listenerRule:ListenerRule", { priority: 10, actions: [{ forward: { targetGroups: [{ weight: 100 }, { weight: 0 }] } }] });
    const group = resource("system", "aws:eks/nodeGroup:NodeGroup", { nodeGroupName: "system", instanceTypes: ["m6i.large"], scalingConfig: { maxSize: 3 } });

    test("identical plans have no changes", () => {
        const diff = diffPlans(plan(rule, group), plan(rule, group));
        expect(diff.summary).toEqual({ create: 0, update: 0, delete: 0, replace: 0, same: 2 });
        expect(summaryLine(diff)).toBe("0 to update, 0 to create, 0 to delete, 0 to replace");
    });

    test("a changed input is an update in place with its path", () => {
        const shifted = { ...rule, inputs: { ...rule.inputs, actions: [{ forward: { targetGroups: [{ weight: 90 }, { weight: 10 }] } }] } };
        const diff = diffPlans(plan(rule, group), plan(shifted, group));
        expect(diff.summary.update).toBe(1);
        const step = diff.steps.find((s) => s.op === "update")!;
        expect(step.changes.map((c) => c.path)).toEqual([
            "actions[0].forward.targetGroups[0].weight",
            "actions[0].forward.targetGroups[1].weight",
        ]);
    });

    test("a change of an input the provider cannot update is a replacement, with the reason", () => {
        const bigger = { ...group, inputs: { ...group.inputs, instanceTypes: ["m7i.large"] } };
        const diff = diffPlans(plan(group), plan(bigger));
        expect(diff.steps[0].op).toBe("replace");
        expect(diff.steps[0].replaceReasons).toEqual(["instanceTypes[0]"]);
    });

    test("replaceOnChanges and ignoreChanges options are honoured", () => {
        const base = resource("x", "custom:index:Thing", { a: 1, b: 1 }, { replaceOnChanges: ["a"], ignoreChanges: ["b"] });
        expect(diffPlans(plan(base), plan({ ...base, inputs: { a: 2, b: 1 } })).steps[0].op).toBe("replace");
        expect(diffPlans(plan(base), plan({ ...base, inputs: { a: 1, b: 2 } })).steps[0].op).toBe("same");
    });

    test("creates and deletes by URN; protect changes are reported but are not updates", () => {
        const protectedGroup = { ...group, protect: true };
        const diff = diffPlans(plan(rule, group), plan(protectedGroup));
        expect(diff.summary).toEqual({ create: 0, update: 0, delete: 1, replace: 0, same: 1 });
        expect(diff.steps.find((s) => s.name === "system")!.protectChange).toEqual({ before: false, after: true });
    });

    test("isWithin matches a path and what lies below it only", () => {
        expect(isWithin("a.b", "a")).toBe(true);
        expect(isWithin("a[0].b", "a")).toBe(true);
        expect(isWithin("ab", "a")).toBe(false);
        expect(isWithin("a", "a")).toBe(true);
    });

    test("property: a value compared with itself has no changes; any change is found", () => {
        fc.assert(fc.property(fc.jsonValue(), fc.jsonValue(), (a, b) => {
            expect(diffValues(a, structuredClone(a), "")).toEqual([]);
            if (JSON.stringify(a) !== JSON.stringify(b)) {
                // key order aside, a different value yields at least one change
                const same = JSON.stringify(sortKeys(a)) === JSON.stringify(sortKeys(b));
                expect(diffValues(a, b, "").length > 0).toBe(!same);
            }
        }));
    });
});

function sortKeys(value: unknown): unknown {
    if (Array.isArray(value)) return value.map(sortKeys);
    if (value !== null && typeof value === "object") {
        return Object.fromEntries(Object.keys(value).sort().map((k) => [k, sortKeys((value as Record<string, unknown>)[k])]));
    }
    return value;
}

describe("references across a replacement", () => {
    const group = (port: number) => resource("api-blue", "aws:lb/targetGroup:TargetGroup", { port });
    const binding = resource("api-binding", "kubernetes:elbv2.k8s.aws/v1beta1:TargetGroupBinding", { metadata: { name: "b" }, spec: { targetGroupARN: "<api-blue.arn>" } }, { replaceOnChanges: ["spec.targetGroupARN"] });
    const rule = resource("api", "aws:lb/listenerRule:ListenerRule", { actions: [{ targetGroupArn: "<api-blue.arn>" }] });
    const withRefs = (...resources: PlannedResource[]): Plan => ({ ...plan(...resources), references: { "<api-blue.arn>": { urn: group(80).urn, type: group(80).type, name: "api-blue", property: "arn" } } });

    test("unchanged producer: the same reference is no change", () => {
        expect(diffPlans(withRefs(group(80), binding, rule), withRefs(group(80), binding, rule)).summary).toMatchObject({ update: 0, replace: 0 });
    });

    test("replaced producer: an input holding its reference changes; a forcing input replaces its holder", () => {
        const diff = diffPlans(withRefs(group(80), binding, rule), withRefs(group(8080), binding, rule));
        const step = (name: string) => diff.steps.find((s) => s.name === name)!;
        expect(step("api-blue").op).toBe("replace");
        expect(step("api-binding")).toMatchObject({ op: "replace", replaceReasons: ["spec.targetGroupARN"] });
        expect(step("api")).toMatchObject({ op: "update", changes: [{ path: "actions[0].targetGroupArn" }] });
    });
});

