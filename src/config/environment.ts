/**
 * From a stack's raw config (every `namespace:key`, as `pulumi.runtime.allConfig()` gives it or a
 * stack file holds it) to what the program is built from: the validated config, the environment's
 * name and its region. The Pulumi program and the offline plan both come through here, so they
 * accept and refuse exactly the same stack files. Pure: the caller hands the config over.
 */
import { CONFIG_KEYS, EnvironmentConfig } from "./schema";
import { environmentName, parseEnvironmentConfig } from "./load";
import { ConfigError, ConfigProblem } from "./problems";
import { NAMESPACE, parseStructuredValue } from "./values";

export interface EnvironmentInputs {
    config: EnvironmentConfig;
    /** The environment's name: `bluegreen:environment`, or the stack name. */
    environment: string;
    region: string;
    /** `aws:profile`: the AWS providers and the clusters' kubeconfigs use it (explicit providers don't read it themselves). */
    awsProfile?: string;
}

/** The `bluegreen:` values of a full config map, namespace stripped, with a problem per unknown key. */
export function namespaceValues(all: Record<string, unknown>): { values: Record<string, unknown>; problems: ConfigProblem[] } {
    const values: Record<string, unknown> = {};
    const problems: ConfigProblem[] = [];
    for (const [fullKey, value] of Object.entries(all)) {
        if (!fullKey.startsWith(`${NAMESPACE}:`)) continue;
        const key = fullKey.slice(NAMESPACE.length + 1);
        if (!(CONFIG_KEYS as readonly string[]).includes(key)) {
            problems.push({ path: key, message: `is not a known setting (expected one of: ${CONFIG_KEYS.join(", ")})` });
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
}

/** Validates a full config map; throws a `ConfigError` with every problem. */
export function readEnvironmentInputs(all: Record<string, unknown>, context: StackContext): EnvironmentInputs {
    const { values, problems } = namespaceValues(all);
    const parsed = parseEnvironmentConfig(values);
    if (!parsed.ok || problems.length) {
        throw new ConfigError([...problems, ...(parsed.ok ? [] : parsed.problems)].sort((a, b) => a.path.localeCompare(b.path)));
    }
    const config = parsed.config;
    const awsRegion = typeof all["aws:region"] === "string" ? (all["aws:region"] as string) : undefined;
    const region = config.region ?? awsRegion ?? context.fallbackRegion;
    if (!region) {
        const where = context.file ? `in ${context.file}` : "for this stack";
        throw new ConfigError([{ path: "region", message: `is not set ${where}, and neither is aws:region: run \`pulumi config set aws:region <region>\` (or add "aws:region: <region>" to the stack file)` }]);
    }
    const awsProfile = typeof all["aws:profile"] === "string" && all["aws:profile"] !== "" ? (all["aws:profile"] as string) : undefined;
    return { config, environment: environmentName(config, context.stack), region, ...(awsProfile ? { awsProfile } : {}) };
}
