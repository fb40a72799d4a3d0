/**
 * The AWS clients of one cutover run, created once from the stack (its region output, `aws:profile`),
 * never from the shell's defaults: with another default region CloudWatch answers "no data" for the
 * stack's load balancer, which once read as a passing gate. `describeAwsTarget` is printed at start.
 */
import { CloudWatchClient } from "@aws-sdk/client-cloudwatch";
import { ElasticLoadBalancingV2Client } from "@aws-sdk/client-elastic-load-balancing-v2";

export interface AwsTarget {
    /** The stack's region (its `region` output, else `aws:region`). */
    region: string;
    /** `aws:profile` of the stack, when set; a role to assume belongs in that profile (`role_arn`). */
    profile?: string;
}

export interface AwsClients {
    cloudwatch: CloudWatchClient;
    elbv2: ElasticLoadBalancingV2Client;
}

/** Retries with backoff on throttling are the SDK's (adaptive mode); a gate sees what is left as an error. */
export function createAwsClients(target: AwsTarget): AwsClients {
    const config = { region: target.region, ...(target.profile ? { profile: target.profile } : {}), retryMode: "adaptive", maxAttempts: 4 };
    return { cloudwatch: new CloudWatchClient(config), elbv2: new ElasticLoadBalancingV2Client(config) };
}

export function describeAwsTarget(target: AwsTarget): string {
    return `AWS region ${target.region} (from the stack), credentials ${target.profile ? `from profile ${target.profile} (aws:profile)` : "from the default chain (no aws:profile)"}`;
}
