/**
 * The small value formats of the configuration, each parsed in exactly one place: the config
 * namespace, structured values (JSON text as Pulumi stores it, or a plain string), durations
 * ("10m", "1h30m"), AWS regions and their ARN partitions. CIDRs are in src/network/cidr.ts.
 */

/** The Pulumi config namespace of this project: `bluegreen:<key>`. */
export const NAMESPACE = "bluegreen";

/** What the stack file reader puts where a `secure:` value is: only the Pulumi CLI can decrypt it. */
export const ENCRYPTED_PLACEHOLDER = "<encrypted: decrypted by the Pulumi CLI at deploy time>";

/**
 * A config value as Pulumi hands it over (always text) or as a stack file or `--set` gives it:
 * JSON text becomes its value (what `pulumi config set --path` and `pulumi config set k '{…}'`
 * write), anything else stays the string it is. Values that are already structured pass through.
 */
export function parseStructuredValue(value: unknown): unknown {
    if (typeof value !== "string") return value;
    const text = value.trim();
    if (text === "") return value;
    try {
        return JSON.parse(text);
    } catch {
        return value;
    }
}

const DURATION = /^(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?$/;

/** "10m", "30s", "1h30m", "90s" → milliseconds; undefined for anything else (including ""). */
export function parseDurationMs(text: string): number | undefined {
    const trimmed = text.trim();
    const match = DURATION.exec(trimmed);
    if (!match || trimmed === "") return undefined;
    const [, h, m, s] = match;
    return ((Number(h ?? 0) * 60 + Number(m ?? 0)) * 60 + Number(s ?? 0)) * 1000;
}

export const DURATION_HINT = 'is not a duration like "10m", "30s" or "1h30m"';

/** Milliseconds as the config writes durations: "1h2m3s", "45s", "0s". */
export function formatDuration(ms: number): string {
    const total = Math.round(ms / 1000);
    const h = Math.floor(total / 3600);
    const m = Math.floor((total % 3600) / 60);
    const s = total % 60;
    return [h ? `${h}h` : "", m ? `${m}m` : "", s || (!h && !m) ? `${s}s` : ""].join("");
}

/** An AWS region name ("eu-west-1", "us-gov-west-1", "cn-north-1"). */
export const REGION_PATTERN = /^[a-z]{2}(-[a-z]+)+-\d$/;

/**
 * The AWS regions (commercial, China, GovCloud), from the AWS regions table
 * (https://docs.aws.amazon.com/global-infrastructure/latest/regions/aws-regions.html). A region
 * missing here is refused with the list: add it when AWS opens one.
 */
export const AWS_REGIONS: readonly string[] = [
    "us-east-1", "us-east-2", "us-west-1", "us-west-2",
    "af-south-1",
    "ap-east-1", "ap-east-2", "ap-south-1", "ap-south-2",
    "ap-southeast-1", "ap-southeast-2", "ap-southeast-3", "ap-southeast-4", "ap-southeast-5", "ap-southeast-6", "ap-southeast-7",
    "ap-northeast-1", "ap-northeast-2", "ap-northeast-3",
    "ca-central-1", "ca-west-1",
    "eu-central-1", "eu-central-2", "eu-west-1", "eu-west-2", "eu-west-3", "eu-south-1", "eu-south-2", "eu-north-1",
    "il-central-1", "me-south-1", "me-central-1", "mx-central-1", "sa-east-1",
    "us-gov-east-1", "us-gov-west-1",
    "cn-north-1", "cn-northwest-1",
];

export function isKnownRegion(region: string): boolean {
    return AWS_REGIONS.includes(region);
}

/** The ARN partition of a region: policies and ARNs must name `aws-cn` or `aws-us-gov` there. */
export function partitionOf(region: string): "aws" | "aws-cn" | "aws-us-gov" {
    if (region.startsWith("cn-")) return "aws-cn";
    if (region.startsWith("us-gov-")) return "aws-us-gov";
    return "aws";
}
