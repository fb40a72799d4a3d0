/**
 * The answers the offline plan gives in place of AWS. Resources echo their inputs and leave every
 * computed attribute out, so that (as in `pulumi preview` of a new stack) it shows as computed.
 * Data sources (invokes) answer from this table; an invoke without an answer is an error that says where to add it.
 */
import * as pulumi from "@pulumi/pulumi";

export interface PlanMockOptions {
    region: string;
    accountId?: string;
}

type InvokeAnswer = (inputs: Record<string, unknown>, options: PlanMockOptions) => Record<string, unknown>;

const AZ_SUFFIXES = ["a", "b", "c", "d", "e", "f"];

const INVOKE_ANSWERS: Record<string, InvokeAnswer> = {
    "aws:index/getAvailabilityZones:getAvailabilityZones": (_inputs, { region }) => ({
        id: region,
        names: AZ_SUFFIXES.map((s) => `${region}${s}`),
        zoneIds: AZ_SUFFIXES.map((_s, i) => `${region.replace(/-/g, "")}-az${i + 1}`),
        state: "available",
    }),
    "aws:index/getRegion:getRegion": (_inputs, { region }) => ({ id: region, name: region, region, endpoint: `ec2.${region}.amazonaws.com` }),
    "aws:index/getCallerIdentity:getCallerIdentity": (_inputs, { accountId = "123456789012" }) => ({
        id: accountId,
        accountId,
        arn: `arn:aws:iam::${accountId}:user/offline-plan`,
        userId: "OFFLINEPLAN",
    }),
    // As AWS answers: an assumed-role session's issuer is its role; any other ARN is passed through.
    "aws:iam/getSessionContext:getSessionContext": (inputs) => {
        const arn = String(inputs.arn);
        const session = /^arn:(aws[a-z-]*):sts::(\d{12}):assumed-role\/([^/]+)\/(.+)$/.exec(arn);
        if (!session) return { id: arn, arn, issuerArn: arn };
        return { id: arn, arn, issuerArn: `arn:${session[1]}:iam::${session[2]}:role/${session[3]}`, issuerName: session[3], sessionName: session[4] };
    },
    "aws:eks/getAddonVersion:getAddonVersion": (inputs) => ({
        id: String(inputs.addonName),
        addonName: inputs.addonName,
        kubernetesVersion: inputs.kubernetesVersion,
        // The real default version is only known to EKS; the plan says so instead of inventing one.
        version: `<default for Kubernetes ${String(inputs.kubernetesVersion)}>`,
    }),
};

export class UnansweredInvokeError extends Error {}

export function planMocks(options: PlanMockOptions): pulumi.runtime.Mocks {
    return {
        newResource(args: pulumi.runtime.MockResourceArgs): { id: string | undefined; state: Record<string, unknown> } {
            return { id: undefined, state: { ...args.inputs } };
        },
        call(args: pulumi.runtime.MockCallArgs): Record<string, unknown> {
            const answer = INVOKE_ANSWERS[args.token];
            if (!answer) {
                throw new UnansweredInvokeError(
                    `the offline plan has no answer for the data source ${args.token}; add one to INVOKE_ANSWERS in src/plan/mocks.ts`,
                );
            }
            return answer(args.inputs, options);
        },
    };
}
