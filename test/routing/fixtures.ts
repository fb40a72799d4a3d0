/** Raw routing config for the routing tests, as a stack file would hold it. */
export const CERT = "arn:aws:acm:eu-west-1:123456789012:certificate/00000000-0000-0000-0000-000000000000";
export const ZONE = "Z0123456789ABC";

export const routedApp = (name: string, extra: Record<string, unknown> = {}) => ({
    name,
    hostnames: [`${name}.example.com`],
    namespace: name,
    service: { name, port: 80 },
    ...extra,
});

export function albRouting(extra: Record<string, unknown> = {}): Record<string, unknown> {
    return {
        mode: "alb",
        weights: { blue: 100, green: 0 },
        hostedZoneId: ZONE,
        certificateArn: CERT,
        verification: { allowedCidrs: ["198.51.100.0/24"] },
        apps: [routedApp("shop")],
        ...extra,
    };
}
