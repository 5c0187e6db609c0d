import {
  GetHealthCheckCommand,
  GetHealthCheckStatusCommand,
  ListHealthChecksCommand,
  ListHostedZonesByNameCommand,
  ListTagsForResourcesCommand,
  Route53Client,
  TestDNSAnswerCommand,
  UpdateHealthCheckCommand,
} from '@aws-sdk/client-route-53';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';
import { production } from '../src/config/environments/production';
import { staging } from '../src/config/environments/staging';
import type { PlatformConfig } from '../src/config/types';
import { drill, type DrContext } from '../src/dr/commands';
import { DrError, drTargets } from '../src/dr/targets';
import { resolvePlan } from '../src/plan/resolve';
import { drClients, fakeClock, observations } from './support/dr-mocks';

// The drill asks Route 53 what the zone answers (TestDNSAnswer) for the record type the names
// really have: CNAMEs with traffic.recordTarget `cname` (production), alias A records with `alias`
// (staging). Mocks in the style of test/dr/dr.test.ts; drill() is called directly.

const r53 = mockClient(Route53Client);
const clients = drClients;

/** Route 53 as the config's dns/global stacks leave it: health checks tagged by name, the public zone. */
function route53(config: PlatformConfig) {
  const prefix = `${config.project}-${config.environment}`;
  const ids = Object.fromEntries(config.regions.map((r) => [r.key, `hc-${r.key}`]));
  r53.on(ListHealthChecksCommand).resolves({
    HealthChecks: Object.values(ids).map((Id) => ({ Id })) as never,
    IsTruncated: false,
  });
  r53.on(ListTagsForResourcesCommand).resolves({
    ResourceTagSets: Object.entries(ids).map(([key, id]) => ({
      ResourceType: 'healthcheck',
      ResourceId: id,
      Tags: [{ Key: 'Name', Value: `${prefix}-api-${key}` }],
    })),
  });
  for (const id of Object.values(ids)) {
    r53.on(GetHealthCheckCommand, { HealthCheckId: id }).resolves({
      HealthCheck: { Id: id, HealthCheckConfig: { Type: 'HTTPS', Inverted: false } } as never,
    });
    r53.on(GetHealthCheckStatusCommand, { HealthCheckId: id }).resolves(observations(true));
  }
  r53.on(ListHostedZonesByNameCommand).resolves({
    HostedZones: [
      { Id: '/hostedzone/Z1', Name: `${config.domainName}.`, CallerReference: 'x', Config: { PrivateZone: false } },
    ],
  });
}

function context(config: PlatformConfig, execute = false): { ctx: DrContext; out: string[] } {
  const out: string[] = [];
  return {
    out,
    ctx: {
      clients,
      targets: drTargets(resolvePlan(config)),
      execute,
      print: (l) => out.push(l),
      clock: fakeClock(),
      pollSeconds: 10,
      timeoutSeconds: 120,
    },
  };
}

beforeEach(() => r53.reset());

describe('drill: TestDNSAnswer asks for the type the names have', () => {
  test('production (recordTarget cname): every question is for CNAME, and the move is seen on the CNAME target', async () => {
    expect(production.traffic.recordTarget).toBe('cname');
    route53(production);
    r53
      .on(TestDNSAnswerCommand, { RecordName: 'api-us-east.254carbon.com', RecordType: 'CNAME' })
      .resolves({ RecordType: 'CNAME', RecordData: ['alb-us-east.us-east-1.elb.amazonaws.com'] } as never);
    // Before the failure `api` follows the PRIMARY record to us-east's load balancer, then the
    // SECONDARY record to api-secondary. (Asked for A, a CNAME name has no answer of its own.)
    r53
      .on(TestDNSAnswerCommand, { RecordName: 'api.254carbon.com', RecordType: 'CNAME' })
      .resolvesOnce({ RecordType: 'CNAME', RecordData: ['alb-us-east.us-east-1.elb.amazonaws.com'] } as never)
      .resolves({ RecordType: 'CNAME', RecordData: ['api-secondary.254carbon.com'] } as never);
    r53.on(TestDNSAnswerCommand, { RecordType: 'A' }).resolves({ RecordType: 'A', RecordData: [] } as never);
    r53
      .on(GetHealthCheckStatusCommand, { HealthCheckId: 'hc-us-east' })
      .resolvesOnce(observations(true)) // before the drill
      .resolvesOnce(observations(false)) // Route 53 sees the failure at 0 s
      .resolves(observations(true));

    const { ctx, out } = context(production, true);
    const result = await drill(ctx, { region: 'us-east' });

    const asked = r53.commandCalls(TestDNSAnswerCommand).map((c) => c.args[0].input);
    expect(asked.length).toBeGreaterThanOrEqual(3);
    expect(asked.every((input) => input.RecordType === 'CNAME')).toBe(true);
    expect(asked[0]).toEqual(expect.objectContaining({ HostedZoneId: 'Z1', RecordName: 'api-us-east.254carbon.com' }));
    expect(out.join('\n')).toMatch(/watching api\.254carbon\.com \(CNAME\); us-east answers alb-us-east/);
    // The first look at `api` still answers us-east: the move is measured, not assumed.
    expect(result).toEqual(expect.objectContaining({ detectedSeconds: 0, dnsMovedSeconds: 10, withinRto: true }));
  });

  test('staging (recordTarget alias): the names are alias A records and are asked for A', async () => {
    expect(staging.traffic.recordTarget).toBe('alias');
    route53(staging);
    r53.on(TestDNSAnswerCommand).resolves({ RecordType: 'A', RecordData: ['192.0.2.10'] } as never);
    const { ctx, out } = context(staging);
    await drill(ctx, { region: 'us-east' });
    expect(r53).toHaveReceivedCommandWith(TestDNSAnswerCommand, {
      RecordName: 'api-us-east.staging.254carbon.com',
      RecordType: 'A',
    });
    expect(r53).not.toHaveReceivedCommandWith(TestDNSAnswerCommand, { RecordType: 'CNAME' });
    expect(out.join('\n')).toMatch(/watching api\.staging\.254carbon\.com \(A\)/);
  });

  test('a region whose name answers nothing for that type is refused before its check is touched', async () => {
    // e.g. a zone still holding alias A records while the configuration says cname: every answer
    // would be empty and "no longer answers with the region" would hold from the first poll.
    route53(production);
    r53.on(TestDNSAnswerCommand).resolves({ RecordType: 'CNAME', RecordData: [] } as never);
    const run = drill(context(production, true).ctx, { region: 'us-east' });
    await expect(run).rejects.toThrow(DrError);
    await expect(run).rejects.toThrow(
      /api-us-east\.254carbon\.com has no CNAME answer, so api\.254carbon\.com could not be seen moving off us-east: is the dns stack deployed with traffic\.recordTarget cname\?/,
    );
    expect(r53).not.toHaveReceivedCommand(UpdateHealthCheckCommand);
  });

  test('the type comes from the configuration, one for every API name', () => {
    // Aliases answer with the ALB's 60 s TTL: the RTO has to allow for it.
    const alias: PlatformConfig = {
      ...production,
      traffic: { ...production.traffic, recordTarget: 'alias' },
      recovery: { rtoSeconds: 120 },
    };
    expect(drTargets(resolvePlan(production)).recordType).toBe('CNAME');
    expect(drTargets(resolvePlan(alias)).recordType).toBe('A');
  });
});

