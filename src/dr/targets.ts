import type { PlatformConfig, RegionRole } from '../config/types';
import { Naming } from '../naming';
import { API_LABELS, directHostname, fqdn } from '../traffic/plan';

/**
 * Recovery time objective of a region failover, seconds (seed 000: `failover-rto-minutes: 1`).
 * The drill compares its measured time to traffic moving against this.
 */
export const RTO_SECONDS = 60;

export interface DrRegion {
  readonly key: string;
  readonly code: string;
  readonly role: RegionRole;
  readonly auroraCluster: string;
  readonly cacheReplicationGroup: string;
  /** `Name` tag of the region's Route 53 health check. */
  readonly healthCheckName: string;
  /** The region's direct API name (what its health check probes). */
  readonly directName: string;
}

/** What the DR commands act on, derived from config and naming like the stacks that create it. */
export interface DrTargets {
  readonly domainName: string;
  /** The failover-routed API name (PRIMARY: the primary region). */
  readonly apiName: string;
  readonly auroraGlobalCluster: string;
  readonly cacheGlobalDatastoreSuffix: string;
  readonly regions: readonly DrRegion[];
}

export class DrError extends Error {}

export function drTargets(config: PlatformConfig): DrTargets {
  const dr = new Naming(config).dr;
  return {
    domainName: config.domainName,
    apiName: fqdn(config, API_LABELS.main),
    auroraGlobalCluster: dr.auroraGlobalCluster,
    cacheGlobalDatastoreSuffix: dr.cacheGlobalDatastoreSuffix,
    regions: config.regions.map((r) => ({
      key: r.key,
      code: r.code,
      role: r.role,
      auroraCluster: dr.auroraCluster(r.key),
      cacheReplicationGroup: dr.cacheReplicationGroup(r.key),
      healthCheckName: dr.healthCheck(r.key),
      directName: directHostname(config, r.key),
    })),
  };
}

/** The region with this key or AWS code; a DrError listing the valid keys otherwise. */
export function findRegion(targets: DrTargets, keyOrCode: string | undefined, flag: string): DrRegion {
  const region = targets.regions.find((r) => r.key === keyOrCode || r.code === keyOrCode);
  if (!region) {
    const valid = targets.regions.map((r) => `${r.key} (${r.code})`).join(', ');
    throw new DrError(`${flag} ${keyOrCode ?? '(missing)'}: expected one of ${valid}`);
  }
  return region;
}

export function primaryOf(targets: DrTargets): DrRegion {
  return targets.regions.find((r) => r.role === 'primary') ?? targets.regions[0];
}

/** `arn:aws:rds:eu-west-1:123:cluster:id` -> `eu-west-1`. */
export function regionOfArn(arn: string | undefined): string | undefined {
  return arn?.split(':')[3];
}

/** `arn:aws:rds:eu-west-1:123:cluster:id` -> `id`. */
export function clusterIdOfArn(arn: string | undefined): string | undefined {
  return arn?.split(':').slice(6).join(':');
}
