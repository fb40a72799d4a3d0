import fc from "fast-check";
import { cidrContains, cidrsOverlap } from "../../src/network/cidr";
import { planSubnets, SubnetPlanError } from "../../src/network/subnet-plan";

describe("planSubnets", () => {
    test("a /16 over 3 AZs: large private subnets first, small public ones in the second half", () => {
        expect(planSubnets("10.0.0.0/16", 3)).toEqual([
            { availabilityZoneIndex: 0, privateCidr: "10.0.0.0/19", publicCidr: "10.0.128.0/20" },
            { availabilityZoneIndex: 1, privateCidr: "10.0.32.0/19", publicCidr: "10.0.144.0/20" },
            { availabilityZoneIndex: 2, privateCidr: "10.0.64.0/19", publicCidr: "10.0.160.0/20" },
        ]);
    });

    test("rejects a VPC too small for the AZ count, saying what size would do", () => {
        expect(() => planSubnets("10.0.0.0/22", 3)).toThrow(/too small for 3 availability zones.*use a larger VPC CIDR \(a \/21 or larger\)/);
    });

    test("rejects host bits, suggesting the network address", () => {
        expect(() => planSubnets("10.0.1.0/16", 2)).toThrow(SubnetPlanError);
        expect(() => planSubnets("10.0.1.0/16", 2)).toThrow('did you mean "10.0.0.0/16"');
    });

    test("property: subnets lie inside the VPC, never overlap, one public and one private per AZ", () => {
        const vpc = fc.tuple(fc.integer({ min: 1, max: 223 }), fc.integer({ min: 0, max: 255 }), fc.integer({ min: 8, max: 20 }))
            .map(([a, b, prefix]) => {
                const base = ((a << 24) | (b << 16)) >>> 0;
                const mask = (~0 << (32 - prefix)) >>> 0;
                const network = (base & mask) >>> 0;
                return `${[24, 16, 8, 0].map((s) => (network >>> s) & 255).join(".")}/${prefix}`;
            });
        fc.assert(fc.property(vpc, fc.integer({ min: 2, max: 6 }), (cidr, azs) => {
            const plan = planSubnets(cidr, azs);
            expect(plan).toHaveLength(azs);
            const all = plan.flatMap((p) => [p.privateCidr, p.publicCidr]);
            expect(all.filter((subnet) => !cidrContains(cidr, subnet))).toEqual([]);
            const overlapping = all.flatMap((a, i) => all.slice(i + 1).filter((b) => cidrsOverlap(a, b)).map((b) => `${a} ${b}`));
            expect(overlapping).toEqual([]);
        }));
    });
});
