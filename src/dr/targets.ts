import type { RecoveryClusterEndpoint } from '../config/traffic-types';
import type { RegionRole } from '../config/types';
import type { PlatformPlan } from '../plan/types';

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
  /** Key of the region whose cache member this region reads: itself, unless it is a reader (no member). */
  readonly cacheReadsFrom: string;
  /** Name of the region's ARC routing control (only with `traffic.recoveryControl`). */
  readonly routingControl?: string;
}

/** ARC routing controls (`traffic.recoveryControl` enabled): what the DR commands find in the cluster. */
export interface DrRecoveryControl {
  readonly clusterName: string;
  readonly controlPanelName: string;
  /** Records follow the routing controls: `switchover` and `failover` move traffic with them. */
  readonly gateTraffic: boolean;
  /** The cluster's data-plane endpoints, tried in turn (empty until configured). */
  readonly clusterEndpoints: readonly RecoveryClusterEndpoint[];
  /** Milliseconds the safety rule refuses a change after another one. */
  readonly safetyRuleWaitMs: number;
}

/** What the DR commands act on, derived from config and naming like the stacks that create it. */
export interface DrTargets {
  readonly domainName: string;
  /** The failover-routed API name (PRIMARY: the primary region). */
  readonly apiName: string;
  readonly auroraGlobalCluster: string;
  readonly cacheGlobalDatastoreSuffix: string;
  readonly regions: readonly DrRegion[];
  /**
   * DNS type of every API name (`api`, `api-<key>`, the routed names): CNAMEs to the load balancers
   * when `traffic.recordTarget` is `cname`, alias A records otherwise (modules/traffic/api-routing.ts).
   */
  readonly recordType: 'A' | 'CNAME';
  /**
   * Worst case for DNS to move off a region once its health check fails (the `dns` failover budget
   * of the plan, as `npm run report` prints it).
   */
  readonly dnsFailover: { readonly seconds: number; readonly arithmetic: string };
  /** Present when `traffic.recoveryControl` is enabled. */
  readonly recoveryControl?: DrRecoveryControl;
}

export class DrError extends Error {}

/**
 * A failover fences a lost region by pointing its health check at `<direct name>.invalid` (RFC
 * 2606: never resolves), so the check fails whatever the region answers. Inverting it, as
 * `switchover` drains a healthy region, would do the opposite for a region that is down: an
 * inverted check of a dead endpoint reads healthy and routes traffic back to it.
 */
export const FENCE_SUFFIX = '.invalid';

/** The names the DR commands act on: read from the plan, the same names the stacks create. */
export function drTargets(plan: PlatformPlan): DrTargets {
  const arc = plan.traffic.recoveryControl;
  const routingControlOf = (key: string) => arc?.regions.find((r) => r.key === key)?.routingControl;
  return {
    domainName: plan.domainName,
    apiName: plan.traffic.apiName,
    auroraGlobalCluster: plan.names.auroraGlobalCluster,
    cacheGlobalDatastoreSuffix: plan.names.cacheGlobalDatastoreSuffix,
    recordType: plan.config.traffic.recordTarget === 'cname' ? 'CNAME' : 'A',
    dnsFailover: dnsBudget(plan),
    regions: plan.regions.map((r) => ({
      key: r.key,
      code: r.code,
      role: r.role,
      auroraCluster: r.names.auroraCluster,
      cacheReplicationGroup: r.names.cacheReplicationGroup,
      healthCheckName: r.names.healthCheck,
      directName: r.names.directHostname,
      cacheReadsFrom: r.cache.readsFrom,
      ...(arc ? { routingControl: routingControlOf(r.key) } : {}),
    })),
    ...(arc
      ? {
          recoveryControl: {
            clusterName: arc.clusterName,
            controlPanelName: arc.controlPanelName,
            gateTraffic: arc.gateTraffic,
            clusterEndpoints: arc.clusterEndpoints,
            safetyRuleWaitMs: arc.safetyRuleWaitMs,
          },
        }
      : {}),
  };
}

function dnsBudget(plan: PlatformPlan): DrTargets['dnsFailover'] {
  const dns = plan.traffic.budgets.find((b) => b.path === 'dns');
  if (!dns) throw new DrError('the plan has no dns failover budget');
  return { seconds: dns.worstCaseSeconds, arithmetic: dns.arithmetic };
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

/** The region the configuration names primary (the plan has exactly one). */
export function primaryOf(targets: DrTargets): DrRegion {
  const primary = targets.regions.find((r) => r.role === 'primary');
  if (!primary) throw new DrError('the configuration names no primary region');
  return primary;
}

/** `arn:aws:rds:eu-west-1:123:cluster:id` -> `eu-west-1`. */
export function regionOfArn(arn: string | undefined): string | undefined {
  return arn?.split(':')[3];
}

/** `arn:aws:rds:eu-west-1:123:cluster:id` -> `id`. */
export function clusterIdOfArn(arn: string | undefined): string | undefined {
  return arn?.split(':').slice(6).join(':');
}
