import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { ElastiCacheClient } from '@aws-sdk/client-elasticache';
import { RDSClient } from '@aws-sdk/client-rds';
import { Route53Client } from '@aws-sdk/client-route-53';
import { Route53RecoveryClusterClient } from '@aws-sdk/client-route53-recovery-cluster';
import type { RecoveryClusterEndpoint } from '../config/traffic-types';

/** AWS clients per region. Route 53 is global (its API lives in us-east-1). */
export interface DrClients {
  rds(region: string): RDSClient;
  elasticache(region: string): ElastiCacheClient;
  cloudwatch(region: string): CloudWatchClient;
  readonly route53: Route53Client;
  /**
   * ARC's routing-control data plane through one cluster endpoint (signed for the endpoint's
   * region). Only with `traffic.recoveryControl`; absent in clients that predate it.
   */
  recoveryCluster?(endpoint: RecoveryClusterEndpoint): Route53RecoveryClusterClient;
}

/**
 * What every SDK client of the DR commands is built with, instead of the SDK's defaults (no
 * connection or request timeout at all, so a region that accepts connections and never answers
 * would hold a call forever). Each attempt gives up after connecting for 3 s or waiting 8 s for the
 * answer; the SDK makes at most 3 attempts (standard retry mode: throttling and transient errors,
 * with backoff), so one call is over in about 30 s. The guard (src/dr/guard.ts) bounds the whole
 * call again with --call-timeout and names the region that did not answer.
 */
export const SDK_CLIENT_SETTINGS = {
  maxAttempts: 3,
  retryMode: 'standard',
  requestHandler: { connectionTimeout: 3_000, requestTimeout: 8_000, throwOnRequestTimeout: true },
} as const;

/**
 * ARC cluster clients make one attempt: the next cluster endpoint is the retry (AWS's advice for
 * its five redundant endpoints), so an endpoint that does not answer costs one attempt, not three.
 */
export const RECOVERY_CLUSTER_CLIENT_SETTINGS = { ...SDK_CLIENT_SETTINGS, maxAttempts: 1 } as const;

/** Clients with the SDK's default credential chain (profile, SSO, environment, instance role). */
export function awsClients(): DrClients {
  const cache = new Map<string, unknown>();
  const get = <T>(kind: string, region: string, make: () => T): T => {
    const key = `${kind}:${region}`;
    if (!cache.has(key)) cache.set(key, make());
    return cache.get(key) as T;
  };
  const settings = (region: string) => ({ region, ...SDK_CLIENT_SETTINGS });
  return {
    rds: (region) => get('rds', region, () => new RDSClient(settings(region))),
    elasticache: (region) => get('elasticache', region, () => new ElastiCacheClient(settings(region))),
    cloudwatch: (region) => get('cloudwatch', region, () => new CloudWatchClient(settings(region))),
    route53: new Route53Client(settings('us-east-1')),
    recoveryCluster: (e) =>
      get(
        'arc',
        e.endpoint,
        () =>
          new Route53RecoveryClusterClient({
            region: e.region,
            endpoint: e.endpoint,
            ...RECOVERY_CLUSTER_CLIENT_SETTINGS,
          }),
      ),
  };
}
