// The unplanned failover's decisions, step by step (src/dr/failover.ts): which member is promoted,
// what is refused before anything changes, the data-at-risk estimate, the resumable steps and what
// the operator reads (steps, timeline, the command to run next). Against the region-aware fake of
// test/support/dr-mocks.ts, on a clock that jumps on every sleep (so timings are exact).
import { DescribeGlobalReplicationGroupsCommand } from '@aws-sdk/client-elasticache';
import { DescribeGlobalClustersCommand, FailoverGlobalClusterCommand } from '@aws-sdk/client-rds';
import { GetHealthCheckStatusCommand } from '@aws-sdk/client-route-53';
import type { DrContext } from '../../src/dr/commands';
import { failover } from '../../src/dr/failover';
import { DrError, type DrTargets } from '../../src/dr/targets';
import type { PlatformConfig } from '../../src/config/types';

import { threeRegions, variant, withReaderRegion } from '../support/config';
import {
  auroraArn,
  awsError,
  fakeClock,
  observations,
  type FakeAws,
  sdkMocks,
  drContext,
  fakeWorld,
} from '../support/dr-mocks';
import { runDrCaptured } from '../support/dr-run';

const mocks = sdkMocks();

let aws: FakeAws;
let targets: DrTargets;
let lines: string[];

function world(config: PlatformConfig = threeRegions): void {
  ({ targets, aws } = fakeWorld(mocks, config));
  aws.down.add('us-east-1');
  lines = [];
}

const region = (key: string) => targets.regions.find((r) => r.key === key)!;

const context = (options: Partial<DrContext> = {}): DrContext => drContext(targets, lines, options);

const MUTATING = ['FailoverGlobalCluster', 'FailoverGlobalReplicationGroup', 'UpdateHealthCheck'];
const mutatingCalls = () => aws.calls.filter((c) => MUTATING.includes(c.api));
const callsTo = (code: string) => aws.calls.filter((c) => c.region === code);

beforeEach(() => world());

