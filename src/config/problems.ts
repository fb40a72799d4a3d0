/**
 * How the schema's issues become what a user reads: the config path as `pulumi config set --path`
 * writes it, the problem, and what to do, with "did you mean" for misspelt keys (found by walking
 * the schema). Every problem is collected, so a stack file is fixed in one round.
 */
import { z } from "zod";
import { UserInputError } from "../errors";
import { environmentConfigSchema } from "./schema";
import { DURATION_HINT as DURATION } from "./values";

/** One problem in the configuration, with the path a user would write with `pulumi config set --path`. */
export interface ConfigProblem {
    path: string;
    message: string;
}

export class ConfigError extends UserInputError {
    constructor(readonly problems: ConfigProblem[]) {
        super(
            `The bluegreen configuration has ${problems.length} problem${problems.length === 1 ? "" : "s"}; please fix them:\n` +
                problems.map((p) => `  - ${p.path ? `${p.path} ` : ""}${p.message}`).join("\n"),
        );
        this.name = "ConfigError";
    }
}

export function formatConfigPath(path: ReadonlyArray<PropertyKey>): string {
    let out = "";
    for (const segment of path) {
        if (typeof segment === "number") out += `[${segment}]`;
        else out += out ? `.${String(segment)}` : String(segment);
    }
    return out;
}

const FORMAT_HINTS: Record<string, string> = {
    VERSION_FORMAT: 'is not a Kubernetes minor version like "1.33"',
    CIDR_FORMAT: 'is not an IPv4 CIDR like "10.0.0.0/16"',
    DNS_LABEL: "must be lowercase letters, digits and '-', starting and ending with a letter or digit (at most 63 characters)",
    PERCENT: 'must be a whole number of nodes or a percentage like "25%"',
    VPC_ID: 'is not a VPC id like "vpc-0123456789abcdef0"',
    SUBNET_ID: 'is not a subnet id like "subnet-0123456789abcdef0"',
    SECURITY_GROUP_ID: 'is not a security group id like "sg-0123456789abcdef0"',
    ZONE_ID: 'is not a Route 53 hosted zone id like "Z0123456789ABCDEFGHIJ"',
    IAM_ARN: 'is not an IAM role or user ARN like "arn:aws:iam::123456789012:role/platform-admin"',
    CERT_ARN: 'is not an ACM certificate ARN like "arn:aws:acm:eu-west-1:123456789012:certificate/…"',
    HOSTNAME: 'is not a DNS hostname like "app.example.com"',
    MATCHER: 'is not an HTTP code matcher like "200" or "200-399"',
    PORT_NAME: 'is not a port number or a Kubernetes port name like "http"',
    DURATION,
    REGION: 'is not an AWS region like "eu-west-1"',
};

function describeValue(value: unknown): string {
    if (value === undefined) return "nothing";
    if (value === null) return "null";
    if (Array.isArray(value)) return "a list";
    if (typeof value === "object") return "an object";
    return `${typeof value} ${JSON.stringify(value)}`;
}

export function describeIssue(issue: z.core.$ZodIssue): ConfigProblem[] {
    const path = formatConfigPath(issue.path);
    const input = (issue as { input?: unknown }).input;
    switch (issue.code) {
        case "unrecognized_keys":
            return issue.keys.map((key) => ({
                path: formatConfigPath([...issue.path, key]),
                message: `is not a known setting${suggestion(key, knownKeysAt(issue.path))}: remove it or fix its spelling`,
            }));
        case "invalid_type":
            if (input === undefined) return [{ path, message: `is required (${issue.expected})` }];
            return [{ path, message: `must be ${article(issue.expected)}, not ${describeValue(input)}` }];
        case "invalid_value":
            return [{ path, message: `(${JSON.stringify(input)}) must be one of ${issue.values.map((v) => JSON.stringify(v)).join(", ")}` }];
        case "too_small":
            if (issue.origin === "array") return [{ path, message: `needs at least ${issue.minimum} item${issue.minimum === 1 ? "" : "s"}` }];
            if (issue.origin === "string") return [{ path, message: issue.minimum === 1 ? "must not be empty" : `must have at least ${issue.minimum} characters` }];
            return [{ path, message: `(${String(input)}) must be at least ${issue.minimum}` }];
        case "too_big":
            if (issue.origin === "array") return [{ path, message: `has more than ${issue.maximum} items` }];
            return [{ path, message: `(${String(input)}) must be at most ${issue.maximum}` }];
        case "invalid_format": {
            const hint = FORMAT_HINTS[issue.message];
            if (hint) return [{ path, message: `${JSON.stringify(input)} ${hint}` }];
            if (issue.format === "starts_with") return [{ path, message: `${JSON.stringify(input)} must start with "${(issue as { prefix?: string }).prefix ?? "/"}"` }];
            return [{ path, message: `${JSON.stringify(input)} ${issue.message}` }];
        }
        case "custom": {
            const hint = FORMAT_HINTS[issue.message];
            if (hint) return [{ path, message: `${JSON.stringify(input)} ${hint}` }];
            return [{ path, message: issue.message }];
        }
        case "invalid_union":
            return [{ path, message: `${describeValue(input)} is not valid here` }];
        default:
            return [{ path, message: issue.message }];
    }
}

