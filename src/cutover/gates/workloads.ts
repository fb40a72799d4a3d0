/**
 * The workload gate, scoped to what the cutover moves: Deployments, StatefulSets and DaemonSets in
 * the routed apps' namespaces (narrowed by an optional label selector), and the ArgoCD Applications
 * deploying into those namespaces, are hard gates on the candidate. Everything else on the cluster
 * (an HPA scale-up in another team's namespace, a deliberately OutOfSync app) is reported as a
 * warning and never fails a step. Rollouts are judged as `kubectl rollout status` judges them
 * (src/workloads/rollout-status.ts): still rolling is inconclusive, past the progress deadline a
 * failure. An Application `Progressing` is inconclusive for `progressingGrace`, then a failure.
 */
import type { Color } from "../../config/colors";
import { daemonSetRollout, deploymentRollout, RolloutVerdict, statefulSetRollout } from "../../workloads/rollout-status";
import type { Gate, GateCheck, GateContext } from "../contract";
import type { ArgoApplicationState, Workload, WorkloadSource } from "../sources";

export interface WorkloadGateDeps {
    source: WorkloadSource;
    /** Colors with a cluster to read: the current color is watched (warnings) only when it has one. */
    colors: Color[];
    /** The routed apps' namespaces. */
    namespaces: string[];
    /** A label selector ("tier=web,team in (shop)") narrowing the hard scope, applied by the API server. */
    selector?: string;
    progressingGraceMs: number;
    now: () => number;
}

interface Judged {
    what: string;
    namespace: string;
    verdict: RolloutVerdict;
}

const errorText = (err: unknown) => (err instanceof Error ? err.message : String(err)).split("\n")[0];

/** Pure: an Application's verdict, with how long it has been Progressing. */
export function applicationVerdict(app: Pick<ArgoApplicationState, "sync" | "health">, progressingForMs: number, graceMs: number): RolloutVerdict {
    const sync = app.sync ?? "Unknown";
    const health = app.health ?? "Unknown";
    if (health === "Progressing" && sync !== "OutOfSync" && sync !== "Unknown") {
        const s = Math.round(progressingForMs / 1000);
        return progressingForMs < graceMs
            ? { state: "progressing", message: `${sync}, Progressing for ${s} s (grace ${Math.round(graceMs / 1000)} s)` }
            : { state: "failed", message: `${sync}, still Progressing after ${s} s (grace ${Math.round(graceMs / 1000)} s)` };
    }
    if (sync === "Synced" && health === "Healthy") return { state: "done", message: "Synced, Healthy" };
    return { state: "failed", message: `${sync}, ${health}` };
}

/** Pure: a workload's rollout as kubectl judges it. */
export function judgeWorkload(w: Workload): Judged {
    const meta = w.object.metadata;
    const what = `${w.kind.toLowerCase()} ${meta?.namespace ?? ""}/${meta?.name ?? ""}`;
    const verdict = w.kind === "Deployment" ? deploymentRollout(w.object) : w.kind === "StatefulSet" ? statefulSetRollout(w.object) : daemonSetRollout(w.object);
    return { what, namespace: meta?.namespace ?? "", verdict };
}

const RESULT = { progressing: "inconclusive", failed: "fail" } as const;

export function workloadGate(deps: WorkloadGateDeps): Gate {
    const name = "workloads";
    const namespaces = new Set(deps.namespaces);
    const progressingSince = new Map<string, number>();

    function judgeApplication(color: Color, app: ArgoApplicationState): Judged {
        const key = `${color}/${app.namespace}/${app.name}`;
        const now = deps.now();
        if (app.health === "Progressing") {
            if (!progressingSince.has(key)) progressingSince.set(key, now);
        } else progressingSince.delete(key);
        const verdict = applicationVerdict(app, now - (progressingSince.get(key) ?? now), deps.progressingGraceMs);
        return { what: `application ${app.namespace}/${app.name}`, namespace: app.destinationNamespace ?? "", verdict };
    }

    async function checkColor(color: Color, allWarnings: boolean): Promise<GateCheck[]> {
        const base = { gate: name, color, ...(allWarnings ? { warning: true } : {}) };
        let all: Judged[], selected: Judged[], applications: ArgoApplicationState[] | undefined;
        try {
            const [a, s, apps] = await Promise.all([deps.source.workloads(color), deps.selector ? deps.source.workloads(color, deps.selector) : undefined, deps.source.applications(color)]);
            all = a.map(judgeWorkload);
            selected = s ? s.map(judgeWorkload) : all;
            applications = apps;
        } catch (err) {
            return [{ ...base, result: "error", message: `${color}: could not read workloads: ${errorText(err)}` }];
        }
        const hardIds = new Set(selected.filter((j) => namespaces.has(j.namespace)).map((j) => j.what));
        const judgedApps = (applications ?? []).map((a) => judgeApplication(color, a));
        const hard = [...all.filter((j) => hardIds.has(j.what)), ...judgedApps.filter((j) => namespaces.has(j.namespace))];
        const soft = [...all.filter((j) => !hardIds.has(j.what)), ...judgedApps.filter((j) => !namespaces.has(j.namespace))];
        const problem = (j: Judged, why?: string): GateCheck => ({
            gate: name,
            color,
            result: RESULT[j.verdict.state as "progressing" | "failed"],
            ...(why ? { warning: true } : {}),
            message: `${color}: ${j.what}: ${j.verdict.message}${why ? ` (${why}: warning only)` : ""}`,
        });
        const hardProblems = hard.filter((j) => j.verdict.state !== "done");
        const checks = [
            ...hardProblems.map((j) => problem(j, allWarnings ? "the current color" : undefined)),
            ...soft.filter((j) => j.verdict.state !== "done").map((j) => problem(j, "outside the routed namespaces")),
        ];
        const scope = `${[...namespaces].sort().join(", ")}${deps.selector ? ` matching ${deps.selector}` : ""}`;
        const rollouts = hard.filter((j) => !j.what.startsWith("application")).length;
        if (namespaces.size === 0) {
            checks.unshift({ ...base, result: "inconclusive", warning: true, message: `${color}: no routed namespace is known: every workload is judged as a warning only` });
        } else if (rollouts === 0) {
            checks.unshift({ ...base, result: "fail", value: 0, message: `${color}: no Deployment, StatefulSet or DaemonSet in ${scope}: nothing serves the routed apps (check the namespaces and workloadSelector)` });
        } else if (hardProblems.length === 0) {
            const argo = applications === undefined ? "ArgoCD not installed" : `${judgedApps.filter((j) => namespaces.has(j.namespace)).length} ArgoCD applications Synced and Healthy`;
            checks.unshift({ ...base, result: "pass", value: rollouts, message: `${color}: ${rollouts} workloads in ${scope} rolled out; ${argo}` });
        }
        return checks;
    }

    return {
        name,
        kind: "workload",
        describe: () =>
            `Deployments, StatefulSets, DaemonSets in ${[...namespaces].sort().join(", ") || "(no routed namespace)"}${deps.selector ? ` matching ${deps.selector}` : ""} rolled out, ArgoCD Applications there Synced and Healthy (Progressing tolerated ${Math.round(deps.progressingGraceMs / 1000)} s); the rest of the cluster: warnings`,
        async check(context: GateContext) {
            const current = context.current !== context.candidate && context.weights[context.current] > 0 && deps.colors.includes(context.current) ? [checkColor(context.current, true)] : [];
            return (await Promise.all([checkColor(context.candidate, false), ...current])).flat();
        },
    };
}
