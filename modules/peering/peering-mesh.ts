import type { TerraformProvider } from 'cdktf';
import { Construct } from 'constructs';
import { Route } from '@cdktf/provider-aws/lib/route';
import { VpcPeeringConnection } from '@cdktf/provider-aws/lib/vpc-peering-connection';
import { VpcPeeringConnectionAccepterA } from '@cdktf/provider-aws/lib/vpc-peering-connection-accepter';
import { VpcPeeringConnectionOptions } from '@cdktf/provider-aws/lib/vpc-peering-connection-options';
import { setComponent, setRegion } from '../common/context';

/** One region's side of the mesh. */
export interface MeshMember {
  /** Region key, e.g. `us-east`. */
  readonly key: string;
  /** AWS region code. */
  readonly region: string;
  /** Provider configured for `region`. */
  readonly provider: TerraformProvider;
  readonly vpcId: string;
  readonly cidr: string;
  /** Route tables that get a route to every peer (private and data tiers). */
  readonly routeTableIds: readonly string[];
}

export interface PeeringMeshProps {
  /** Name prefix, e.g. `mi-production`. */
  readonly name: string;
  readonly members: readonly MeshMember[];
}

/** Every unordered pair of members, in config order: N(N-1)/2 pairs. */
export function meshPairs<T>(members: readonly T[]): [T, T][] {
  return members.flatMap((a, i) => members.slice(i + 1).map((b): [T, T] => [a, b]));
}

/**
 * Full mesh of cross-region VPC peerings: the earlier member in config order requests, the later
 * accepts in its own region. Both sides resolve each other's private DNS names, and every private
 * and data route table on each side routes the peer's CIDR through the connection.
 */
export class PeeringMesh extends Construct {
  readonly connections: VpcPeeringConnection[] = [];

  constructor(scope: Construct, id: string, props: PeeringMeshProps) {
    super(scope, id);
    setComponent(this, 'peering');
    for (const [requester, accepter] of meshPairs(props.members)) {
      const pairId = `${requester.key}--${accepter.key}`;
      const requesterSide = new Construct(this, `${pairId}-requester`);
      setRegion(requesterSide, requester.key);
      const accepterSide = new Construct(this, `${pairId}-accepter`);
      setRegion(accepterSide, accepter.key);
      const name = `${props.name}-${requester.key}-to-${accepter.key}`;

      const connection = new VpcPeeringConnection(requesterSide, 'connection', {
        provider: requester.provider,
        vpcId: requester.vpcId,
        peerVpcId: accepter.vpcId,
        peerRegion: accepter.region,
        autoAccept: false,
        tags: { Name: name, side: 'requester' },
      });
      this.connections.push(connection);
      const acceptance = new VpcPeeringConnectionAccepterA(accepterSide, 'accepter', {
        provider: accepter.provider,
        vpcPeeringConnectionId: connection.id,
        autoAccept: true,
        tags: { Name: name, side: 'accepter' },
      });

      // Cross-region peering options must be set by each side with its own provider.
      new VpcPeeringConnectionOptions(requesterSide, 'dns', {
        provider: requester.provider,
        vpcPeeringConnectionId: acceptance.id,
        requester: { allowRemoteVpcDnsResolution: true },
      });
      new VpcPeeringConnectionOptions(accepterSide, 'dns', {
        provider: accepter.provider,
        vpcPeeringConnectionId: acceptance.id,
        accepter: { allowRemoteVpcDnsResolution: true },
      });

      const routes = (side: Construct, from: MeshMember, to: MeshMember) =>
        from.routeTableIds.forEach((routeTableId, i) => {
          new Route(side, `route-${i}`, {
            provider: from.provider,
            routeTableId,
            destinationCidrBlock: to.cidr,
            vpcPeeringConnectionId: acceptance.id,
          });
        });
      routes(requesterSide, requester, accepter);
      routes(accepterSide, accepter, requester);
    }
  }
}
