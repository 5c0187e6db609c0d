// What `dr status` prints to the operator, line by line (src/dr/commands.ts `status`), and the
// options it refuses, against the stateful fake of test/support/dr-mocks.ts.
import { DescribeGlobalClustersCommand } from '@aws-sdk/client-rds';
import { status, type DrContext } from '../../src/dr/commands';
import { DrError, type DrTargets } from '../../src/dr/targets';

import { threeRegions } from '../support/config';
import { auroraArn, type FakeAws, sdkMocks, drContext, fakeWorld } from '../support/dr-mocks';
import { runDrCaptured } from '../support/dr-run';

const mocks = sdkMocks();

let aws: FakeAws;
let targets: DrTargets;
let lines: string[];

beforeEach(() => {
  ({ targets, aws } = fakeWorld(mocks, threeRegions));
  aws.lags['eu-west-1'] = { replicationMs: 412.6, cacheSeconds: 0.25 };
  lines = [];
});

const context = (): DrContext => drContext(targets, lines, { execute: false });

describe('status: every line of a healthy platform', () => {
  test('writer, lags rounded to ms, the cache lag from seconds, each health check; ok', async () => {
    const report = await status(context());
    expect(report.ok).toBe(true);
    expect(lines).toEqual([
      'Aurora global cluster mi-production-aurora: available, writer in us-east-1',
      '  eu-west-1 mi-production-eu-west-aurora: replication lag 413 ms',
      '  ap-southeast-1 mi-production-apac-aurora: replication lag no data',
      'ElastiCache global datastore ldgnf-mi-production-cache: available, primary in us-east-1',
      '  eu-west-1 mi-production-eu-west-cache: associated, replication lag 250 ms',
      '  ap-southeast-1 mi-production-apac-cache: associated, replication lag no data',
      'Route 53 health checks:',
      '  us-east (hc-us-east): HEALTHY, checkers 8/8',
      '  eu-west (hc-eu-west): HEALTHY, checkers 8/8',
      '  apac (hc-apac): HEALTHY, checkers 8/8',
    ]);
    expect(report.healthChecks[0]).toEqual({
      region: 'us-east',
      id: 'hc-us-east',
      healthy: true,
      inverted: false,
      fenced: false,
      checkers: '8/8',
    });
  });

  test('the lags are asked as AWS/RDS and as a SEARCH over the member, each in its own region', async () => {
    await status(context());
    const reads = aws.calls.filter((c) => c.api === 'GetMetricData');
    const queries = reads.map((c) => [
      c.region,
      (c.input as { MetricDataQueries: Record<string, unknown>[] }).MetricDataQueries[0],
    ]);
    expect(queries).toEqual([
      [
        'eu-west-1',
        {
          Id: 'm',
          MetricStat: {
            Metric: {
              Namespace: 'AWS/RDS',
              MetricName: 'AuroraGlobalDBReplicationLag',
              Dimensions: [{ Name: 'DBClusterIdentifier', Value: 'mi-production-eu-west-aurora' }],
            },
            Period: 60,
            Stat: 'Maximum',
          },
        },
      ],
      ['ap-southeast-1', expect.objectContaining({ Id: 'm' })],
      [
        'eu-west-1',
        {
          Id: 'm',
          Expression:
            'SEARCH(\'{AWS/ElastiCache,CacheClusterId} MetricName="GlobalDatastoreReplicationLag" "mi-production-eu-west-cache"\', \'Maximum\', 60)',
          Period: 60,
        },
      ],
      ['ap-southeast-1', expect.objectContaining({ Id: 'm' })],
    ]);
  });
});

describe('status: what it refuses and reports', () => {
  test('an unknown --exclude names the flag and the valid regions, before any call', async () => {
    await expect(status(context(), { exclude: 'mars' })).rejects.toThrow(
      new DrError('--exclude mars: expected one of us-east (us-east-1), eu-west (eu-west-1), apac (ap-southeast-1)'),
    );
    expect(aws.calls).toEqual([]);
  });

  test('a failover whose target AWS does not name: "?"', async () => {
    mocks.rds.on(DescribeGlobalClustersCommand).resolves({
      GlobalClusters: [
        {
          Status: 'failing-over',
          FailoverState: { Status: 'pending' },
          GlobalClusterMembers: targets.regions.map((r) => ({ DBClusterArn: auroraArn(r), IsWriter: false })),
        },
      ],
    });
    const report = await status(context());
    expect(report.ok).toBe(false);
    expect(lines[0]).toBe('Aurora global cluster mi-production-aurora: failing-over, writer in NONE, pending to ?');
  });

  test('CLI: exit 0 when healthy; the narrative on stdout without --json', async () => {
    const { code, out } = await runDrCaptured(['status'], { config: threeRegions });
    expect(code).toBe(0);
    expect(out.split('\n')[0]).toBe('Aurora global cluster mi-production-aurora: available, writer in us-east-1');
    expect(out).not.toMatch(/"healthChecks"/);
  });

  test('CLI: exit 1 when a health check is unhealthy', async () => {
    aws.healthChecks.apac.fqdn = 'elsewhere.example.com';
    const { code, out } = await runDrCaptured(['status'], { config: threeRegions });
    expect(code).toBe(1);
    expect(out.split('\n')).toContain('  apac (hc-apac): UNHEALTHY, checkers 0/8');
  });
});
