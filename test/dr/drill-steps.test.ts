// The DR drill step by step (src/dr/commands.ts `drill`): what it prints to the operator, which calls
// it makes, and its timings measured on a clock that does not start at zero, against the stateful
// fake of test/support/dr-mocks.ts and its DNS (test/support/dr-dns.ts).
import { GetHealthCheckCommand, GetHealthCheckStatusCommand, TestDNSAnswerCommand } from '@aws-sdk/client-route-53';
import { drill, type DrContext } from '../../src/dr/commands';
import { DrError, type DrTargets } from '../../src/dr/targets';
import type { PlatformConfig } from '../../src/config/types';

import { threeRegions, variant } from '../support/config';
import { fakeClock, observations, type FakeAws, sdkMocks, drContext, fakeWorld } from '../support/dr-mocks';
import { albOf, fakeDns, ZONE_ID } from '../support/dr-dns';

const mocks = sdkMocks();

let aws: FakeAws;
let targets: DrTargets;
let lines: string[];

function world(config: PlatformConfig = threeRegions): void {
  ({ targets, aws } = fakeWorld(mocks, config));
  fakeDns(mocks.r53, aws, targets);
  lines = [];
}

/** A clock that starts at 1000 s, so a duration computed from the wrong origin shows. */
async function lateClock() {
  const clock = fakeClock();
  await clock.sleep(1_000_000);
  return clock;
}

async function context(options: Partial<DrContext> = {}): Promise<DrContext> {
  return drContext(targets, lines, { clock: await lateClock(), timeoutSeconds: 300, ...options });
}

/**
 * The failover name answers with the primary's ALB and another address for `stale` reads after the
 * drill started (resolvers still holding a mix), then with eu-west's only.
 */
function slowDns(stale: number): void {
  let reads = 0;
  mocks.r53.on(TestDNSAnswerCommand).callsFake((input: { HostedZoneId: string; RecordName: string }) => {
    aws.calls.push({ service: 'route53', region: 'global', api: 'TestDNSAnswer', input });
    if (input.HostedZoneId !== ZONE_ID) return { RecordData: [] };
    if (input.RecordName === 'api-us-east.254carbon.com') return { RecordData: [albOf('us-east'), '192.0.2.10'] };
    if (input.RecordName !== targets.apiName) return { RecordData: [] };
    if (!aws.healthChecks['us-east'].inverted) return { RecordData: [albOf('us-east')] };
    reads++;
    return { RecordData: reads <= stale ? [albOf('eu-west'), albOf('us-east')] : [albOf('eu-west')] };
  });
}

const updates = () => aws.calls.filter((c) => c.api === 'UpdateHealthCheck').map((c) => c.input);

beforeEach(() => world());

describe('drill: the dry run', () => {
  test('names the region, the RTO, the watched name and each step, and changes nothing', async () => {
    const result = await drill(await context({ execute: false }), { region: 'us-east' });
    expect(result).toEqual({});
    expect(lines).toEqual([
      'DR drill: failure of us-east (us-east-1), RTO 60 s — DRY RUN, pass --execute to run',
      `  watching api.254carbon.com (CNAME); us-east answers ${albOf('us-east')}`,
      '1. fail us-east: invert health check hc-us-east',
      '  [dry-run] would call route53:UpdateHealthCheck {"HealthCheckId":"hc-us-east","Inverted":true}',
      '2. wait until Route 53 reports it unhealthy and DNS stops answering with it',
      '3. restore: {"HealthCheckId":"hc-us-east","Inverted":false}, wait until healthy',
    ]);
    expect(updates()).toEqual([]);
  });

  test('an unknown region names the flag and the valid regions', async () => {
    await expect(drill(await context(), { region: 'mars' })).rejects.toThrow(
      new DrError('--region mars: expected one of us-east (us-east-1), eu-west (eu-west-1), apac (ap-southeast-1)'),
    );
  });
});

