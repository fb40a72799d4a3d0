/**
 * The load balancer itself, through the ELBv2 API: the weights each app's listener rule really
 * applies (DescribeRules, read back after every update), the rule ARNs the record keeps, and
 * `rollback --direct`, which moves every weighted rule with ModifyRule when Pulumi, its backend or
 * its lock is unavailable: in parallel with bounded concurrency, retrying throttling with backoff.
 */
import {
    DescribeListenersCommand,
    DescribeRulesCommand,
    DescribeTargetGroupsCommand,
    ElasticLoadBalancingV2Client,
    ModifyRuleCommand,
    Rule,
} from "@aws-sdk/client-elastic-load-balancing-v2";
import { Color, COLORS, Weights } from "../config/colors";
import type { LiveRouting, StackView } from "./model";
import type { RecordedRule } from "./record";
import type { DirectRouting } from "./run";

const THROTTLING = /Throttl|RequestLimitExceeded|TooManyRequests|Rate exceeded/i;

export interface RetryOptions {
    attempts: number;
    baseMs: number;
    sleep: (ms: number) => Promise<void>;
}

const defaultRetry: RetryOptions = { attempts: 6, baseMs: 200, sleep: (ms) => new Promise((r) => setTimeout(r, ms)) };

/** Runs `call`, retrying throttling errors with doubling backoff. */
export async function withThrottlingRetry<T>(call: () => Promise<T>, retry: RetryOptions): Promise<T> {
    for (let attempt = 1; ; attempt++) {
        try {
            return await call();
        } catch (err) {
            const name = `${(err as Error).name} ${(err as Error).message}`;
            if (attempt >= retry.attempts || !THROTTLING.test(name)) throw err;
            await retry.sleep(retry.baseMs * 2 ** (attempt - 1));
        }
    }
}

/** Runs `work` over `items`, at most `limit` at a time. */
export async function boundedParallel<T, R>(items: T[], limit: number, work: (item: T) => Promise<R>): Promise<R[]> {
    const results: R[] = new Array(items.length);
    let next = 0;
    const lanes = Array.from({ length: Math.min(limit, items.length) }, async () => {
        while (next < items.length) {
            const i = next++;
            results[i] = await work(items[i]);
        }
    });
    await Promise.all(lanes);
    return results;
}

/** The weighted rule of each app: a forward to both colors' target groups. */
export async function findWeightedRules(client: ElasticLoadBalancingV2Client, view: StackView, retry = defaultRetry): Promise<RecordedRule[]> {
    const apps = Object.entries(view.apps);
    const anyArn = apps.flatMap(([, a]) => Object.values(a.targetGroupArns)).find(Boolean);
    if (!anyArn) return [];
    const groups = await withThrottlingRetry(() => client.send(new DescribeTargetGroupsCommand({ TargetGroupArns: [anyArn] })), retry);
    const loadBalancerArn = groups.TargetGroups?.[0]?.LoadBalancerArns?.[0];
    if (!loadBalancerArn) return [];
    const listeners = await withThrottlingRetry(() => client.send(new DescribeListenersCommand({ LoadBalancerArn: loadBalancerArn })), retry);
    const rules: Rule[] = [];
    for (const listener of listeners.Listeners ?? []) {
        let marker: string | undefined;
        do {
            const page = await withThrottlingRetry(() => client.send(new DescribeRulesCommand({ ListenerArn: listener.ListenerArn, Marker: marker })), retry);
            rules.push(...(page.Rules ?? []));
            marker = page.NextMarker;
        } while (marker);
    }
    const found: RecordedRule[] = [];
    for (const [app, view_] of apps) {
        const arns = view_.targetGroupArns;
        for (const rule of rules) {
            const forwarded = new Set((rule.Actions ?? []).flatMap((a) => a.ForwardConfig?.TargetGroups ?? []).map((t) => t.TargetGroupArn));
            if (!COLORS.every((c) => !arns[c] || forwarded.has(arns[c]))) continue;
            const sticky = (rule.Actions ?? []).find((a) => a.ForwardConfig)?.ForwardConfig?.TargetGroupStickinessConfig;
            found.push({ app, ruleArn: rule.RuleArn!, targetGroupArns: { ...arns }, ...(sticky?.Enabled ? { stickiness: { enabled: true, durationSeconds: sticky.DurationSeconds } } : {}) });
        }
    }
    return found;
}

function weightsOfRule(rule: Rule, arns: Partial<Record<Color, string>>): Weights {
    const targets = (rule.Actions ?? []).flatMap((a) => a.ForwardConfig?.TargetGroups ?? []);
    return Object.fromEntries(COLORS.map((c) => [c, targets.find((t) => t.TargetGroupArn === arns[c])?.Weight ?? 0])) as Weights;
}

/** Live weights per app from DescribeRules (by rule ARN, 20 per call). */
export async function readRuleWeights(client: ElasticLoadBalancingV2Client, rules: RecordedRule[], retry = defaultRetry): Promise<Record<string, Weights>> {
    const out: Record<string, Weights> = {};
    for (let i = 0; i < rules.length; i += 20) {
        const chunk = rules.slice(i, i + 20);
        const page = await withThrottlingRetry(() => client.send(new DescribeRulesCommand({ RuleArns: chunk.map((r) => r.ruleArn) })), retry);
        for (const recorded of chunk) {
            const rule = page.Rules?.find((r) => r.RuleArn === recorded.ruleArn);
            if (rule) out[recorded.app] = weightsOfRule(rule, recorded.targetGroupArns);
        }
    }
    return out;
}

/** alb mode: the rules' weights; dns mode: `dns` (Route 53 weighted records). */
export function elbLiveRouting(client: ElasticLoadBalancingV2Client, retry = defaultRetry, dns?: LiveRouting): LiveRouting & { rules(view: StackView): Promise<RecordedRule[]> } {
    let cached: RecordedRule[] | undefined;
    const rules = async (view: StackView) => (view.mode === "dns" ? [] : (cached ??= await findWeightedRules(client, view, retry)));
    return {
        rules,
        async read(view) {
            if (view.mode === "dns") {
                if (!dns) throw new Error("dns mode: no Route 53 reader configured");
                return dns.read(view);
            }
            return readRuleWeights(client, await rules(view), retry);
        },
    };
}

/** ModifyRule on every recorded rule, `concurrency` at a time, throttling retried. */
export function elbDirectRouting(client: ElasticLoadBalancingV2Client, concurrency = 5, retry = defaultRetry): DirectRouting {
    return {
        async apply(rules, weights) {
            let calls = 0;
            await boundedParallel(rules, concurrency, (rule) => withThrottlingRetry(() => {
                calls++;
                return client.send(new ModifyRuleCommand({
                    RuleArn: rule.ruleArn,
                    Actions: [{
                        Type: "forward",
                        ForwardConfig: {
                            TargetGroups: COLORS.filter((c) => rule.targetGroupArns[c]).map((c) => ({ TargetGroupArn: rule.targetGroupArns[c], Weight: weights[c] })),
                            ...(rule.stickiness ? { TargetGroupStickinessConfig: { Enabled: true, DurationSeconds: rule.stickiness.durationSeconds } } : {}),
                        },
                    }],
                }));
            }, retry));
            return { calls };
        },
    };
}
