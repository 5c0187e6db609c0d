import { FailoverGlobalReplicationGroupCommand } from '@aws-sdk/client-elasticache';
import { FailoverGlobalClusterCommand } from '@aws-sdk/client-rds';
import { UpdateHealthCheckCommand } from '@aws-sdk/client-route-53';
import 'aws-sdk-client-mock-jest';
import { runDr } from '../../src/dr/cli';
import { failover, type FailoverReport } from '../../src/dr/failover';
import { drTargets } from '../../src/dr/targets';
import { loadPlan, resolvePlan } from '../../src/plan/resolve';
import { withReaderRegion } from '../support/config';
import {
  auroraArn,
  awsError,
  drClients,
  fakeAws,
  fakeClock,
  type FakeAws,
  sdkMocks,
  drContext,
} from '../support/dr-mocks';

const mocks = sdkMocks();
const targets = drTargets(loadPlan({ PLATFORM_ENV: 'production' }));
const region = (key: string) => targets.regions.find((r) => r.key === key)!;
const [primary, euWest, apac] = [region('us-east'), region('eu-west'), region('apac')];
const EXECUTE = ['--execute', '--accept-data-loss'];
const MUTATING = ['FailoverGlobalCluster', 'FailoverGlobalReplicationGroup', 'UpdateHealthCheck'];

let aws: FakeAws;

beforeEach(() => {
  Object.values(mocks).forEach((m) => m.reset());
  aws = fakeAws(mocks, targets, primary.code);
  // Each region's CloudWatch knows only its own members' lag: a read in the wrong region or for the
  // wrong member finds another figure, or none.
  aws.lags[euWest.code] = { rpoMs: 850, replicationMs: 400, cacheSeconds: 0.2 };
  aws.lags[apac.code] = { rpoMs: 7000, replicationMs: 6500, cacheSeconds: 3 };
  aws.down.add(primary.code);
});

