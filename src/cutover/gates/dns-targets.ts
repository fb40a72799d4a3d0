/**
 * dns mode: each color's load balancer lives outside the stack (each cluster's
 * aws-load-balancer-controller makes it from the apps' Ingresses), so the gates find it from what
 * Route 53 answers with: the weighted record of each routed hostname and color → its alias target
 * (or CNAME value) → the Application Load Balancer with that DNS name in the stack's region and
 * account → the target groups its listener rules forward that hostname to. With that, the alb-mode
 * target-health and traffic sources (DescribeTargetHealth; CloudWatch LoadBalancer/TargetGroup)
 * serve dns mode too. Resolved once, before the run: what cannot be resolved is a `DnsTargetError`
 * naming the record and what to do, before any weight moves, never a gate that silently passes.
 */
import { ElasticLoadBalancingV2Client, LoadBalancer, paginateDescribeListeners, paginateDescribeLoadBalancers, paginateDescribeRules, Rule } from "@aws-sdk/client-elastic-load-balancing-v2";
import { ListResourceRecordSetsCommand, ListResourceRecordSetsCommandOutput, ResourceRecordSet, Route53Client } from "@aws-sdk/client-route-53";
import { Color, COLORS } from "../../config/colors";
import { UserInputError } from "../../errors";

/** A color's load balancer for one routed app, as its weighted records resolve. */
export interface ColorLoadBalancer {
    /** The weighted records that point at it, `<hostname> (<color>)`. */
    records: string[];
    arn: string;
    /** `app/<name>/<id>`: the CloudWatch LoadBalancer dimension. */
    dimension: string;
    dnsName: string;
    /** The target groups its listener rules forward the app's hostnames to (sorted, no duplicates). */
    targetGroupArns: string[];
    /** Every record pointing at it is an alias with EvaluateTargetHealth: Route 53 skips it while the load balancer is unhealthy. */
    evaluatesTargetHealth: boolean;
}

/** Per routed app and color. A color without a weighted record (and not required) is absent. */
export type DnsTargets = Record<string, Partial<Record<Color, ColorLoadBalancer>>>;

export interface DnsTargetDeps {
    route53: Route53Client;
    elbv2: ElasticLoadBalancingV2Client;
    /** The stack's region: the load balancer must be there (the gates read ELBv2 and CloudWatch in it). */
    region: string;
    /** bluegreen:routing.hostedZoneId. */
    hostedZoneId?: string;
    /** The routed apps' hostnames. */
    apps: Record<string, string[]>;
    /** Colors that must resolve: the candidate and every color carrying traffic. Others are resolved when they have records. */
    required: Color[];
}

/** The weighted records cannot be followed to an Application Load Balancer: said before any weight moves. */
export class DnsTargetError extends UserInputError {}

/** A record name as Route 53 returns it (`\052` for `*`, trailing dot), in the form the config spells it. */
export function recordName(name: string): string {
    return name
        .replace(/\\(\d{3})/g, (_, octal: string) => String.fromCharCode(parseInt(octal, 8)))
        .replace(/\.$/, "")
        .toLowerCase();
}

/** An ELB DNS name as DescribeLoadBalancers returns it: lower case, no trailing dot, no `dualstack.` prefix. */
export function loadBalancerDnsName(name: string): string {
    return name.toLowerCase().replace(/\.$/, "").replace(/^dualstack\./, "");
}

/** The region of an Elastic Load Balancing DNS name (`<name>-<id>.<region>.elb.amazonaws.com`), else undefined. */
export function elbRegionOf(dnsName: string): string | undefined {
    return /\.([a-z]{2}(?:-[a-z]+)+-\d+)\.elb\.amazonaws\.com(?:\.cn)?$/.exec(dnsName)?.[1];
}

/** An ALB host-header value (`*` any characters, `?` one, case-insensitive) against a hostname. */
export function hostHeaderMatches(pattern: string, hostname: string): boolean {
    const regex = pattern
        .toLowerCase()
        .replace(/[.+^${}()|[\]\\]/g, "\\$&")
        .replace(/\*/g, ".*")
        .replace(/\?/g, ".");
    return new RegExp(`^${regex}$`).test(hostname.toLowerCase());
}

/** The target groups a rule forwards to (weight 0 in a weighted forward gets no traffic: left out). */
export function forwardedTargetGroups(rule: Rule): string[] {
    return (rule.Actions ?? []).flatMap((action) => {
        if (action.Type !== "forward") return [];
        const groups = action.ForwardConfig?.TargetGroups;
        if (groups?.length) return groups.filter((g) => g.Weight === undefined || g.Weight > 0).map((g) => g.TargetGroupArn!).filter(Boolean);
        return action.TargetGroupArn ? [action.TargetGroupArn] : [];
    });
}

/** The host-header values of a rule (none: the rule does not name a host). */
export function ruleHosts(rule: Rule): string[] {
    return (rule.Conditions ?? []).filter((c) => c.Field === "host-header").flatMap((c) => c.HostHeaderConfig?.Values ?? c.Values ?? []);
}