describe('failover: what is refused before anything changes', () => {
  test('--to the configured primary without --from: names the default and how to pass the lost region', async () => {
    await expect(failover(context(), { to: 'us-east' })).rejects.toThrow(
      new DrError(
        '--to us-east is the region being failed over from (the configured primary; pass --from <lost region> when another region was lost): pick a surviving region',
      ),
    );
    expect(aws.calls).toEqual([]);
  });

  test('--to the same region as --from: says it is --from', async () => {
    await expect(failover(context(), { to: 'eu-west-1', from: 'eu-west' })).rejects.toThrow(
      new DrError('--to eu-west is the region being failed over from (--from): pick a surviving region'),
    );
    expect(aws.calls).toEqual([]);
  });

  test('an unknown --from names the flag and the valid regions', async () => {
    await expect(failover(context(), { to: 'eu-west', from: 'mars' })).rejects.toThrow(
      new DrError('--from mars: expected one of us-east (us-east-1), eu-west (eu-west-1), apac (ap-southeast-1)'),
    );
  });

  test('--from given: the lost region is that one, not the configured primary', async () => {
    aws.down.clear();
    aws.down.add('ap-southeast-1');
    aws.auroraWriter = 'ap-southeast-1';
    aws.cachePrimary = 'ap-southeast-1';
    const report = await failover(context(), { to: 'eu-west', from: 'apac' });
    expect(report.ok).toBe(true);
    expect(report.lost).toEqual({ key: 'apac', code: 'ap-southeast-1' });
    expect(callsTo('ap-southeast-1')).toEqual([]);
    // The configured primary is up and is called (its health check stays as it is).
    expect(aws.healthChecks['apac'].fqdn).toBe(`${region('apac').directName}.invalid`);
    expect(aws.healthChecks['us-east'].fqdn).toBe(region('us-east').directName);
  });

  test('Aurora writing in a third region: the message names it by key, for --from', async () => {
    aws.auroraWriter = 'ap-southeast-1';
    await expect(failover(context(), { to: 'eu-west' })).rejects.toThrow(
      new DrError(
        'Aurora writes in ap-southeast-1, neither us-east (the region being failed over from) nor eu-west: if apac is the lost region pass --from apac; if it is healthy, use switchover',
      ),
    );
    expect(mutatingCalls()).toEqual([]);
  });

  test('Aurora writing in a region the configuration does not know: named by its code', async () => {
    mocks.rds.on(DescribeGlobalClustersCommand).resolves({
      GlobalClusters: [
        {
          Status: 'available',
          GlobalClusterMembers: [
            ...targets.regions.map((r) => ({ DBClusterArn: auroraArn(r), IsWriter: false })),
            { DBClusterArn: 'arn:aws:rds:sa-east-1:111122223333:cluster:stray', IsWriter: true },
          ],
        },
      ],
    });
    await expect(failover(context(), { to: 'eu-west' })).rejects.toThrow(
      new DrError(
        'Aurora writes in sa-east-1, neither us-east (the region being failed over from) nor eu-west: if sa-east-1 is the lost region pass --from sa-east-1; if it is healthy, use switchover',
      ),
    );
  });

  test('Aurora writing in the target already is no refusal: the step is already done', async () => {
    aws.auroraWriter = 'eu-west-1';
    const report = await failover(context(), { to: 'eu-west' });
    expect(report.ok).toBe(true);
    expect(report.steps.map((s) => s.status)).toEqual(['already-done', 'done', 'done']);
    expect(aws.calls.filter((c) => c.api === 'FailoverGlobalCluster')).toEqual([]);
  });

  test('Aurora already failing over towards another member: refused, nothing issued', async () => {
    aws.auroraFailingOverTo = 'ap-southeast-1';
    aws.auroraFailoverDescribes = 100;
    await expect(failover(context(), { to: 'eu-west' })).rejects.toThrow(
      new DrError(
        `Aurora is already failing-over towards ${auroraArn(region('apac'))}: wait for it to finish (npm run dr -- status --exclude us-east) before choosing another target`,
      ),
    );
    expect(mutatingCalls()).toEqual([]);
  });

  test('a target without a member cluster in the global cluster is refused', async () => {
    mocks.rds.on(DescribeGlobalClustersCommand).resolves({
      GlobalClusters: [
        {
          Status: 'available',
          GlobalClusterMembers: [
            { DBClusterArn: auroraArn(region('us-east')), IsWriter: true },
            { DBClusterArn: auroraArn(region('apac')), IsWriter: false },
          ],
        },
      ],
    });
    await expect(failover(context(), { to: 'eu-west' })).rejects.toThrow(
      new DrError('eu-west-1 has no member cluster in mi-production-aurora'),
    );
    expect(mutatingCalls()).toEqual([]);
  });

  test('a failover running towards a member AWS does not name: refused as well', async () => {
    mocks.rds.on(DescribeGlobalClustersCommand).resolves({
      GlobalClusters: [
        {
          Status: 'failing-over',
          FailoverState: { Status: 'pending' },
          GlobalClusterMembers: targets.regions.map((r) => ({
            DBClusterArn: auroraArn(r),
            IsWriter: r.key === 'us-east',
          })),
        },
      ],
    });
    await expect(failover(context(), { to: 'eu-west' })).rejects.toThrow(
      new DrError(
        'Aurora is already pending towards another member: wait for it to finish (npm run dr -- status --exclude us-east) before choosing another target',
      ),
    );
  });

  test('a datastore without a member in the target region is refused before anything changes', async () => {
    mocks.cache.on(DescribeGlobalReplicationGroupsCommand).resolves({
      GlobalReplicationGroups: [
        {
          GlobalReplicationGroupId: 'ldgnf-mi-production-cache',
          Status: 'available',
          Members: [
            { ReplicationGroupId: 'mi-production-us-east-cache', ReplicationGroupRegion: 'us-east-1', Role: 'PRIMARY' },
          ],
        },
      ],
    });
    await expect(failover(context(), { to: 'eu-west' })).rejects.toThrow(
      new DrError('eu-west-1 has no member replication group in ldgnf-mi-production-cache'),
    );
    expect(mutatingCalls()).toEqual([]);
  });

  test('a reader target when no surviving region holds a cache member: refused, naming the lost one', async () => {
    world(
      variant((c) => {
        for (const r of c.regions) {
          if (r.key !== 'us-east') r.overrides = { ...r.overrides, elasticache: { joinGlobalDatastore: false } };
        }
      }, threeRegions),
    );
    await expect(failover(context(), { to: 'eu-west' })).rejects.toThrow(
      new DrError('no surviving region holds a member of the cache datastore besides us-east'),
    );
    expect(mutatingCalls()).toEqual([]);
  });
});

