/**
 * The small value formats of the configuration, each parsed in exactly one place: the config
 * namespace, structured values (JSON text as Pulumi stores it, or a plain string), durations
 * ("10m", "1h30m"), AWS regions and their ARN partitions. CIDRs are in src/network/cidr.ts.
 */

/** The Pulumi config namespace of this project: `bluegreen:<key>`. */
export const NAMESPACE = "bluegreen";

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

/** The ARN partition of a region: policies and ARNs must name `aws-cn` or `aws-us-gov` there. */
export function partitionOf(region: string): "aws" | "aws-cn" | "aws-us-gov" {
    if (region.startsWith("cn-")) return "aws-cn";
    if (region.startsWith("us-gov-")) return "aws-us-gov";
    return "aws";
}
