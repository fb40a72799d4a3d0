/**
 * Carves a VPC CIDR into one public and one private subnet per availability zone.
 *
 * Private subnets hold the nodes and pods (the VPC CNI gives every pod a VPC address), so they get
 * the large blocks; public subnets only hold the ALB and NAT gateways. The VPC is cut into
 * 2 × azCount equal "slots" rounded up to a power of two: the first half of the address space is
 * private (one slot per AZ, each doubled if room allows), public subnets take small blocks at the end.
 */
import { formatAddress, Ipv4Cidr, parseCidr } from "./cidr";

export interface SubnetPlan {
    availabilityZoneIndex: number;
    privateCidr: string;
    publicCidr: string;
}

export class SubnetPlanError extends Error {}

function parseVpcCidr(text: string): Ipv4Cidr {
    const parsed = parseCidr(text);
    if (!parsed.ok) throw new SubnetPlanError(`"${text}" ${parsed.problem}`);
    return parsed.cidr;
}

const bitsFor = (count: number): number => Math.ceil(Math.log2(Math.max(count, 1)));

/** The smallest subnet EKS and the ALB accept is a /28; we keep at least a /24 for pods' sake. */
const SMALLEST_PRIVATE_PREFIX = 24;
const SMALLEST_PUBLIC_PREFIX = 28;

export function planSubnets(vpcCidr: string, azCount: number): SubnetPlan[] {
    if (!Number.isInteger(azCount) || azCount < 1) throw new SubnetPlanError(`availabilityZoneCount must be a positive whole number, not ${azCount}`);
    const { base, prefix } = parseVpcCidr(vpcCidr);
    // Private subnets split the first half of the VPC; public ones split the first quarter of the second half.
    const privatePrefix = prefix + 1 + bitsFor(azCount);
    const publicPrefix = prefix + 2 + bitsFor(azCount);
    if (privatePrefix > SMALLEST_PRIVATE_PREFIX || publicPrefix > SMALLEST_PUBLIC_PREFIX) {
        throw new SubnetPlanError(
            `"${vpcCidr}" is too small for ${azCount} availability zones: each private subnet would be a /${privatePrefix}; use a larger VPC CIDR (a /${prefix - (privatePrefix - SMALLEST_PRIVATE_PREFIX)} or larger)`,
        );
    }
    const half = 2 ** (32 - prefix - 1);
    const privateSize = 2 ** (32 - privatePrefix);
    const publicSize = 2 ** (32 - publicPrefix);
    return Array.from({ length: azCount }, (_, i) => ({
        availabilityZoneIndex: i,
        privateCidr: `${formatAddress(base + i * privateSize)}/${privatePrefix}`,
        publicCidr: `${formatAddress(base + half + i * publicSize)}/${publicPrefix}`,
    }));
}
