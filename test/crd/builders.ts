/** Small CRDs written for the tests. */
import { CrdSet, parseCrdStreams } from "../../src/crd";

export type Schema = Record<string, unknown>;

export interface VersionSpec {
    name?: string;
    served?: boolean;
    storage?: boolean;
    schema?: Schema;
    extra?: Record<string, unknown>;
}

export const widgetSchema = (): Schema => ({
    type: "object",
    description: "A widget",
    properties: {
        apiVersion: { type: "string" },
        kind: { type: "string" },
        metadata: { type: "object" },
        spec: {
            type: "object",
            required: ["size"],
            properties: {
                size: { type: "integer", minimum: 1, maximum: 10, description: "how big" },
                color: { type: "string", enum: ["red", "blue"] },
                name: { type: "string", pattern: "^[a-z]+$", maxLength: 20 },
                tags: { type: "array", items: { type: "string" }, maxItems: 5 },
                mode: { type: "string", default: "auto" },
                labels: { type: "object", additionalProperties: { type: "string" } },
                sync: { type: "object", properties: { automated: { type: "object", properties: { enabled: { type: "boolean" } } } } },
            },
        },
        status: { type: "object", properties: { phase: { type: "string" } } },
    },
});

export function crdObject(options: { name?: string; scope?: string; versions?: VersionSpec[]; metadata?: Record<string, unknown>; spec?: Record<string, unknown> } = {}): Record<string, unknown> {
    const versions = options.versions ?? [{}];
    return {
        apiVersion: "apiextensions.k8s.io/v1",
        kind: "CustomResourceDefinition",
        metadata: { name: options.name ?? "widgets.example.com", ...options.metadata },
        spec: {
            group: "example.com",
            scope: options.scope ?? "Namespaced",
            names: { kind: "Widget", listKind: "WidgetList", plural: "widgets", singular: "widget", shortNames: ["wd"] },
            versions: versions.map((v, i) => ({
                name: v.name ?? "v1",
                served: v.served ?? true,
                storage: v.storage ?? i === 0,
                schema: { openAPIV3Schema: v.schema ?? widgetSchema() },
                ...v.extra,
            })),
            ...options.spec,
        },
    };
}

export function setOf(objects: Array<Record<string, unknown>>, live = false): CrdSet {
    return parseCrdStreams(objects.map((o, i) => ({ origin: `test-${i}.json`, text: JSON.stringify(o) })), { live });
}

/** A copy of the widget schema changed by `mutate`. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests poke at arbitrary schema paths
export function mutatedSchema(mutate: (spec: any) => void): Schema {
    const schema = widgetSchema();
    mutate((schema.properties as Record<string, Schema>).spec);
    return schema;
}

/** The same value with every object's keys in reverse order. */
export function reverseKeys(value: unknown): unknown {
    if (Array.isArray(value)) return value.map(reverseKeys);
    if (value !== null && typeof value === "object") {
        return Object.fromEntries(Object.keys(value).reverse().map((k) => [k, reverseKeys((value as Record<string, unknown>)[k])]));
    }
    return value;
}