describe('failover: the data at risk', () => {
  const summary = async (execute = false) => (await failover(context({ execute }), { to: 'eu-west' })).dataAtRisk;

  test('no datapoint at all: unknown, and each estimate still names its store, member and region', async () => {
    const risk = await summary();
    expect(risk.estimates).toEqual([
      { store: 'aurora', member: 'mi-production-eu-west-aurora', region: 'eu-west-1' },
      { store: 'cache', member: 'mi-production-eu-west-cache', region: 'eu-west-1' },
    ]);
    expect(risk.summary).toBe('no replication-lag datapoint in the last 60 min: the data at risk is unknown');
    expect(lines).toContain('  aurora mi-production-eu-west-aurora (eu-west-1): no datapoint in the last 60 min');
    expect(lines).toContain('  => no replication-lag datapoint in the last 60 min: the data at risk is unknown');
  });

  test('Aurora known, the cache not: the worst known figure, and the member whose loss is unknown', async () => {
    aws.lags['eu-west-1'] = { rpoMs: 2500 };
    const risk = await summary();
    expect(risk.summary).toBe(
      'writes committed in us-east during about the last 2.5 s before it was lost may be missing after the failover; no lag datapoint for mi-production-eu-west-cache: its loss is unknown',
    );
  });

  test('both known: no "unknown" part; the larger of the two lags counts', async () => {
    aws.lags['eu-west-1'] = { rpoMs: 300, cacheSeconds: 4 };
    expect((await summary()).summary).toBe(
      'writes committed in us-east during about the last 4.0 s before it was lost may be missing after the failover',
    );
  });

  test('only the cache known: Aurora is the member whose loss is unknown', async () => {
    aws.lags['eu-west-1'] = { cacheSeconds: 0.25 };
    expect((await summary()).summary).toBe(
      'writes committed in us-east during about the last 0.250 s before it was lost may be missing after the failover; no lag datapoint for mi-production-eu-west-aurora: its loss is unknown',
    );
  });

  test('exactly 1 s prints one decimal; just under 1 s three', async () => {
    aws.lags['eu-west-1'] = { rpoMs: 1000, cacheSeconds: 1 };
    expect((await summary()).summary).toMatch(/during about the last 1\.0 s before/);
    aws.lags['eu-west-1'] = { rpoMs: 999, cacheSeconds: 0.5 };
    expect((await summary()).summary).toMatch(/during about the last 0\.999 s before/);
  });

  test('Aurora: the larger of the RPO lag and the replication lag, read for the target member', async () => {
    aws.lags['eu-west-1'] = { rpoMs: 100, replicationMs: 400 };
    const [auroraEstimate] = (await summary()).estimates;
    expect(auroraEstimate).toEqual({
      store: 'aurora',
      member: 'mi-production-eu-west-aurora',
      region: 'eu-west-1',
      metric: 'AuroraGlobalDBReplicationLag',
      seconds: 0.4,
      seenAt: '2026-01-01T12:00:00.000Z',
    });
    expect(lines).toContain(
      '  aurora mi-production-eu-west-aurora (eu-west-1): AuroraGlobalDBReplicationLag 0.4 s at 2026-01-01T12:00:00.000Z',
    );
  });

  test('Aurora: equal lags keep the first metric read (the RPO lag)', async () => {
    aws.lags['eu-west-1'] = { rpoMs: 400, replicationMs: 400 };
    const [auroraEstimate] = (await summary()).estimates;
    expect(auroraEstimate.metric).toBe('AuroraGlobalDBRPOLag');
  });

  test('only the replication lag known (Aurora MySQL has no RPO lag): that one is used', async () => {
    aws.lags['eu-west-1'] = { replicationMs: 1500 };
    const [auroraEstimate] = (await summary()).estimates;
    expect(auroraEstimate).toMatchObject({ metric: 'AuroraGlobalDBReplicationLag', seconds: 1.5 });
  });

  test('the lag is read in the target region only, never the lost one, as the last hour before now', async () => {
    aws.lags['eu-west-1'] = { rpoMs: 100 };
    const clock = fakeClock();
    await clock.sleep(3 * 3600_000);
    await failover(context({ execute: false, clock }), { to: 'eu-west' });
    const reads = aws.calls.filter((c) => c.api === 'GetMetricData');
    expect(reads.map((c) => c.region)).toEqual(['eu-west-1', 'eu-west-1', 'eu-west-1']);
    expect(reads[0].input).toMatchObject({
      StartTime: new Date(2 * 3600_000),
      EndTime: new Date(3 * 3600_000),
      ScanBy: 'TimestampDescending',
    });
  });
});

