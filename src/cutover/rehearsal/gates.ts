/**
 * Stand-in gates for rehearsals, on the narrow sources of sources.ts: the candidate's target 5xx
 * rate per app over the bake window (inconclusive below `minRequests`), its target health, and its
 * ready endpoints. They exist so the engine can be rehearsed and tested before the real gates of
 * src/cutover/gates/ (issue 12) land; `rehearse` takes whichever gate list it is given.
 */
import type { Gate, GateCheck, GateContext } from "../contract";
import type { EndpointSource, TargetHealthSource, TrafficSource } from "../sources";

const firstLine = (err: unknown) => (err instanceof Error ? err.message : String(err)).split("\n")[0];

async function perApp(apps: string[], gate: string, context: GateContext, judge: (app: string) => Promise<GateCheck>): Promise<GateCheck[]> {
    return Promise.all(apps.map(async (app) => {
        try {
            return await judge(app);
        } catch (err) {
            return { gate, app, color: context.candidate, result: "error" as const, message: firstLine(err) };
        }
    }));
}

export function errorRateGate(apps: string[], traffic: TrafficSource, max5xxRate: number, minRequests: number): Gate {
    const name = "5xx rate";
    return {
        name,
        kind: "traffic",
        describe: () => `target 5xx ≤ ${(max5xxRate * 100).toFixed(2)}% per app, judged from ${minRequests} requests`,
        async check(context) {
            if (context.phase === "precheck") return []; // nothing to measure before traffic moves
            return perApp(apps, name, context, async (app) => {
                const minutes = await traffic.appMinutes(app, context.candidate, context.window.start, context.window.end);
                const requests = minutes.reduce((n, m) => n + m.requests, 0);
                const errors = minutes.reduce((n, m) => n + m.target5xx, 0);
                const base = { gate: name, app, color: context.candidate, threshold: max5xxRate };
                if (requests < minRequests) return { ...base, result: "inconclusive" as const, value: requests, message: `${requests} request(s) in ${minutes.length} complete minute(s), fewer than ${minRequests}` };
                const rate = errors / requests;
                return { ...base, result: rate <= max5xxRate ? ("pass" as const) : ("fail" as const), value: rate, message: `${errors} 5xx of ${requests} requests (${(rate * 100).toFixed(2)}%, limit ${(max5xxRate * 100).toFixed(2)}%)` };
            });
        },
    };
}

export function targetHealthGate(apps: string[], health: TargetHealthSource, minHealthyTargets: number): Gate {
    const name = "target health";
    return {
        name,
        kind: "health",
        describe: () => `≥ ${minHealthyTargets} healthy and no unhealthy target per app`,
        check: (context) => perApp(apps, name, context, async (app) => {
            const targets = await health.targets(app, context.candidate);
            const healthy = targets.filter((t) => t.state === "healthy").length;
            const ok = healthy >= minHealthyTargets && healthy === targets.length;
            return { gate: name, app, color: context.candidate, result: ok ? "pass" : "fail", value: healthy, threshold: minHealthyTargets, message: `${healthy} healthy of ${targets.length} target(s) (need ≥ ${minHealthyTargets}, all healthy)` };
        }),
    };
}

export function readyEndpointsGate(apps: string[], endpoints: EndpointSource): Gate {
    const name = "ready endpoints";
    return {
        name,
        kind: "workload",
        describe: () => "at least one ready endpoint per routed app",
        check: (context) => perApp(apps, name, context, async (app) => {
            const ready = await endpoints.readyAddresses(app, context.candidate);
            return { gate: name, app, color: context.candidate, result: ready.length > 0 ? "pass" : "fail", value: ready.length, threshold: 1, message: `${ready.length} ready endpoint(s)` };
        }),
    };
}
