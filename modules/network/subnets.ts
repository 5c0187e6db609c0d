import { cidrSubnet, formatCidr, parseCidr } from '../common/cidr';
import type { SubnetTier } from './types';

/**
 * Subnet plan of a VPC: private subnets take 1/16 of the range each (slots 0-5 of the first half),
 * public and data subnets 1/32 each (third and fourth quarter). Pure, so tests can check it.
 */
export function planSubnets(vpcCidr: string, azCount: number): Record<SubnetTier, string[]> {
  const base = parseCidr(vpcCidr);
  if (!base) throw new Error(`invalid VPC CIDR ${vpcCidr}`);
  const azs = [...Array(azCount).keys()];
  return {
    private: azs.map((i) => formatCidr(cidrSubnet(base, 4, i))),
    public: azs.map((i) => formatCidr(cidrSubnet(base, 5, 16 + i))),
    data: azs.map((i) => formatCidr(cidrSubnet(base, 5, 24 + i))),
  };
}
