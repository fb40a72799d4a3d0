/**
 * Health gates: what the load balancer can reach. Target health per app (only `healthy` counts;
 * `initial`, `draining`, `unhealthy.draining`, `unused` and `unavailable` do not), judged on the
 * candidate (hard) and on the current color while it carries traffic (a warning). And the routed
 * Service's ready endpoints against the registered targets on the candidate: a ready pod the ALB
 * does not know, or a registered target that is no ready pod, means the TargetGroupBinding lags.
 */
import type { Color } from "../../config/colors";
import type { Gate, GateCheck, GateContext } from "../contract";
import type { EndpointSource, RegisteredTarget, TargetHealthSource, TargetState } from "../sources";

const errorText = (err: unknown) => (err instanceof Error ? err.message : String(err)).split("\n")[0];

/** States counted against a target group: the ALB judged the target failing. */
const FAILING: ReadonlySet<TargetState> = new Set(["unhealthy"]);
/** States of targets on their way out: neither healthy nor expected among ready endpoints. */
const LEAVING: ReadonlySet<TargetState> = new Set(["draining", "unhealthy.draining", "unused"]);

export function countStates(targets: RegisteredTarget[]): string {
    const counts = new Map<string, number>();
    for (const t of targets) counts.set(t.state, (counts.get(t.state) ?? 0) + 1);
    return [...counts].sort(([a], [b]) => a.localeCompare(b)).map(([s, c]) => `${c} ${s}`).join(", ") || "no targets";
}

/** Pure: pass with at least `minHealthy` healthy targets and none judged unhealthy. */
export function judgeTargetHealth(targets: RegisteredTarget[], minHealthy: number): Pick<GateCheck, "result" | "value" | "threshold" | "message"> {
    const healthy = targets.filter((t) => t.state === "healthy").length;
    const failing = targets.filter((t) => FAILING.has(t.state)).length;
    const ok = healthy >= minHealthy && failing === 0;
    const why = healthy < minHealthy ? `fewer than ${minHealthy} healthy` : failing > 0 ? `${failing} unhealthy` : `≥ ${minHealthy} healthy, none unhealthy`;
    return { result: ok ? "pass" : "fail", value: healthy, threshold: minHealthy, message: `${healthy} healthy of ${targets.length} targets (${countStates(targets)}): ${why}` };
}

function colorsToJudge(context: GateContext): Array<{ color: Color; warning: boolean }> {
    const out = [{ color: context.candidate, warning: false }];
    if (context.current !== context.candidate && context.weights[context.current] > 0) out.push({ color: context.current, warning: true });
    return out;
}

export function targetHealthGate(deps: { apps: string[]; source: TargetHealthSource; minHealthyTargets: number; origin?: string }): Gate {
    const name = "target-health";
    return {
        name,
        kind: "health",
        describe: () => `healthy targets per app ≥ ${deps.minHealthyTargets} (minHealthyTargets, ${deps.origin ?? "default"}), none unhealthy; initial, draining and unhealthy.draining are not healthy`,
        async check(context) {
            return Promise.all(
                deps.apps.flatMap((app) =>
                    colorsToJudge(context).map(async ({ color, warning }): Promise<GateCheck> => {
                        const base = { gate: name, app, color, ...(warning ? { warning } : {}) };
                        try {
                            const j = judgeTargetHealth(await deps.source.targets(app, color), deps.minHealthyTargets);
                            return { ...base, ...j, message: `${app} on ${color}: ${j.message}` };
                        } catch (err) {
                            return { ...base, result: "error", message: `${app} on ${color}: could not read target health: ${errorText(err)}` };
                        }
                    }),
                ),
            );
        },
    };
}

/** Pure: ready endpoint addresses against registered IP targets (targets leaving are ignored). */
export function judgeEndpoints(ready: string[], targets: RegisteredTarget[]): Pick<GateCheck, "result" | "value" | "threshold" | "message" | "warning"> {
    if (targets.some((t) => /^i-[0-9a-f]+$/.test(t.id))) {
        return { result: "inconclusive", warning: true, message: "instance targets (NodePort): pod endpoints cannot be compared with them" };
    }
    const registered = new Set(targets.filter((t) => !LEAVING.has(t.state)).map((t) => t.id));
    const readySet = new Set(ready);
    const unregistered = ready.filter((a) => !registered.has(a));
    const notReady = [...registered].filter((id) => !readySet.has(id)).sort();
    if (ready.length === 0) return { result: "fail", value: 0, message: "no ready endpoints: the Service has no ready pod" };
    if (unregistered.length === 0 && notReady.length === 0) return { result: "pass", value: ready.length, message: `${ready.length} ready endpoints, all registered` };
    const parts = [
        unregistered.length ? `ready but not registered: ${unregistered.join(", ")}` : "",
        notReady.length ? `registered but not a ready endpoint: ${notReady.join(", ")}` : "",
    ].filter(Boolean);
    return { result: "fail", value: ready.length, message: `${ready.length} ready endpoints, ${registered.size} registered targets; ${parts.join("; ")}` };
}

export function endpointsGate(deps: { apps: string[]; targets: TargetHealthSource; endpoints: EndpointSource }): Gate {
    const name = "endpoints";
    return {
        name,
        kind: "health",
        describe: () => "the routed Services' ready endpoints (EndpointSlices) are exactly the candidate's registered targets",
        async check(context) {
            const color = context.candidate;
            return Promise.all(
                deps.apps.map(async (app): Promise<GateCheck> => {
                    try {
                        const [ready, targets] = await Promise.all([deps.endpoints.readyAddresses(app, color), deps.targets.targets(app, color)]);
                        const j = judgeEndpoints(ready, targets);
                        return { gate: name, app, color, ...j, message: `${app} on ${color}: ${j.message}` };
                    } catch (err) {
                        return { gate: name, app, color, result: "error", message: `${app} on ${color}: could not compare endpoints with targets: ${errorText(err)}` };
                    }
                }),
            );
        },
    };
}
