/**
 * Reads a stack's config file (`stacks/Pulumi.<stack>.yaml`) the way Pulumi does, without the Pulumi
 * CLI: the values of the `bluegreen:` namespace, plus `aws:region`. Secrets stay encrypted: a
 * `secure:` value becomes a placeholder, since only the Pulumi CLI can decrypt it.
 */
import * as fs from "fs";
import * as path from "path";
import { UserInputError } from "../errors";
import { loadYaml, YamlLimitError } from "../yaml";
import { EnvironmentInputs, readEnvironmentInputs } from "./environment";
import { ENCRYPTED_PLACEHOLDER, NAMESPACE, parseStructuredValue } from "./values";

export { ENCRYPTED_PLACEHOLDER };

export interface StackFileConfig {
    /** Stack name, or the file name when read from an explicit path. */
    stack: string;
    file: string;
    /** Values of the `bluegreen:` keys, namespace stripped. */
    values: Record<string, unknown>;
    awsRegion?: string;
    /** Dotted paths (within the namespace) of values that were `secure:` in the file. */
    secretPaths: string[];
    /** Keys of other namespaces (`aws:profile`, or a misspelt `bluegren:routing`), with their values, for the same checks Pulumi's config gets. */
    otherKeys: Record<string, unknown>;
}

export class StackFileError extends UserInputError {}

export function stackFilePath(projectDir: string, stack: string): string {
    return path.join(projectDir, "stacks", `Pulumi.${stack}.yaml`);
}

/** `stackOrFile` is a stack name (read from `<projectDir>/stacks/`) or a path to a stack config file. */
export function readStackFile(projectDir: string, stackOrFile: string): StackFileConfig {
    const looksLikePath = stackOrFile.includes("/") || stackOrFile.endsWith(".yaml") || stackOrFile.endsWith(".yml");
    const file = looksLikePath ? path.resolve(stackOrFile) : stackFilePath(projectDir, stackOrFile);
    if (!fs.existsSync(file)) {
        const dir = path.join(projectDir, "stacks");
        const available = fs.existsSync(dir)
            ? fs.readdirSync(dir).filter((f) => /^Pulumi\..+\.yaml$/.test(f)).map((f) => f.slice("Pulumi.".length, -".yaml".length))
            : [];
        throw new StackFileError(
            `no stack config file ${file}` + (available.length ? ` (stacks here: ${available.join(", ")})` : ""),
        );
    }
    const stack = looksLikePath ? path.basename(file).replace(/^Pulumi\./, "").replace(/\.ya?ml$/, "") : stackOrFile;
    return parseStackFile(fs.readFileSync(file, "utf8"), file, stack);
}

export function parseStackFile(text: string, file: string, stack: string): StackFileConfig {
    let document: unknown;
    try {
        document = loadYaml(text, { file });
    } catch (err) {
        if (err instanceof YamlLimitError) throw err;
        throw new StackFileError(`${file} is not valid YAML: ${(err as Error).message}`);
    }
    const config = (document as { config?: unknown } | null)?.config ?? {};
    if (typeof config !== "object" || config === null || Array.isArray(config)) {
        throw new StackFileError(`${file}: "config" must be a map of keys to values`);
    }
    const values: Record<string, unknown> = {};
    const secretPaths: string[] = [];
    const otherKeys: Record<string, unknown> = {};
    let awsRegion: string | undefined;
    for (const [rawKey, value] of Object.entries(config as Record<string, unknown>)) {
        // As in Pulumi, a key without a namespace belongs to the project's (Pulumi.yaml's name: bluegreen).
        const key = rawKey.includes(":") ? rawKey : `${NAMESPACE}:${rawKey}`;
        if (key === "aws:region" && typeof value === "string") awsRegion = value;
        const prefix = `${NAMESPACE}:`;
        if (!key.startsWith(prefix)) {
            if (key !== "aws:region") otherKeys[key] = value;
            continue;
        }
        const name = key.slice(prefix.length);
        values[name] = replaceSecrets(value, name, secretPaths);
    }
    return { stack, file, values, awsRegion, secretPaths, otherKeys };
}

