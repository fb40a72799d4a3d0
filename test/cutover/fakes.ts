import { Color } from "../../src/config";
import { Weights } from "../../src/config";
import { Clock, Gate, GateResult, StackOperations, StackView, UpdateSummary } from "../../src/cutover/model";

/** A stack that records config sets and targeted updates. */
export class FakeStack implements StackOperations {
    readonly events: string[] = [];
    constructor(public view: StackView) {}

    async read(): Promise<StackView> {
        return structuredClone(this.view);
    }

    async setWeights(weights: Weights, previousColor?: Color): Promise<void> {
        this.view.weights = { ...weights };
        if (previousColor) this.view.previousColor = previousColor;
        this.events.push(`set blue=${weights.blue} green=${weights.green}${previousColor ? ` previous=${previousColor}` : ""}`);
    }

    async updateRouting(urns: string[]): Promise<UpdateSummary> {
        this.events.push(`up --target ${urns.length} → blue=${this.view.weights.blue} green=${this.view.weights.green}`);
        return { updated: urns.length, created: 0, deleted: 0, replaced: 0 };
    }
}

export function stackView(overrides: Partial<StackView> = {}): StackView {
    return {
        weights: { blue: 100, green: 0 },
        clusters: { blue: { name: "prod-blue", version: "1.33" }, green: { name: "prod-green", version: "1.34", kubeconfig: "{}" } },
        apps: {
            shop: {
                hostnames: ["shop.example.com"],
                targetGroupArns: {
                    blue: "arn:aws:elasticloadbalancing:eu-west-1:123456789012:targetgroup/prod-shop-blue/0123456789abcdef",
                    green: "arn:aws:elasticloadbalancing:eu-west-1:123456789012:targetgroup/prod-shop-green/fedcba9876543210",
                },
                loadBalancerArnSuffix: "app/prod-edge/1111111111111111",
            },
        },
        mode: "alb",
        weightedResourceUrns: ["urn:pulumi:prod::bluegreen::aws:lb/listenerRule:ListenerRule::prod-shop"],
        ...overrides,
    };
}

/** Time passes only when someone sleeps; aborting wakes sleepers at once. */
export class FakeClock implements Clock {
    time = 0;
    sleeps: number[] = [];
    onSleep?: (time: number) => void;
    now(): number {
        return this.time;
    }
    async sleep(ms: number, signal?: AbortSignal): Promise<void> {
        if (signal?.aborted) return;
        this.sleeps.push(ms);
        this.time += ms;
        this.onSleep?.(this.time);
    }
}

/** A gate whose answer is decided per call by the current weights of the stack. */
export function scriptedGate(name: string, decide: (call: number) => GateResult | boolean): Gate & { calls: number } {
    const gate = {
        name,
        calls: 0,
        async check(): Promise<GateResult> {
            const answer = decide(gate.calls++);
            return typeof answer === "boolean" ? { gate: name, ok: answer, details: [answer ? "fine" : "failing"] } : answer;
        },
    };
    return gate;
}