describe('drill --execute', () => {
  test('every line, the restore call and the timings, measured from when the check was inverted', async () => {
    slowDns(3);
    const result = await drill(await context(), { region: 'us-east', rtoSeconds: 45 });
    expect(result).toEqual({ detectedSeconds: 0, dnsMovedSeconds: 30, recoveredSeconds: 0, withinRto: true });
    expect(lines).toEqual([
      'DR drill: failure of us-east (us-east-1), RTO 45 s',
      `  watching api.254carbon.com (CNAME); us-east answers ${albOf('us-east')}, 192.0.2.10`,
      '1. fail us-east: invert health check hc-us-east',
      '  calling route53:UpdateHealthCheck {"HealthCheckId":"hc-us-east","Inverted":true}',
      '  unhealthy after 0 s',
      '  api.254carbon.com moved after 30 s',
      '2. restore us-east',
      '  calling route53:UpdateHealthCheck {"HealthCheckId":"hc-us-east","Inverted":false}',
      'Timings:',
      '  failure detected by Route 53: 0 s',
      '  traffic moved (authoritative answer): 30 s',
      '  back to healthy after restore: 0 s',
      '  WITHIN RTO: 30 s vs 45 s (clients may add up to the record TTL on top)',
    ]);
    expect(updates()).toEqual([
      { HealthCheckId: 'hc-us-east', Inverted: true },
      { HealthCheckId: 'hc-us-east', Inverted: false },
    ]);
    expect(aws.healthChecks['us-east'].inverted).toBe(false);
  });

  test('traffic has moved only when no answer is the region’s any more (a mix is not moved)', async () => {
    slowDns(7);
    const result = await drill(await context(), { region: 'us-east', rtoSeconds: 60 });
    expect(result.dnsMovedSeconds).toBe(70);
    expect(result.withinRto).toBe(false);
    expect(lines).toContain('  EXCEEDS RTO: 70 s vs 60 s (clients may add up to the record TTL on top)');
  });

  test('a wait that times out names what it waited for, and the check is still restored', async () => {
    slowDns(1000);
    await expect(drill(await context({ timeoutSeconds: 40 }), { region: 'us-east' })).rejects.toThrow(
      new DrError(
        'timed out after 40 s waiting for api.254carbon.com to stop answering with us-east (raise --timeout or investigate)',
      ),
    );
    expect(lines.slice(-2)).toEqual([
      '2. restore us-east',
      '  calling route53:UpdateHealthCheck {"HealthCheckId":"hc-us-east","Inverted":false}',
    ]);
    expect(aws.healthChecks['us-east'].inverted).toBe(false);
  });

  test('a check Route 53 never reports unhealthy: the wait names it, and the check is restored', async () => {
    // The inversion is accepted but never shows: the check keeps reading healthy.
    mocks.r53.on(GetHealthCheckCommand).resolves({
      HealthCheck: {
        Id: 'hc-us-east',
        CallerReference: 'x',
        HealthCheckVersion: 1,
        HealthCheckConfig: { Type: 'HTTPS', FullyQualifiedDomainName: 'api-us-east.254carbon.com', Inverted: false },
      },
    });
    await expect(drill(await context({ timeoutSeconds: 30 }), { region: 'us-east' })).rejects.toThrow(
      new DrError('timed out after 30 s waiting for us-east unhealthy (raise --timeout or investigate)'),
    );
    expect(updates()).toEqual([
      { HealthCheckId: 'hc-us-east', Inverted: true },
      { HealthCheckId: 'hc-us-east', Inverted: false },
    ]);
  });

  test('a region that does not come back healthy after the restore: the wait names it', async () => {
    // The checkers see the region until the restore, then lose it.
    mocks.r53
      .on(GetHealthCheckStatusCommand)
      .callsFake(() => observations(aws.calls.filter((c) => c.api === 'UpdateHealthCheck').length < 2));
    await expect(drill(await context({ timeoutSeconds: 30 }), { region: 'us-east' })).rejects.toThrow(
      new DrError('timed out after 30 s waiting for us-east healthy again (raise --timeout or investigate)'),
    );
  });

  test('a region that is down is refused with its checkers, before its check is touched', async () => {
    aws.down.add('eu-west-1');
    await expect(drill(await context(), { region: 'eu-west' })).rejects.toThrow(
      new DrError('eu-west is already unhealthy (checkers 0/8): no drill on a failing region'),
    );
    expect(updates()).toEqual([]);
  });

  test('a secondary without a watched name: detection is what counts, no DNS is asked', async () => {
    const result = await drill(await context(), { region: 'apac' });
    expect(result).toEqual({ detectedSeconds: 0, recoveredSeconds: 0, withinRto: true });
    expect(lines).toContain(
      '  no failover name to watch for a secondary region: its routed records drop it when its check turns unhealthy',
    );
    expect(lines).not.toContain('  traffic moved (authoritative answer): 0 s');
    expect(aws.calls.filter((c) => c.api === 'TestDNSAnswer' || c.api === 'ListHostedZonesByName')).toEqual([]);
  });
});

describe('drill: a direct name without an answer of the record type', () => {
  test('alias records (A): says so and names the alias setting, before touching the check', async () => {
    world(
      variant((c) => {
        c.traffic.recordTarget = 'alias';
        c.recovery.rtoSeconds = 120;
      }, threeRegions),
    );
    mocks.r53.on(TestDNSAnswerCommand).resolves({ RecordData: [] });
    await expect(drill(await context(), { region: 'us-east' })).rejects.toThrow(
      new DrError(
        'api-us-east.254carbon.com has no A answer, so api.254carbon.com could not be seen moving off us-east: is the dns stack deployed with traffic.recordTarget alias?',
      ),
    );
    expect(updates()).toEqual([]);
  });

  test('CNAME records: names the cname setting (an answer without RecordData is none too)', async () => {
    mocks.r53.on(TestDNSAnswerCommand).resolves({});
    await expect(drill(await context(), { region: 'us-east' })).rejects.toThrow(
      new DrError(
        'api-us-east.254carbon.com has no CNAME answer, so api.254carbon.com could not be seen moving off us-east: is the dns stack deployed with traffic.recordTarget cname?',
      ),
    );
  });
});
