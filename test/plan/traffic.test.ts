import type { RecordSpec } from '../../modules/traffic/types';
import { failoverBudgets, formatBudgetTable, routedRecordTtl, type BudgetInput } from '../../src/plan/budget';
import { certificateNames, labelsServedBy, trafficPlan, type TrafficPlanInput } from '../../src/plan/traffic';
import { resolvePlan } from '../../src/plan/resolve';
import { threeRegions, variant } from '../support/config';

// The traffic plan and the failover budget as pure functions of small inputs: record set
// identifiers, geo keys, which region the failover PRIMARY names (also when it is not listed
// first), and each budget exactly at the RTO and one second over.

const regions = [
  { key: 'us-east', code: 'us-east-1', role: 'secondary', vpcCidr: '10.10.0.0/16', azCount: 3 },
  { key: 'eu-west', code: 'eu-west-1', role: 'primary', vpcCidr: '10.20.0.0/16', azCount: 3 },
  { key: 'apac', code: 'ap-southeast-1', role: 'secondary', vpcCidr: '10.30.0.0/16', azCount: 3 },
] as const;

function input(traffic: Partial<TrafficPlanInput['traffic']> = {}): TrafficPlanInput {
  return {
    domainName: 'example.org',
    regions,
    primary: 'eu-west',
    weights: { 'us-east': 50, 'eu-west': 30, apac: 20 },
    traffic: {
      ...threeRegions.traffic,
      apiPolicy: 'failover',
      drRegion: 'apac',
      geoRouting: { 'country:DE': 'eu-west', 'continent:AS': 'apac', 'country:US': 'us-east' },
      ...traffic,
    },
  };
}

const summary = (records: readonly RecordSpec[], label: string) =>
  records
    .filter((r) => r.label === label)
    .map((r) => [
      r.id,
      r.setIdentifier,
      r.policy,
      r.target.kind === 'region' ? r.target.region : `record:${r.target.label}`,
      r.healthCheckRegion,
    ]);

describe('traffic plan', () => {
  test('failover: PRIMARY is the primary region, not the first listed; SECONDARY is a latency set of the others', () => {
    const records = trafficPlan(input());
    expect(summary(records, 'api')).toEqual([
      ['api-primary', 'primary', { kind: 'failover', role: 'PRIMARY' }, 'eu-west', 'eu-west'],
      ['api-secondary', 'secondary', { kind: 'failover', role: 'SECONDARY' }, 'record:api-secondary', undefined],
    ]);
    expect(summary(records, 'api-secondary')).toEqual([
      ['api-secondary-us-east', 'us-east', { kind: 'latency', awsRegion: 'us-east-1' }, 'us-east', 'us-east'],
      ['api-secondary-apac', 'apac', { kind: 'latency', awsRegion: 'ap-southeast-1' }, 'apac', 'apac'],
    ]);
  });

  test('latency policy: api is a latency set over every region, with no failover records', () => {
    const records = trafficPlan(input({ apiPolicy: 'latency' }));
    expect(summary(records, 'api').map((r) => r[1])).toEqual(['us-east', 'eu-west', 'apac']);
    expect(records.filter((r) => r.label === 'api-secondary')).toEqual([]);
    expect(records.some((r) => r.policy.kind === 'failover')).toBe(false);
  });

  test('geo: country and continent keys become lowercase set identifiers; the default goes to the latency set', () => {
    expect(summary(trafficPlan(input()), 'api-geo')).toEqual([
      ['api-geo-country-de', 'country-de', { kind: 'geo', country: 'DE' }, 'eu-west', 'eu-west'],
      ['api-geo-continent-as', 'continent-as', { kind: 'geo', continent: 'AS' }, 'apac', 'apac'],
      ['api-geo-country-us', 'country-us', { kind: 'geo', country: 'US' }, 'us-east', 'us-east'],
      ['api-geo-default', 'default', { kind: 'geo', country: '*' }, 'record:api-latency', undefined],
    ]);
  });

  test('a geo key validation refuses is left out rather than guessed', () => {
    const records = trafficPlan(input({ geoRouting: { 'country:de': 'eu-west', 'planet:EA': 'apac' } }));
    expect(summary(records, 'api-geo').map((r) => r[0])).toEqual(['api-geo-default']);
  });

  test('direct, latency, weighted and dr records; identifiers are the region keys', () => {
    const records = trafficPlan(input());
    expect(summary(records, 'api-us-east')).toEqual([
      ['direct-us-east', undefined, { kind: 'simple' }, 'us-east', undefined],
    ]);
    expect(summary(records, 'api-latency').map((r) => [r[0], r[1], r[4]])).toEqual([
      ['api-latency-us-east', 'us-east', 'us-east'],
      ['api-latency-eu-west', 'eu-west', 'eu-west'],
      ['api-latency-apac', 'apac', 'apac'],
    ]);
    expect(summary(records, 'api-weighted')).toEqual([
      ['api-weighted-us-east', 'us-east', { kind: 'weighted', weight: 50 }, 'us-east', 'us-east'],
      ['api-weighted-eu-west', 'eu-west', { kind: 'weighted', weight: 30 }, 'eu-west', 'eu-west'],
      ['api-weighted-apac', 'apac', { kind: 'weighted', weight: 20 }, 'apac', 'apac'],
    ]);
    expect(summary(records, 'api-dr')).toEqual([['dr', undefined, { kind: 'simple' }, 'apac', undefined]]);
    // Every routed set identifier is unique within its name.
    for (const label of new Set(records.map((r) => r.label))) {
      const ids = records.filter((r) => r.label === label && r.setIdentifier).map((r) => r.setIdentifier);
      expect([label, new Set(ids).size]).toEqual([label, ids.length]);
    }
  });

  test('certificate names: the direct name first, then every name that can answer with the region', () => {
    const records = trafficPlan(input());
    expect(certificateNames(records, { domainName: 'example.org' }, 'apac')).toEqual([
      'api-apac.example.org',
      'api-latency.example.org',
      'api-geo.example.org',
      'api-weighted.example.org',
      'api.example.org',
      'api-dr.example.org',
    ]);
    // The primary is no member of api-secondary and not the dr region; api reaches it as PRIMARY.
    expect(certificateNames(records, { domainName: 'example.org' }, 'eu-west')).toEqual([
      'api-eu-west.example.org',
      'api-latency.example.org',
      'api-geo.example.org',
      'api-weighted.example.org',
      'api.example.org',
    ]);
    expect(labelsServedBy(records, 'us-east')).toEqual([
      'api-us-east',
      'api-latency',
      'api-geo',
      'api-weighted',
      'api',
      'api-secondary',
    ]);
    expect(labelsServedBy(records, 'mars')).toEqual([]);
  });

  test('the resolved plan of a config whose primary is listed second names it as the failover PRIMARY', () => {
    const config = variant((c) => {
      c.regions.find((r) => r.key === 'us-east')!.role = 'secondary';
      c.regions.find((r) => r.key === 'eu-west')!.role = 'primary';
      c.traffic.drRegion = 'us-east';
    }, threeRegions);
    const plan = resolvePlan(config);
    expect(plan.primary.key).toBe('eu-west');
    expect(plan.regions.filter((r) => r.role === 'primary').map((r) => r.key)).toEqual(['eu-west']);
    expect(plan.traffic.records.find((r) => r.id === 'api-primary')?.target).toEqual({
      kind: 'region',
      region: 'eu-west',
    });
  });
});

