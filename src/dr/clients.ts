import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { ElastiCacheClient } from '@aws-sdk/client-elasticache';
import { RDSClient } from '@aws-sdk/client-rds';
import { Route53Client } from '@aws-sdk/client-route-53';

/** AWS clients per region. Route 53 is global (its API lives in us-east-1). */
export interface DrClients {
  rds(region: string): RDSClient;
  elasticache(region: string): ElastiCacheClient;
  cloudwatch(region: string): CloudWatchClient;
  readonly route53: Route53Client;
}

/** Clients with the SDK's default credential chain (profile, SSO, environment, instance role). */
export function awsClients(): DrClients {
  const cache = new Map<string, unknown>();
  const get = <T>(kind: string, region: string, make: () => T): T => {
    const key = `${kind}:${region}`;
    if (!cache.has(key)) cache.set(key, make());
    return cache.get(key) as T;
  };
  return {
    rds: (region) => get('rds', region, () => new RDSClient({ region })),
    elasticache: (region) => get('elasticache', region, () => new ElastiCacheClient({ region })),
    cloudwatch: (region) => get('cloudwatch', region, () => new CloudWatchClient({ region })),
    route53: new Route53Client({ region: 'us-east-1' }),
  };
}
