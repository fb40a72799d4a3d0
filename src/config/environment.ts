/**
 * From a stack's raw config (every `namespace:key`, as `pulumi.runtime.allConfig()` gives it or a
 * stack file holds it) to what the program is built from: the validated config, the environment's
 * name and its region. The Pulumi program and the offline plan both come through here, so they
 * accept and refuse exactly the same stack files: the same namespace and key checks, the same
 * schema and reference checks, the same rules for secrets. Pure: the caller hands the config over.
 */
import { CONFIG_KEYS, EnvironmentConfig } from "./schema";
import { environmentName, parseEnvironmentConfig } from "./load";
import { ConfigError, ConfigProblem, closest, editDistance } from "./problems";
import { checkRegionReferences } from "./references";
import { AWS_REGIONS, ENCRYPTED_PLACEHOLDER, isKnownRegion, NAMESPACE, parseStructuredValue, partitionOf } from "./values";

export interface EnvironmentInputs {
    config: EnvironmentConfig;
    /** The environment's name: `bluegreen:environment`, or the stack name. */
    environment: string;
    region: string;
    /** `aws:profile`: the AWS providers and the clusters' kubeconfigs use it (explicit providers don't read it themselves). */
    awsProfile?: string;
}

/** A namespace that is most likely a typo of ours ("bluegren", "BlueGreen", "blue-green"). */
function isMisspeltNamespace(namespace: string): boolean {
    const normalised = namespace.toLowerCase().replace(/[-_]/g, "");
    return namespace !== NAMESPACE && (normalised === NAMESPACE || editDistance(namespace.toLowerCase(), NAMESPACE) <= 2);
}

/** The `bluegreen:` values of a full config map, namespace stripped, with a problem per unknown key or misspelt namespace. */
export function namespaceValues(all: Record<string, unknown>): { values: Record<string, unknown>; problems: ConfigProblem[] } {
    const values: Record<string, unknown> = {};
    const problems: ConfigProblem[] = [];
    for (const [fullKey, value] of Object.entries(all)) {
        const colon = fullKey.indexOf(":");
        const namespace = colon < 0 ? "" : fullKey.slice(0, colon);
        const key = fullKey.slice(colon + 1);
        if (namespace !== NAMESPACE) {
            if (colon > 0 && isMisspeltNamespace(namespace)) {
                problems.push({
                    path: fullKey,
                    message: `is in the namespace "${namespace}", not "${NAMESPACE}", so bluegreen would ignore it (did you mean "${NAMESPACE}:${key}"?): rename the key`,
                });
            }
            continue;
        }
        if (!(CONFIG_KEYS as readonly string[]).includes(key)) {
            const guess = closest(key, CONFIG_KEYS);
            problems.push({ path: key, message: `is not a known setting${guess ? ` (did you mean "${guess}"?)` : ""} (expected one of: ${CONFIG_KEYS.join(", ")})` });
            continue;
        }
        values[key] = parseStructuredValue(value);
    }
    return { values, problems };
}

export interface StackContext {
    stack: string;
    /** Where the config came from, for messages ("stacks/Pulumi.dev.yaml"); the running stack when absent. */
    file?: string;
    /** The region when neither bluegreen:region nor aws:region is set (the AWS provider's own fallback). */
    fallbackRegion?: string;
    /**
     * The full keys stored as secrets (`bluegreen:argocdAdminPassword`): Pulumi's PULUMI_CONFIG_SECRET_KEYS,
     * or the `secure:` keys of a stack file. When given, a password stored in plain text is refused.
     */
    secretKeys?: readonly string[];
}

/**
 * Where a secret the offline plan cannot decrypt may stand: a stand-in that passes validation takes
 * its place (a value of the right form, in the environment's region and partition). Anywhere else
 * the value must be known to plan and to validate.
 */
