/**
 * aws-load-balancer-controller: binds Services to target groups (TargetGroupBinding) and runs the
 * load balancers clusters create themselves. Its Service mutating webhook is off: it would make the
 * controller the default for every Service of type LoadBalancer, which this design never relies on,
 * and with failurePolicy Fail it refuses every other add-on's Services until the controller is ready.
 */
import { ADDONS, AddonSettings } from "../../../src/addons/registry";
import { AddonDefinition } from "../addon";
import { loadBalancerControllerPolicy } from "./iam-policy";

export { loadBalancerControllerPolicy };

export const definition: AddonDefinition<AddonSettings<"aws-load-balancer-controller">> = {
    id: "aws-load-balancer-controller",
    policy: (context) => loadBalancerControllerPolicy(context.region),
    values: (context) => ({
        clusterName: context.clusterName,
        region: context.region,
        vpcId: context.vpcId,
        replicaCount: 2,
        serviceAccount: { create: true, name: ADDONS["aws-load-balancer-controller"].serviceAccount.name },
        podDisruptionBudget: { maxUnavailable: 1 },
        enableServiceMutatorWebhook: false,
    }),
};
