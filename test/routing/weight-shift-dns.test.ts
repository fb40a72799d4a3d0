/**
 * The staged cutover as the plan diff sees it: every change of weights, forward and back, updates
 * only the resources carrying the weights, in place. Protect flags follow the weights too; they are
 * resource options (no update of the resource) and shown apart.
 */
import { Plan } from "../../src/plan/model";
import { rawConfig } from "../helpers/raw-config";
import { planFor } from "../helpers/plan";
import { ZONE } from "./fixtures";
import { appsOf, expectOnlyWeightedUpdates, label, STAGES, TRANSITIONS } from "./weight-shift-helpers";
import { diffPlans } from "../../src/plan/diff";

describe("dns mode: a change of weights updates only the weighted records, in place", () => {
    const loadBalancers = {
        blue: { dnsName: "k8s-blue-1111.eu-west-1.elb.amazonaws.com", zoneId: "Z32O12XQLNTSW2" },
        green: { dnsName: "k8s-green-2222.eu-west-1.elb.amazonaws.com", zoneId: "Z32O12XQLNTSW2" },
    };
    const plans: Plan[] = [];
    for (const weights of STAGES) {
        beforeAll(async () => {
            plans.push(await planFor(rawConfig({ routing: { mode: "dns", weights, hostedZoneId: ZONE, dns: { loadBalancers }, apps: appsOf(50, false) } }), "prod"));
        });
    }

    test.each(TRANSITIONS.map((t) => [label(t), t] as const))("%s", (_name, [from, to]) => {
        const diff = diffPlans(plans[from], plans[to]);
        expectOnlyWeightedUpdates(diff, plans[to], "aws:route53/record:Record", /^weightedRoutingPolicies\[0\]\.weight$/);
        expect(diff.summary.update).toBe(100);
    });
});
