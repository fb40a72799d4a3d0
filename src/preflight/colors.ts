/**
 * Which color is the candidate: the one with less traffic weight; with equal weights (or no routing),
 * the one on the newer version. With one color, or two equal ones, there is none.
 */
import { Color, EnvironmentConfig, presentColors } from "../../stacks/config";
import { compareMinorVersions } from "../versions";

export interface ColorState {
    color: Color;
    version: string;
    /** Percent of user traffic; undefined without routing config. */
    weight: number | undefined;
}

export interface ColorRoles {
    present: ColorState[];
    candidate?: ColorState;
    /** The other color when there is a candidate. */
    live?: ColorState;
    /** The newest version among the present colors: manifests must be served by every color. */
    newestVersion: string;
}

export function colorStates(config: Pick<EnvironmentConfig, "clusters" | "routing">): ColorState[] {
    return presentColors(config).map((color) => ({
        color,
        version: config.clusters[color]!.version,
        weight: config.routing ? (config.routing.weights[color] ?? 0) : undefined,
    }));
}

export function colorRoles(config: Pick<EnvironmentConfig, "clusters" | "routing">): ColorRoles {
    const present = colorStates(config);
    const newestVersion = present.map((s) => s.version).reduce((a, b) => (compareMinorVersions(a, b) >= 0 ? a : b));
    if (present.length < 2) return { present, newestVersion };
    const [a, b] = present;
    const weightA = a.weight ?? 0;
    const weightB = b.weight ?? 0;
    let candidate: ColorState | undefined;
    if (weightA !== weightB) candidate = weightA < weightB ? a : b;
    else if (a.version !== b.version) candidate = compareMinorVersions(a.version, b.version) > 0 ? a : b;
    if (!candidate) return { present, newestVersion };
    return { present, candidate, live: candidate === a ? b : a, newestVersion };
}

export function describeColor(state: ColorState): string {
    return `${state.color} (${state.version}${state.weight === undefined ? "" : `, ${state.weight}%`})`;
}
