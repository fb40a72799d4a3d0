/**
 * Carves a VPC CIDR into one public and one private subnet per availability zone.
 *
 * Private subnets hold the nodes and pods (the VPC CNI gives every pod a VPC address), so they get
 * the large blocks; public subnets only hold the ALB and NAT gateways. The VPC is cut into
 * 2 × azCount equal "slots" rounded up to a power of two: the first half of the address space is
 * private (one slot per AZ, each doubled if room allows), public subnets take small blocks at the end.
 */

export interface SubnetPlan {
    availabilityZoneIndex: number;
    privateCidr: string;
    publicCidr: string;
}

export class SubnetPlanError extends Error {}

function parseCidr(cidr: string): { base: number; prefix: number } {
    const [address, prefixText] = cidr.split("/");
    const octets = address.split(".").map(Number);
    const prefix = Number(prefixText);
    if (octets.length !== 4 || octets.some((o) => !Number.isInteger(o) || o < 0 || o > 255) || !(prefix >= 0 && prefix <= 32)) {
        throw new SubnetPlanError(`"${cidr}" is not an IPv4 CIDR like "10.0.0.0/16"`);
    }
    const base = ((octets[0] << 24) >>> 0) + (octets[1] << 16) + (octets[2] << 8) + octets[3];
    const mask = prefix === 0 ? 0 : (~0 << (32 - prefix)) >>> 0;
    if ((base & ~mask) >>> 0 !== 0) {
        throw new SubnetPlanError(`"${cidr}" has host bits set: did you mean "${formatAddress((base & mask) >>> 0)}/${prefix}"?`);
    }
    return { base, prefix };
}

function formatAddress(value: number): string {
    return [24, 16, 8, 0].map((shift) => (value >>> shift) & 255).join(".");
}

const bitsFor = (count: number): number => Math.ceil(Math.log2(Math.max(count, 1)));

/** The smallest subnet EKS and the ALB accept is a /28; we keep at least a /24 for pods' sake. */
const SMALLEST_PRIVATE_PREFIX = 24;
const SMALLEST_PUBLIC_PREFIX = 28;

export function planSubnets(vpcCidr: string, azCount: number): SubnetPlan[] {
    if (!Number.isInteger(azCount) || azCount < 1) throw new SubnetPlanError(`availabilityZoneCount must be a positive whole number, not ${azCount}`);
    const { base, prefix } = parseCidr(vpcCidr);
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

/** True when the two CIDRs share an address. */
export function cidrsOverlap(a: string, b: string): boolean {
    const x = parseCidr(a);
    const y = parseCidr(b);
    const xEnd = x.base + 2 ** (32 - x.prefix) - 1;
    const yEnd = y.base + 2 ** (32 - y.prefix) - 1;
    return x.base <= yEnd && y.base <= xEnd;
}

/** True when `inner` lies entirely inside `outer`. */
export function cidrContains(outer: string, inner: string): boolean {
    const o = parseCidr(outer);
    const i = parseCidr(inner);
    return i.prefix >= o.prefix && i.base >= o.base && i.base + 2 ** (32 - i.prefix) <= o.base + 2 ** (32 - o.prefix);
}
