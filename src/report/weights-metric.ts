/**
 * The cutover publishes the weights it applied as a CloudWatch custom metric, so the environment's
 * dashboard shows when traffic moved beside the figures it moved (one datapoint per color, at the
 * time the weights were verified). The client is injected: the cutover hands in the one it created
 * for the stack's region and credentials; tests hand in aws-sdk-client-mock.
 */
import { CloudWatchClient, PutMetricDataCommand } from "@aws-sdk/client-cloudwatch";
import { COLORS, Weights } from "../config/colors";
import { weightDimensions, WEIGHT_METRIC, WEIGHTS_NAMESPACE } from "./metric-names";

export { weightDimensions, WEIGHT_METRIC, WEIGHTS_NAMESPACE };

/**
 * Puts the weights of both colors (percent of user traffic) at `at`. Throws what CloudWatch throws:
 * the caller decides whether a failed publication matters (for the cutover it does not stop traffic).
 */
export async function publishWeights(client: Pick<CloudWatchClient, "send">, environment: string, weights: Weights, at: Date): Promise<void> {
    if (!environment) throw new Error("publishWeights needs the environment's name (the metric's Environment dimension)");
    for (const color of COLORS) {
        const w = weights[color];
        if (!Number.isFinite(w) || w < 0 || w > 100) throw new Error(`publishWeights: weight of ${color} is ${w}, not a percentage between 0 and 100`);
    }
    await client.send(new PutMetricDataCommand({
        Namespace: WEIGHTS_NAMESPACE,
        MetricData: COLORS.map((color) => ({
            MetricName: WEIGHT_METRIC,
            Dimensions: weightDimensions(environment, color),
            Timestamp: at,
            Value: weights[color],
            Unit: "Percent",
        })),
    }));
}
