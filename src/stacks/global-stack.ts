import type { Construct } from 'constructs';
import { PeeringMesh } from '../../modules/peering/peering-mesh';
import type { PlatformConfig } from '../config/types';
import { STACK_IDS } from '../naming';
import { PlatformStack } from './platform-stack';
import type { RegionalStack } from './regional-stack';

/**
 * What spans regions: the VPC peering mesh now; Route 53, the Aurora Global Database and the
 * ElastiCache Global Datastore later. Reads the regional stacks' outputs, never the other way.
 */
export class GlobalStack extends PlatformStack {
  readonly mesh: PeeringMesh;

  constructor(scope: Construct, config: PlatformConfig, regions: readonly RegionalStack[]) {
    super(scope, STACK_IDS.global, { config });
    const primary = regions.find((r) => r.region.role === 'primary') ?? regions[0];
    // The default provider serves the primary region; each region also gets an aliased provider.
    this.awsProvider('aws', primary.region.code);
    const providers = new Map(
      regions.map((r) => [r.region.key, this.awsProvider(`aws-${r.region.key}`, r.region.code, r.region.key)]),
    );

    this.mesh = new PeeringMesh(this, 'peering', {
      name: this.naming.prefix,
      members: regions.map((r) => ({
        key: r.region.key,
        region: r.region.code,
        provider: providers.get(r.region.key)!,
        vpcId: r.network.vpc.id,
        cidr: r.region.vpcCidr,
        routeTableIds: r.network.internalRouteTables.map((rt) => rt.id),
      })),
    });
  }
}
