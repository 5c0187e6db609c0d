// The planned switchover step by step (src/dr/commands.ts `switchover`): what it refuses, what it
// waits for and what the operator reads, against the stateful fake of test/support/dr-mocks.ts.
import { DescribeGlobalClustersCommand } from '@aws-sdk/client-rds';
import { switchover, type DrContext } from '../../src/dr/commands';
import { DrError, type DrTargets } from '../../src/dr/targets';
import type { PlatformConfig } from '../../src/config/types';

import { threeRegions, withReaderRegion } from '../support/config';
import { auroraArn, awsError, type FakeAws, sdkMocks, drContext, fakeWorld } from '../support/dr-mocks';
import { runDrCaptured } from '../support/dr-run';

const mocks = sdkMocks();

let aws: FakeAws;
let targets: DrTargets;
let lines: string[];

function world(config: PlatformConfig = threeRegions): void {
  ({ targets, aws } = fakeWorld(mocks, config));
  lines = [];
}

const context = (options: Partial<DrContext> = {}): DrContext => drContext(targets, lines, options);

const mutating = () =>
  aws.calls.filter((c) => /Switchover|Failover|UpdateHealthCheck/.test(c.api)).map((c) => [c.api, c.region, c.input]);

beforeEach(() => world());

describe('switchover: what it refuses', () => {
  test('a target without an Aurora member: named, nothing changed', async () => {
    mocks.rds.on(DescribeGlobalClustersCommand).resolves({
      GlobalClusters: [
        {
          Status: 'available',
          GlobalClusterMembers: [{ DBClusterArn: auroraArn(targets.regions[0]), IsWriter: true }],
        },
      ],
    });
    await expect(switchover(context(), 'eu-west')).rejects.toThrow(
      new DrError('eu-west-1 has no member cluster in mi-production-aurora'),
    );
    expect(mutating()).toEqual([]);
  });

  test('a reader region without a cache member: named, nothing changed', async () => {
    world(withReaderRegion);
    await expect(switchover(context(), 'us-west')).rejects.toThrow(
      new DrError('us-west-2 has no member replication group in ldgnf-mi-production-cache'),
    );
    expect(mutating()).toEqual([]);
  });

  test('an unknown --to names the flag and the valid regions', async () => {
    await expect(switchover(context(), undefined)).rejects.toThrow(
      new DrError('--to (missing): expected one of us-east (us-east-1), eu-west (eu-west-1), apac (ap-southeast-1)'),
    );
  });
});

