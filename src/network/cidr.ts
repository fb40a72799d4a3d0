/**
 * IPv4 CIDR blocks: the one parser the config schema, the subnet planner and the routing checks
 * share, so "10.0.0.0/16" means the same thing everywhere and a block with host bits set is refused
 * with the block the user probably meant.
 */

export interface Ipv4Cidr {
    /** The network address as an unsigned 32-bit number. */
    base: number;
    prefix: number;
}

export type CidrParse = { ok: true; cidr: Ipv4Cidr } | { ok: false; problem: string };

const SHAPE = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/;

export function formatAddress(value: number): string {
    return [24, 16, 8, 0].map((shift) => (value >>> shift) & 255).join(".");
}

export function prefixMask(prefix: number): number {
    return prefix === 0 ? 0 : (~0 << (32 - prefix)) >>> 0;
}

/** Parses "a.b.c.d/n"; the problem, when there is one, reads after the quoted value. */
export function parseCidr(text: string): CidrParse {
    const match = SHAPE.exec(text);
    if (!match) return { ok: false, problem: 'is not an IPv4 CIDR like "10.0.0.0/16"' };
    const octets = match.slice(1, 5).map(Number);
    const prefix = Number(match[5]);
    if (octets.some((o) => o > 255) || prefix > 32) return { ok: false, problem: 'is not an IPv4 CIDR like "10.0.0.0/16"' };
    const base = ((octets[0] << 24) >>> 0) + (octets[1] << 16) + (octets[2] << 8) + octets[3];
    const mask = prefixMask(prefix);
    if ((base & ~mask) >>> 0 !== 0) {
        return { ok: false, problem: `has host bits set: did you mean "${formatAddress((base & mask) >>> 0)}/${prefix}"?` };
    }
    return { ok: true, cidr: { base, prefix } };
}

export function isValidCidr(text: string): boolean {
    return parseCidr(text).ok;
}

export function formatCidr(cidr: Ipv4Cidr): string {
    return `${formatAddress(cidr.base)}/${cidr.prefix}`;
}

function mustParse(text: string): Ipv4Cidr {
    const parsed = parseCidr(text);
    if (!parsed.ok) throw new Error(`"${text}" ${parsed.problem}`);
    return parsed.cidr;
}

const lastAddress = (c: Ipv4Cidr): number => c.base + 2 ** (32 - c.prefix) - 1;

/** True when the two blocks share an address; both must be valid. */
export function cidrsOverlap(a: string, b: string): boolean {
    const x = mustParse(a);
    const y = mustParse(b);
    return x.base <= lastAddress(y) && y.base <= lastAddress(x);
}

/** True when `inner` lies entirely inside `outer`; both must be valid. */
export function cidrContains(outer: string, inner: string): boolean {
    const o = mustParse(outer);
    const i = mustParse(inner);
    return i.prefix >= o.prefix && i.base >= o.base && lastAddress(i) <= lastAddress(o);
}
