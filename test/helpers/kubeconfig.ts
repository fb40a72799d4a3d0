/** A kubeconfig for a local test server that speaks the Kubernetes API over plain HTTP. */
export function testKubeconfig(server: string, context = "test"): Record<string, unknown> {
    return {
        apiVersion: "v1",
        kind: "Config",
        "current-context": context,
        clusters: [{ name: context, cluster: { server, "insecure-skip-tls-verify": true } }],
        users: [{ name: context, user: { token: "t" } }],
        contexts: [{ name: context, context: { cluster: context, user: context } }],
    };
}
