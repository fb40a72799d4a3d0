/**
 * What the gates read, as narrow interfaces: the real implementations call CloudWatch, ELBv2 and
 * the Kubernetes API (clients created once per run, region and credentials from the stack); the
 * rehearsal implements the same interfaces from its simulated world. Gates never see an SDK client.
 * (WorkloadSource was added by the gates work: the workload gate reads only through it.)
 */
import type { Color } from "../config/colors";
import type { DaemonSetLike, DeploymentLike, StatefulSetLike } from "../workloads/rollout-status";

/** One complete minute of one app's traffic on one color (ALB metrics, 60 s sums; p99 is a percentile). */
export interface TrafficMinute {
    /** Start of the minute. */
    minute: Date;
    requests: number;
    /** HTTPCode_Target_5XX_Count. */
    target5xx: number;
    /** TargetConnectionErrorCount. */
    connectionErrors: number;
    /** TargetResponseTime p99 in milliseconds; undefined when no request was served. */
    p99Ms?: number;
}

/** One complete minute of the load balancer itself (HTTPCode_ELB_5XX_Count is per load balancer). */
export interface LoadBalancerMinute {
    minute: Date;
    requests: number;
    elb5xx: number;
}

export interface TrafficSource {
    /** Complete minutes in [start, end): a minute still being published is not returned. */
    appMinutes(app: string, color: Color, start: Date, end: Date): Promise<TrafficMinute[]>;
    loadBalancerMinutes(start: Date, end: Date): Promise<LoadBalancerMinute[]>;
}

/** ELBv2 target states (DescribeTargetHealth); only "healthy" is healthy. */
export type TargetState = "initial" | "healthy" | "unhealthy" | "unhealthy.draining" | "unused" | "draining" | "unavailable";

export interface RegisteredTarget {
    id: string;
    port?: number;
    state: TargetState;
}

export interface TargetHealthSource {
    targets(app: string, color: Color): Promise<RegisteredTarget[]>;
}

/** The ready endpoint addresses of a routed app's Service on one color (EndpointSlices). */
export interface EndpointSource {
    readyAddresses(app: string, color: Color): Promise<string[]>;
}

/** A Deployment, StatefulSet or DaemonSet as the API returns it, judged by src/workloads/rollout-status.ts. */
export type Workload =
    | { kind: "Deployment"; object: DeploymentLike }
    | { kind: "StatefulSet"; object: StatefulSetLike }
    | { kind: "DaemonSet"; object: DaemonSetLike };

/** An ArgoCD Application's state: where it deploys, sync and health status. */
export interface ArgoApplicationState {
    namespace: string;
    name: string;
    /** spec.destination.namespace */
    destinationNamespace?: string;
    sync?: string;
    health?: string;
}

/** The workloads of one color's cluster (the Kubernetes API, or the rehearsal's world). */
export interface WorkloadSource {
    /** Every Deployment, StatefulSet and DaemonSet of the cluster; with a label selector, those matching it. */
    workloads(color: Color, labelSelector?: string): Promise<Workload[]>;
    /** ArgoCD Applications of the cluster; undefined when ArgoCD is not installed. */
    applications(color: Color): Promise<ArgoApplicationState[] | undefined>;
}