describe('drill: timings and what is printed', () => {
  /** The clock starts late in the day: timings are differences, not absolute times. */
  const lateClock = () => {
    let t = 1_700_000_000_000;
    return { now: () => t, sleep: async (ms: number) => void (t += ms) };
  };

  test('traffic has moved only when no answer is the region any more; each step and restore is printed', async () => {
    route53(production);
    r53
      .on(TestDNSAnswerCommand, { RecordName: 'api-us-east.254carbon.com' })
      .resolves({ RecordData: ['alb-us-east.example', 'alb-us-east-2.example'] } as never);
    // Half moved for one poll: one answer is still us-east's.
    r53
      .on(TestDNSAnswerCommand, { RecordName: 'api.254carbon.com' })
      .resolvesOnce({ RecordData: ['alb-us-east.example'] } as never)
      .resolvesOnce({ RecordData: ['api-secondary.254carbon.com', 'alb-us-east-2.example'] } as never)
      .resolves({ RecordData: ['api-secondary.254carbon.com'] } as never);
    r53
      .on(GetHealthCheckStatusCommand, { HealthCheckId: 'hc-us-east' })
      .resolvesOnce(observations(true))
      .resolvesOnce(observations(true)) // 0 s
      .resolvesOnce(observations(false)) // 10 s
      .resolvesOnce(observations(false)) // after restore
      .resolves(observations(true));
    const { ctx, out } = context(production, true);
    const result = await drill({ ...ctx, clock: lateClock() }, { region: 'us-east' });
    expect(result).toEqual({ detectedSeconds: 10, dnsMovedSeconds: 30, recoveredSeconds: 10, withinRto: true });
    expect(out).toEqual(
      expect.arrayContaining([
        '1. fail us-east: invert health check hc-us-east',
        '  calling route53:UpdateHealthCheck {"HealthCheckId":"hc-us-east","Inverted":true}',
        '  unhealthy after 10 s',
        '  api.254carbon.com moved after 30 s',
        '2. restore us-east',
        '  calling route53:UpdateHealthCheck {"HealthCheckId":"hc-us-east","Inverted":false}',
        '  WITHIN RTO: 30 s vs 60 s (clients may add up to the record TTL on top)',
      ]),
    );
  });

  test('a dry run prints the steps it would take, the restore with Inverted false', async () => {
    route53(production);
    r53.on(TestDNSAnswerCommand).resolves({ RecordData: ['alb-us-east.example'] } as never);
    const { ctx, out } = context(production);
    expect(await drill(ctx, { region: 'us-east' })).toEqual({});
    expect(out).toEqual([
      'DR drill: failure of us-east (us-east-1), RTO 60 s — DRY RUN, pass --execute to run',
      '  watching api.254carbon.com (CNAME); us-east answers alb-us-east.example',
      '1. fail us-east: invert health check hc-us-east',
      '  [dry-run] would call route53:UpdateHealthCheck {"HealthCheckId":"hc-us-east","Inverted":true}',
      '2. wait until Route 53 reports it unhealthy and DNS stops answering with it',
      '3. restore: {"HealthCheckId":"hc-us-east","Inverted":false}, wait until healthy',
    ]);
  });
});
