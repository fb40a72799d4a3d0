import fc from "fast-check";
import { diffCrdSets } from "../../src/crd";
import { crdObject, setOf } from "./builders";

type Schema = { type: string; properties?: Record<string, Schema>; items?: Schema; description?: string; required?: string[] };

const fieldName = fc.stringMatching(/^[a-z][a-zA-Z]{0,7}$/);

const schemaArb: fc.Arbitrary<Schema> = fc.letrec<{ node: Schema }>((tie) => ({
    node: fc.oneof(
        { depthSize: "small", withCrossShrink: true },
        fc.record({ type: fc.constantFrom("string", "integer", "boolean"), description: fc.option(fc.string(), { nil: undefined }) }, { requiredKeys: ["type"] }),
        fc.record({ type: fc.constant("array"), items: tie("node") }),
        fc.dictionary(fieldName, tie("node"), { minKeys: 1, maxKeys: 4 }).map((properties) => ({ type: "object", properties })),
    ) as fc.Arbitrary<Schema>,
})).node;

const rootSchema = fc.dictionary(fieldName, schemaArb, { minKeys: 1, maxKeys: 4 }).map((properties): Schema => ({ type: "object", properties: { spec: { type: "object", properties } } }));

const withSchema = (schema: Schema) => setOf([crdObject({ versions: [{ schema: schema as unknown as Record<string, unknown> }] })]);

/** Paths of every property in a schema, as [parent object schema, key]. */
function objectsWithProperties(schema: Schema, out: Schema[] = []): Schema[] {
    if (schema.properties && Object.keys(schema.properties).length) out.push(schema);
    for (const child of Object.values(schema.properties ?? {})) objectsWithProperties(child, out);
    if (schema.items) objectsWithProperties(schema.items, out);
    return out;
}

/** A small seeded generator, so a failing shuffle is reproducible from fast-check's counterexample. */
function seeded(seed: number): (bound: number) => number {
    let state = seed >>> 0;
    return (bound) => {
        state = (state + 0x6d2b79f5) >>> 0;
        let t = state;
        t = Math.imul(t ^ (t >>> 15), t | 1);
        t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
        return (((t ^ (t >>> 14)) >>> 0) % bound);
    };
}

function shuffleKeys(value: unknown, next: (bound: number) => number): unknown {
    if (Array.isArray(value)) return value.map((v) => shuffleKeys(v, next));
    if (value !== null && typeof value === "object") {
        const keys = Object.keys(value);
        for (let i = keys.length - 1; i > 0; i--) {
            const j = next(i + 1);
            [keys[i], keys[j]] = [keys[j], keys[i]];
        }
        return Object.fromEntries(keys.map((k) => [k, shuffleKeys((value as Record<string, unknown>)[k], next)]));
    }
    return value;
}

describe("CRD diff properties", () => {
    test("a CRD compared with itself after random key reordering and metadata noise is identical or cosmetic", () => {
        fc.assert(fc.property(rootSchema, fc.string(), fc.nat(), (schema, noise, generation) => {
            const original = crdObject({ versions: [{ schema: schema as unknown as Record<string, unknown> }] });
            const noisy = structuredClone(original) as Record<string, any>;
            noisy.metadata = { ...noisy.metadata, resourceVersion: String(generation), uid: noise, generation, creationTimestamp: "2025-01-01T00:00:00Z", managedFields: [{ manager: noise }], annotations: { "kubectl.kubernetes.io/last-applied-configuration": noise, "controller-gen.kubebuilder.io/version": noise } };
            noisy.status = { storedVersions: ["v1"], conditions: [{ type: "Established" }] };
            const reordered = shuffleKeys(noisy, seeded(generation)) as Record<string, unknown>;
            const verdict = diffCrdSets(setOf([original]), setOf([reordered])).verdict;
            expect(["identical", "cosmetic"]).toContain(verdict);
        }), { numRuns: 150 });
    });

    test("adding an optional property anywhere is never breaking", () => {
        fc.assert(fc.property(rootSchema, fc.nat(), fieldName, schemaArb, (schema, pick, name, added) => {
            const changed = structuredClone(schema);
            const targets = objectsWithProperties(changed);
            const target = targets[pick % targets.length];
            fc.pre(!(`x${name}` in target.properties!));
            target.properties![`x${name}`] = added;
            const result = diffCrdSets(withSchema(schema), withSchema(changed));
            expect(result.verdict).not.toBe("breaking");
            expect(result.changes.some((c) => c.rule === "field-added")).toBe(true);
        }), { numRuns: 150 });
    });

    test("removing a property anywhere is always breaking", () => {
        fc.assert(fc.property(rootSchema, fc.nat(), fc.nat(), (schema, pick, pickKey) => {
            const changed = structuredClone(schema);
            const targets = objectsWithProperties(changed);
            const target = targets[pick % targets.length];
            const keys = Object.keys(target.properties!);
            delete target.properties![keys[pickKey % keys.length]];
            const result = diffCrdSets(withSchema(schema), withSchema(changed));
            expect(result.verdict).toBe("breaking");
            expect(result.changes.some((c) => c.rule === "field-removed")).toBe(true);
        }), { numRuns: 150 });
    });
});
