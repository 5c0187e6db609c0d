// Every AWS call of the DR commands is bounded: the SDK clients carry explicit connection and
// request timeouts and a bounded number of attempts, and every command (status, switchover, drill,
// failover) gives up on a region or API that does not answer with exit 1 and a line naming it.

import { SwitchoverGlobalClusterCommand } from '@aws-sdk/client-rds';

import { awsClients, SDK_CLIENT_SETTINGS, type DrClients } from '../../src/dr/clients';
import type { DrTargets } from '../../src/dr/targets';

import { threeRegions } from '../support/config';
import { fakeDns } from '../support/dr-dns';
import { awsError, drClients, type FakeAws, sdkMocks, fakeWorld } from '../support/dr-mocks';
import { runDrCaptured } from '../support/dr-run';

interface ClientConfig {
  maxAttempts(): Promise<number>;
  retryStrategy(): Promise<{ mode: string }>;
  region(): Promise<string>;
  requestHandler: { configProvider: Promise<Record<string, unknown>> };
}

describe('SDK clients of the DR commands', () => {
  const clients = awsClients();
  const all: [string, { config: unknown }][] = [
    ['rds', clients.rds('eu-west-1')],
    ['elasticache', clients.elasticache('eu-west-1')],
    ['cloudwatch', clients.cloudwatch('ap-southeast-1')],
    ['route53', clients.route53],
  ];

  test.each(all)('%s: connection and request timeouts, 3 attempts in standard retry mode', async (_name, client) => {
    const config = client.config as ClientConfig;
    expect(await config.maxAttempts()).toBe(3);
    expect((await config.retryStrategy()).mode).toBe('standard');
    expect(await config.requestHandler.configProvider).toEqual(
      expect.objectContaining({ connectionTimeout: 3000, requestTimeout: 8000, throwOnRequestTimeout: true }),
    );
  });

  test('the worst case of one call at the SDK layer stays near the default --call-timeout (30 s)', () => {
    const { maxAttempts, requestHandler } = SDK_CLIENT_SETTINGS;
    const perAttempt = (requestHandler.connectionTimeout + requestHandler.requestTimeout) / 1000;
    expect(perAttempt * maxAttempts).toBeLessThanOrEqual(33);
    expect(perAttempt * maxAttempts).toBeGreaterThanOrEqual(20);
  });

  test('one client per service and region; Route 53 in us-east-1', async () => {
    expect(clients.rds('eu-west-1')).toBe(all[0][1]);
    expect(clients.rds('us-east-1')).not.toBe(all[0][1]);
    expect(await (clients.route53.config as unknown as ClientConfig).region()).toBe('us-east-1');
  });
});

describe('a region or API that does not answer', () => {
  const mocks = sdkMocks();
  let targets: DrTargets;
  let aws: FakeAws;

  beforeEach(() => {
    ({ targets, aws } = fakeWorld(mocks, threeRegions));
    fakeDns(mocks.r53, aws, targets);
  });

  async function run(...argv: string[]) {
    return runWith(drClients, ...argv);
  }
  const runWith = (clients: DrClients, ...argv: string[]) =>
    runDrCaptured([...argv, '--call-timeout', '0.05'], { config: threeRegions, clients });

  test.each<[string, string[], (w: FakeAws) => void, RegExp]>([
    [
      'status, a secondary region',
      ['status'],
      (w) => w.down.add('eu-west-1'),
      /cloudwatch:GetMetricData in eu-west-1 did not answer within 0\.05 s \(--call-timeout\)/,
    ],
    [
      'status, Route 53',
      ['status'],
      (w) => void (w.route53Down = true),
      /route53:\w+ in the global Route 53 API did not answer within 0\.05 s/,
    ],
    [
      'switchover, the target region',
      ['switchover', '--to', 'eu-west', '--execute'],
      (w) => w.down.add('eu-west-1'),
      /rds:DescribeGlobalClusters in eu-west-1 did not answer within 0\.05 s/,
    ],
    [
      'drill, Route 53',
      ['drill', '--region', 'us-east', '--execute'],
      (w) => void (w.route53Down = true),
      /route53:\w+ in the global Route 53 API did not answer within 0\.05 s/,
    ],
    [
      'failover, the target region',
      ['failover', '--to', 'eu-west', '--execute', '--accept-data-loss'],
      (w) => w.down.add('eu-west-1'),
      /rds:DescribeGlobalClusters in eu-west-1 did not answer within 0\.05 s/,
    ],
  ])('%s: exit 1 naming the call and where it went', async (_name, argv, breakIt, message) => {
    breakIt(aws);
    const { code, err } = await run(...argv);
    expect(code).toBe(1);
    expect(err).toMatch(message);
    // A user error, not a crash: no stack trace.
    expect(err).not.toMatch(/\n\s+at /);
  });

  test('switchover: the drained health check is restored even when the Aurora switchover call does not answer', async () => {
    // Everything answers but SwitchoverGlobalCluster, which hangs (the region broke mid-command).
    const hanging: DrClients = {
      ...drClients,
      rds: (region) =>
        new Proxy(drClients.rds(region), {
          get(client, property, receiver) {
            if (property !== 'send') return Reflect.get(client, property, receiver) as unknown;
            return (command: object, options?: object) =>
              command instanceof SwitchoverGlobalClusterCommand
                ? new Promise(() => undefined)
                : client.send(command as never, options);
          },
        }),
    };
    const { code, err } = await runWith(hanging, 'switchover', '--to', 'eu-west', '--execute');
    expect(code).toBe(1);
    expect(err).toMatch(/rds:SwitchoverGlobalCluster in eu-west-1 did not answer within 0\.05 s/);
    expect(aws.calls.filter((c) => c.api === 'UpdateHealthCheck').map((c) => c.input)).toEqual([
      expect.objectContaining({ Inverted: true }),
      expect.objectContaining({ Inverted: false }),
    ]);
    expect(aws.healthChecks['us-east'].inverted).toBe(false);
  });

  test('drill: throttling is retried with backoff, then answered', async () => {
    aws.failures.GetHealthCheckStatus = [awsError('Throttling'), awsError('Throttling')];
    const { code } = await run('drill', '--region', 'us-east');
    expect(code).toBe(0);
  });

  test('status: throttling past the bounded attempts ends with exit 1 and the advice to rerun', async () => {
    aws.failures.DescribeGlobalClusters = Array.from({ length: 5 }, () => awsError('ThrottlingException'));
    const { code, err } = await run('status');
    expect(code).toBe(1);
    expect(err).toMatch(/AWS throttled rds:DescribeGlobalClusters in us-east-1 5 times \(ThrottlingException\)/);
  });
});
