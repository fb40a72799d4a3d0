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
import type { KubeApis } from "./kube";

export interface WorkloadGateDeps {
    clusters: Partial<Record<Color, () => Promise<KubeApis>>>;
    /** The routed apps' namespaces. */
    namespaces: string[];
    /** A label selector ("tier=web,team in (shop)") narrowing the hard scope. */
    selector?: string;
    progressingGraceMs: number;
    now: () => number;
}

interface Judged {
    what: string;
    namespace: string;
    verdict: RolloutVerdict;
}

export interface ArgoApplication {
    metadata?: { namespace?: string; name?: string };
    spec?: { destination?: { namespace?: string } };
    status?: { sync?: { status?: string }; health?: { status?: string } };
}

const errorText = (err: unknown) => (err instanceof Error ? err.message : String(err)).split("\n")[0];
const nsName = (o: { metadata?: { namespace?: string; name?: string } }) => `${o.metadata?.namespace ?? ""}/${o.metadata?.name ?? ""}`;

/** Pure: an Application's verdict, with how long it has been Progressing. */
export function applicationVerdict(app: ArgoApplication, progressingForMs: number, graceMs: number): RolloutVerdict {
    const sync = app.status?.sync?.status ?? "Unknown";
    const health = app.status?.health?.status ?? "Unknown";
    if (health === "Progressing" && sync !== "OutOfSync" && sync !== "Unknown") {
        const s = Math.round(progressingForMs / 1000);
        return progressingForMs < graceMs
            ? { state: "progressing", message: `${sync}, Progressing for ${s} s (grace ${Math.round(graceMs / 1000)} s)` }
            : { state: "failed", message: `${sync}, still Progressing after ${s} s (grace ${Math.round(graceMs / 1000)} s)` };
    }
    if (sync === "Synced" && health === "Healthy") return { state: "done", message: "Synced, Healthy" };
    return { state: "failed", message: `${sync}, ${health}` };
}

const RESULT = { progressing: "inconclusive", failed: "fail" } as const;

export function workloadGate(deps: WorkloadGateDeps): Gate {
    const name = "workloads";
    const namespaces = new Set(deps.namespaces);
    const progressingSince = new Map<string, number>();

    async function listRollouts(api: KubeApis, labelSelector?: string): Promise<Judged[]> {
        const q = labelSelector ? { labelSelector } : {};
        const [deployments, statefulSets, daemonSets] = await Promise.all([
            api.timed("list Deployments", api.apps.listDeploymentForAllNamespaces(q)),
            api.timed("list StatefulSets", api.apps.listStatefulSetForAllNamespaces(q)),
            api.timed("list DaemonSets", api.apps.listDaemonSetForAllNamespaces(q)),
        ]);
        return [
            ...deployments.items.map((d) => ({ what: `deployment ${nsName(d)}`, namespace: d.metadata?.namespace ?? "", verdict: deploymentRollout(d) })),
            ...statefulSets.items.map((s) => ({ what: `statefulset ${nsName(s)}`, namespace: s.metadata?.namespace ?? "", verdict: statefulSetRollout(s) })),
            ...daemonSets.items.map((d) => ({ what: `daemonset ${nsName(d)}`, namespace: d.metadata?.namespace ?? "", verdict: daemonSetRollout(d) })),
        ];
    }

    async function listApplications(api: KubeApis): Promise<ArgoApplication[] | undefined> {
        try {
            const list = (await api.timed("list ArgoCD Applications", api.custom.listCustomObjectForAllNamespaces({ group: "argoproj.io", version: "v1alpha1", plural: "applications" }))) as { items?: ArgoApplication[] };
            return list.items ?? [];
        } catch (err) {
            if ((err as { code?: number }).code === 404) return undefined; // ArgoCD not installed
            throw err;
        }
    }

    function judgeApplication(color: Color, app: ArgoApplication): Judged {
        const key = `${color}/${nsName(app)}`;
        const now = deps.now();
        if (app.status?.health?.status === "Progressing") {
            if (!progressingSince.has(key)) progressingSince.set(key, now);
        } else progressingSince.delete(key);
        const verdict = applicationVerdict(app, now - (progressingSince.get(key) ?? now), deps.progressingGraceMs);
        return { what: `application ${nsName(app)}`, namespace: app.spec?.destination?.namespace ?? "", verdict };
    }

    async function checkColor(color: Color, allWarnings: boolean): Promise<GateCheck[]> {
        const open = deps.clusters[color];
        const base = { gate: name, color, ...(allWarnings ? { warning: true } : {}) };
        if (!open) return [{ ...base, result: "error", message: `${color}: no kubeconfig in the stack outputs (clusters.${color}.kubeconfig): workloads cannot be judged` }];
        let all: Judged[], selected: Judged[], applications: ArgoApplication[] | undefined;
        try {
            const api = await open();
            [all, selected, applications] = await Promise.all([listRollouts(api), deps.selector ? listRollouts(api, deps.selector) : Promise.resolve(undefined), listApplications(api)]).then(
                ([a, s, apps]) => [a, s ?? a, apps] as const,
            );
        } catch (err) {
            return [{ ...base, result: "error", message: `${color}: could not read workloads: ${errorText(err)}` }];
        }
        const hardIds = new Set(selected.filter((j) => namespaces.has(j.namespace)).map((j) => j.what));
        const judgedApps = (applications ?? []).map((a) => judgeApplication(color, a));
        const hard = [...all.filter((j) => hardIds.has(j.what)), ...judgedApps.filter((j) => namespaces.has(j.namespace))];
        const soft = [...all.filter((j) => !hardIds.has(j.what)), ...judgedApps.filter((j) => !namespaces.has(j.namespace))];
        const problem = (j: Judged, warning: boolean): GateCheck => ({
            gate: name,
            color,
            result: RESULT[j.verdict.state as "progressing" | "failed"],
            ...(warning ? { warning } : {}),
            message: `${color}: ${j.what}: ${j.verdict.message}${warning ? " (outside the routed namespaces: warning only)" : ""}`,
        });
        const checks = [...hard.filter((j) => j.verdict.state !== "done").map((j) => problem(j, allWarnings)), ...soft.filter((j) => j.verdict.state !== "done").map((j) => problem(j, true))];
        const scope = `${[...namespaces].sort().join(", ")}${deps.selector ? ` matching ${deps.selector}` : ""}`;
        const rollouts = hard.filter((j) => !j.what.startsWith("application")).length;
        if (rollouts === 0) {
            checks.unshift({ ...base, result: "fail", value: 0, message: `${color}: no Deployment, StatefulSet or DaemonSet in ${scope}: nothing serves the routed apps (check the namespaces and workloadSelector)` });
        } else if (!checks.some((c) => !c.warning)) {
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
            const current = context.current !== context.candidate && context.weights[context.current] > 0 && deps.clusters[context.current] ? [checkColor(context.current, true)] : [];
            return (await Promise.all([checkColor(context.candidate, false), ...current])).flat();
        },
    };
}
