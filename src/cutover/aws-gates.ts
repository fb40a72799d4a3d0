/**
 * The gates and readers of a real run, on the AWS SDK and the Kubernetes client. Until the gates of
 * issue 12 land on contract.ts, the older gates of ./gates are adapted: ok → pass, not ok → fail, a
 * throw → error (retried by the engine). Also the ELBv2 target-health reader `status` and the
 * rollback capacity check use.
 */
import { CloudWatchClient } from "@aws-sdk/client-cloudwatch";
import { DescribeTargetHealthCommand, ElasticLoadBalancingV2Client } from "@aws-sdk/client-elastic-load-balancing-v2";
import { Color } from "../config/colors";
import type { Gate as ContractGate, GateCheck } from "./contract";
import { errorRateGate, targetHealthGate } from "./gates/load-balancer";
import { kubernetesClients, workloadGate } from "./gates/kubernetes";
import { Gate as LegacyGate, StackView } from "./model";
import type { RegisteredTarget, TargetHealthSource, TargetState } from "./sources";

export function adaptLegacyGate(gate: LegacyGate, view: StackView, kind: ContractGate["kind"]): ContractGate {
    return {
        name: gate.name,
        kind,
        describe: () => gate.name,
        async check(context): Promise<GateCheck[]> {
            try {
                const result = await gate.check({ candidate: context.candidate, stack: view, since: context.window.start });
                return [{ gate: gate.name, color: context.candidate, result: result.ok ? "pass" : "fail", message: result.details.join("; ") }];
            } catch (err) {
                return [{ gate: gate.name, color: context.candidate, result: "error", message: (err as Error).message.split("\n")[0] }];
            }
        },
    };
}

export function awsGates(view: StackView, candidate: Color, thresholds: { minHealthyTargets: number; max5xxRate: number }, region?: string): ContractGate[] {
    const gates: ContractGate[] = [];
    if (Object.keys(view.apps).length > 0 && view.mode === "alb") {
        gates.push(adaptLegacyGate(targetHealthGate(new ElasticLoadBalancingV2Client({ region }), thresholds.minHealthyTargets), view, "health"));
        gates.push(adaptLegacyGate(errorRateGate(new CloudWatchClient({ region }), thresholds.max5xxRate), view, "traffic"));
    }
    const kubeconfig = view.clusters[candidate]?.kubeconfig;
    if (kubeconfig) gates.push(adaptLegacyGate(workloadGate(() => kubernetesClients(kubeconfig)), view, "workload"));
    return gates;
}

export function elbTargetHealthSource(view: StackView, client = new ElasticLoadBalancingV2Client({})): TargetHealthSource {
    return {
        async targets(app, color): Promise<RegisteredTarget[]> {
            const arn = view.apps[app]?.targetGroupArns[color];
            if (!arn) return [];
            const response = await client.send(new DescribeTargetHealthCommand({ TargetGroupArn: arn }));
            return (response.TargetHealthDescriptions ?? []).map((d) => ({ id: d.Target?.Id ?? "?", port: d.Target?.Port, state: (d.TargetHealth?.State ?? "unavailable") as TargetState }));
        },
    };
}

export function elbTargetHealthReader(client = new ElasticLoadBalancingV2Client({})): (arn: string) => Promise<Record<string, number>> {
    return async (arn) => {
        const response = await client.send(new DescribeTargetHealthCommand({ TargetGroupArn: arn }));
        const counts: Record<string, number> = {};
        for (const d of response.TargetHealthDescriptions ?? []) {
            const state = d.TargetHealth?.State ?? "unknown";
            counts[state] = (counts[state] ?? 0) + 1;
        }
        return counts;
    };
}