describe('failover: the plan and what the operator reads', () => {
  test('dry run: each step planned with its action, what stays to do afterwards, nothing changed', async () => {
    const report = await failover(context({ execute: false }), { to: 'eu-west' });
    expect(report.steps).toEqual([
      {
        step: 'aurora',
        action:
          'promote mi-production-eu-west-aurora (eu-west-1) to writer: rds:FailoverGlobalCluster with AllowDataLoss',
        status: 'planned',
      },
      {
        step: 'cache',
        action:
          'promote mi-production-eu-west-cache (eu-west-1) to primary: elasticache:FailoverGlobalReplicationGroup',
        status: 'planned',
        detail: undefined,
      },
      {
        step: 'traffic',
        action:
          'fence us-east out of DNS: its health check (Name=mi-production-api-us-east) probes api-us-east.254carbon.com.invalid',
        status: 'planned',
      },
    ]);
    expect(report.afterwards).toEqual([
      "CACHE_WRITER_HOST: re-apply the application ConfigMap so it names mi-production-eu-west-cache's endpoint (docs/data.md)",
      'make it durable: role "primary" on eu-west (and "secondary" on us-east) in src/config/environments, then the data and global stacks (docs/data.md, "Reconciling config afterwards")',
      'failback once us-east is back: docs/runbook.md, "Failback"',
    ]);
    expect(report.timeline.map((t) => t.event)).toEqual([
      'start: dry run, from us-east-1 to eu-west-1',
      'dry run complete: nothing changed',
    ]);
    expect(lines.slice(0, 3)).toEqual([
      'Failover (region lost) from us-east (us-east-1) to eu-west (eu-west-1) — DRY RUN, pass --execute --accept-data-loss to run',
      '  no call goes to us-east-1; every call gives up after 30 s (--call-timeout)',
      'Data at risk (last replication lag seen before the loss):',
    ]);
    expect(lines).toContain(
      '1. promote mi-production-eu-west-aurora (eu-west-1) to writer: rds:FailoverGlobalCluster with AllowDataLoss',
    );
    expect(lines).not.toContain('Afterwards:');
    expect(mutatingCalls()).toEqual([]);
  });

  test('--execute: the header has no dry-run note, the call timeout given is announced, the steps run in order with their waits', async () => {
    const report = await failover(context(), { to: 'eu-west', callTimeoutSeconds: 12 });
    expect(report.ok).toBe(true);
    expect(report.error).toBeUndefined();
    expect(report.next).toBeUndefined();
    expect(lines.slice(0, 2)).toEqual([
      'Failover (region lost) from us-east (us-east-1) to eu-west (eu-west-1)',
      '  no call goes to us-east-1; every call gives up after 12 s (--call-timeout)',
    ]);
    // Aurora reads failing-over twice after the call (the fake), then the writer: 2 polls of 10 s.
    expect(lines).toContain('  Aurora writer in eu-west-1 after 20 s');
    const cacheStep = lines.findIndex((l) => l.startsWith('2. promote mi-production-eu-west-cache'));
    expect(lines[cacheStep + 1]).toMatch(/^ {2}calling elasticache:FailoverGlobalReplicationGroup \(eu-west-1\) /);
    expect(lines).toContain(
      `  calling rds:FailoverGlobalCluster (eu-west-1) {"GlobalClusterIdentifier":"mi-production-aurora","TargetDbClusterIdentifier":"${auroraArn(region('eu-west'))}","AllowDataLoss":true}`,
    );
    expect(lines).toContain(
      '  calling route53:UpdateHealthCheck {"HealthCheckId":"hc-us-east","FullyQualifiedDomainName":"api-us-east.254carbon.com.invalid","Inverted":false}',
    );
    expect(lines).toContain('  ElastiCache primary in eu-west-1 after 0 s');
    expect(report.timeline).toEqual([
      { at: '1970-01-01T00:00:00.000Z', event: 'start: execute, from us-east-1 to eu-west-1' },
      { at: '1970-01-01T00:00:00.000Z', event: 'call rds:FailoverGlobalCluster (eu-west-1)' },
      { at: '1970-01-01T00:00:20.000Z', event: 'aurora: done' },
      { at: '1970-01-01T00:00:20.000Z', event: 'call elasticache:FailoverGlobalReplicationGroup (eu-west-1)' },
      { at: '1970-01-01T00:00:20.000Z', event: 'cache: done' },
      { at: '1970-01-01T00:00:20.000Z', event: 'call route53:UpdateHealthCheck' },
      { at: '1970-01-01T00:00:20.000Z', event: 'traffic: done' },
      { at: '1970-01-01T00:00:20.000Z', event: 'failover complete' },
    ]);
    const timeline = lines.indexOf('Timeline:');
    expect(lines.slice(timeline + 1, timeline + 3)).toEqual([
      '  1970-01-01T00:00:00.000Z  start: execute, from us-east-1 to eu-west-1',
      '  1970-01-01T00:00:00.000Z  call rds:FailoverGlobalCluster (eu-west-1)',
    ]);
    expect(lines.slice(-4)).toEqual(['Afterwards:', ...report.afterwards.map((a) => `  - ${a}`)]);
  });

  test('the cache wait goes on until the new primary shows, however long AWS takes to start', async () => {
    aws.cacheFailoverStartDescribes = 3;
    const report = await failover(context(), { to: 'apac' });
    expect(report.ok).toBe(true);
    expect(aws.cachePrimary).toBe('ap-southeast-1');
    expect(lines).toContain('  ElastiCache primary in ap-southeast-1 after 30 s');
    expect(report.steps.map((s) => s.status)).toEqual(['done', 'done', 'done']);
  });

  test('the Aurora wait is bounded by --timeout: the step fails, the rest is not run, the rerun is named', async () => {
    // The fake shows the promotion running for 20 s of polling: at 10 s the wait gives up.
    const report = await failover(context({ timeoutSeconds: 10 }), { to: 'eu-west' });
    expect(report.ok).toBe(false);
    expect(report.failedStep).toBe('aurora');
    expect(report.error).toBe(
      'step 1 (aurora) failed: timed out after 10 s waiting for Aurora writer in eu-west-1 (raise --timeout or investigate)',
    );
    expect(report.steps.map((s) => s.status)).toEqual(['failed', 'not-run', 'not-run']);
    expect(report.steps[0].detail).toBe(
      'timed out after 10 s waiting for Aurora writer in eu-west-1 (raise --timeout or investigate)',
    );
    expect(report.next).toBe(
      'Fix the cause, then run the same command again; it detects the steps already done and continues: npm run dr -- failover --to eu-west --from us-east --execute --accept-data-loss',
    );
    expect(report.timeline.map((t) => t.event).slice(-2)).toEqual([
      'aurora: failed: timed out after 10 s waiting for Aurora writer in eu-west-1 (raise --timeout or investigate)',
      'stopped',
    ]);
    expect(lines).not.toContain('Afterwards:');
  });

  test('the health-check fence waits until Route 53 reports the lost region unhealthy', async () => {
    // The lost region still answers its probes until its check is pointed at the fence name.
    aws.down.clear();
    const report = await failover(context(), { to: 'eu-west' });
    expect(report.ok).toBe(true);
    expect(lines).toContain(
      `  us-east unhealthy in Route 53 after 0 s; resolvers follow within the DNS budget (${targets.dnsFailover.arithmetic})`,
    );
  });

  test('the Aurora wait goes on while AWS still shows the failover, even with the writer already in the target', async () => {
    let reads = 0;
    mocks.rds.on(DescribeGlobalClustersCommand).callsFake(() => {
      const promoting = aws.auroraFailingOverTo !== undefined;
      if (promoting && ++reads > 1) aws.auroraFailingOverTo = undefined;
      const writer = promoting || reads > 0 ? 'eu-west-1' : 'us-east-1';
      return {
        GlobalClusters: [
          {
            Status: promoting && reads === 1 ? 'failing-over' : 'available',
            FailoverState:
              promoting && reads === 1
                ? { Status: 'failing-over', ToDbClusterArn: auroraArn(region('eu-west')), IsDataLossAllowed: true }
                : undefined,
            GlobalClusterMembers: targets.regions.map((r) => ({
              DBClusterArn: auroraArn(r),
              IsWriter: r.code === writer,
            })),
          },
        ],
      };
    });
    const report = await failover(context(), { to: 'eu-west' });
    expect(report.ok).toBe(true);
    expect(lines).toContain('  Aurora writer in eu-west-1 after 10 s');
  });

  test('the writer already in the target while AWS still shows the failover: waited for, not done yet, not issued again', async () => {
    let reads = 0;
    mocks.rds.on(DescribeGlobalClustersCommand).callsFake(() => {
      const running = ++reads <= 3;
      return {
        GlobalClusters: [
          {
            Status: running ? 'failing-over' : 'available',
            FailoverState: running
              ? { Status: 'failing-over', ToDbClusterArn: auroraArn(region('eu-west')), IsDataLossAllowed: true }
              : undefined,
            GlobalClusterMembers: targets.regions.map((r) => ({
              DBClusterArn: auroraArn(r),
              IsWriter: r.key === 'eu-west',
            })),
          },
        ],
      };
    });
    const report = await failover(context(), { to: 'eu-west' });
    expect(report.steps[0].status).toBe('done');
    expect(lines).toContain('  a failover to mi-production-eu-west-aurora is already failing-over: not issued again');
    expect(lines).toContain('  Aurora writer in eu-west-1 after 10 s');
    expect(aws.calls.filter((c) => c.api === 'FailoverGlobalCluster')).toEqual([]);
  });

  test('a promotion AWS drops without moving the writer is not taken as done: the wait times out', async () => {
    let promoted = false;
    mocks.rds.on(FailoverGlobalClusterCommand).callsFake(() => {
      promoted = true;
      return {};
    });
    const report = await failover(context({ timeoutSeconds: 30 }), { to: 'eu-west' });
    expect(promoted).toBe(true);
    expect(aws.auroraWriter).toBe('us-east-1');
    expect(report.failedStep).toBe('aurora');
    expect(report.error).toBe(
      'step 1 (aurora) failed: timed out after 30 s waiting for Aurora writer in eu-west-1 (raise --timeout or investigate)',
    );
  });

  test('a cache promotion that never shows: the cache step times out naming the region', async () => {
    aws.cacheFailoverStartDescribes = 1000;
    const report = await failover(context({ timeoutSeconds: 30 }), { to: 'eu-west' });
    expect(report.error).toBe(
      'step 2 (cache) failed: timed out after 30 s waiting for ElastiCache primary in eu-west-1 (raise --timeout or investigate)',
    );
  });

  test('a step AWS refuses for lack of permissions says which permissions the DR commands need', async () => {
    aws.failures.FailoverGlobalCluster = [awsError('AccessDeniedException', 'not authorized')];
    const report = await failover(context(), { to: 'eu-west' });
    expect(report.error).toMatch(
      /^step 1 \(aurora\) failed: AWS refused the call \(AccessDeniedException\): not authorized\. Use credentials of a role allowed to run DR operations/,
    );
  });

  test('a fence Route 53 never reports unhealthy: the traffic step times out naming the check', async () => {
    mocks.r53.on(GetHealthCheckStatusCommand).resolves(observations(true));
    const report = await failover(context({ timeoutSeconds: 30 }), { to: 'eu-west' });
    expect(report.failedStep).toBe('traffic');
    expect(report.error).toBe(
      'step 3 (traffic) failed: timed out after 30 s waiting for health check hc-us-east of us-east to report unhealthy (raise --timeout or investigate)',
    );
  });

  test('a fence left inverted (by a drill) is placed again, not inverted', async () => {
    const fence = `${region('us-east').directName}.invalid`;
    aws.healthChecks['us-east'].fqdn = fence;
    aws.healthChecks['us-east'].inverted = true;
    const report = await failover(context(), { to: 'eu-west' });
    expect(report.steps.map((s) => s.status)).toEqual(['done', 'done', 'done']);
    expect(aws.calls.filter((c) => c.api === 'UpdateHealthCheck').map((c) => c.input)).toEqual([
      { HealthCheckId: 'hc-us-east', FullyQualifiedDomainName: fence, Inverted: false },
    ]);
    expect(aws.healthChecks['us-east'].inverted).toBe(false);
  });

  test('a fence already in place: already done, said so', async () => {
    const fence = `${region('us-east').directName}.invalid`;
    aws.healthChecks['us-east'].fqdn = fence;
    aws.auroraWriter = 'eu-west-1';
    aws.cachePrimary = 'eu-west-1';
    const report = await failover(context(), { to: 'eu-west' });
    expect(report.steps.map((s) => s.status)).toEqual(['already-done', 'already-done', 'already-done']);
    expect(lines).toContain(`  health check hc-us-east already probes ${fence}`);
    expect(lines).toContain('  mi-production-eu-west-cache is already the primary');
    expect(lines).toContain('  mi-production-eu-west-aurora already writes');
    expect(report.timeline.map((t) => t.event)).toEqual([
      'start: execute, from us-east-1 to eu-west-1',
      'aurora: already-done',
      'cache: already-done',
      'traffic: already-done',
      'failover complete',
    ]);
    expect(mutatingCalls()).toEqual([]);
  });

  test('a failed traffic step says the data steps are done; an error that is no AWS error keeps its message', async () => {
    aws.failures.UpdateHealthCheck = [new Error('socket hang up')];
    const report = await failover(context(), { to: 'eu-west' });
    expect(report.ok).toBe(false);
    expect(report.failedStep).toBe('traffic');
    expect(report.error).toBe('step 3 (traffic) failed: socket hang up');
    expect(report.next).toBe(
      "Aurora and the cache are done; us-east's health check already fails on its own while it is down. Fix the cause, then run the same command again; it detects the steps already done and continues: npm run dr -- failover --to eu-west --from us-east --execute --accept-data-loss",
    );
    expect(report.steps.map((s) => s.status)).toEqual(['done', 'done', 'failed']);
  });

  test('a failed cache step: AWS error described, Aurora done, traffic not run', async () => {
    aws.failures.FailoverGlobalReplicationGroup = [awsError('InvalidGlobalReplicationGroupState', 'busy')];
    const report = await failover(context(), { to: 'eu-west' });
    expect(report.failedStep).toBe('cache');
    expect(report.error).toBe('step 2 (cache) failed: AWS answered InvalidGlobalReplicationGroupState: busy');
    expect(report.next).toMatch(/^Fix the cause, then run the same command again/);
    expect(report.steps.map((s) => s.status)).toEqual(['done', 'failed', 'not-run']);
  });
});

