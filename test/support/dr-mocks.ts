import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { ElastiCacheClient } from '@aws-sdk/client-elasticache';
import { RDSClient } from '@aws-sdk/client-rds';
import { Route53Client } from '@aws-sdk/client-route-53';
import type { DrClients } from '../../src/dr/clients';
import type { Clock } from '../../src/dr/commands';

/** Clients for the DR commands; tests mock their classes with aws-sdk-client-mock. */
export const drClients: DrClients = {
  rds: () => new RDSClient({ region: 'us-east-1' }),
  elasticache: () => new ElastiCacheClient({ region: 'us-east-1' }),
  cloudwatch: () => new CloudWatchClient({ region: 'us-east-1' }),
  route53: new Route53Client({ region: 'us-east-1' }),
};

/** A clock that jumps forward on every sleep, so polling tests run instantly. */
export function fakeClock(): Clock {
  let t = 0;
  return { now: () => t, sleep: async (ms) => void (t += ms) };
}

/** Route 53 health-check observations from 8 checkers, all healthy or all failing. */
export const observations = (healthy: boolean) => ({
  HealthCheckObservations: Array.from({ length: 8 }, () => ({
    StatusReport: { Status: healthy ? 'Success: HTTP Status Code 200, OK' : 'Failure: Connection timed out' },
  })),
});
