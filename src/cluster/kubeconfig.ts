/**
 * The kubeconfig of a color's cluster, for the Kubernetes provider and the stack outputs. pulumi-eks
 * 4.3.0's `kubeconfigJson` leaves the AWS profile out (its `genKubeconfig(false)`), so with
 * `aws:profile` set and no AWS_PROFILE in the environment, `aws eks get-token` would sign with the
 * default credentials: here the stack's profile (and an optional role) go into the token command,
 * with the cluster's region.
 */
export interface KubeconfigInput {
    clusterName: string;
    endpoint: string;
    certificateAuthorityData: string;
    region: string;
    /** `aws:profile` of the stack. */
    profile?: string;
    /** A role `aws eks get-token` assumes first. */
    roleArn?: string;
}

export function kubeconfigFor(input: KubeconfigInput): Record<string, unknown> {
    const args = ["--region", input.region, "eks", "get-token", "--cluster-name", input.clusterName, "--output", "json"];
    if (input.roleArn) args.push("--role-arn", input.roleArn);
    if (input.profile) args.push("--profile", input.profile);
    return {
        apiVersion: "v1",
        kind: "Config",
        clusters: [{ name: input.clusterName, cluster: { server: input.endpoint, "certificate-authority-data": input.certificateAuthorityData } }],
        users: [{
            name: input.clusterName,
            user: {
                exec: {
                    apiVersion: "client.authentication.k8s.io/v1beta1",
                    command: "aws",
                    args,
                    env: [{ name: "KUBERNETES_EXEC_INFO", value: '{"apiVersion": "client.authentication.k8s.io/v1beta1"}' }],
                    interactiveMode: "Never",
                },
            },
        }],
        contexts: [{ name: input.clusterName, context: { cluster: input.clusterName, user: input.clusterName } }],
        "current-context": input.clusterName,
    };
}
