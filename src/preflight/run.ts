/** Runs the preflight: the config check first, then every check on the valid config. */
import { ConfigError, ConfigProblem, EnvironmentConfig, NAMESPACE, readEnvironmentInputs } from "../config";
import { secretKeysOf } from "../config/stack-file";
import { PREFLIGHT_CHECKS } from "./checks";
import { colorStates } from "../config/colors";
import { PreflightCheck, PreflightDeps, PreflightInput, PreflightItem, PreflightReport, PreflightSummary } from "./model";

export async function runPreflight(input: PreflightInput, deps: PreflightDeps, checks: readonly PreflightCheck[] = PREFLIGHT_CHECKS): Promise<PreflightReport> {
    const { values, otherConfig: _otherConfig, ...rest } = input;
    const parsed = readConfig(input);
    const title = "Stack config";
    if (!parsed.ok) {
        const detail = `${parsed.problems.length} problem${parsed.problems.length === 1 ? "" : "s"} in ${input.stackFile}: ${parsed.problems.map((p) => `${p.path ? `${p.path} ` : ""}${p.message}`).join("; ")} (the other checks need a valid config)`;
        return report(input.stack, [{ id: "config", title, status: "fail", detail, badInput: true }]);
    }
    const colors = colorStates(parsed.config).map((s) => `${s.color} ${s.version}`).join(", ");
    const secrets = input.secretPaths.length ? `; secrets present, not decrypted: ${input.secretPaths.join(", ")}` : "";
    const items: PreflightItem[] = [{ id: "config", title, status: "pass", detail: `valid: ${colors}${secrets}` }];
    const context = { ...rest, config: parsed.config };
    for (const check of checks) items.push(...(await check(context, deps)));
    return report(input.stack, items);
}

/** The config read exactly as `pulumi up` and the plan read it (src/config/environment.ts). */
function readConfig(input: PreflightInput): { ok: true; config: EnvironmentConfig } | { ok: false; problems: ConfigProblem[] } {
    const all: Record<string, unknown> = { ...(input.otherConfig ?? {}) };
    for (const [key, value] of Object.entries(input.values)) all[`${NAMESPACE}:${key}`] = value;
    try {
        return { ok: true, config: readEnvironmentInputs(all, { stack: input.stack, file: input.stackFile, secretKeys: secretKeysOf(input) }).config };
    } catch (err) {
        if (err instanceof ConfigError) return { ok: false, problems: err.problems };
        throw err;
    }
}

export function summarize(items: readonly PreflightItem[]): PreflightSummary {
    return {
        pass: items.filter((i) => i.status === "pass").length,
        warn: items.filter((i) => i.status === "warn").length,
        fail: items.filter((i) => i.status === "fail").length,
    };
}

function report(stack: string, items: PreflightItem[]): PreflightReport {
    return { stack, items, summary: summarize(items) };
}
