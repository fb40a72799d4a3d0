/**
 * The names of the weights custom metric, shared by the publisher (src/report/weights-metric.ts,
 * which loads the CloudWatch client) and the dashboard body (loaded by the Pulumi program, which
 * should not load that client). Pure data.
 */
export const WEIGHTS_NAMESPACE = "Bluegreen";
export const WEIGHT_METRIC = "TrafficWeight";

/** The metric's dimensions for one color: what the dashboard's widget asks for. */
export function weightDimensions(environment: string, color: string): { Name: string; Value: string }[] {
    return [
        { Name: "Environment", Value: environment },
        { Name: "Color", Value: color },
    ];
}
