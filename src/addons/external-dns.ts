/**
 * external-dns's pure part: chart, CRD source, service account and settings under
 * `clusters.<color>.addons.external-dns`. Installed when it has hosted zones to manage: its IAM
 * permissions are scoped to them. Its Pulumi part is components/addons/external-dns/.
 */
import { z } from "zod";
import { addonBaseSettings, defineAddon } from "./addon";

export const externalDnsSettings = z
    .strictObject({
        ...addonBaseSettings,
        enabled: z.boolean().optional(),
        domainFilters: z.array(z.string().min(1)).default([]),
        zoneIdFilters: z.array(z.string().regex(/^Z[A-Z0-9]+$/, { message: "ZONE_ID" })).default([]),
    })
    .superRefine((dns, ctx) => {
        if (dns.enabled === true && dns.zoneIdFilters.length === 0) {
            ctx.addIssue({
                code: "custom",
                path: ["zoneIdFilters"],
                message: "is empty while external-dns is enabled: list the Route 53 hosted zone ids it may change (its IAM policy is scoped to them)",
            });
        }
    })
    .transform((dns) => ({ ...dns, enabled: dns.enabled ?? dns.zoneIdFilters.length > 0 }));

export const externalDns = defineAddon({
    id: "external-dns",
    chart: "external-dns",
    repository: "https://kubernetes-sigs.github.io/external-dns",
    defaultVersion: "1.15.0",
    namespace: "external-dns",
    serviceAccount: { nameValue: "serviceAccount.name", name: "external-dns" },
    crdGroups: ["externaldns.k8s.io"],
    crds: { kind: "chart-crds" },
    knownCrds: ["dnsendpoints.externaldns.k8s.io"],
    settings: externalDnsSettings,
});

/**
 * Whether external-dns, run with these `--domain-filter`s and `--exclude-domains`, manages a name:
 * the rule of its DomainFilter.Match (endpoint/domain_filter.go): a filter starting with "." matches
 * by suffix; one with as many dots as the name matches only itself; otherwise the name itself and
 * its subdomains. No domain filter means every name.
 */
export function externalDnsManages(name: string, domainFilters: readonly string[], excludeDomains: readonly string[]): boolean {
    return matchesFilter(domainFilters, name, true) && !matchesFilter(excludeDomains, name, false);
}

function matchesFilter(filters: readonly string[], domain: string, whenNone: boolean): boolean {
    if (filters.length === 0) return whenNone;
    const name = domain.toLowerCase().replace(/\.$/, "");
    const dots = (s: string) => s.split(".").length - 1;
    return filters.some((filter) => {
        if (filter === "") return false;
        if (filter.startsWith(".")) return name.endsWith(filter);
        if (dots(name) === dots(filter)) return name === filter;
        return name.endsWith(`.${filter}`);
    });
}

/**
 * The `--exclude-domains` that keep a cluster's external-dns away from the hostnames this program
 * publishes itself (weighted records in dns mode, alias records in alb mode): a hostname and its
 * subdomains; for a wildcard `*.a.example.com`, every name below `a.example.com` (".a.example.com").
 */
export function routedHostnameExclusions(hostnames: readonly string[]): string[] {
    const excluded = hostnames.map((host) => (host.startsWith("*.") ? host.slice(1) : host).toLowerCase());
    return [...new Set(excluded)].sort();
}
