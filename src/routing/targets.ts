/** Where the load balancer sends an app's traffic inside a cluster, and what the network must allow. Pure. */
import type { RoutedApp } from "../config/schema";

/** The pods' port behind the app's Service: `service.targetPort`, else the Service port. */
export function targetPortOf(app: Pick<RoutedApp, "service">): number | string {
    return app.service.targetPort ?? app.service.port;
}

/** The port a target group is created with; IP targets are registered on the pods' own port by the controller. */
export function targetGroupPortOf(app: Pick<RoutedApp, "service">): number {
    const target = targetPortOf(app);
    return typeof target === "number" ? target : app.service.port;
}

export interface EgressPorts {
    /** Distinct numeric target ports, ascending. */
    ports: number[];
    /** True when some app names its target port: its number is only known inside the cluster, so every TCP port is allowed. */
    allPorts: boolean;
}

/** The TCP ports the load balancer's security group must reach the cluster on (traffic and health checks). */
export function egressPorts(apps: Pick<RoutedApp, "service">[]): EgressPorts {
    const targets = apps.map(targetPortOf);
    if (targets.some((t) => typeof t === "string")) return { ports: [], allPorts: true };
    return { ports: [...new Set(targets as number[])].sort((a, b) => a - b), allPorts: false };
}

/** A URL a tester opens on the verification listener: the first exact hostname and the literal start of the first path. */
export function verificationUrlOf(app: Pick<RoutedApp, "hostnames" | "paths">, port: number): string | undefined {
    const host = app.hostnames.find((h) => !h.startsWith("*"));
    if (host === undefined) return undefined;
    const path = app.paths[0];
    let suffix = "/";
    if (path !== undefined) {
        const wildcard = path.search(/[*?]/);
        const literal = wildcard === -1 ? path : path.slice(0, wildcard);
        suffix = wildcard === -1 ? literal : literal.slice(0, literal.lastIndexOf("/") + 1);
    }
    return `https://${host}:${port}${suffix}`;
}

/** Resource-name form of a hostname (a wildcard label spelled out). */
export function hostnameForName(hostname: string): string {
    return hostname.replace(/^\*\./, "wildcard.");
}
