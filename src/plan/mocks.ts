/**
 * The answers the offline plan gives in place of AWS. Each resource echoes its inputs and gets the
 * ids and ARNs AWS would give it, deterministic and realistic, derived from its type and name (a
 * target group `arn:aws:elasticloadbalancing:<region>:<account>:targetgroup/<name>/<hex>`, a
 * security group `sg-<hex>`...). Every value made up here is recorded in a reference table, so the
 * plan can print a value another resource receives as a reference to its producer
 * (`<prod-api-blue.arn>`) instead of `<computed>`. Attributes not made up here stay computed.
 * Data sources (invokes) answer from a table; an invoke without an answer is an error that says where to add it.
 */
import { createHash } from "crypto";
import * as pulumi from "@pulumi/pulumi";
import { partitionOf } from "../config/values";
import { ReferenceTable } from "./references";

export interface PlanMockOptions {
    region: string;
    accountId?: string;
}

type InvokeAnswer = (inputs: Record<string, unknown>, options: PlanMockOptions) => Record<string, unknown>;

const AZ_SUFFIXES = ["a", "b", "c", "d", "e", "f"];
const DEFAULT_ACCOUNT = "123456789012";

const INVOKE_ANSWERS: Record<string, InvokeAnswer> = {
    "aws:index/getAvailabilityZones:getAvailabilityZones": (_inputs, { region }) => ({
        id: region,
        names: AZ_SUFFIXES.map((s) => `${region}${s}`),
        zoneIds: AZ_SUFFIXES.map((_s, i) => `${region.replace(/-/g, "")}-az${i + 1}`),
        state: "available",
    }),
    "aws:index/getRegion:getRegion": (_inputs, { region }) => ({ id: region, name: region, region, endpoint: `ec2.${region}.amazonaws.com` }),
    "aws:index/getCallerIdentity:getCallerIdentity": (_inputs, { accountId = DEFAULT_ACCOUNT }) => ({
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

/** The canonical hosted zones of Application Load Balancers in a few regions (Elastic Load Balancing endpoints page); others get a made-up one. */
const ELB_ZONES: Record<string, string> = {
    "us-east-1": "Z35SXDOTRQ7X7K",
    "us-west-2": "Z1H1FL5HABSF5",
    "eu-west-1": "Z32O12XQLNTSW2",
    "eu-central-1": "Z215JYRZR1TBD5",
};

/** What a generator knows about the resource it makes attributes for. */
interface MockContext {
    name: string;
    inputs: Record<string, unknown>;
    region: string;
    account: string;
    partition: string;
    /** Deterministic hex of the resource's type and name, `length` characters. */
    hex(length: number): string;
    /** The AWS name: the input, else Pulumi's autoname (`<name>-<7 hex>`). */
    awsName(): string;
}

/** The attributes AWS computes: `id` and any output properties. */
type Generated = { id?: string } & Record<string, string>;
type Generator = (ctx: MockContext) => Generated;

const arn = (ctx: MockContext, service: string, resource: string, region = ctx.region, account = ctx.account) =>
    `arn:${ctx.partition}:${service}:${region}:${account}:${resource}`;
const uuid = (hex: string) => `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
const ec2Id = (prefix: string, kind: string): Generator => (ctx) => {
    const id = `${prefix}-${ctx.hex(17)}`;
    return { id, arn: arn(ctx, "ec2", `${kind}/${id}`) };
};
/** An ARN given as input, when known (mocks see unknown inputs as undefined). */
const inputString = (ctx: MockContext, key: string): string | undefined => (typeof ctx.inputs[key] === "string" ? (ctx.inputs[key] as string) : undefined);

const GENERATORS: Record<string, Generator> = {
    "aws:lb/loadBalancer:LoadBalancer": (ctx) => {
        const name = ctx.awsName();
        const arnSuffix = `app/${name}/${ctx.hex(16)}`;
        const lbArn = arn(ctx, "elasticloadbalancing", `loadbalancer/${arnSuffix}`);
        return {
            id: lbArn,
            arn: lbArn,
            arnSuffix,
            name,
            dnsName: `${name}-${parseInt(ctx.hex(8), 16)}.${ctx.region}.elb.amazonaws.com`,
            zoneId: ELB_ZONES[ctx.region] ?? `Z${ctx.hex(13).toUpperCase()}`,
        };
    },
    "aws:lb/targetGroup:TargetGroup": (ctx) => {
        const name = ctx.awsName();
        const arnSuffix = `targetgroup/${name}/${ctx.hex(16)}`;
        const groupArn = arn(ctx, "elasticloadbalancing", arnSuffix);
        return { id: groupArn, arn: groupArn, arnSuffix, name };
    },
    "aws:lb/listener:Listener": (ctx) => {
        const lb = inputString(ctx, "loadBalancerArn")?.split(":loadbalancer/")[1] ?? `app/${ctx.name}/${ctx.hex(16)}`;
        const listenerArn = arn(ctx, "elasticloadbalancing", `listener/${lb}/${ctx.hex(16)}`);
        return { id: listenerArn, arn: listenerArn };
    },
    "aws:lb/listenerRule:ListenerRule": (ctx) => {
        const listener = inputString(ctx, "listenerArn")?.split(":listener/")[1] ?? `app/${ctx.name}/${ctx.hex(16)}/${ctx.hex(16)}`;
        const ruleArn = arn(ctx, "elasticloadbalancing", `listener-rule/${listener}/${ctx.hex(16)}`);
        return { id: ruleArn, arn: ruleArn };
    },
    "aws:ec2/securityGroup:SecurityGroup": ec2Id("sg", "security-group"),
    "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule": ec2Id("sgr", "security-group-rule"),
    "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule": ec2Id("sgr", "security-group-rule"),
    "aws:ec2/vpc:Vpc": ec2Id("vpc", "vpc"),
    "aws:ec2/subnet:Subnet": ec2Id("subnet", "subnet"),
    "aws:ec2/internetGateway:InternetGateway": ec2Id("igw", "internet-gateway"),
    "aws:ec2/natGateway:NatGateway": (ctx) => ({ id: `nat-${ctx.hex(17)}` }),
    "aws:ec2/eip:Eip": (ctx) => ({ id: `eipalloc-${ctx.hex(17)}`, allocationId: `eipalloc-${ctx.hex(17)}` }),
    "aws:ec2/routeTable:RouteTable": ec2Id("rtb", "route-table"),
    "aws:ec2/routeTableAssociation:RouteTableAssociation": (ctx) => ({ id: `rtbassoc-${ctx.hex(17)}` }),
    "aws:kms/key:Key": (ctx) => {
        const keyId = uuid(ctx.hex(32));
        return { id: keyId, keyId, arn: arn(ctx, "kms", `key/${keyId}`) };
    },
    "aws:iam/role:Role": (ctx) => {
        const name = ctx.awsName();
        return { id: name, name, arn: arn(ctx, "iam", `role/${name}`, ""), uniqueId: `AROA${ctx.hex(17).toUpperCase()}` };
    },
    "aws:iam/policy:Policy": (ctx) => {
        const name = ctx.awsName();
        const policyArn = arn(ctx, "iam", `policy/${name}`, "");
        return { id: policyArn, arn: policyArn, name, policyId: `ANPA${ctx.hex(17).toUpperCase()}` };
    },
    "aws:eks/nodeGroup:NodeGroup": (ctx) => {
        const cluster = inputString(ctx, "clusterName") ?? ctx.name;
        const group = inputString(ctx, "nodeGroupName") ?? ctx.awsName();
        return { id: `${cluster}:${group}`, arn: arn(ctx, "eks", `nodegroup/${cluster}/${group}/${uuid(ctx.hex(32))}`) };
    },
    "aws:eks/podIdentityAssociation:PodIdentityAssociation": (ctx) => {
        const associationId = `a-${ctx.hex(17)}`;
        const cluster = inputString(ctx, "clusterName") ?? ctx.name;
        return { id: `${cluster},${associationId}`, associationId, associationArn: arn(ctx, "eks", `podidentityassociation/${cluster}/${associationId}`) };
    },
    "eks:index:Cluster": (ctx) => ({
        clusterSecurityGroupId: `sg-${ctx.hex(17)}`,
        oidcIssuer: `oidc.eks.${ctx.region}.amazonaws.com/id/${ctx.hex(32).toUpperCase()}`,
    }),
};

export class UnansweredInvokeError extends Error {}

/** The mocks of one plan, with the table of every value they made up. */
export class PlanMocks implements pulumi.runtime.Mocks {
    readonly references = new ReferenceTable();
    private readonly partition: string;

    constructor(private readonly options: PlanMockOptions) {
        this.partition = partitionOf(options.region);
    }

    newResource(args: pulumi.runtime.MockResourceArgs): { id: string | undefined; state: Record<string, unknown> } {
        const generator = GENERATORS[args.type];
        if (!generator) return { id: undefined, state: { ...args.inputs } };
        const { id, ...outputs } = generator(this.context(args));
        // A value the program gave (an explicit name) is no reference; only what AWS would make up is.
        const madeUp = Object.fromEntries(Object.entries(outputs).filter(([key, value]) => args.inputs[key] !== value));
        this.references.produced(args.type, args.name, id === undefined || id === args.inputs.name ? undefined : id, madeUp);
        return { id, state: { ...args.inputs, ...outputs } };
    }

    call(args: pulumi.runtime.MockCallArgs): Record<string, unknown> {
        const answer = INVOKE_ANSWERS[args.token];
        if (!answer) {
            throw new UnansweredInvokeError(
                `the offline plan has no answer for the data source ${args.token}; add one to INVOKE_ANSWERS in src/plan/mocks.ts`,
            );
        }
        return answer(args.inputs, this.options);
    }

    private context(args: pulumi.runtime.MockResourceArgs): MockContext {
        const seed = createHash("sha256").update(`${args.type}::${args.name}`).digest("hex");
        const hex = (length: number) => (seed + seed).slice(0, length);
        const inputs = args.inputs as Record<string, unknown>;
        return {
            name: args.name,
            inputs,
            region: this.options.region,
            account: this.options.accountId ?? DEFAULT_ACCOUNT,
            partition: this.partition,
            hex,
            awsName: () => (typeof inputs.name === "string" ? inputs.name : `${args.name}-${hex(7)}`),
        };
    }
}

export function planMocks(options: PlanMockOptions): PlanMocks {
    return new PlanMocks(options);
}
