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
