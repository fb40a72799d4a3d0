/** The vocabulary of a cutover: weights per color, what a stack exposes, and what a gate answers. */
import { Color, Weights } from "../config/colors";

/** What the operator commands read from the stack outputs (see components/environment.ts). */
export interface RoutedAppView {
    hostnames: string[];
    targetGroupArns: Partial<Record<Color, string>>;
    loadBalancerArnSuffix?: string;
    targetGroupArnSuffixes?: Partial<Record<Color, string>>;
    verificationUrl?: string;
}

export interface ClusterView {
    name?: string;
    version?: string;
    nodeGroups?: string[];
    kubeconfig?: string;
    addons?: Record<string, { version?: string }>;
}

export interface StackView {
    weights: Weights;
    previousColor?: Color;
    clusters: Partial<Record<Color, ClusterView>>;
    apps: Record<string, RoutedAppView>;
    mode: "alb" | "dns";
    weightedResourceUrns: string[];
}

export interface UpdateSummary {
    updated: number;
    created: number;
    deleted: number;
    replaced: number;
}

/** The Pulumi stack, as the cutover uses it. */
export interface StackOperations {
    read(): Promise<StackView>;
    /** Writes both weights (and the color that carried traffic before the cutover) to the stack config. */
    setWeights(weights: Weights, previousColor?: Color): Promise<void>;
    /** A targeted `pulumi up` of the routing resources. */
    updateRouting(urns: string[], onOutput?: (line: string) => void): Promise<UpdateSummary>;
}

export interface GateResult {
    gate: string;
    ok: boolean;
    /** One line per figure: what was measured against what was required. */
    details: string[];
}

export interface GateContext {
    candidate: Color;
    stack: StackView;
    /** Start of the current bake window (for metrics). */
    since: Date;
}

export interface Gate {
    name: string;
    check(context: GateContext): Promise<GateResult>;
}

export interface Clock {
    now(): number;
    /** Resolves after `ms`, or early when `signal` aborts. */
    sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

export const systemClock: Clock = {
    now: () => Date.now(),
    sleep: (ms, signal) =>
        new Promise((resolve) => {
            if (signal?.aborted) return resolve();
            const timer = setTimeout(resolve, ms);
            signal?.addEventListener("abort", () => {
                clearTimeout(timer);
                resolve();
            }, { once: true });
        }),
};
