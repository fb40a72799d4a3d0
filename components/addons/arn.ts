/** The ARN partition of a region: policies must name `aws-cn` or `aws-us-gov` resources there. */
export function partitionOf(region: string): string {
    if (region.startsWith("cn-")) return "aws-cn";
    if (region.startsWith("us-gov-")) return "aws-us-gov";
    return "aws";
}
