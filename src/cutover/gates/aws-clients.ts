/**
 * The AWS clients of one cutover run, created once from the stack (its region output, `aws:profile`,
 * a role to assume), never from the shell's defaults: with another default region CloudWatch answers "no data" for the
 * stack's load balancer, which once read as a passing gate. `describeAwsTarget` is printed at start.
 */
import { CloudWatchClient } from "@aws-sdk/client-cloudwatch";
import { ElasticLoadBalancingV2Client } from "@aws-sdk/client-elastic-load-balancing-v2";
import { Route53Client } from "@aws-sdk/client-route-53";
import { fromIni, fromTemporaryCredentials } from "@aws-sdk/credential-providers";

export interface AwsTarget {
    /** The stack's region (its `region` output, else `aws:region`). */
    region: string;
    /** `aws:profile` of the stack, when set. */
    profile?: string;
    /** A role to assume (the stack's `aws:assumeRoles[0].roleArn`), with the profile's or default credentials. */
    roleArn?: string;
    /** For tests: where STS is asked. */
    stsEndpoint?: string;
}

export interface AwsClients {
    cloudwatch: CloudWatchClient;
    elbv2: ElasticLoadBalancingV2Client;
    /** dns mode: the weighted records that lead to each color's load balancer. */
    route53: Route53Client;
}

/** Retries with backoff on throttling are the SDK's (adaptive mode); a gate sees what is left as an error. */
export function createAwsClients(target: AwsTarget): AwsClients {
    const config = { region: target.region, retryMode: "adaptive", maxAttempts: 4, ...awsCredentials(target) };
    return { cloudwatch: new CloudWatchClient(config), elbv2: new ElasticLoadBalancingV2Client(config), route53: new Route53Client(config) };
}

/** Client config for the stack's credentials: a role assumed once and refreshed by the SDK, or a profile. */
export function awsCredentials(target: AwsTarget) {
    if (target.roleArn) {
        return {
            credentials: fromTemporaryCredentials({
                params: { RoleArn: target.roleArn, RoleSessionName: "bluegreen-cutover" },
                ...(target.profile ? { masterCredentials: fromIni({ profile: target.profile }) } : {}),
                clientConfig: { region: target.region, ...(target.stsEndpoint ? { endpoint: target.stsEndpoint } : {}) },
            }),
        };
    }
    return target.profile ? { profile: target.profile } : {};
}

export function describeAwsTarget(target: AwsTarget): string {
    const source = target.profile ? `profile ${target.profile} (aws:profile)` : "the default chain (no aws:profile)";
    return `AWS region ${target.region} (from the stack), credentials ${target.roleArn ? `of role ${target.roleArn}, assumed with ${source}` : `from ${source}`}`;
}
