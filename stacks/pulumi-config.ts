/**
 * Reads the `bluegreen:` namespace from the running Pulumi stack and validates it before any
 * resource is registered. Unknown `bluegreen:` keys are errors, like unknown keys inside values.
 */
import * as pulumi from "@pulumi/pulumi";
import { CONFIG_KEYS, ConfigError, environmentName, loadEnvironmentConfig } from "./config";
import { EnvironmentInputs } from "../components/environment";

const NAMESPACE = "bluegreen";

export function readStackConfig(): EnvironmentInputs {
    const raw: Record<string, unknown> = {};
    const unknownKeys: string[] = [];
    for (const [fullKey, text] of Object.entries(pulumi.runtime.allConfig())) {
        if (!fullKey.startsWith(`${NAMESPACE}:`)) continue;
        const key = fullKey.slice(NAMESPACE.length + 1);
        if (!(CONFIG_KEYS as readonly string[]).includes(key)) {
            unknownKeys.push(key);
            continue;
        }
        raw[key] = parseConfigValue(text);
    }
    if (unknownKeys.length) {
        throw new ConfigError(unknownKeys.map((key) => ({ path: key, message: `is not a known setting (expected one of: ${CONFIG_KEYS.join(", ")})` })));
    }
    const config = loadEnvironmentConfig(raw);
    const region = config.region ?? new pulumi.Config("aws").get("region") ?? process.env.AWS_REGION ?? process.env.AWS_DEFAULT_REGION;
    if (!region) {
        throw new ConfigError([{ path: "region", message: "is not set, and neither is aws:region: run `pulumi config set aws:region <region>`" }]);
    }
    return { config, environment: environmentName(config, pulumi.getStack()), region };
}

/** Structured config arrives as JSON text; plain strings stay strings. */
function parseConfigValue(text: string): unknown {
    try {
        return JSON.parse(text);
    } catch {
        return text;
    }
}
