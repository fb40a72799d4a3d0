/** Runs the preflight: the config check first, then every check on the valid config. */
import { ConfigError, ConfigProblem, EnvironmentConfig, NAMESPACE, readEnvironmentInputs } from "../config";
import { secretKeysOf } from "../config/stack-file";
import { PREFLIGHT_CHECKS } from "./checks";
import { colorStates } from "../config/colors";
import { CutoverPlanReport, LiveReaders, PreflightCheck, PreflightContext, PreflightDeps, PreflightInput, PreflightItem, PreflightReport, PreflightSummary } from "./model";
import { cutoverPlan, liveGateView, offlineGateView, planTarget } from "./cutover-plan";
import type { GateStackView } from "../cutover/gates/set";
import { liveItems, liveStart } from "./live";
import { UserInputError } from "../errors";

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
    const context: PreflightContext = { ...rest, config: parsed.config, aws: parsed.aws };
    for (const check of checks) items.push(...(await check(context, deps)));
    let live: LiveReaders | undefined;
    if (deps.live) {
        try {
            live = await deps.live(context.aws);
        } catch (err) {
            // Pulumi, credentials or the network missing: said plainly (bad input, exit 2, when it is the operator's to fix).
            items.push({ id: "live", title: "Live checks", status: "fail", detail: `not run: ${(err as Error).message.split("\n")[0]}`, ...(err instanceof UserInputError ? { badInput: true } : {}) });
        }
    }
    const planned = await planItems(context, live);
    items.push(...planned.items);
    if (live) items.push(...(await liveItems(context, live)));
    return { ...report(input.stack, items), ...(planned.plan ? { plan: planned.plan } : {}) };
}

/**
 * The cutover's plan: offline from the stack config's weights, with --live from the weights the load
 * balancer applies and the record of an unfinished cutover (where the cutover itself starts from).
 */
async function planItems(context: PreflightContext, live: LiveReaders | undefined): Promise<{ items: PreflightItem[]; plan?: CutoverPlanReport }> {
    if (!context.cutover) return { items: [] };
    const weights = context.config.routing?.weights ?? { blue: 0, green: 0 };
    const start = live ? await liveStart(live) : undefined;
    const record = live?.record ? await live.record().catch(() => undefined) : undefined;
    const view = live ? await resolvedLiveView(context, live) : { gateView: offlineGateView(context.config, context.aws), refusals: [] };
    const planned = cutoverPlan({
        config: context.config,
        settings: context.cutover,
        start: start ?? weights,
        startFrom: start ? "load balancer" : "stack config",
        ...(record ? { record } : {}),
        gateView: view.gateView,
    });
    return { ...planned, items: [...planned.items, ...view.refusals] };
}

/**
 * The live gate view; in dns mode with each color's load balancer found from the weighted records
 * first, exactly as the cutover does, so the plan lists the gates the cutover will run, and a
 * cutover that would be refused for a record that cannot be followed fails here with the same words.
 */
async function resolvedLiveView(context: PreflightContext, live: LiveReaders): Promise<{ gateView: GateStackView; refusals: PreflightItem[] }> {
    const gateView = liveGateView(live.view, context.config, context.aws);
    const target = context.cutover ? planTarget(context.config, context.cutover) : undefined;
    if (!live.resolveGateView || !target) return { gateView, refusals: [] };
    try {
        return { gateView: await live.resolveGateView(gateView, target), refusals: [] };
    } catch (err) {
        const detail = (err instanceof Error ? err.message : String(err)).split("\n")[0];
        return { gateView: { ...gateView, dnsUnresolved: detail }, refusals: [{ id: "plan.ungated", title: "Cutover would refuse", status: "fail", detail }] };
    }
}

/** The config read exactly as `pulumi up` and the plan read it (src/config/environment.ts). */
function readConfig(input: PreflightInput): { ok: true; config: EnvironmentConfig; aws: PreflightContext["aws"] } | { ok: false; problems: ConfigProblem[] } {
    const all: Record<string, unknown> = { ...(input.otherConfig ?? {}) };
    for (const [key, value] of Object.entries(input.values)) all[`${NAMESPACE}:${key}`] = value;
    try {
        const inputs = readEnvironmentInputs(all, { stack: input.stack, file: input.stackFile, secretKeys: secretKeysOf(input) });
        return { ok: true, config: inputs.config, aws: { region: inputs.region, ...(inputs.awsProfile ? { profile: inputs.awsProfile } : {}) } };
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