const SECRET_STAND_INS: Array<{ path: RegExp; standIn: (match: RegExpExecArray, region: string) => unknown; what: string }> = [
    { path: /^argocdAdminPassword$/, standIn: () => ENCRYPTED_PLACEHOLDER, what: "argocdAdminPassword" },
    { path: /^clusters\.(blue|green)\.addons\.[^.[]+\.values([.[].*)?$/, standIn: () => ENCRYPTED_PLACEHOLDER, what: "add-on Helm values" },
    {
        path: /^routing\.certificateArn$/,
        standIn: (_m, region) => `arn:${partitionOf(region)}:acm:${region}:000000000000:certificate/00000000-0000-0000-0000-000000000000`,
        what: "routing.certificateArn",
    },
    { path: /^access\.clusterAdmins\[(\d+)\]$/, standIn: (m, region) => `arn:${partitionOf(region)}:iam::000000000000:role/secret-admin-${m[1]}`, what: "access.clusterAdmins[n]" },
    { path: /^routing\.verification\.allowedCidrs\[(\d+)\]$/, standIn: (m) => `192.0.2.${Number(m[1]) % 256}/32`, what: "routing.verification.allowedCidrs[n]" },
    { path: /^clusters\.(blue|green)\.endpoint\.publicAccessCidrs\[(\d+)\]$/, standIn: (m) => `192.0.2.${Number(m[2]) % 256}/32`, what: "clusters.<color>.endpoint.publicAccessCidrs[n]" },
    { path: /^clusters\.(blue|green)\.addons\.argocd\.bootstrap\.repoURL$/, standIn: () => "https://secret.invalid/repository.git", what: "clusters.<color>.addons.argocd.bootstrap.repoURL" },
];

/** Replaces the stack file reader's placeholders for `secure:` values; a secret where a value must be known is a problem. */
export function resolveSecretPlaceholders(values: Record<string, unknown>, region: string): { values: Record<string, unknown>; problems: ConfigProblem[] } {
    const problems: ConfigProblem[] = [];
    const walk = (value: unknown, at: string): unknown => {
        if (value === ENCRYPTED_PLACEHOLDER) {
            for (const rule of SECRET_STAND_INS) {
                const match = rule.path.exec(at);
                if (match) return rule.standIn(match, region);
            }
            problems.push({
                path: at,
                message: `is a secret (secure:), but bluegreen must know this value to validate and plan the environment: store it as plain config (\`pulumi config set --path '${NAMESPACE}:${at}' <value>\`); secrets are for ${SECRET_STAND_INS.map((r) => r.what).join(", ")}`,
            });
            return value;
        }
        if (Array.isArray(value)) return value.map((v, i) => walk(v, `${at}[${i}]`));
        if (value !== null && typeof value === "object") {
            return Object.fromEntries(Object.entries(value as Record<string, unknown>).map(([k, v]) => [k, walk(v, at ? `${at}.${k}` : k)]));
        }
        return value;
    };
    return { values: walk(values, "") as Record<string, unknown>, problems };
}

function regionOf(values: Record<string, unknown>, all: Record<string, unknown>, context: StackContext): string | undefined {
    if (typeof values.region === "string") return values.region;
    return typeof all["aws:region"] === "string" ? (all["aws:region"] as string) : context.fallbackRegion;
}

function regionProblems(region: string | undefined, all: Record<string, unknown>, context: StackContext): ConfigProblem[] {
    if (!region) {
        const where = context.file ? `in ${context.file}` : "for this stack";
        return [{ path: "region", message: `is not set ${where}, and neither is aws:region: run \`pulumi config set aws:region <region>\` (or add "aws:region: <region>" to the stack file)` }];
    }
    if (isKnownRegion(region)) return [];
    const guess = closest(region, AWS_REGIONS);
    const source = typeof all[`${NAMESPACE}:region`] === "string" ? "region" : typeof all["aws:region"] === "string" ? "aws:region" : "region";
    return [{ path: source, message: `("${region}") is not an AWS region${guess ? ` (did you mean "${guess}"?)` : ""}: use one of ${AWS_REGIONS.join(", ")}` }];
}

function plainTextPasswordProblems(values: Record<string, unknown>, context: StackContext): ConfigProblem[] {
    const key = `${NAMESPACE}:argocdAdminPassword`;
    if (values.argocdAdminPassword === undefined || context.secretKeys === undefined || context.secretKeys.includes(key)) return [];
    return [{
        path: "argocdAdminPassword",
        message: `is stored in plain text in the stack config: remove it and store it encrypted with \`pulumi config set --secret ${key} <password>\``,
    }];
}

/** Validates a full config map; throws a `ConfigError` with every problem. */
export function readEnvironmentInputs(all: Record<string, unknown>, context: StackContext): EnvironmentInputs {
    const { values: rawValues, problems } = namespaceValues(all);
    const region = regionOf(rawValues, all, context);
    const secrets = resolveSecretPlaceholders(rawValues, region ?? "us-east-1");
    problems.push(...secrets.problems, ...plainTextPasswordProblems(rawValues, context));
    const parsed = parseEnvironmentConfig(secrets.values);
    // A refused secret is the one problem at its path: the schema's view of the placeholder adds nothing.
    const secretAt = (p: string) => secrets.problems.some((s) => p === s.path || p.startsWith(`${s.path}.`) || p.startsWith(`${s.path}[`));
    if (!parsed.ok) problems.push(...parsed.problems.filter((p) => !secretAt(p.path)));
    if (parsed.ok || !problems.some((p) => p.path === "region")) problems.push(...regionProblems(region, all, context));
    if (parsed.ok && region && isKnownRegion(region)) problems.push(...checkRegionReferences(parsed.config, region));
    if (!parsed.ok || problems.length) throw new ConfigError(problems.sort((a, b) => a.path.localeCompare(b.path)));
    const awsProfile = typeof all["aws:profile"] === "string" && all["aws:profile"] !== "" ? (all["aws:profile"] as string) : undefined;
    return { config: parsed.config, environment: environmentName(parsed.config, context.stack), region: region!, ...(awsProfile ? { awsProfile } : {}) };
}

/** The secret keys the Pulumi CLI hands the program (PULUMI_CONFIG_SECRET_KEYS, a JSON list); undefined when it says nothing. */
export function secretKeysFromEnvironment(text: string | undefined): string[] | undefined {
    if (!text) return undefined;
    try {
        const keys: unknown = JSON.parse(text);
        return Array.isArray(keys) && keys.every((k) => typeof k === "string") ? keys : undefined;
    } catch {
        return undefined;
    }
}
