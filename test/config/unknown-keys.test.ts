/**
 * Unknown keys are refused in every section of the config, each section tested on its own: a key
 * added to a valid config at that section is reported at its own path, and nothing else is. The
 * sections are listed here by hand (not walked from the schema), so a section that loses its
 * strictness fails its own row.
 */
import { parseEnvironmentConfig } from "../../src/config";
import { clusterSpec, nodeGroup, rawConfig } from "../helpers/raw-config";

/** A valid config that has every section, so an extra key can be put in each. */
function everySection(): Record<string, unknown> {
    const cluster = (version: string) =>
        clusterSpec(version, {
            nodeGroups: [nodeGroup({ taints: [{ key: "dedicated", value: "system", effect: "NO_SCHEDULE" }] })],
            endpoint: { publicAccessCidrs: ["203.0.113.0/24"] },
            managedAddons: {},
            addons: {
                argocd: { bootstrap: { repoURL: "https://github.com/example-org/gitops.git", path: "envs/dev" } },
                "aws-load-balancer-controller": {},
                "external-dns": { zoneIdFilters: ["Z0123456789ABC"] },
            },
        });
    return rawConfig({
        clusters: { blue: cluster("1.32"), green: cluster("1.33") },
        routing: {
            mode: "alb",
            weights: { blue: 100, green: 0 },
            hostedZoneId: "Z0123456789ABC",
            certificateArn: "arn:aws:acm:eu-west-1:123456789012:certificate/abc",
            stickiness: {},
            verification: { allowedCidrs: ["203.0.113.0/24"] },
            dns: { loadBalancers: { blue: { dnsName: "lb.example.com", zoneId: "Z215JYRZR1TBD5" } } },
            loadBalancer: {},
            quotas: {},
            apps: [{ name: "shop", hostnames: ["shop.example.com"], namespace: "shop", service: { name: "web", port: 80 }, healthCheck: {} }],
        },
        cutover: {},
        gitops: {},
    });
}

const SECTIONS = [
    "",
    "network",
    "clusters",
    "clusters.blue",
    "clusters.blue.nodeGroups[0]",
    "clusters.blue.nodeGroups[0].taints[0]",
    "clusters.blue.endpoint",
    "clusters.blue.managedAddons",
    "clusters.blue.addons",
    "clusters.blue.addons.argocd",
    "clusters.blue.addons.argocd.bootstrap",
    "clusters.blue.addons.aws-load-balancer-controller",
    "clusters.blue.addons.external-dns",
    "clusters.green.nodeGroups[0]",
    "access",
    "routing",
    "routing.weights",
    "routing.stickiness",
    "routing.verification",
    "routing.dns",
    "routing.dns.loadBalancers",
    "routing.dns.loadBalancers.blue",
    "routing.loadBalancer",
    "routing.quotas",
    "routing.apps[0]",
    "routing.apps[0].service",
    "routing.apps[0].healthCheck",
    "cutover",
    "gitops",
];

function sectionAt(config: Record<string, unknown>, section: string): Record<string, unknown> {
    let node: unknown = config;
    for (const match of section.matchAll(/([^.[\]]+)|\[(\d+)\]/g)) node = (node as Record<string, unknown>)[match[2] ?? match[1]];
    return node as Record<string, unknown>;
}

describe("unknown keys in every section", () => {
    test("the config with every section is valid", () => {
        expect(parseEnvironmentConfig(everySection())).toMatchObject({ ok: true });
    });

    test.each(SECTIONS)("section %p refuses an unknown key, at its path", (section) => {
        const config = everySection();
        sectionAt(config, section).unexpectedSetting = true;
        const result = parseEnvironmentConfig(config);
        expect(result.ok).toBe(false);
        const problems = result.ok ? [] : result.problems;
        const path = section ? `${section}.unexpectedSetting` : "unexpectedSetting";
        expect(problems).toEqual([{ path, message: expect.stringMatching(/^is not a known setting/) }]);
    });
});
