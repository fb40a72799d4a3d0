/** Raw `bluegreen:` config values for tests, as a stack file would hold them. */
export function nodeGroup(overrides: Record<string, unknown> = {}): Record<string, unknown> {
    return { name: "system", instanceTypes: ["m6i.large"], minSize: 1, desiredSize: 2, maxSize: 3, ...overrides };
}

/** The API endpoint a first `pulumi up` from outside the VPC can use: public, restricted to the runner's range (and private). */
export const RUNNER_ENDPOINT = { publicAccessCidrs: ["203.0.113.0/24"] };

export function clusterSpec(version: string, overrides: Record<string, unknown> = {}): Record<string, unknown> {
    return { version, nodeGroups: [nodeGroup()], endpoint: RUNNER_ENDPOINT, ...overrides };
}

export function rawConfig(overrides: Record<string, unknown> = {}): Record<string, unknown> {
    return {
        region: "eu-west-1",
        network: { cidr: "10.0.0.0/16" },
        access: { clusterAdmins: ["arn:aws:iam::123456789012:role/platform-admin"] },
        clusters: { blue: clusterSpec("1.32"), green: clusterSpec("1.33") },
        ...overrides,
    };
}

/** Sets a value at a dotted path in a deep copy. */
export function withValue(raw: Record<string, unknown>, path: string, value: unknown): Record<string, unknown> {
    const copy = structuredClone(raw);
    const keys = path.split(".");
    let node = copy as Record<string, unknown>;
    for (const key of keys.slice(0, -1)) {
        node[key] = node[key] ?? {};
        node = node[key] as Record<string, unknown>;
    }
    node[keys[keys.length - 1]] = value;
    return copy;
}