describe('failover to a reader region (no cache member of its own)', () => {
  beforeEach(() => world(withReaderRegion));

  test('the member it usually reads survives: the datastore fails over to that one, and the step says so', async () => {
    aws.auroraWriter = 'eu-west-1';
    aws.cachePrimary = 'eu-west-1';
    aws.down.clear();
    aws.down.add('eu-west-1');
    expect(region('us-west').cacheReadsFrom).toBe('us-east');
    const report = await failover(context(), { to: 'us-west', from: 'eu-west' });
    expect(report.ok).toBe(true);
    expect(aws.cachePrimary).toBe('us-east-1');
    expect(aws.auroraWriter).toBe('us-west-2');
    const note =
      "us-west holds no cache member (a reader region); the datastore fails over to us-east's member mi-production-us-east-cache, which us-west reads over the peering mesh";
    expect(report.steps[1]).toMatchObject({
      action: 'promote mi-production-us-east-cache (us-east-1) to primary: elasticache:FailoverGlobalReplicationGroup',
      detail: note,
    });
    expect(lines).toContain(`  ${note}`);
    expect(callsTo('eu-west-1')).toEqual([]);
  });

  test('a target with its own member takes the primary itself, with no note', async () => {
    const report = await failover(context(), { to: 'apac' });
    expect(report.steps[1].detail).toBeUndefined();
    expect(aws.cachePrimary).toBe('ap-southeast-1');
    expect(lines.join('\n')).not.toMatch(/holds no cache member/);
  });
});