/** `app/<name>/<id>` from a load balancer ARN. */
export function loadBalancerDimension(arn: string): string | undefined {
    return /:loadbalancer\/(app\/[^/]+\/[0-9a-f]+)$/.exec(arn)?.[1];
}

const errorText = (err: unknown) => (err instanceof Error ? err.message : String(err)).split("\n")[0];

/** Every weighted record of one name in the zone (all pages; Route 53 lists in name order from StartRecordName). */
async function weightedRecords(route53: Route53Client, zone: string, hostname: string): Promise<ResourceRecordSet[]> {
    const name = recordName(hostname);
    const out: ResourceRecordSet[] = [];
    let start: { StartRecordName?: string; StartRecordType?: ListResourceRecordSetsCommandOutput["NextRecordType"]; StartRecordIdentifier?: string } = { StartRecordName: hostname };
    for (;;) {
        const page = await route53.send(new ListResourceRecordSetsCommand({ HostedZoneId: zone, ...start }));
        for (const record of page.ResourceRecordSets ?? []) {
            if (recordName(record.Name ?? "") !== name) return out;
            if (record.SetIdentifier !== undefined && record.Weight !== undefined) out.push(record);
        }
        if (!page.IsTruncated) return out;
        start = { StartRecordName: page.NextRecordName, StartRecordType: page.NextRecordType, StartRecordIdentifier: page.NextRecordIdentifier };
    }
}

/** Reads each load balancer and its rules once, however many records point at it. */
class LoadBalancerDirectory {
    private all?: Promise<Map<string, LoadBalancer>>;
    private readonly rules = new Map<string, Promise<Rule[]>>();
    constructor(private readonly elbv2: ElasticLoadBalancingV2Client) {}

    byDnsName(dnsName: string): Promise<LoadBalancer | undefined> {
        this.all ??= (async () => {
            const map = new Map<string, LoadBalancer>();
            for await (const page of paginateDescribeLoadBalancers({ client: this.elbv2 }, {})) {
                for (const lb of page.LoadBalancers ?? []) if (lb.DNSName) map.set(loadBalancerDnsName(lb.DNSName), lb);
            }
            return map;
        })();
        return this.all.then((map) => map.get(dnsName));
    }

    rulesOf(arn: string): Promise<Rule[]> {
        let rules = this.rules.get(arn);
        if (!rules) {
            rules = (async () => {
                const out: Rule[] = [];
                for await (const page of paginateDescribeListeners({ client: this.elbv2 }, { LoadBalancerArn: arn })) {
                    for (const listener of page.Listeners ?? []) {
                        for await (const rulePage of paginateDescribeRules({ client: this.elbv2 }, { ListenerArn: listener.ListenerArn })) out.push(...(rulePage.Rules ?? []));
                    }
                }
                return out;
            })();
            this.rules.set(arn, rules);
        }
        return rules;
    }
}

const recordLabel = (hostname: string, color: Color) => `the weighted record ${hostname} (SetIdentifier ${color})`;

/** One weighted record → its Application Load Balancer and the target groups it forwards the hostname to. */
async function resolveRecord(record: ResourceRecordSet, hostname: string, color: Color, deps: DnsTargetDeps, lbs: LoadBalancerDirectory): Promise<Resolved> {
    const label = recordLabel(hostname, color);
    const fix = `point it at ${color}'s Application Load Balancer (bluegreen:routing.dns.loadBalancers.${color}.dnsName, the address of its Ingress) and run \`pulumi up\``;
    const target = record.AliasTarget?.DNSName ?? (record.Type === "CNAME" ? record.ResourceRecords?.[0]?.Value : undefined);
    if (!target) throw new DnsTargetError(`${label} is a ${record.Type} record with neither an alias target nor a CNAME value: the gates cannot find ${color}'s load balancer; ${fix}`);
    const dnsName = loadBalancerDnsName(target);
    const region = elbRegionOf(dnsName);
    if (!region) throw new DnsTargetError(`${label} points at ${dnsName}, which is not an Elastic Load Balancing name: dns-mode gates read an Application Load Balancer's target health and metrics; ${fix}`);
    if (region !== deps.region) {
        throw new DnsTargetError(`${label} points at ${dnsName}, a load balancer in ${region}, but the stack's region is ${deps.region}: the gates read target health and metrics in the stack's region only; run the cluster's load balancer in ${deps.region}, or ${fix}`);
    }
    const lb = await lbs.byDnsName(dnsName);
    if (!lb) {
        throw new DnsTargetError(
            `${label} points at ${dnsName}, but no load balancer with that DNS name exists in ${deps.region} for the credentials in use: it was deleted (the Ingress was removed or renamed), or it belongs to another account (run with credentials of that account: aws:profile / aws:assumeRoles); ${fix}`,
        );
    }
    if (lb.Type !== "application") throw new DnsTargetError(`${label} points at ${lb.LoadBalancerName} (${dnsName}), a ${lb.Type} load balancer: dns-mode gates need an Application Load Balancer (host rules, target groups per app); ${fix}`);
    const rules = (await lbs.rulesOf(lb.LoadBalancerArn!)).filter((rule) => ruleHosts(rule).some((pattern) => hostHeaderMatches(pattern, hostname)));
    const targetGroupArns = [...new Set(rules.flatMap(forwardedTargetGroups))];
    if (targetGroupArns.length === 0) {
        throw new DnsTargetError(
            `${label} points at ${lb.LoadBalancerName}, but none of its listener rules forwards host ${hostname} to a target group: is the app's Ingress on ${color} attached to this load balancer, with ${hostname} in spec.rules[].host? Fix the Ingress (or the record) before ${color} gets weight`,
        );
    }
    return { lb, targetGroupArns, evaluatesTargetHealth: record.AliasTarget?.EvaluateTargetHealth === true };
}

