/**
 * external-dns with the Route 53 provider. Two clusters write to the same zones during a blue/green
 * migration, so each owns its records (`txtOwnerId` = environment-color) and never deletes any
 * (`upsert-only`): with the chart's default owner id, green would delete blue's records.
 */
import { ADDONS, AddonSettings } from "../../../src/addons/registry";
import { routedHostnameExclusions } from "../../../src/addons/external-dns";
import { AddonDefinition } from "../addon";
import { externalDnsPolicy } from "./iam-policy";

export { externalDnsPolicy };

export const definition: AddonDefinition<AddonSettings<"external-dns">> = {
    id: "external-dns",
    policy: (context, settings) => externalDnsPolicy(context.region, settings.zoneIdFilters),
    values: (context, settings) => ({
        provider: { name: "aws" },
        env: [{ name: "AWS_DEFAULT_REGION", value: context.region }],
        serviceAccount: { create: true, name: ADDONS["external-dns"].serviceAccount.name },
        sources: ["service", "ingress"],
        domainFilters: settings.domainFilters,
        // The routing publishes these names itself (weighted or alias records): external-dns must never claim them.
        excludeDomains: routedHostnameExclusions(context.routedHostnames),
        extraArgs: settings.zoneIdFilters.map((id) => `--zone-id-filter=${id}`),
        policy: "upsert-only",
        registry: "txt",
        txtOwnerId: `${context.environment}-${context.color}`,
        // A prefix keeps TXT ownership records from colliding with CNAMEs of the same name.
        txtPrefix: "bluegreen-%{record_type}-",
    }),
};
