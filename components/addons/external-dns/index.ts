/**
 * external-dns with the Route 53 provider. Two clusters write to the same zones during a blue/green
 * migration, so each owns its records (`txtOwnerId` = environment-color) and never deletes any
 * (`upsert-only`): with the chart's default owner id, green would delete blue's records.
 */
import { AddonDefinition, PolicyDocument } from "../addon";
import { partitionOf } from "../../../src/config/values";

export interface ExternalDnsSettings {
    domainFilters: string[];
    zoneIdFilters: string[];
    values: Record<string, unknown>;
}

export function externalDnsPolicy(region: string, zoneIds: string[]): PolicyDocument {
    const zones = zoneIds.map((id) => `arn:${partitionOf(region)}:route53:::hostedzone/${id}`);
    return {
        Version: "2012-10-17",
        Statement: [
            // No route53:ListTagsForResource: external-dns reads zone tags only to apply --aws-zone-tags filters, which are not used.
            { Effect: "Allow", Action: ["route53:ChangeResourceRecordSets", "route53:ListResourceRecordSets"], Resource: zones },
            { Effect: "Allow", Action: ["route53:ListHostedZones"], Resource: "*" },
        ],
    };
}

export const externalDns: AddonDefinition<ExternalDnsSettings> = {
    id: "external-dns",
    serviceAccount: "external-dns",
    policy: (context, settings) => externalDnsPolicy(context.region, settings.zoneIdFilters),
    values: (context, settings) => ({
        provider: { name: "aws" },
        env: [{ name: "AWS_DEFAULT_REGION", value: context.region }],
        serviceAccount: { create: true, name: "external-dns" },
        sources: ["service", "ingress"],
        domainFilters: settings.domainFilters,
        extraArgs: settings.zoneIdFilters.map((id) => `--zone-id-filter=${id}`),
        policy: "upsert-only",
        registry: "txt",
        txtOwnerId: `${context.environment}-${context.color}`,
        // A prefix keeps TXT ownership records from colliding with CNAMEs of the same name.
        txtPrefix: "bluegreen-%{record_type}-",
    }),
};