async function run(...argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runDr(argv, {
    env: {},
    clients: drClients,
    clock: fakeClock(),
    out: (l) => out.push(l),
    err: (l) => err.push(l),
  });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

const callsTo = (code: string) => aws.calls.filter((c) => c.region === code);
const apiCalls = (api: string) => aws.calls.filter((c) => c.api === api);

describe('dr failover: dry run', () => {
  test('prints the plan and the data at risk from the target member, changes nothing, never calls the lost region', async () => {
    const { code, out } = await run('failover', '--to', 'eu-west');
    expect(code).toBe(0);
    expect(out).toMatch(/Failover \(region lost\) from us-east \(us-east-1\) to eu-west \(eu-west-1\) — DRY RUN/);
    expect(out).toMatch(/aurora mi-production-eu-west-aurora \(eu-west-1\): AuroraGlobalDBRPOLag 0\.85 s/);
    expect(out).toMatch(/cache mi-production-eu-west-cache \(eu-west-1\): GlobalDatastoreReplicationLag 0\.2 s/);
    expect(out).toMatch(/writes committed in us-east during about the last 0\.850 s before it was lost may be missing/);
    expect(out).toMatch(
      new RegExp(
        `would call rds:FailoverGlobalCluster \\(eu-west-1\\) .*"TargetDbClusterIdentifier":"${auroraArn(euWest)}","AllowDataLoss":true`,
      ),
    );
    expect(out).toMatch(
      /would call elasticache:FailoverGlobalReplicationGroup .*"PrimaryReplicationGroupId":"mi-production-eu-west-cache"/,
    );
    expect(out).toMatch(
      /would call route53:UpdateHealthCheck .*"FullyQualifiedDomainName":"api-us-east\.254carbon\.com\.invalid"/,
    );
    expect(out).toMatch(/dry run complete: nothing changed/);
    expect(aws.calls.length).toBeGreaterThan(0);
    expect(aws.calls.filter((c) => MUTATING.includes(c.api))).toEqual([]);
    expect(callsTo(primary.code)).toEqual([]);
    expect(aws.auroraWriter).toBe(primary.code);
  });

  test('--execute without --accept-data-loss refuses with exit 2 before calling anything', async () => {
    const { code, out, err } = await run('failover', '--to', 'eu-west', '--execute');
    expect(code).toBe(2);
    expect(out).toBe('');
    expect(err).toMatch(/AllowDataLoss.*add --accept-data-loss to confirm/);
    expect(aws.calls).toEqual([]);
  });

  test.each([
    [['failover'], 2, /failover needs --to <region>/],
    [['failover', '--to', 'us-east'], 1, /--to us-east is the region being failed over from/],
    [['failover', '--to', 'mars'], 1, /--to mars: expected one of/],
    [['failover', '--to', 'eu-west', '--call-timeout', '0'], 2, /expected a positive number of seconds/],
  ])('%j exits %d', async (argv, exit, message) => {
    const { code, err } = await run(...argv);
    expect(code).toBe(exit);
    expect(err).toMatch(message);
  });
});

describe('dr failover --execute', () => {
  test.each([
    ['eu-west', euWest],
    ['apac', apac],
  ])(
    'to %s: Aurora with AllowDataLoss to its ARN, the cache to its member, the lost region fenced',
    async (key, target) => {
      const { code, out } = await run('failover', '--to', key, ...EXECUTE);
      expect(code).toBe(0);
      expect(mocks.rds).toHaveReceivedCommandTimes(FailoverGlobalClusterCommand, 1);
      expect(mocks.rds).toHaveReceivedCommandWith(FailoverGlobalClusterCommand, {
        GlobalClusterIdentifier: 'mi-production-aurora',
        TargetDbClusterIdentifier: auroraArn(target),
        AllowDataLoss: true,
      });
      expect(apiCalls('FailoverGlobalCluster').map((c) => c.region)).toEqual([target.code]);
      expect(mocks.cache).toHaveReceivedCommandWith(FailoverGlobalReplicationGroupCommand, {
        GlobalReplicationGroupId: 'ldgnf-mi-production-cache',
        PrimaryRegion: target.code,
        PrimaryReplicationGroupId: target.cacheReplicationGroup,
      });
      expect(mocks.r53).toHaveReceivedCommandWith(UpdateHealthCheckCommand, {
        HealthCheckId: 'hc-us-east',
        FullyQualifiedDomainName: 'api-us-east.254carbon.com.invalid',
        Inverted: false,
      });
      expect([aws.auroraWriter, aws.cachePrimary]).toEqual([target.code, target.code]);
      expect(callsTo(primary.code)).toEqual([]);
      expect(out).toMatch(new RegExp(`Aurora writer in ${target.code} after \\d+ s`));
      expect(out).toMatch(
        /us-east unhealthy in Route 53 after \d+ s; resolvers follow within the DNS budget \(.* = 50 s\)/,
      );
      expect(out).toMatch(/Timeline:\n {2}1970-01-01T00:00:00\.000Z {2}start: execute, from us-east-1 to /);
      expect(out).toMatch(/failover complete/);
      expect(out).toMatch(/CACHE_WRITER_HOST/);
    },
  );

  test('--from names the lost region when it is not the configured primary; that region is never called', async () => {
    aws.auroraWriter = euWest.code;
    aws.cachePrimary = euWest.code;
    aws.down.clear();
    aws.down.add(euWest.code);
    const { code } = await run('failover', '--to', 'apac', '--from', 'eu-west', ...EXECUTE);
    expect(code).toBe(0);
    expect(callsTo(euWest.code)).toEqual([]);
    expect(aws.healthChecks['eu-west'].fqdn).toBe('api-eu-west.254carbon.com.invalid');
    expect(aws.healthChecks['us-east'].fqdn).toBe('api-us-east.254carbon.com');
    expect([aws.auroraWriter, aws.cachePrimary]).toEqual([apac.code, apac.code]);
  });

  test('refuses when Aurora writes in a third region, naming --from', async () => {
    aws.auroraWriter = apac.code;
    const { code, err } = await run('failover', '--to', 'eu-west', ...EXECUTE);
    expect(code).toBe(1);
    expect(err).toMatch(/Aurora writes in ap-southeast-1, neither us-east .* pass --from apac/);
    expect(apiCalls('FailoverGlobalCluster')).toEqual([]);
  });

  test('a target region that does not answer either: a clear timeout and exit 1, nothing changed', async () => {
    aws.down.add(euWest.code);
    const { code, err } = await run('failover', '--to', 'eu-west', ...EXECUTE, '--call-timeout', '0.05');
    expect(code).toBe(1);
    expect(err).toMatch(/^rds:DescribeGlobalClusters in eu-west-1 did not answer within 0\.05 s \(--call-timeout\)/);
    expect(aws.calls.filter((c) => MUTATING.includes(c.api))).toEqual([]);
  });

  test('Route 53 not answering fails the traffic step with exit 1, the data steps done and the command to rerun', async () => {
    aws.route53Down = true;
    const { code, err } = await run('failover', '--to', 'eu-west', ...EXECUTE, '--call-timeout', '0.05');
    expect(code).toBe(1);
    expect(err).toMatch(
      /step 3 \(traffic\) failed: route53:ListHealthChecks in the global Route 53 API did not answer within 0\.05 s/,
    );
    expect(err).toMatch(
      /Aurora and the cache are done.*npm run dr -- failover --to eu-west --from us-east --execute --accept-data-loss/,
    );
    expect([aws.auroraWriter, aws.cachePrimary]).toEqual([euWest.code, euWest.code]);
  });

  test('resumes after a failure in the middle: Aurora is not promoted again, the cache and traffic follow', async () => {
    aws.failures.FailoverGlobalReplicationGroup = [awsError('InvalidGlobalReplicationGroupState', 'not available')];
    const first = await run('failover', '--to', 'eu-west', ...EXECUTE);
    expect(first.code).toBe(1);
    expect(first.err).toMatch(
      /step 2 \(cache\) failed: AWS answered InvalidGlobalReplicationGroupState: not available/,
    );
    expect(first.err).toMatch(/run the same command again.*npm run dr -- failover --to eu-west --from us-east/);
    expect([aws.auroraWriter, aws.cachePrimary]).toEqual([euWest.code, primary.code]);
    expect(apiCalls('UpdateHealthCheck')).toEqual([]);

    const second = await run('failover', '--to', 'eu-west', ...EXECUTE);
    expect(second.code).toBe(0);
    expect(second.out).toMatch(/mi-production-eu-west-aurora already writes/);
    expect(apiCalls('FailoverGlobalCluster')).toHaveLength(1);
    expect(apiCalls('FailoverGlobalReplicationGroup')).toHaveLength(2);
    expect([aws.auroraWriter, aws.cachePrimary]).toEqual([euWest.code, euWest.code]);
    expect(aws.healthChecks['us-east'].fqdn).toBe('api-us-east.254carbon.com.invalid');

    const third = await run('failover', '--to', 'eu-west', ...EXECUTE, '--json');
    expect(third.code).toBe(0);
    const report = JSON.parse(third.out) as FailoverReport;
    expect(report.steps.map((s) => s.status)).toEqual(['already-done', 'already-done', 'already-done']);
    expect(aws.calls.filter((c) => MUTATING.includes(c.api))).toHaveLength(4);
  });

  test('a promotion AWS is still running is waited for, not issued again', async () => {
    aws.auroraFailingOverTo = euWest.code;
    const { code, out } = await run('failover', '--to', 'eu-west', ...EXECUTE);
    expect(code).toBe(0);
    expect(out).toMatch(/already failing-over: not issued again/);
    expect(apiCalls('FailoverGlobalCluster')).toEqual([]);
  });

  test('throttling is retried with backoff', async () => {
    aws.failures.DescribeGlobalClusters = [
      awsError('Throttling', 'Rate exceeded'),
      awsError('Throttling', 'Rate exceeded'),
    ];
    const { code } = await run('failover', '--to', 'eu-west', ...EXECUTE);
    expect(code).toBe(0);
    expect(aws.auroraWriter).toBe(euWest.code);
  });

  test('throttling that does not stop is reported with what to do', async () => {
    aws.failures.FailoverGlobalCluster = Array.from({ length: 5 }, () =>
      awsError('ThrottlingException', 'Rate exceeded'),
    );
    const { code, err } = await run('failover', '--to', 'eu-west', ...EXECUTE);
    expect(code).toBe(1);
    expect(err).toMatch(
      /step 1 \(aurora\) failed: AWS throttled rds:FailoverGlobalCluster in eu-west-1 5 times \(ThrottlingException\); wait a minute and run the same command again/,
    );
    expect(apiCalls('FailoverGlobalCluster')).toHaveLength(5);
    expect(aws.auroraWriter).toBe(primary.code);
  });
});

describe('dr failover --json', () => {
  test('the report parses and carries the plan, the estimate and the timeline', async () => {
    const { code, out, err } = await run('failover', '--to', 'apac', '--json');
    expect(code).toBe(0);
    expect(err).toMatch(/DRY RUN/);
    const report = JSON.parse(out) as FailoverReport;
    expect(report).toMatchObject({
      execute: false,
      ok: true,
      lost: { key: 'us-east', code: 'us-east-1' },
      target: { key: 'apac', code: 'ap-southeast-1' },
    });
    expect(report.dataAtRisk.estimates).toEqual([
      expect.objectContaining({
        store: 'aurora',
        member: 'mi-production-apac-aurora',
        metric: 'AuroraGlobalDBRPOLag',
        seconds: 7,
      }),
      expect.objectContaining({ store: 'cache', member: 'mi-production-apac-cache', seconds: 3 }),
    ]);
    expect(report.steps.map((s) => [s.step, s.status])).toEqual([
      ['aurora', 'planned'],
      ['cache', 'planned'],
      ['traffic', 'planned'],
    ]);
    expect(report.timeline.length).toBeGreaterThanOrEqual(2);
    expect(report.timeline[0]).toEqual({
      at: '1970-01-01T00:00:00.000Z',
      event: expect.stringMatching(/^start: dry run/),
    });
  });

  test('a failed step is in the JSON too, with the command to run next', async () => {
    aws.failures.FailoverGlobalReplicationGroup = [awsError('InvalidGlobalReplicationGroupState')];
    const { code, out } = await run('failover', '--to', 'eu-west', ...EXECUTE, '--json');
    expect(code).toBe(1);
    const report = JSON.parse(out) as FailoverReport;
    expect(report).toMatchObject({
      ok: false,
      failedStep: 'cache',
      next: expect.stringMatching(/--accept-data-loss$/),
    });
    expect(report.steps.map((s) => s.status)).toEqual(['done', 'failed', 'not-run']);
  });
});

describe('dr failover to a reader region (no cache member)', () => {
  const wide = drTargets(resolvePlan(withReaderRegion));

  test('Aurora moves to the reader region; the cache fails over to a surviving member, and says which and why', async () => {
    const reader = wide.regions.find((r) => r.key === 'us-west')!;
    expect(reader.cacheReplicationGroup).toBe('');
    // us-west reads the nearest member, us-east's: the lost one, so the first surviving member takes over.
    expect(reader.cacheReadsFrom).toBe('us-east');
    const readsFrom = wide.regions.find((r) => r.key === 'eu-west')!;
    Object.values(mocks).forEach((m) => m.reset());
    aws = fakeAws(mocks, wide, 'us-east-1');
    aws.down.add('us-east-1');
    const lines: string[] = [];
    const report = await failover(drContext(wide, lines), { to: 'us-west' });
    expect(report.ok).toBe(true);
    expect(aws.auroraWriter).toBe('us-west-2');
    expect(aws.cachePrimary).toBe(readsFrom.code);
    expect(lines.join('\n')).toMatch(
      new RegExp(
        `us-west holds no cache member \\(a reader region\\) and reads us-east's member, which is lost; the datastore fails over to eu-west's member mi-production-eu-west-cache`,
      ),
    );
    expect(callsTo('us-east-1')).toEqual([]);
  });
});
