import { runDr } from '../../src/dr/cli';
import { status, switchover, waitFor, type DrContext, type StatusReport } from '../../src/dr/commands';
import { guardedClients } from '../../src/dr/guard';
import { type DrTargets } from '../../src/dr/targets';
import type { PlatformConfig } from '../../src/config/types';

import { threeRegions, variant } from '../support/config';
import { auroraArn, drClients, fakeClock, type FakeAws, sdkMocks, drContext, fakeWorld } from '../support/dr-mocks';

// status and switchover against the region-aware fake of test/support/dr-mocks.ts: every call is
// recorded with the region it went to, each region's CloudWatch knows only its own members, and a
// switchover or failover sent to the wrong region is refused. So a command that asks the wrong
// region, or stops waiting too early, is seen.

const mocks = sdkMocks();

/** threeRegions with eu-west as the primary, listed second (after us-east). */
const euWestPrimary = variant((c) => {
  c.regions.find((r) => r.key === 'us-east')!.role = 'secondary';
  c.regions.find((r) => r.key === 'eu-west')!.role = 'primary';
  c.traffic.drRegion = 'us-east';
}, threeRegions);

/** A reader region (no cache member) listed first; us-east stays the primary. */
const readerFirst = variant((c) => {
  c.regions.unshift({
    key: 'us-west',
    code: 'us-west-2',
    role: 'secondary',
    vpcCidr: '10.40.0.0/16',
    azCount: 3,
    overrides: { elasticache: { joinGlobalDatastore: false } },
  });
}, threeRegions);

let aws: FakeAws;
let targets: DrTargets;

function world(config: PlatformConfig = threeRegions): void {
  ({ targets, aws } = fakeWorld(mocks, config));
}

const context = (lines: string[], options: Partial<DrContext> = {}): DrContext => drContext(targets, lines, options);

