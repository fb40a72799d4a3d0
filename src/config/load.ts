/**
 * Parse and validate the raw values of the `bluegreen:` namespace: the schema first, then, on a
 * config the schema accepts, the reference checks. Every problem is reported at once.
 */
import { ConfigError, ConfigProblem, dedupe, describeIssue } from "./problems";
import { checkReferences } from "./references";
import { EnvironmentConfig, environmentConfigSchema } from "./schema";

export type ParseResult = { ok: true; config: EnvironmentConfig } | { ok: false; problems: ConfigProblem[] };

/**
 * Validates raw config values: keys are the names inside the `bluegreen:` namespace
 * (`network`, `clusters`, …), values are already-parsed objects. Reference checks run once the
 * schema accepts the config.
 */
export function parseEnvironmentConfig(raw: Record<string, unknown>): ParseResult {
    const result = environmentConfigSchema.safeParse(raw, { reportInput: true });
    const problems = result.success ? checkReferences(result.data) : result.error.issues.flatMap((issue) => describeIssue(issue));
    if (problems.length === 0 && result.success) return { ok: true, config: result.data };
    problems.sort((a, b) => a.path.localeCompare(b.path));
    return { ok: false, problems: dedupe(problems) };
}

/** Like `parseEnvironmentConfig`, but throws a `ConfigError` listing every problem. */
export function loadEnvironmentConfig(raw: Record<string, unknown>): EnvironmentConfig {
    const result = parseEnvironmentConfig(raw);
    if (!result.ok) throw new ConfigError(result.problems);
    return result.config;
}

export function environmentName(config: Pick<EnvironmentConfig, "environment">, stackName: string): string {
    return config.environment ?? stackName;
}