interface Resolved {
    lb: LoadBalancer;
    targetGroupArns: string[];
    evaluatesTargetHealth: boolean;
}

/**
 * Every routed app's load balancer and target groups per color, from the weighted records. Throws a
 * `DnsTargetError` for a required color that cannot be followed to an ALB, and an Error naming the
 * record for an API failure (nothing has been changed when either is thrown).
 */
export async function resolveDnsTargets(deps: DnsTargetDeps): Promise<DnsTargets> {
    const zone = deps.hostedZoneId;
    if (!zone) throw new DnsTargetError("routing.mode is dns but the stack names no hosted zone (bluegreen:routing.hostedZoneId): the weighted records, and so each color's load balancer, cannot be found; set it and run `pulumi up`");
    const lbs = new LoadBalancerDirectory(deps.elbv2);
    const out: DnsTargets = {};
    for (const [app, hostnames] of Object.entries(deps.apps)) {
        out[app] = {};
        if (hostnames.length === 0) throw new DnsTargetError(`routed app ${app} has no hostnames in the stack outputs (routing.apps.${app}.hostnames): its weighted records, and so its load balancers, cannot be found; run \`pulumi up\``);
        for (const hostname of hostnames) {
            let records: ResourceRecordSet[];
            try {
                records = await weightedRecords(deps.route53, zone, hostname);
            } catch (err) {
                throw new Error(`could not read the weighted records of ${hostname} in hosted zone ${zone} (route53:ListResourceRecordSets): ${errorText(err)}; no weight was changed`);
            }
            for (const color of COLORS) {
                const mine = records.filter((r) => r.SetIdentifier === color);
                const required = deps.required.includes(color);
                if (mine.length === 0) {
                    if (!required) continue;
                    throw new DnsTargetError(
                        `${recordLabel(hostname, color)} does not exist in hosted zone ${zone}: ${color} must have its record (at weight 0) before it gets traffic, so its load balancer's health can be checked first; set bluegreen:routing.dns.loadBalancers.${color} and run \`pulumi up\``,
                    );
                }
                for (const record of mine) {
                    let resolved: Resolved;
                    try {
                        resolved = await resolveRecord(record, hostname, color, deps, lbs);
                    } catch (err) {
                        if (err instanceof DnsTargetError) throw err;
                        throw new Error(`could not follow ${recordLabel(hostname, color)} to its load balancer (elasticloadbalancing:DescribeLoadBalancers/DescribeListeners/DescribeRules): ${errorText(err)}; no weight was changed`);
                    }
                    merge(out[app], app, color, `${hostname} (${color})`, resolved);
                }
            }
        }
    }
    return out;
}

function merge(app: Partial<Record<Color, ColorLoadBalancer>>, name: string, color: Color, record: string, resolved: Resolved): void {
    const arn = resolved.lb.LoadBalancerArn!;
    const existing = app[color];
    if (existing && existing.arn !== arn) {
        throw new DnsTargetError(
            `${name}'s hostnames point at different load balancers on ${color} (${existing.records.join(", ")} → ${existing.dnsName}; ${record} → ${resolved.lb.DNSName}): the gates judge one load balancer per app and color; point every record of ${color} at the same load balancer`,
        );
    }
    const dimension = loadBalancerDimension(arn);
    if (!dimension) throw new DnsTargetError(`${record}: ${arn} is not an Application Load Balancer ARN`);
    app[color] = {
        records: [...(existing?.records ?? []), record],
        arn,
        dimension,
        dnsName: loadBalancerDnsName(resolved.lb.DNSName!),
        targetGroupArns: [...new Set([...(existing?.targetGroupArns ?? []), ...resolved.targetGroupArns])].sort(),
        evaluatesTargetHealth: (existing?.evaluatesTargetHealth ?? true) && resolved.evaluatesTargetHealth,
    };
}

/** One line per app and color for the start of a run: which load balancer and target groups are judged. */
export function describeDnsTargets(targets: DnsTargets): string[] {
    return Object.entries(targets).flatMap(([app, colors]) =>
        COLORS.filter((c) => colors[c]).map((c) => {
            const t = colors[c]!;
            return `dns mode: ${app} on ${c}: load balancer ${t.dimension} (from ${t.records.join(", ")}), target group(s) ${t.targetGroupArns.map((a) => a.split(":").pop()).join(", ")}`;
        }),
    );
}
