/**
 * What the color-isolation tests share: the base config (blue live, green at weight 0), blue's own
 * resources in a plan, and a generator of any green spec the config accepts.
 */
import fc from "fast-check";
import { Plan } from "../../src/plan/model";
import { rawConfig } from "../helpers/raw-config";
import { descendantsOf, resourceNamed } from "../helpers/plan";

/** Blue's own resources: its provider, and everything below its components. */
export function blueUrns(plan: Plan): Set<string> {
    const roots = plan.resources.filter((r) => r.type.startsWith("bluegreen:") && /-blue(-|$)/.test(r.name));
    const urns = new Set<string>(roots.map((r) => r.urn));
    for (const root of roots) for (const r of descendantsOf(plan, root.urn)) urns.add(r.urn);
    urns.add(resourceNamed(plan, "pulumi:providers:aws", "dev-blue-aws").urn);
    return urns;
}

export const baseRaw = () => rawConfig({ routing: { weights: { blue: 100, green: 0 }, verification: { enabled: false } } });

export const greenSpec = fc.record({
    version: fc.constantFrom("1.31", "1.33", "1.34", "1.35"),
    nodeGroups: fc.uniqueArray(
        fc
            .record({
                name: fc.constantFrom("system", "apps", "batch", "gpu"),
                // Graviton types with an arm64 AMI: the config refuses an architecture mismatch.
                hardware: fc.constantFrom(
                    { instanceTypes: ["m6i.large"] },
                    { instanceTypes: ["m7i.xlarge", "m7a.xlarge"] },
                    { instanceTypes: ["c7g.large"], amiType: "AL2023_ARM_64_STANDARD" },
                ),
                capacityType: fc.constantFrom("ON_DEMAND", "SPOT"),
                maxSize: fc.integer({ min: 3, max: 20 }),
                diskSize: fc.integer({ min: 20, max: 200 }),
                maxUnavailable: fc.constantFrom(1, 2, "25%"),
            })
            .map(({ hardware, ...group }) => ({ ...group, ...hardware })),
        { minLength: 1, maxLength: 3, selector: (g) => g.name },
    ),
    endpoint: fc.constantFrom({ publicAccessCidrs: ["203.0.113.0/24"] }, { publicAccessCidrs: ["198.51.100.0/24"], apiAccessSecurityGroupIds: ["sg-0123456789abcdef0"], apiAccessCidrs: ["10.0.0.0/16"] }),
    logging: fc.constantFrom(["api", "audit"], ["api", "audit", "authenticator", "controllerManager", "scheduler"]),
    deletionProtection: fc.boolean(),
    managedAddons: fc.constantFrom({}, { coredns: "v1.12.1-eksbuild.2", "vpc-cni": "v1.20.0-eksbuild.1" }),
});