function replaceSecrets(value: unknown, at: string, secretPaths: string[]): unknown {
    if (Array.isArray(value)) return value.map((v, i) => replaceSecrets(v, `${at}[${i}]`, secretPaths));
    if (value !== null && typeof value === "object") {
        const record = value as Record<string, unknown>;
        if (Object.keys(record).length === 1 && typeof record.secure === "string") {
            secretPaths.push(at);
            return ENCRYPTED_PLACEHOLDER;
        }
        const out: Record<string, unknown> = {};
        for (const [k, v] of Object.entries(record)) out[k] = replaceSecrets(v, `${at}.${k}`, secretPaths);
        return out;
    }
    return value;
}

/** The stack file's config as Pulumi would hand it to the program: `bluegreen:` values (or `values`) and `aws:region`. */
export function fullConfigOf(stackFile: StackFileConfig, values: Record<string, unknown> = stackFile.values): Record<string, unknown> {
    const all: Record<string, unknown> = { ...(stackFile.otherKeys ?? {}) };
    for (const [key, value] of Object.entries(values)) all[`${NAMESPACE}:${key}`] = value;
    if (stackFile.awsRegion !== undefined) all["aws:region"] = stackFile.awsRegion;
    return all;
}

/** The full keys a stack file stores as secrets, as Pulumi lists them in PULUMI_CONFIG_SECRET_KEYS (a key whose value holds a `secure:` anywhere). */
export function secretKeysOf(stackFile: Pick<StackFileConfig, "secretPaths">): string[] {
    return [...new Set(stackFile.secretPaths.map((p) => `${NAMESPACE}:${p.split(/[.[]/)[0]}`))];
}

/**
 * A stack file's config validated exactly as `pulumi up` validates it (readEnvironmentInputs), with
 * `values` in place of the file's own (after --set overrides). `stack` names the stack the config is
 * deployed to (its default environment name); by default the file's own.
 */
export function environmentInputsOf(stackFile: StackFileConfig, values: Record<string, unknown> = stackFile.values, stack: string = stackFile.stack): EnvironmentInputs {
    return readEnvironmentInputs(fullConfigOf(stackFile, values), { stack, file: stackFile.file, secretKeys: secretKeysOf(stackFile) });
}

/** Splits a config path like `routing.weights.green` or `clusters.green.nodeGroups[0].maxSize`. */
export function parseConfigPath(configPath: string): Array<string | number> {
    const segments: Array<string | number> = [];
    const pattern = /([^.[\]]+)|\[(\d+)\]/g;
    let consumed = 0;
    for (const match of configPath.matchAll(pattern)) {
        const between = configPath.slice(consumed, match.index);
        if (between !== "" && between !== ".") throw new StackFileError(`"${configPath}" is not a config path like routing.weights.green or clusters.green.nodeGroups[0].maxSize`);
        segments.push(match[2] !== undefined ? Number(match[2]) : match[1]);
        consumed = match.index! + match[0].length;
    }
    if (segments.length === 0 || consumed !== configPath.length) {
        throw new StackFileError(`"${configPath}" is not a config path like routing.weights.green or clusters.green.nodeGroups[0].maxSize`);
    }
    return segments;
}

/**
 * Applies `key=value` overrides like `pulumi config set --path` does: the key is a path inside the
 * `bluegreen:` namespace (the prefix is optional); the value is JSON when it parses as JSON, else a string.
 */
export function applyOverrides(values: Record<string, unknown>, overrides: string[]): Record<string, unknown> {
    const result = structuredClone(values);
    for (const override of overrides) {
        const eq = override.indexOf("=");
        if (eq <= 0) throw new StackFileError(`--set "${override}" must look like key=value, e.g. routing.weights.green=10`);
        const rawKey = override.slice(0, eq).replace(new RegExp(`^${NAMESPACE}:`), "");
        const rawValue = override.slice(eq + 1);
        setAtPath(result, parseConfigPath(rawKey), parseStructuredValue(rawValue));
    }
    return result;
}

function setAtPath(target: Record<string, unknown>, segments: Array<string | number>, value: unknown): void {
    let node: Record<string | number, unknown> = target;
    segments.forEach((segment, i) => {
        if (i === segments.length - 1) {
            node[segment] = value;
            return;
        }
        const nextIsIndex = typeof segments[i + 1] === "number";
        const existing = node[segment];
        if (existing === undefined || existing === null || typeof existing !== "object") {
            node[segment] = nextIsIndex ? [] : {};
        }
        node = node[segment] as Record<string | number, unknown>;
    });
}
