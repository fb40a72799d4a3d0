/** Human and JSON renderings of a plan and of a plan diff. */
import { Plan, PlannedResource } from "./model";
import { PlanDiff, summaryLine } from "./diff";

/** The inputs an operator reviews for each resource type; other types show their first few plain inputs. */
const KEY_INPUTS: Record<string, string[]> = {
    "eks:index:Cluster": ["name", "version", "authenticationMode", "endpointPrivateAccess", "endpointPublicAccess", "publicAccessCidrs", "enabledClusterLogTypes", "encryptionConfigKeyArn", "deletionProtection", "accessEntries"],
    "aws:eks/nodeGroup:NodeGroup": ["nodeGroupName", "version", "instanceTypes", "capacityType", "amiType", "diskSize", "scalingConfig", "updateConfig", "labels", "taints"],
    "aws:eks/addon:Addon": ["addonName", "addonVersion"],
    "aws:eks/accessEntry:AccessEntry": ["principalArn", "type"],
    "aws:eks/accessPolicyAssociation:AccessPolicyAssociation": ["principalArn", "policyArn", "accessScope"],
    "aws:eks/podIdentityAssociation:PodIdentityAssociation": ["namespace", "serviceAccount", "roleArn"],
    "aws:ec2/vpc:Vpc": ["cidrBlock"],
    "aws:ec2/subnet:Subnet": ["cidrBlock", "availabilityZone", "tags"],
    "aws:ec2/tag:Tag": ["resourceId", "key", "value"],
    "aws:kms/key:Key": ["description", "enableKeyRotation", "deletionWindowInDays"],
    "kubernetes:helm.sh/v3:Release": ["chart", "version", "namespace", "repositoryOpts", "skipCrds"],
    "aws:lb/listenerRule:ListenerRule": ["priority", "actions", "conditions"],
    "aws:lb/targetGroup:TargetGroup": ["name", "port", "protocol", "targetType", "healthCheck"],
    "aws:lb/listener:Listener": ["port", "protocol", "sslPolicy", "defaultActions"],
    "aws:route53/record:Record": ["name", "type", "setIdentifier", "weightedRoutingPolicies", "aliases"],
};

const SKIPPED_BY_DEFAULT = new Set(["tags", "tagsAll", "description", "policy", "assumeRolePolicy", "__defaults"]);

function keyInputs(resource: PlannedResource): Record<string, unknown> {
    const keys = KEY_INPUTS[resource.type] ?? Object.keys(resource.inputs).filter((k) => !SKIPPED_BY_DEFAULT.has(k)).slice(0, 6);
    const out: Record<string, unknown> = {};
    for (const key of keys) {
        if (resource.inputs[key] !== undefined) out[key] = resource.inputs[key];
    }
    return out;
}

/** An input absent on one side of a diff (added or removed by the change). */
export const ABSENT = "(absent)";

function compact(value: unknown): string {
    const text = value === undefined ? ABSENT : typeof value === "string" ? value : JSON.stringify(value);
    return text.length > 160 ? `${text.slice(0, 157)}...` : text;
}

function flags(resource: PlannedResource): string {
    const out: string[] = [];
    if (resource.protect) out.push("protected");
    if (resource.retainOnDelete) out.push("retained on delete");
    return out.length ? `  [${out.join(", ")}]` : "";
}

export function formatPlanHuman(plan: Plan): string {
    const children = new Map<string | undefined, PlannedResource[]>();
    const known = new Set(plan.resources.map((r) => r.urn));
    for (const resource of plan.resources) {
        const parent = resource.parent && known.has(resource.parent) ? resource.parent : undefined;
        const list = children.get(parent) ?? [];
        list.push(resource);
        children.set(parent, list);
    }
    const lines: string[] = [
        `Offline plan of stack "${plan.stack}" (${plan.resources.length} resources; a value from another resource shown as <resource.property>, values known only after deployment as <computed>)`,
        "",
    ];
    const walk = (parent: string | undefined, indent: string) => {
        for (const resource of children.get(parent) ?? []) {
            lines.push(`${indent}${resource.type}  ${resource.name}${flags(resource)}`);
            for (const [key, value] of Object.entries(keyInputs(resource))) lines.push(`${indent}    ${key}: ${compact(value)}`);
            walk(resource.urn, `${indent}  `);
        }
    };
    walk(undefined, "");
    if (Object.keys(plan.outputs).length) {
        lines.push("", "Outputs:");
        for (const [key, value] of Object.entries(plan.outputs)) lines.push(`  ${key}: ${compact(value)}`);
    }
    return lines.join("\n") + "\n";
}

const SYMBOL = { create: "+", delete: "-", update: "~", replace: "+-", same: " " } as const;

export function formatDiffHuman(diff: PlanDiff): string {
    const lines: string[] = [];
    for (const step of diff.steps) {
        if (step.op === "same" && !step.protectChange) continue;
        const label = step.op === "same" ? "protect" : step.op;
        lines.push(`${SYMBOL[step.op].padEnd(2)} ${label.padEnd(7)} ${step.type}  ${step.name}`);
        for (const change of step.changes) lines.push(`        ${change.path}: ${compact(change.before)} => ${compact(change.after)}`);
        if (step.replaceReasons.length) lines.push(`        replaced because of: ${step.replaceReasons.join(", ")}`);
        if (step.protectChange) lines.push(`        protect: ${step.protectChange.before} => ${step.protectChange.after}`);
    }
    if (lines.length === 0) lines.push("No changes.");
    lines.push("", summaryLine(diff));
    return lines.join("\n") + "\n";
}

export function planToJson(plan: Plan): unknown {
    return { stack: plan.stack, resources: plan.resources, outputs: plan.outputs, references: plan.references ?? {} };
}

export function diffToJson(diff: PlanDiff): unknown {
    return { steps: diff.steps.filter((s) => s.op !== "same" || s.protectChange), summary: diff.summary, summaryLine: summaryLine(diff) };
}
