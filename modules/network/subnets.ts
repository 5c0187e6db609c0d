import { cidrSubnet, formatCidr, parseCidr } from '../common/cidr';
import type { SubnetTier } from './types';

/**
 * Subnet plan of a VPC: private subnets take 1/16 of the range each (slots 0-5 of the first half),
 * public and data subnets 1/32 each (third and fourth quarter), replication subnets 1/64 each
 * (slots 24-29, inside the 1/8 the private tier leaves free: a /22 of a /16, a /26 of a /20). The
 * replication tier holds only the nodes that run MirrorMaker 2, so the other regions' brokers can
 * admit exactly those addresses (docs/streaming.md). Pure, so tests can check it.
 */
export function planSubnets(vpcCidr: string, azCount: number): Record<SubnetTier, string[]> {
  const base = parseCidr(vpcCidr);
  if (!base) throw new Error(`invalid VPC CIDR ${vpcCidr}`);
  const azs = [...Array(azCount).keys()];
  return {
    private: azs.map((i) => formatCidr(cidrSubnet(base, 4, i))),
    public: azs.map((i) => formatCidr(cidrSubnet(base, 5, 16 + i))),
    data: azs.map((i) => formatCidr(cidrSubnet(base, 5, 24 + i))),
    replication: azs.map((i) => formatCidr(cidrSubnet(base, 6, 24 + i))),
  };
}
