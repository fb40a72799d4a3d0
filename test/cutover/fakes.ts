/** A stack view as the Automation API adapter builds it, for the legacy gate tests. */
import { StackView } from "../../src/cutover/model";

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

