/** The real gates and readers, on the AWS SDK and the Kubernetes client (default credentials and region). */
import { CloudWatchClient } from "@aws-sdk/client-cloudwatch";
import { DescribeTargetHealthCommand, ElasticLoadBalancingV2Client } from "@aws-sdk/client-elastic-load-balancing-v2";
import { Color } from "../config";
import { errorRateGate, targetHealthGate } from "./gates/load-balancer";
import { kubernetesClients, workloadGate } from "./gates/kubernetes";
import { Gate, StackView } from "./model";

export function awsGates(view: StackView, candidate: Color, thresholds: { minHealthyTargets: number; max5xxRate: number }): Gate[] {
    const gates: Gate[] = [];
    if (Object.keys(view.apps).length > 0 && view.mode === "alb") {
        gates.push(targetHealthGate(new ElasticLoadBalancingV2Client({}), thresholds.minHealthyTargets));
        gates.push(errorRateGate(new CloudWatchClient({}), thresholds.max5xxRate));
    }
    const kubeconfig = view.clusters[candidate]?.kubeconfig;
    if (kubeconfig) gates.push(workloadGate(() => kubernetesClients(kubeconfig)));
    return gates;
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
