/** Minimal IPv4 CIDR arithmetic for synth-time subnet planning and overlap checks. */

export interface Ipv4Cidr {
  /** Network address as an unsigned 32-bit integer. */
  readonly network: number;
  readonly prefix: number;
}

const CIDR_RE = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/;

/** Parses `a.b.c.d/p`; returns undefined for anything malformed or not aligned to its prefix. */
export function parseCidr(text: string): Ipv4Cidr | undefined {
  const m = CIDR_RE.exec(text);
  if (!m) return undefined;
  const octets = m.slice(1, 5).map(Number);
  const prefix = Number(m[5]);
  if (octets.some((o) => o > 255) || prefix > 32) return undefined;
  const address = ((octets[0] << 24) | (octets[1] << 16) | (octets[2] << 8) | octets[3]) >>> 0;
  if ((address & ~maskOf(prefix)) >>> 0 !== 0) return undefined;
  return { network: address, prefix };
}

function maskOf(prefix: number): number {
  return prefix === 0 ? 0 : (0xffffffff << (32 - prefix)) >>> 0;
}

export function formatCidr(cidr: Ipv4Cidr): string {
  const n = cidr.network;
  return `${n >>> 24}.${(n >>> 16) & 255}.${(n >>> 8) & 255}.${n & 255}/${cidr.prefix}`;
}

export function cidrOverlaps(a: Ipv4Cidr, b: Ipv4Cidr): boolean {
  const prefix = Math.min(a.prefix, b.prefix);
  const mask = maskOf(prefix);
  return (a.network & mask) >>> 0 === (b.network & mask) >>> 0;
}

/** Same as Terraform's cidrsubnet(prefix, newbits, netnum). */
export function cidrSubnet(base: Ipv4Cidr, newBits: number, netNum: number): Ipv4Cidr {
  const prefix = base.prefix + newBits;
  if (prefix > 32 || netNum < 0 || netNum >= 2 ** newBits) {
    throw new Error(`cidrSubnet: ${formatCidr(base)} has no subnet ${netNum} of /${prefix}`);
  }
  return { network: (base.network + netNum * 2 ** (32 - prefix)) >>> 0, prefix };
}

/** RFC 1918 private ranges: VPC peering and the mesh routes assume private addressing. */
const PRIVATE_RANGES = ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16'].map((c) => parseCidr(c)!);

export function isPrivateCidr(cidr: Ipv4Cidr): boolean {
  return PRIVATE_RANGES.some((r) => r.prefix <= cidr.prefix && cidrOverlaps(r, cidr));
}
