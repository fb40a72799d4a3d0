/**
 * The two colors, their weights, and the roles they play in an upgrade. Everything that needs to
 * know "which color" reads it here: the schema, routing, preflight, the cutover and the components.
 * Structural parameter types keep it free of the schema, so anything may import it.
 */
import { compareMinorVersions as compareMinor } from "../versions/minor-version";

export const COLORS = ["blue", "green"] as const;
export type Color = (typeof COLORS)[number];

/** Percent of user traffic per color; the schema fills an absent color with 0, so both are always there. */
export type Weights = Record<Color, number>;

export const otherColor = (color: Color): Color => (color === "blue" ? "green" : "blue");

export const isColor = (value: unknown): value is Color => value === "blue" || value === "green";

/** Weights that give `percent` to `target` and the rest to the other color. */
export function weightsFor(target: Color, percent: number): Weights {
    return { [target]: percent, [otherColor(target)]: 100 - percent } as Weights;
}

export const formatWeights = (w: Weights): string => COLORS.map((c) => `${c} ${w[c]}%`).join(" / ");

interface WithClusters {
    clusters: Partial<Record<Color, { version: string } | undefined>>;
}
interface WithRouting {
    routing?: { weights: Weights } | undefined;
}

/** The colors present in `clusters`, in a stable order. */
export function presentColors(config: WithClusters): Color[] {
    return COLORS.filter((c) => config.clusters[c] !== undefined);
}

/**
 * Colors whose cluster carries user traffic and so must not be deleted or replaced by accident:
 * with routing, every color with a weight above 0; without it, every configured cluster.
 */
export function trafficCarryingColors(config: WithClusters & WithRouting): Color[] {
    const present = presentColors(config);
    const routing = config.routing;
    if (!routing) return present;
    return present.filter((c) => routing.weights[c] > 0);
}

export interface ColorState {
    color: Color;
    version: string;
    /** Percent of user traffic; undefined without routing config. */
    weight: number | undefined;
}

export interface ColorRoles {
    present: ColorState[];
    /** The color being prepared for traffic: less weight, or on equal weights the newer version. */
    candidate?: ColorState;
    /** The other color when there is a candidate. */
    live?: ColorState;
    /** The newest version among the present colors: manifests must be served by every color. */
    newestVersion: string;
}

export function colorStates(config: WithClusters & WithRouting): ColorState[] {
    return presentColors(config).map((color) => ({
        color,
        version: config.clusters[color]!.version,
        weight: config.routing ? config.routing.weights[color] : undefined,
    }));
}

/**
 * Which color is the candidate: the one with less traffic weight; with equal weights (or no routing),
 * the one on the newer version. With one color, or two equal ones, there is none.
 */
export function colorRoles(config: WithClusters & WithRouting): ColorRoles {
    const present = colorStates(config);
    const newestVersion = present.map((s) => s.version).reduce((a, b) => (compareMinor(a, b) >= 0 ? a : b));
    if (present.length < 2) return { present, newestVersion };
    const [a, b] = present;
    const weightA = a.weight ?? 0;
    const weightB = b.weight ?? 0;
    let candidate: ColorState | undefined;
    if (weightA !== weightB) candidate = weightA < weightB ? a : b;
    else if (a.version !== b.version) candidate = compareMinor(a.version, b.version) > 0 ? a : b;
    if (!candidate) return { present, newestVersion };
    return { present, candidate, live: candidate === a ? b : a, newestVersion };
}

export function describeColor(state: ColorState): string {
    return `${state.color} (${state.version}${state.weight === undefined ? "" : `, ${state.weight}%`})`;
}
