import type { CacheReplicationGroupProps } from '../../modules/elasticache-global/replication-group';
import type { PeeredClients } from '../../modules/network/peered-clients';
import { planSubnets } from '../../modules/network/subnets';
import type { SubnetTier } from '../../modules/network/types';
import type { PlatformPlan, RegionPlan } from '../plan/types';
import type { RegionalExports } from './exports';

/**
 * Props of a region's member of the cache's global datastore, one place for both roles: the
 * primary (built in the global stack, which creates the datastore from it) and each secondary (a
 * data-<key> stack). A `reader` region has no member: the plan points it at the nearest one.
 */
export function cacheMemberProps(
  plan: PlatformPlan,
  region: RegionPlan,
  regional: RegionalExports,
  peers: readonly PeeredClients[],
  globalReplicationGroupId?: string,
): CacheReplicationGroupProps {
  const role = region.cache.role;
  if (role === 'reader')
    throw new Error(`${region.key} reads the cache of ${region.cache.readsFrom}: it has no member`);
  const cache = plan.config.data.elasticache;
  const settings = region.settings.elasticache;
  return {
    name: region.names.cacheReplicationGroup,
    role,
    // A secondary takes engine, version and node type from the datastore.
    engine:
      role === 'primary'
        ? { engine: cache.engine, engineVersion: cache.engineVersion, nodeType: cache.nodeType }
        : undefined,
    userEngine: cache.engine,
    globalReplicationGroupId: role === 'secondary' ? globalReplicationGroupId : undefined,
    vpcId: regional.network.vpcId,
    subnetIds: regional.network.dataSubnetIds,
    clients: eksClients(regional),
    peeredClients: peers,
    kmsKeyArn: regional.kmsKeyArn,
    nodes: settings.nodes,
    snapshotRetentionDays: settings.snapshotRetentionDays,
    logRetentionDays: settings.logRetentionDays,
    snapshotWindow: region.maintenance.backupWindow,
    maintenanceWindow: region.maintenance.maintenanceWindow,
  };
}

/** Security groups of a region's EKS that may reach its data stores (nodes and pods, control plane). */
export function eksClients(regional: RegionalExports): { securityGroupIds: string[] } {
  return { securityGroupIds: [regional.eks.nodeSecurityGroupId, regional.eks.clusterSecurityGroupId] };
}

/**
 * The application CIDRs of every region but `region`, which every data-store member of `region`
 * admits (docs/data.md, reachability): writes follow the writer and the cache primary wherever a
 * switchover puts them, and reader regions read their nearest member. A region's application CIDRs
 * are its private subnets (EKS nodes and pods), from the same subnet plan its network is cut by:
 * plain values, so no stack gains a reference to another region's stacks.
 */
export function peeredAppClients(plan: PlatformPlan, region: RegionPlan): PeeredClients[] {
  return peeredTier(plan, region, 'private');
}

/**
 * The MirrorMaker 2 CIDRs of every region but `region`: the replication subnets, where only the
 * tainted `replication` node group runs (docs/streaming.md, "Listener exposure across regions").
 * The SCRAM listener of `region`'s MSK cluster admits these and no other range of another VPC.
 */
export function peeredMirrorMakers(plan: PlatformPlan, region: RegionPlan): PeeredClients[] {
  return peeredTier(plan, region, 'replication');
}

/** One subnet tier of every region but `region`, from the subnet plan each network is cut by. */
function peeredTier(plan: PlatformPlan, region: RegionPlan, tier: SubnetTier): PeeredClients[] {
  return plan.regions
    .filter((r) => r.key !== region.key)
    .map((r) => ({ region: r.key, cidrs: planSubnets(r.vpcCidr, r.azCount)[tier] }));
}
