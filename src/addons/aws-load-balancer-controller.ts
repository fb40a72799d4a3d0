/**
 * The AWS Load Balancer Controller's pure part: chart, CRD source, service account and settings
 * under `clusters.<color>.addons.aws-load-balancer-controller`. Its Pulumi part is
 * components/addons/aws-load-balancer-controller/.
 */
import { z } from "zod";
import { addonBaseSettings, defineAddon } from "./addon";

export const loadBalancerControllerSettings = z.strictObject({
    ...addonBaseSettings,
    enabled: z.boolean().default(true),
});

export const loadBalancerController = defineAddon({
    id: "aws-load-balancer-controller",
    chart: "aws-load-balancer-controller",
    repository: "https://aws.github.io/eks-charts",
    // Chart 1.14.0 ships controller v2.14.0; its crds/ holds crds.yaml and gateway-crds.yaml.
    defaultVersion: "1.14.0",
    namespace: "kube-system",
    serviceAccount: { nameValue: "serviceAccount.name", name: "aws-load-balancer-controller" },
    crdGroups: ["elbv2.k8s.aws", "gateway.k8s.aws"],
    crds: { kind: "chart-crds" },
    knownCrds: [
        "ingressclassparams.elbv2.k8s.aws",
        "targetgroupbindings.elbv2.k8s.aws",
        "listenerruleconfigurations.gateway.k8s.aws",
        "loadbalancerconfigurations.gateway.k8s.aws",
        "targetgroupconfigurations.gateway.k8s.aws",
    ],
    // Its webhooks (failurePolicy Fail) cover Services, Pods, Ingresses and TargetGroupBindings.
    webhooksOnOtherAddons: true,
    settings: loadBalancerControllerSettings,
});
