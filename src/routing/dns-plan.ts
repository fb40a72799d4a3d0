/**
 * dns mode, decided from config alone: per hostname one weighted Route 53 record per color that has
 * a load balancer (`setIdentifier` = color), with its weight, target and TTL, and what the stack
 * outputs name. Pure; the `DnsRouting` component only turns this plan into records.
 */
import { Color, presentColors, Weights } from "../config/colors";
import type { EnvironmentConfig } from "../config/schema";
import type { RoutingPlanInput } from "./alb-plan";
import { hostnameForName } from "./targets";
import { dnsRecordWeights } from "./weights";

/** Used for `cname` records when `dns.ttl` is not set. */
export const DEFAULT_CNAME_TTL = 60;

export type DnsRecordTarget =
    | { type: "A"; aliases: [{ name: string; zoneId: string; evaluateTargetHealth: true }] }
    | { type: "CNAME"; records: [string]; ttl: number };

export interface WeightedRecordPlan {
    name: string;
    hostname: string;
    color: Color;
    weight: number;
    zoneId: string;
    target: DnsRecordTarget;
}

export interface DnsRoutingPlan {
    mode: "dns";
    environment: string;
    colors: Color[];
    weights: Weights;
    records: WeightedRecordPlan[];
    apps: Record<string, { hostnames: string[] }>;
    /** Names of the records (all of them follow the weights). */
    weightedRecords: string[];
}

export function planDnsRouting({ config, environment }: RoutingPlanInput): DnsRoutingPlan {
    const routing = config.routing;
    if (!routing) throw new Error("the routing planner needs a config with routing set");
    const weights = dnsRecordWeights(config);
    const records = routing.apps.flatMap((app) =>
        app.hostnames.flatMap((hostname) =>
            weights.map(({ color, weight }): WeightedRecordPlan => ({
                name: `${environment}-${hostnameForName(hostname)}-${color}`,
                hostname,
                color,
                weight,
                zoneId: routing.hostedZoneId!,
                target: recordTarget(config, color),
            })),
        ),
    );
    return {
        mode: "dns",
        environment,
        colors: presentColors(config),
        weights: { ...routing.weights },
        records,
        apps: Object.fromEntries(routing.apps.map((app) => [app.name, { hostnames: app.hostnames }])),
        weightedRecords: records.map((r) => r.name),
    };
}

function recordTarget(config: EnvironmentConfig, color: Color): DnsRecordTarget {
    const dns = config.routing!.dns;
    const target = dns.loadBalancers[color]!;
    if (dns.recordType === "alias") return { type: "A", aliases: [{ name: target.dnsName, zoneId: target.zoneId!, evaluateTargetHealth: true }] };
    return { type: "CNAME", records: [target.dnsName], ttl: dns.ttl ?? DEFAULT_CNAME_TTL };
}
