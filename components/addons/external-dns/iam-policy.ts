/**
 * external-dns's IAM policy: record changes in the configured hosted zones only.
 */
import { PolicyDocument } from "../addon";
import { partitionOf } from "../../../src/config/values";

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
