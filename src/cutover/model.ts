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
    /** dns mode: the zone of the weighted records (bluegreen:routing.hostedZoneId). */
    hostedZoneId?: string;
}

export interface UpdateSummary {
    updated: number;
    created: number;
    deleted: number;
    replaced: number;
    /** The Pulumi update version (stack history), when known. */
    version?: number;
}

/** Operations a targeted preview would run, by kind (Pulumi's changeSummary: same, update, create, …). */
export type PreviewSummary = Record<string, number>;

/** What one config call writes: both weights and the color that carried traffic before (null clears it). */
export interface RoutingChange {
    weights: Weights;
    previousColor: Color | null;
}

/** The Pulumi stack, as the cutover uses it. */
export interface StackOperations {
    read(): Promise<StackView>;
    /** Writes weights and previousColor in one config call. */
    setRouting(change: RoutingChange): Promise<void>;
    /** A targeted preview of the routing resources, in weights-only mode. */
    previewRouting(urns: string[]): Promise<PreviewSummary>;
    /** A targeted `pulumi up` of the routing resources, in weights-only mode. */
    updateRouting(urns: string[], onOutput?: (line: string) => void): Promise<UpdateSummary>;
}

/** The weights the load balancer (alb: listener rules; dns: weighted records) really applies, per app. */
export interface LiveRouting {
    read(view: StackView): Promise<Record<string, Weights>>;
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
