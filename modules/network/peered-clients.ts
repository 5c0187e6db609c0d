import type { TerraformProvider } from 'cdktf';
import type { Construct } from 'constructs';
import type { SecurityGroup } from '@cdktf/provider-aws/lib/security-group';
import { VpcSecurityGroupIngressRule } from '@cdktf/provider-aws/lib/vpc-security-group-ingress-rule';
import { isPrivateCidr, parseCidr } from '../common/cidr';

/**
 * A peered region whose application may connect to a store in this region. Security-group references
 * do not cross regions, so a peered region's pods are admitted by the CIDRs they send from: the
 * private (application) subnets of its VPC.
 */
export interface PeeredClients {
  /** Region key of the clients, e.g. `eu-west`: part of each rule's id and description. */
  readonly region: string;
  /** The region's application subnet CIDRs (plain values, never another stack's attribute). */
  readonly cidrs: readonly string[];
}

/**
 * One ingress rule on `port` per peered region and CIDR. Rule ids carry the region key and the
 * subnet's position, so adding a region or an AZ appends rules instead of renumbering (and
 * replacing) the others. Refuses anything but a plain RFC 1918 range: a data store stays private,
 * and a token here would tie the store's stack to another region's stack.
 */
export function admitPeeredClients(
  scope: Construct,
  sg: SecurityGroup,
  port: number,
  peers: readonly PeeredClients[],
  provider?: TerraformProvider,
): VpcSecurityGroupIngressRule[] {
  return peers.flatMap((peer) =>
    peer.cidrs.map((cidr, i) => {
      const parsed = parseCidr(cidr);
      if (!parsed || !isPrivateCidr(parsed)) {
        throw new Error(
          `${scope.node.path}: peered clients of ${peer.region}: expected a private IPv4 CIDR, got ${cidr}`,
        );
      }
      return new VpcSecurityGroupIngressRule(scope, `ingress-peer-${peer.region}-${i}`, {
        provider,
        securityGroupId: sg.id,
        description: `Port ${port} from the application subnet ${cidr} of peered region ${peer.region}`,
        ipProtocol: 'tcp',
        fromPort: port,
        toPort: port,
        cidrIpv4: cidr,
      });
    }),
  );
}
