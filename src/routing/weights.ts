/**
 * How `routing.weights` become forward actions and weighted records, and which color the
 * verification listener serves. Pure. The schema has already normalised the weights (an absent
 * color is 0), so a weight is read as `weights[color]` and nothing here defaults it again.
 *
 * Every present color stays in every forward action and keeps its weighted record, even at weight 0:
 * a change of weights is then an in-place update of the rules (alb) or records (dns), never a
 * create or delete, and rolling back is the same kind of change.
 */
import { Color, colorRoles, COLORS, presentColors, Weights } from "../config/colors";
import type { EnvironmentConfig } from "../config/schema";

export interface ColorWeight {
    color: Color;
    weight: number;
}

/** The target groups of a weighted forward action: one per present color, in blue, green order. */
export function forwardTargets(weights: Weights, colors: readonly Color[]): ColorWeight[] {
    return COLORS.filter((c) => colors.includes(c)).map((color) => ({ color, weight: weights[color] }));
}

/**
 * The weighted records of one hostname in dns mode: one per present color that has a load balancer.
 * A color at 0 keeps its record at weight 0 while the other has 100. Route 53 does answer with a
 * weight-0 record when every record of the name with weight is unhealthy (alias records evaluate
 * target health), which docs/routing.md explains.
 */
export function dnsRecordWeights(config: Pick<EnvironmentConfig, "clusters" | "routing">): ColorWeight[] {
    const routing = config.routing!;
    return forwardTargets(routing.weights, presentColors(config)).filter(({ color }) => routing.dns.loadBalancers[color] !== undefined);
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