describe('failover budget', () => {
  const budget = (over: { read?: number; attempts?: number; timeout?: number; ttl?: number; rto?: number }) =>
    ({
      traffic: {
        recordTarget: 'cname',
        recordTtlSeconds: over.ttl ?? 20,
        healthCheck: { ...threeRegions.traffic.healthCheck, requestIntervalSeconds: 10, failureThreshold: 3 },
      },
      edge: {
        originConnectionTimeoutSeconds: over.timeout ?? 5,
        originConnectionAttempts: over.attempts ?? 2,
        originReadTimeoutSeconds: over.read ?? 30,
      },
      recovery: { ...threeRegions.recovery, rtoSeconds: over.rto ?? 60 },
    }) as BudgetInput;
  const byPath = (input: BudgetInput) => Object.fromEntries(failoverBudgets(input).map((b) => [b.path, b]));

  test('CloudFront exactly at the RTO is within it; one second more is not', () => {
    expect(byPath(budget({ read: 50 })).cloudfront).toEqual(
      expect.objectContaining({ worstCaseSeconds: 60, rtoSeconds: 60, withinRto: true }),
    );
    expect(byPath(budget({ read: 51 })).cloudfront).toEqual(
      expect.objectContaining({ worstCaseSeconds: 61, withinRto: false }),
    );
    expect(byPath(budget({ read: 50 })).cloudfront.arithmetic).toBe(
      '5 s connection timeout x 2 attempts + 50 s read timeout = 60 s',
    );
    // Attempts multiply the timeout: 10 s x 3 + 30 s.
    expect(byPath(budget({ timeout: 10, attempts: 3 })).cloudfront.worstCaseSeconds).toBe(60);
  });

  test('DNS exactly at the RTO is within it; one second more is not', () => {
    expect(byPath(budget({ ttl: 30 })).dns).toEqual(
      expect.objectContaining({
        worstCaseSeconds: 60,
        withinRto: true,
        arithmetic: '10 s interval x 3 failures + 30 s TTL (CNAME) = 60 s',
      }),
    );
    expect(byPath(budget({ ttl: 31 })).dns.withinRto).toBe(false);
    expect(byPath(budget({ ttl: 30, rto: 59 })).dns.withinRto).toBe(false);
  });

  test('alias records are cached for the load balancer’s fixed 60 s, whatever recordTtlSeconds says', () => {
    const alias = budget({ ttl: 5 });
    (alias.traffic as { recordTarget: string }).recordTarget = 'alias';
    expect(routedRecordTtl(alias.traffic)).toBe(60);
    expect(routedRecordTtl(budget({ ttl: 5 }).traffic)).toBe(5);
    expect(byPath(alias).dns.arithmetic).toBe('10 s interval x 3 failures + 60 s TTL (ALB alias, fixed) = 90 s');
  });

  test('the report table says yes or NO per path, columns aligned', () => {
    const table = formatBudgetTable(failoverBudgets(budget({ read: 51 }))).split('\n');
    expect(table).toHaveLength(4);
    expect(table[0]).toMatch(/^path {8}serves {2,}worst case {2,}RTO {3}ok$/);
    expect(table[1]).toMatch(/^-{10} {2}-+ {2}-+ {2}-{4} {2}-{3}$/);
    expect(table[2]).toMatch(/^dns {9}\S.* {2}60 s {2}yes$/);
    expect(table[3]).toMatch(/^cloudfront {2}.* {2}60 s {2}NO$/);
  });
});
