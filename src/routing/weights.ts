/**
 * How `routing.weights` become forward actions and weighted records, and which color the
 * verification listener serves. Pure.
 *
 * Every present color stays in every forward action and keeps its weighted record, even at weight 0:
 * a change of weights is then an in-place update of the rules (alb) or records (dns), never a
 * create or delete, and rolling back is the same kind of change.
 */
import { Color, colorRoles, COLORS, presentColors } from "../config/colors";
import type { EnvironmentConfig, RoutingConfig } from "../config/schema";

export interface ColorWeight {
    color: Color;
    weight: number;
}

export function weightOf(routing: Pick<RoutingConfig, "weights">, color: Color): number {
    return routing.weights[color] ?? 0;
}

/** The target groups of a weighted forward action: one per present color, in blue, green order. */
export function forwardTargets(routing: Pick<RoutingConfig, "weights">, colors: Color[]): ColorWeight[] {
    return COLORS.filter((c) => colors.includes(c)).map((color) => ({ color, weight: weightOf(routing, color) }));
}

/**
 * The weighted records of one hostname in dns mode: one per present color that has a load balancer.
 * A color at 0 keeps its record at weight 0 while the other has 100 (Route 53 sends nothing to a
 * weight-0 record unless every record of the name is at 0, which the weights summing to 100 rules out).
 */
export function dnsRecordWeights(config: Pick<EnvironmentConfig, "clusters" | "routing">): ColorWeight[] {
    const routing = config.routing!;
    return forwardTargets(routing, presentColors(config)).filter(({ color }) => routing.dns.loadBalancers[color] !== undefined);
}

/**
 * The color the verification listener (and nothing else) serves: `verification.color`, else the
 * candidate as preflight sees it (lower weight; on equal weights the newer version), else the only
 * color, else green.
 */
export function verificationColor(config: Pick<EnvironmentConfig, "clusters" | "routing">): Color {
    const explicit = config.routing?.verification.color;
    if (explicit) return explicit;
    const roles = colorRoles(config);
    if (roles.candidate) return roles.candidate.color;
    if (roles.present.length === 1) return roles.present[0].color;
    return "green";
}

/** Colors whose target groups carry user traffic and are protected from deletion. */
export function colorsWithTraffic(routing: Pick<RoutingConfig, "weights">, colors: Color[]): Color[] {
    return forwardTargets(routing, colors).filter((t) => t.weight > 0).map((t) => t.color);
}