describe('dr failover (CLI)', () => {
  test('without --json stdout is the narrative, not a JSON document; a failed step exits 1 with the error and what next on stderr', async () => {
    aws.failures.FailoverGlobalReplicationGroup = [awsError('InvalidGlobalReplicationGroupState', 'busy')];
    const { code, out, err } = await runDrCaptured(['failover', '--to', 'eu-west', '--execute', '--accept-data-loss'], {
      config: threeRegions,
    });
    expect(code).toBe(1);
    expect(out).toMatch(/^Failover \(region lost\)/);
    expect(out).not.toMatch(/"steps"/);
    expect(err.split('\n')).toEqual([
      'step 2 (cache) failed: AWS answered InvalidGlobalReplicationGroupState: busy',
      'Fix the cause, then run the same command again; it detects the steps already done and continues: npm run dr -- failover --to eu-west --from us-east --execute --accept-data-loss',
    ]);
  });

  test('--call-timeout reaches the failover', async () => {
    const { code, out } = await runDrCaptured(['failover', '--to', 'eu-west', '--call-timeout', '7'], {
      config: threeRegions,
    });
    expect(code).toBe(0);
    expect(out.split('\n')).toContain('  no call goes to us-east-1; every call gives up after 7 s (--call-timeout)');
  });

  test('failover without --to is a usage error (exit 2)', async () => {
    const { code, err } = await runDrCaptured(['failover'], { config: threeRegions });
    expect(code).toBe(2);
    expect(err).toMatch(/failover needs --to <region>/);
    expect(aws.calls).toEqual([]);
  });
});