describe('switchover --execute: every step', () => {
  test('drain, Aurora, cache, restore, make it durable: the lines and the calls, in order', async () => {
    await switchover(context(), 'eu-west');
    expect(lines).toEqual([
      'Switchover of the write path to eu-west (eu-west-1)',
      '1. drain us-east from DNS',
      '  calling route53:UpdateHealthCheck {"HealthCheckId":"hc-us-east","Inverted":true}',
      '2. Aurora: make mi-production-eu-west-aurora the writer',
      `  calling rds:SwitchoverGlobalCluster (eu-west-1) {"GlobalClusterIdentifier":"mi-production-aurora","TargetDbClusterIdentifier":"${auroraArn(targets.regions[1])}"}`,
      '  Aurora writer in eu-west-1 after 20 s',
      '3. ElastiCache: make mi-production-eu-west-cache the primary',
      '  calling elasticache:FailoverGlobalReplicationGroup (eu-west-1) {"GlobalReplicationGroupId":"ldgnf-mi-production-cache","PrimaryRegion":"eu-west-1","PrimaryReplicationGroupId":"mi-production-eu-west-cache"}',
      '  ElastiCache primary in eu-west-1 after 20 s',
      '4. restore us-east in DNS',
      '  calling route53:UpdateHealthCheck {"HealthCheckId":"hc-us-east","Inverted":false}',
      '5. make it durable: set role "primary" on region eu-west (and "secondary" on us-east) in src/config/environments, then deploy the dns/global and data stacks (docs/runbook.md).',
    ]);
    expect(mutating().map(([api, region]) => [api, region])).toEqual([
      ['UpdateHealthCheck', 'global'],
      ['SwitchoverGlobalCluster', 'eu-west-1'],
      ['FailoverGlobalReplicationGroup', 'eu-west-1'],
      ['UpdateHealthCheck', 'global'],
    ]);
    expect([aws.auroraWriter, aws.cachePrimary]).toEqual(['eu-west-1', 'eu-west-1']);
  });

  test('Aurora already moved: says so, the old cache primary is drained and restored, only the cache moves', async () => {
    aws.auroraWriter = 'eu-west-1';
    await switchover(context(), 'eu-west');
    expect(lines).toContain('  already the writer');
    expect(lines).toContain('1. drain us-east from DNS');
    expect(lines).toContain('4. restore us-east in DNS');
    expect(mutating().map(([api]) => api)).toEqual([
      'UpdateHealthCheck',
      'FailoverGlobalReplicationGroup',
      'UpdateHealthCheck',
    ]);
  });

  test('the cache already moved: says so, Aurora moves', async () => {
    aws.cachePrimary = 'eu-west-1';
    await switchover(context(), 'eu-west');
    expect(lines).toContain('  already the primary');
    expect(mutating().map(([api]) => api)).toEqual([
      'UpdateHealthCheck',
      'SwitchoverGlobalCluster',
      'UpdateHealthCheck',
    ]);
  });

  test('no region writes Aurora and the cache primary is the target: nothing drained, the lines say none', async () => {
    aws.auroraWriter = 'none';
    aws.cachePrimary = 'eu-west-1';
    await switchover(context(), 'eu-west');
    expect(lines).toContain('1. drain (no writer region) from DNS');
    expect(lines).toContain('4. restore (none) in DNS');
    expect(lines[lines.length - 1]).toBe(
      '5. make it durable: set role "primary" on region eu-west (and "secondary" on the old one) in src/config/environments, then deploy the dns/global and data stacks (docs/runbook.md).',
    );
    expect(mutating().map(([api]) => api)).toEqual(['SwitchoverGlobalCluster']);
  });

  test('the cache wait is bounded by --timeout and names what it waited for; the drained check is restored', async () => {
    aws.cacheFailoverStartDescribes = 1000;
    await expect(switchover(context({ timeoutSeconds: 30 }), 'eu-west')).rejects.toThrow(
      new DrError('timed out after 30 s waiting for ElastiCache primary in eu-west-1 (raise --timeout or investigate)'),
    );
    expect(lines.slice(-2)).toEqual([
      '4. restore us-east in DNS',
      '  calling route53:UpdateHealthCheck {"HealthCheckId":"hc-us-east","Inverted":false}',
    ]);
    expect(aws.healthChecks['us-east'].inverted).toBe(false);
  });

  test('the cache wait needs the datastore available again, not just the new primary', async () => {
    // Aurora already moved; the fake shows the new cache primary at once, `modifying` for two reads.
    aws.auroraWriter = 'eu-west-1';
    await expect(switchover(context({ timeoutSeconds: 10 }), 'eu-west')).rejects.toThrow(
      new DrError('timed out after 10 s waiting for ElastiCache primary in eu-west-1 (raise --timeout or investigate)'),
    );
    expect(aws.cachePrimary).toBe('eu-west-1');
  });

  test('a failed step whose restore fails too: both reasons and what to do', async () => {
    aws.failures.SwitchoverGlobalCluster = [awsError('InvalidGlobalClusterStateFault', 'busy')];
    // The drain (first UpdateHealthCheck) goes through; the restore (second) is refused.
    aws.failures.UpdateHealthCheck = [undefined as unknown as Error, awsError('ThrottlingException', 'slow down')];
    await expect(switchover(context(), 'eu-west')).rejects.toThrow(
      new DrError(
        'busy; then restoring us-east in DNS failed too (slow down): it stays out of DNS until restored (docs/runbook.md, "Planned switchover")',
      ),
    );
  });
});

describe('switchover (CLI)', () => {
  test('without --to: a usage error naming the flag, exit 2, no call', async () => {
    const { code, err } = await runDrCaptured(['switchover'], { config: threeRegions });
    expect(code).toBe(2);
    expect(err).toMatch(/switchover needs --to <region>/);
    expect(aws.calls).toEqual([]);
  });

  test('a dry run changes nothing and says how to run it', async () => {
    const { code, out } = await runDrCaptured(['switchover', '--to', 'apac'], { config: threeRegions });
    expect(code).toBe(0);
    expect(out.split('\n')[0]).toBe(
      'Switchover of the write path to apac (ap-southeast-1) — DRY RUN, pass --execute to run',
    );
    expect(mutating()).toEqual([]);
  });

  test('switchover calls are bounded by --call-timeout', async () => {
    aws.down.add('eu-west-1');
    const { code, err } = await runDrCaptured(['switchover', '--to', 'eu-west', '--call-timeout', '0.05'], {
      config: threeRegions,
    });
    expect(code).toBe(1);
    expect(err).toMatch(/rds:DescribeGlobalClusters in eu-west-1 did not answer within 0\.05 s/);
  });
});
