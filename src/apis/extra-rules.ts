/**
 * Extra rows for the API table, for custom resources: a YAML or JSON list of
 * `{ apiVersion, kind, deprecatedIn, removedIn, replacement }`, validated row by row.
 */
import { loadYaml, YamlLimitError } from "../yaml";
import { z } from "zod";
import { compareMinorVersions, isMinorVersion } from "../versions";
import { ApiRule } from "./api-table";

const VERSION_MESSAGE = 'is not a Kubernetes minor version like "1.33"';
const API_VERSION = /^([a-z0-9]([-a-z0-9.]*[a-z0-9])?\/)?v\d+((alpha|beta)\d+)?$/;

const minorVersion = z.string({ message: 'must be a string like "1.33"' }).refine(isMinorVersion, { message: VERSION_MESSAGE });
const apiVersion = z
    .string({ message: 'must be a string like "example.com/v1beta1"' })
    .regex(API_VERSION, { message: 'is not an apiVersion like "example.com/v1beta1" (group/version, or a core version like "v1")' });

const extraRuleSchema = z
    .strictObject({
        apiVersion,
        kind: z.string({ message: 'must be a kind like "Certificate", or "*" for every kind of the apiVersion' }).min(1, { message: "must not be empty" }),
        deprecatedIn: minorVersion,
        removedIn: minorVersion.nullable().default(null),
        replacement: apiVersion.nullable().default(null),
    })
    .superRefine((rule, ctx) => {
        if (rule.removedIn !== null && isMinorVersion(rule.deprecatedIn) && compareMinorVersions(rule.removedIn, rule.deprecatedIn) < 0) {
            ctx.addIssue({ code: "custom", path: ["removedIn"], message: `is before deprecatedIn (${rule.deprecatedIn})` });
        }
    });

export type ExtraRulesParse = { ok: true; rules: ApiRule[] } | { ok: false; problems: string[] };

/** Parses and validates an extra rules file's text; every bad row is reported with its 0-based index. */
export function parseExtraRules(text: string, file: string): ExtraRulesParse {
    let document: unknown;
    try {
        document = loadYaml(text, { file });
    } catch (err) {
        if (err instanceof YamlLimitError) return { ok: false, problems: [err.message] };
        return { ok: false, problems: [`${file} is not valid YAML or JSON: ${(err as { reason?: string }).reason ?? (err as Error).message}`] };
    }
    if (!Array.isArray(document)) {
        return { ok: false, problems: [`${file} must hold a list of rules like [{ apiVersion, kind, deprecatedIn, removedIn, replacement }]`] };
    }
    const rules: ApiRule[] = [];
    const problems: string[] = [];
    document.forEach((row, index) => {
        const result = extraRuleSchema.safeParse(row);
        if (result.success) {
            rules.push(result.data);
            return;
        }
        const label = describeRow(row, index);
        for (const issue of result.error.issues) {
            if (issue.code === "unrecognized_keys") {
                problems.push(`${file} ${label}: ${issue.keys.map((k) => `"${k}"`).join(", ")} is not a rule field (fields: apiVersion, kind, deprecatedIn, removedIn, replacement)`);
            } else if (issue.path.length === 0) {
                problems.push(`${file} ${label}: must be an object { apiVersion, kind, deprecatedIn, removedIn, replacement }`);
            } else {
                const field = String(issue.path[0]);
                problems.push(`${file} ${label}: ${describeField(field, (row as Record<string, unknown>)[field], issue.message)}`);
            }
        }
    });
    return problems.length ? { ok: false, problems } : { ok: true, rules };
}

function describeRow(row: unknown, index: number): string {
    const record = typeof row === "object" && row !== null ? (row as Record<string, unknown>) : {};
    const what = [record.apiVersion, record.kind].filter((v) => typeof v === "string").join(" ");
    return `row ${index}${what ? ` (${what})` : ""}`;
}

function describeField(field: string, value: unknown, message: string): string {
    if (value === undefined) return `${field} is missing: it ${message}`;
    const quoteHint = typeof value === "number" ? " (quote versions: YAML reads an unquoted 1.30 as the number 1.3)" : "";
    return `${field} ${JSON.stringify(value)} ${message}${quoteHint}`;
}