function article(expected: string): string {
    if (expected === "int") return "a whole number";
    if (expected === "array") return "a list";
    if (expected === "object") return "an object";
    return /^[aeiou]/.test(expected) ? `an ${expected}` : `a ${expected}`;
}

export function dedupe(problems: ConfigProblem[]): ConfigProblem[] {
    const seen = new Set<string>();
    return problems.filter((p) => {
        const key = `${p.path}\u0000${p.message}`;
        if (seen.has(key)) return false;
        seen.add(key);
        return true;
    });
}

/** The keys a strict object accepts at a config path, found by walking the schema. */
function knownKeysAt(path: ReadonlyArray<PropertyKey>): string[] {
    let schema: z.core.$ZodType | undefined = environmentConfigSchema;
    for (const segment of path) {
        schema = schema && childSchema(schema, segment);
    }
    const shape = schema && objectShape(schema);
    return shape ? Object.keys(shape) : [];
}

function unwrap(schema: z.core.$ZodType): z.core.$ZodType {
    let current = schema;
    for (;;) {
        const def = current._zod.def as { innerType?: z.core.$ZodType; in?: z.core.$ZodType; schema?: z.core.$ZodType };
        const next = def.innerType ?? def.in ?? def.schema;
        if (!next || next === current) return current;
        current = next;
    }
}

function objectShape(schema: z.core.$ZodType): Record<string, z.core.$ZodType> | undefined {
    const def = unwrap(schema)._zod.def as { shape?: Record<string, z.core.$ZodType> };
    return def.shape;
}

function childSchema(schema: z.core.$ZodType, segment: PropertyKey): z.core.$ZodType | undefined {
    const inner = unwrap(schema);
    const def = inner._zod.def as { type: string; element?: z.core.$ZodType; valueType?: z.core.$ZodType };
    if (def.type === "array") return def.element;
    if (def.type === "record") return def.valueType;
    return objectShape(inner)?.[String(segment)];
}

/** The candidate closest to `key` when it is close enough to be a typo of it. */
export function closest(key: string, candidates: readonly string[]): string | undefined {
    let best: string | undefined;
    let bestDistance = Infinity;
    for (const candidate of candidates) {
        const d = editDistance(key.toLowerCase(), candidate.toLowerCase());
        if (d < bestDistance) {
            bestDistance = d;
            best = candidate;
        }
    }
    return best !== undefined && bestDistance <= Math.max(2, Math.floor(key.length / 3)) ? best : undefined;
}

function suggestion(key: string, candidates: string[]): string {
    const best = closest(key, candidates);
    if (best !== undefined) return ` (did you mean "${best}"?)`;
    return candidates.length ? ` (expected one of: ${candidates.join(", ")})` : "";
}

export function editDistance(a: string, b: string): number {
    const row = Array.from({ length: b.length + 1 }, (_, i) => i);
    for (let i = 1; i <= a.length; i++) {
        let previous = row[0];
        row[0] = i;
        for (let j = 1; j <= b.length; j++) {
            const current = row[j];
            row[j] = Math.min(row[j] + 1, row[j - 1] + 1, previous + (a[i - 1] === b[j - 1] ? 0 : 1));
            previous = current;
        }
    }
    return row[b.length];
}