async function run(config: PlatformConfig, ...argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runDr(argv, {
    env: {},
    config,
    clients: drClients,
    clock: fakeClock(),
    out: (l) => out.push(l),
    err: (l) => err.push(l),
  });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

const regionsOf = (api: string) => [...new Set(aws.calls.filter((c) => c.api === api).map((c) => c.region))];
const apis = () => aws.calls.map((c) => c.api);
const code = (key: string) => targets.regions.find((r) => r.key === key)!.code;

beforeEach(() => world());

describe('status reads through the right regions', () => {
  test('Aurora and the cache are read through the configured primary, each lag in the member’s own region', async () => {
    aws.lags['eu-west-1'] = { replicationMs: 400, cacheSeconds: 0.2 };
    aws.lags['ap-southeast-1'] = { replicationMs: 6500, cacheSeconds: 3 };
    const { code: exit, out } = await run(threeRegions, 'status', '--json');
    expect(exit).toBe(0);
    const report = JSON.parse(out) as StatusReport;
    expect('excluded' in report).toBe(false);
    expect(regionsOf('DescribeGlobalClusters')).toEqual(['us-east-1']);
    expect(regionsOf('DescribeGlobalReplicationGroups')).toEqual(['us-east-1']);
    expect(regionsOf('GetMetricData').sort()).toEqual(['ap-southeast-1', 'eu-west-1']);
    expect(report.aurora.members.map((m) => [m.region, m.writer, m.replicationLagMs])).toEqual([
      ['us-east-1', true, null],
      ['eu-west-1', false, 400],
      ['ap-southeast-1', false, 6500],
    ]);
    expect(report.cache.members.map((m) => [m.region, m.primary, m.replicationLagSeconds])).toEqual([
      ['us-east-1', true, null],
      ['eu-west-1', false, 0.2],
      ['ap-southeast-1', false, 3],
    ]);
    expect(report).toEqual(
      expect.objectContaining({
        ok: true,
        aurora: expect.objectContaining({ status: 'available', writerRegion: 'us-east-1', failover: null }),
        cache: expect.objectContaining({ status: 'available', primaryRegion: 'us-east-1' }),
      }),
    );
  });

  test('lags print in ms, the cache lag converted from seconds; a member without a datapoint says so', async () => {
    aws.lags['eu-west-1'] = { replicationMs: 400, cacheSeconds: 0.2 };
    const { out } = await run(threeRegions, 'status');
    expect(out).toMatch(/eu-west-1 mi-production-eu-west-aurora: replication lag 400 ms/);
    expect(out).toMatch(/eu-west-1 mi-production-eu-west-cache: associated, replication lag 200 ms/);
    expect(out).toMatch(/ap-southeast-1 mi-production-apac-aurora: replication lag no data/);
    expect(out).toMatch(/ap-southeast-1 mi-production-apac-cache: associated, replication lag no data/);
  });

  test('a primary listed second is still the region read through', async () => {
    world(euWestPrimary);
    expect(targets.regions[0].key).toBe('us-east');
    const { code: exit, out } = await run(euWestPrimary, 'status');
    expect(exit).toBe(0);
    expect(regionsOf('DescribeGlobalClusters')).toEqual(['eu-west-1']);
    expect(regionsOf('DescribeGlobalReplicationGroups')).toEqual(['eu-west-1']);
    expect(out).toMatch(/writer in eu-west-1/);
  });

  test('--exclude the primary reads through the first surviving region, the cache through the first one with a member', async () => {
    world(readerFirst);
    expect(targets.regions.map((r) => [r.key, r.cacheReplicationGroup !== ''])).toEqual([
      ['us-west', false],
      ['us-east', true],
      ['eu-west', true],
      ['apac', true],
    ]);
    aws.down.add('us-east-1');
    const { code: exit, out } = await run(readerFirst, 'status', '--exclude', 'us-east', '--json');
    // Not ok: the lost region's health check fails.
    expect(exit).toBe(1);
    const report = JSON.parse(out) as StatusReport;
    expect(report.healthChecks.filter((h) => !h.healthy).map((h) => h.region)).toEqual(['us-east']);
    expect(report.excluded).toBe('us-east');
    expect(regionsOf('DescribeGlobalClusters')).toEqual(['us-west-2']);
    expect(regionsOf('DescribeGlobalReplicationGroups')).toEqual(['eu-west-1']);
    expect(aws.calls.filter((c) => c.region === 'us-east-1')).toEqual([]);
    // The excluded writer's own lags are not asked for (a call there would hang).
    expect(report.aurora.members.find((m) => m.region === 'us-east-1')?.replicationLagMs).toBeNull();
  });

  test('--exclude a secondary keeps reading through the primary and says which members were not asked', async () => {
    const lines: string[] = [];
    const report = await status(context(lines), { exclude: 'apac' });
    expect(report.ok).toBe(true);
    expect(regionsOf('DescribeGlobalClusters')).toEqual(['us-east-1']);
    expect(regionsOf('GetMetricData')).toEqual(['eu-west-1']);
    expect(lines).toContain('Not calling apac (ap-southeast-1); reading through us-east');
    expect(lines).toContain('  ap-southeast-1 mi-production-apac-aurora: not asked (excluded)');
    expect(lines).toContain('  ap-southeast-1 mi-production-apac-cache: associated, not asked (excluded)');
  });

  test('without --exclude nothing is announced and every member is asked', async () => {
    const lines: string[] = [];
    await status(context(lines));
    expect(lines.some((l) => l.startsWith('Not calling'))).toBe(false);
    expect(lines.some((l) => l.includes('not asked'))).toBe(false);
  });

  test('--call-timeout bounds every call: a region that does not answer is named', async () => {
    aws.down.add('eu-west-1');
    const { code: exit, err } = await run(threeRegions, 'status', '--call-timeout', '0.05');
    expect(exit).toBe(1);
    expect(err).toMatch(/cloudwatch:GetMetricData in eu-west-1 did not answer within 0\.05 s/);
  });
});

describe('status is not ok when something is wrong', () => {
  test.each<[string, (w: FakeAws) => void, RegExp]>([
    ['no Aurora writer', (w) => void (w.auroraWriter = 'none'), /writer in NONE/],
    ['no cache primary', (w) => void (w.cachePrimary = 'none'), /primary in NONE/],
    [
      'an inverted health check',
      (w) => void (w.healthChecks['eu-west'].inverted = true),
      /eu-west \(hc-eu-west\): .*INVERTED/,
    ],
    [
      'a failing region',
      (w) => void (w.healthChecks.apac.fqdn = 'elsewhere.example.com'),
      /apac \(hc-apac\): UNHEALTHY, checkers 0\/8/,
    ],
  ])('%s', async (_name, change, line) => {
    change(aws);
    const lines: string[] = [];
    const report = await status(context(lines), { callTimeoutSeconds: 0.05 });
    expect(report.ok).toBe(false);
    expect(lines.join('\n')).toMatch(line);
  });

  test('a region without a tagged health check', async () => {
    delete (aws.healthChecks as Record<string, unknown>).apac;
    const lines: string[] = [];
    const report = await status(context(lines));
    expect(report.ok).toBe(false);
    expect(lines).toContain('  apac: no health check tagged Name=mi-production-api-apac');
    expect(report.healthChecks.find((h) => h.region === 'apac')).toEqual({
      region: 'apac',
      id: null,
      healthy: null,
      inverted: null,
      fenced: null,
      checkers: null,
    });
  });

  test('a fenced region is reported as such', async () => {
    aws.healthChecks['us-east'].fqdn = `${targets.regions[0].directName}.invalid`;
    const lines: string[] = [];
    const report = await status(context(lines));
    expect(report.healthChecks.map((h) => [h.region, h.fenced, h.healthy])).toEqual([
      ['us-east', true, false],
      ['eu-west', false, true],
      ['apac', false, true],
    ]);
    expect(lines.join('\n')).toMatch(/us-east \(hc-us-east\): UNHEALTHY, checkers 0\/8, FENCED by a failover/);
  });

  test('a failover AWS is running is reported with its target', async () => {
    aws.auroraFailingOverTo = 'eu-west-1';
    aws.auroraFailoverDescribes = 5;
    const lines: string[] = [];
    const report = await status(context(lines));
    expect(report.aurora.failover).toEqual({
      status: 'failing-over',
      toArn: auroraArn(targets.regions[1]),
      dataLossAllowed: true,
    });
    expect(lines[0]).toMatch(/: failing-over, writer in us-east-1, failing-over to arn:aws:rds:eu-west-1:/);
  });
});

describe('switchover --execute', () => {
  test('drains the writer, switches Aurora in the target region, waits until it is available, then the cache, restores', async () => {
    const lines: string[] = [];
    await switchover(context(lines), 'eu-west');
    expect(aws.auroraWriter).toBe('eu-west-1');
    expect(aws.cachePrimary).toBe('eu-west-1');
    expect(regionsOf('SwitchoverGlobalCluster')).toEqual(['eu-west-1']);
    expect(regionsOf('FailoverGlobalReplicationGroup')).toEqual(['eu-west-1']);
    // The Aurora cluster read `switching-over` twice after the writer moved: 20 s at a 10 s poll.
    expect(lines).toContain('  Aurora writer in eu-west-1 after 20 s');
    expect(lines).toContain('  ElastiCache primary in eu-west-1 after 20 s');
    const mutating = apis().filter((a) => /Switchover|Failover|UpdateHealthCheck/.test(a));
    expect(mutating).toEqual([
      'UpdateHealthCheck',
      'SwitchoverGlobalCluster',
      'FailoverGlobalReplicationGroup',
      'UpdateHealthCheck',
    ]);
    // The cache moves only once Aurora reads available again.
    const failoverAt = apis().indexOf('FailoverGlobalReplicationGroup');
    const lastDescribe = aws.calls
      .slice(0, failoverAt)
      .filter((c) => c.api === 'DescribeGlobalClusters')
      .at(-1);
    expect(lastDescribe).toBeDefined();
    expect(aws.auroraSwitchoverDescribes).toBe(0);
    expect(aws.healthChecks['us-east'].inverted).toBe(false);
    expect(lines.at(-1)).toMatch(/set role "primary" on region eu-west \(and "secondary" on us-east\)/);
  });

  test('gives up when Aurora is not available within --timeout, and restores the drained check', async () => {
    const lines: string[] = [];
    await expect(switchover(context(lines, { timeoutSeconds: 10 }), 'eu-west')).rejects.toThrow(
      'timed out after 10 s waiting for Aurora writer in eu-west-1 (raise --timeout or investigate)',
    );
    expect(aws.healthChecks['us-east'].inverted).toBe(false);
    expect(apis().filter((a) => a === 'UpdateHealthCheck')).toHaveLength(2);
    expect(apis()).not.toContain('FailoverGlobalReplicationGroup');
  });

  test('a wait that ends exactly at --timeout still succeeds', async () => {
    const lines: string[] = [];
    await switchover(context(lines, { timeoutSeconds: 20 }), 'eu-west');
    expect(lines).toContain('  Aurora writer in eu-west-1 after 20 s');
  });

  test('half done, Aurora moved and the cache not: only the cache moves, with the old primary drained', async () => {
    aws.auroraWriter = 'eu-west-1';
    const lines: string[] = [];
    await switchover(context(lines), 'eu-west');
    expect(lines.join('\n')).not.toMatch(/nothing to do/);
    expect(lines).toContain('  already the writer');
    expect(apis()).not.toContain('SwitchoverGlobalCluster');
    expect(aws.cachePrimary).toBe('eu-west-1');
    expect(lines).toContain('1. drain us-east from DNS');
    expect(aws.calls.filter((c) => c.api === 'UpdateHealthCheck').map((c) => c.input)).toEqual([
      { HealthCheckId: 'hc-us-east', Inverted: true },
      { HealthCheckId: 'hc-us-east', Inverted: false },
    ]);
    expect(lines.at(-1)).toMatch(/\(and "secondary" on us-east\)/);
  });

  test('half done, the cache moved and Aurora not: only Aurora moves', async () => {
    aws.cachePrimary = 'eu-west-1';
    const lines: string[] = [];
    await switchover(context(lines), 'eu-west');
    expect(lines).toContain('  already the primary');
    expect(apis()).not.toContain('FailoverGlobalReplicationGroup');
    expect(regionsOf('SwitchoverGlobalCluster')).toEqual(['eu-west-1']);
    expect(aws.auroraWriter).toBe('eu-west-1');
  });

  test('nothing to do when the target already writes both: no change, no health check touched', async () => {
    const lines: string[] = [];
    await switchover(context(lines), 'us-east');
    expect(lines).toEqual(['us-east already writes (Aurora and ElastiCache): nothing to do.']);
    expect(apis()).toEqual(['DescribeGlobalClusters', 'DescribeGlobalReplicationGroups']);
  });

  test('refuses while the global cluster is not available', async () => {
    aws.auroraSwitchoverDescribes = 3;
    await expect(switchover(context([]), 'eu-west')).rejects.toThrow(
      'Aurora global cluster is switching-over; wait until it is available',
    );
    expect(apis()).not.toContain('UpdateHealthCheck');
  });

  test('a dry run reads the state, prints the calls and changes nothing', async () => {
    const lines: string[] = [];
    await switchover(context(lines, { execute: false }), 'eu-west');
    expect(apis().filter((a) => /Switchover|Failover|UpdateHealthCheck/.test(a))).toEqual([]);
    expect(lines[0]).toBe('Switchover of the write path to eu-west (eu-west-1) — DRY RUN, pass --execute to run');
    expect(lines).toContain(
      '  [dry-run] would call route53:UpdateHealthCheck {"HealthCheckId":"hc-us-east","Inverted":true}',
    );
    expect(lines).toContain(
      '  [dry-run] would call route53:UpdateHealthCheck {"HealthCheckId":"hc-us-east","Inverted":false}',
    );
    expect(lines.some((l) => l.includes('after'))).toBe(false);
  });

  test('with --execute the header has no dry-run note and every call is announced', async () => {
    const lines: string[] = [];
    await switchover(context(lines), 'eu-west');
    expect(lines[0]).toBe('Switchover of the write path to eu-west (eu-west-1)');
    expect(lines).toContain('  calling route53:UpdateHealthCheck {"HealthCheckId":"hc-us-east","Inverted":true}');
  });
});

describe('switchover: what it waits for and which region it drains', () => {
  test('AWS still shows the old writer as available right after accepting: the wait goes on until the target writes', async () => {
    aws.auroraSwitchoverStartDescribes = 2;
    aws.cacheFailoverStartDescribes = 2;
    const lines: string[] = [];
    await switchover(context(lines), 'eu-west');
    // Two describes with the old writer, then two switching-over: 40 s at a 10 s poll.
    expect(lines).toContain('  Aurora writer in eu-west-1 after 40 s');
    expect(lines).toContain('  ElastiCache primary in eu-west-1 after 40 s');
    expect([aws.auroraWriter, aws.cachePrimary]).toEqual(['eu-west-1', 'eu-west-1']);
  });

  test('Aurora writing in one region and the cache in another: the Aurora writer is drained', async () => {
    aws.cachePrimary = 'ap-southeast-1';
    const lines: string[] = [];
    await switchover(context(lines), 'eu-west');
    expect(lines).toContain('1. drain us-east from DNS');
    expect(aws.calls.filter((c) => c.api === 'UpdateHealthCheck').map((c) => c.input)).toEqual([
      { HealthCheckId: 'hc-us-east', Inverted: true },
      { HealthCheckId: 'hc-us-east', Inverted: false },
    ]);
  });

  test('the writer listed second is the one drained', async () => {
    world(euWestPrimary);
    const lines: string[] = [];
    await switchover(context(lines), 'apac');
    expect(lines).toContain('1. drain eu-west from DNS');
    expect(aws.healthChecks['eu-west'].inverted).toBe(false);
    expect(aws.calls.filter((c) => c.api === 'UpdateHealthCheck').map((c) => c.input)).toEqual([
      { HealthCheckId: 'hc-eu-west', Inverted: true },
      { HealthCheckId: 'hc-eu-west', Inverted: false },
    ]);
  });

  test('no writer region known: nothing to drain, both stores still move', async () => {
    aws.auroraWriter = 'nowhere';
    aws.cachePrimary = 'nowhere';
    const lines: string[] = [];
    await switchover(context(lines), 'eu-west');
    expect(lines).toContain('1. drain (no writer region) from DNS');
    expect(lines).toContain('4. restore (none) in DNS');
    expect(lines.at(-1)).toMatch(/\(and "secondary" on the old one\)/);
    expect(aws.calls.filter((c) => c.api === 'UpdateHealthCheck')).toEqual([]);
    expect([aws.auroraWriter, aws.cachePrimary]).toEqual(['eu-west-1', 'eu-west-1']);
  });

  test('a restore that fails after a switchover that worked is reported as it is', async () => {
    aws.failures.UpdateHealthCheck = [undefined as never, Object.assign(new Error('restore refused'), { name: 'X' })];
    await expect(switchover(context([]), 'eu-west')).rejects.toThrow(/^restore refused$/);
    expect([aws.auroraWriter, aws.cachePrimary]).toEqual(['eu-west-1', 'eu-west-1']);
  });

  test('the steps name the members they move', async () => {
    const lines: string[] = [];
    await switchover(context(lines), 'eu-west');
    expect(lines).toContain('2. Aurora: make mi-production-eu-west-aurora the writer');
    expect(lines).toContain('3. ElastiCache: make mi-production-eu-west-cache the primary');
    expect(lines).toContain('4. restore us-east in DNS');
  });
});

describe('waitFor', () => {
  test('returns the seconds waited; polls at the given interval', async () => {
    let calls = 0;
    const seconds = await waitFor(context([], { pollSeconds: 7 }), 'x', async () => ++calls === 3);
    expect([seconds, calls]).toEqual([14, 3]);
  });
});

describe('guarded clients', () => {
  test('the excluded region cannot get a client; the others and Route 53 can', () => {
    const guarded = guardedClients(drClients, {
      exclude: 'us-east-1',
      excludeReason: 'us-east-1 is lost',
      callTimeoutSeconds: 1,
      attempts: 1,
      clock: fakeClock(),
    });
    for (const make of [guarded.rds, guarded.elasticache, guarded.cloudwatch]) {
      expect(() => make('us-east-1')).toThrow(
        /^refusing to call \w+ in us-east-1: us-east-1 is lost \(a call there would hang\)/,
      );
      expect(make('eu-west-1')).toBeDefined();
    }
    expect(guarded.route53.send).toBeInstanceOf(Function);
  });

  test('throttled calls back off 1, 2, 4 s on the clock, then succeed', async () => {
    const clock = fakeClock();
    const throttle = () => Object.assign(new Error('slow down'), { name: 'ThrottlingException', $metadata: {} });
    aws.failures.DescribeGlobalClusters = [throttle(), throttle(), throttle()];
    const guarded = guardedClients(drClients, { callTimeoutSeconds: 1, attempts: 4, clock });
    const lines: string[] = [];
    const report = await status({ ...context(lines), clients: guarded, clock });
    expect(report.aurora.writerRegion).toBe('us-east-1');
    expect(clock.now()).toBe(7000);
  });

  test('other errors are not retried', async () => {
    aws.failures.DescribeGlobalClusters = [Object.assign(new Error('no'), { name: 'AccessDenied', $metadata: {} })];
    const guarded = guardedClients(drClients, { callTimeoutSeconds: 1, attempts: 4, clock: fakeClock() });
    await expect(status({ ...context([]), clients: guarded })).rejects.toThrow('no');
    expect(apis().filter((a) => a === 'DescribeGlobalClusters')).toHaveLength(1);
  });

  test.each([
    'Throttling',
    'ThrottledException',
    'TooManyRequestsException',
    'RequestLimitExceeded',
    'PriorRequestNotComplete',
  ])('%s counts as throttling', async (name) => {
    aws.failures.DescribeGlobalClusters = [Object.assign(new Error('x'), { name, $metadata: {} })];
    const guarded = guardedClients(drClients, { callTimeoutSeconds: 1, attempts: 2, clock: fakeClock() });
    const report = await status({ ...context([]), clients: guarded });
    expect(report.aurora.writerRegion).toBe('us-east-1');
  });

  test('throttling beyond the attempts names the call and the count', async () => {
    const throttle = () => Object.assign(new Error('slow down'), { name: 'Throttling', $metadata: {} });
    aws.failures.DescribeGlobalClusters = [throttle(), throttle()];
    const guarded = guardedClients(drClients, { callTimeoutSeconds: 1, attempts: 2, clock: fakeClock() });
    await expect(status({ ...context([]), clients: guarded })).rejects.toThrow(
      'AWS throttled rds:DescribeGlobalClusters in us-east-1 2 times (Throttling); wait a minute',
    );
  });
});

describe('targets', () => {
  test('the primary is found by role, not by position', async () => {
    world(euWestPrimary);
    const { out } = await run(euWestPrimary, 'targets');
    expect(out).toMatch(/ {2}eu-west \(eu-west-1, primary\): aurora mi-production-eu-west-aurora/);
    expect(out).toMatch(/ {2}us-east \(us-east-1, secondary\)/);
    expect(code('eu-west')).toBe('eu-west-1');
  });
});
