/**
 * Kubernetes minor versions as the project writes them: "1.NN" strings. Only the minor number
 * varies (Kubernetes has stayed on major 1), so comparisons work on that number.
 */

const MINOR_VERSION = /^1\.(0|[1-9]\d?)$/;

/** The minor number of a "1.NN" version ("1.33" → 33), or undefined when it is not one. */
export function parseMinorVersion(version: string): number | undefined {
    const match = MINOR_VERSION.exec(version);
    return match ? Number(match[1]) : undefined;
}

export function isMinorVersion(version: string): boolean {
    return parseMinorVersion(version) !== undefined;
}

export function minorVersion(minor: number): string {
    return `1.${minor}`;
}

/** The minor number of a version the caller has already validated; throws on anything else. */
export function minorOf(version: string): number {
    const minor = parseMinorVersion(version);
    if (minor === undefined) throw new Error(`"${version}" is not a Kubernetes minor version like "1.33"`);
    return minor;
}

/** Negative when a is older than b, 0 when equal, positive when a is newer. */
export function compareMinorVersions(a: string, b: string): number {
    return minorOf(a) - minorOf(b);
}

/** The versions strictly between two versions, oldest first ("1.31", "1.34" → ["1.32", "1.33"]). */
export function versionsBetween(a: string, b: string): string[] {
    const [low, high] = [minorOf(a), minorOf(b)].sort((x, y) => x - y);
    const between: string[] = [];
    for (let minor = low + 1; minor < high; minor++) between.push(minorVersion(minor));
    return between;
}
