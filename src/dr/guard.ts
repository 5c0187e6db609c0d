import type { RecoveryClusterEndpoint } from '../config/traffic-types';
import type { DrClients } from './clients';
import type { Clock } from './clock';
import { DrError } from './targets';

/** AWS error names that mean "slow down": the call may be retried unchanged. */
const THROTTLED = new Set([
  'Throttling',
  'ThrottlingException',
  'ThrottledException',
  'TooManyRequestsException',
  'RequestLimitExceeded',
  'PriorRequestNotComplete',
]);

/** Attempts of a throttled call at this layer (the SDK's own attempts come inside each, src/dr/clients.ts). */
export const THROTTLE_ATTEMPTS = 5;

export interface GuardOptions {
  /** AWS code of a region no call may reach (the lost region of a failover). */
  readonly exclude?: string;
  /** Why it is excluded, for the refusal message. */
  readonly excludeReason?: string;
  /** Seconds one call may take before it counts as unanswered. */
  readonly callTimeoutSeconds: number;
  /** Attempts of a throttled call, backing off 1, 2, 4 ... s between them (on `clock`). */
  readonly attempts: number;
  readonly clock: Clock;
}

interface Sender {
  send(command: unknown, options?: { abortSignal?: AbortSignal }): Promise<unknown>;
}

/**
 * Clients whose calls are bounded: a region that does not answer fails with a message naming it
 * within `callTimeoutSeconds` (the request is aborted), throttled calls are retried with backoff,
 * and the excluded region's clients cannot even be created. The SDK's own retries still apply
 * inside one attempt; this layer makes the outcome of an unanswering or throttling region explicit.
 */
export function guardedClients(clients: DrClients, options: GuardOptions): DrClients {
  const bound = <T extends object>(client: T, service: string, region: string): T =>
    new Proxy(client, {
      get(target, property, receiver) {
        if (property !== 'send') return Reflect.get(target, property, receiver) as unknown;
        return (command: { constructor: { name: string } }) =>
          sendBounded(target as unknown as Sender, command, `${service}:${apiName(command)} in ${region}`, options);
      },
    });
  const regional =
    <T extends object>(service: string, make: (region: string) => T) =>
    (region: string): T => {
      if (region === options.exclude) {
        throw new DrError(
          `refusing to call ${service} in ${region}: ${options.excludeReason ?? 'the region is excluded'} (a call there would hang). This is a bug in the DR command; report it.`,
        );
      }
      return bound(make(region), service, region);
    };
  return {
    rds: regional('rds', (r) => clients.rds(r)),
    elasticache: regional('elasticache', (r) => clients.elasticache(r)),
    cloudwatch: regional('cloudwatch', (r) => clients.cloudwatch(r)),
    // Route 53's API is global (served from us-east-1): bounded like the others, never excluded.
    route53: bound(clients.route53, 'route53', 'the global Route 53 API'),
    // ARC cluster endpoints: the caller skips the excluded region's endpoint (src/dr/routing-controls.ts).
    ...(clients.recoveryCluster
      ? {
          recoveryCluster: (endpoint: RecoveryClusterEndpoint) => {
            if (endpoint.region === options.exclude) {
              throw new DrError(
                `refusing to call the ARC cluster endpoint in ${endpoint.region}: ${options.excludeReason ?? 'the region is excluded'}. This is a bug in the DR command; report it.`,
              );
            }
            return bound(
              clients.recoveryCluster!(endpoint),
              'route53-recovery-cluster',
              `the ARC cluster endpoint ${endpoint.endpoint} (${endpoint.region})`,
            );
          },
        }
      : {}),
  };
}

/** `DescribeGlobalClustersCommand` -> `DescribeGlobalClusters`. */
function apiName(command: { constructor: { name: string } }): string {
  return command.constructor.name.replace(/Command$/, '');
}

async function sendBounded(client: Sender, command: unknown, what: string, options: GuardOptions): Promise<unknown> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await withTimeout(client, command, what, options.callTimeoutSeconds);
    } catch (error) {
      const name = (error as { name?: string }).name ?? '';
      if (!THROTTLED.has(name)) throw error;
      if (attempt >= options.attempts) {
        throw new DrError(
          `AWS throttled ${what} ${attempt} times (${name}); wait a minute and run the same command again: it continues where it stopped`,
        );
      }
      await options.clock.sleep(1000 * 2 ** (attempt - 1));
    }
  }
}

async function withTimeout(client: Sender, command: unknown, what: string, seconds: number): Promise<unknown> {
  const abort = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      abort.abort();
      reject(
        new DrError(
          `${what} did not answer within ${seconds} s (--call-timeout): that region or service may be impaired too`,
        ),
      );
    }, seconds * 1000);
  });
  try {
    return await Promise.race([client.send(command, { abortSignal: abort.signal }), timeout]);
  } finally {
    clearTimeout(timer);
  }
}
