import { ConfigError } from '../src/config/errors';
import { resolvePlan } from '../src/plan/resolve';
import { production } from '../src/config/environments/production';
import { withExtraRegions } from '../src/config/scale';
import type { PlatformConfig } from '../src/config/types';
import { certificateNames } from '../src/plan/traffic';
import { drTargets } from '../src/dr/targets';
import { defaultSynth } from './support/shared-synth';
import { resources, type StackJson } from './support/stack-json';
import { globalStackOf } from './support/stacks';
import { type Mutable, threeRegions, variant } from './support/config';
import { regionOfPlan } from './support/plan';

type Body = Record<string, unknown>;

/** Routed API records (the edge alias and certificate validation records aside). */
function apiRecords(stack: StackJson): Body[] {
  return Object.entries(stack.resource?.aws_route53_record ?? {})
    .filter(([name]) => name.startsWith('api-routing_'))
    .map(([, body]) => body);
}

/** Records of one name, in set-identifier order (synthesized JSON is ordered by construct id). */
const named = (records: Body[], name: string) =>
  records
    .filter((r) => r.name === name)
    .sort((a, b) => String(a.set_identifier ?? '').localeCompare(String(b.set_identifier ?? '')));
/** Which region's remote-state ALB output a record answers with. */
const albRegion = (value: unknown) => /input-region-([a-z0-9-]+)\.outputs/.exec(JSON.stringify(value))?.[1];
/** Which health check a record carries (by construct path). */
const checkRegion = (value: unknown) => /api-routing_([a-z0-9-]+)_health-check/.exec(String(value))?.[1];

describe('traffic plan (pure)', () => {
  const plan = resolvePlan(production).traffic.records;

  test('every routed record that answers with a region carries that region health check', () => {
    const routed = plan.filter((r) => r.policy.kind !== 'simple' && r.target.kind === 'region');
    expect(routed.length).toBeGreaterThan(0);
    for (const r of routed) expect(r.healthCheckRegion).toBe(r.target.kind === 'region' ? r.target.region : '');
  });

  test('records routing to another name carry no health check of their own', () => {
    const chained = plan.filter((r) => r.target.kind === 'record');
    expect(chained.map((r) => [r.label, r.setIdentifier, r.target])).toEqual([
      ['api-geo', 'default', { kind: 'record', label: 'api-latency' }],
      ['api', 'secondary', { kind: 'record', label: 'api-secondary' }],
    ]);
    expect(chained.every((r) => r.healthCheckRegion === undefined)).toBe(true);
  });

  test.each([3, 4, 5])('%i regions: 4 records per region + 6 geo + geo default + 2 failover + api-dr', (count) => {
    const scaled = resolvePlan(withExtraRegions(threeRegions, count - 3)).traffic.records;
    expect(scaled).toHaveLength(4 * count + 9);
    expect(scaled.filter((r) => r.label === 'api-secondary')).toHaveLength(count - 1);
    expect(scaled.filter((r) => r.label === 'api-latency')).toHaveLength(count);
  });

  test('set identifiers are unique per name', () => {
    const ids = plan.map((r) => `${r.label}/${r.setIdentifier ?? ''}`);
    expect(new Set(ids).size).toBe(ids.length);
  });

  test('each region certificate covers its direct name and every routed name answering there', () => {
    expect(certificateNames(plan, production, 'us-east')).toEqual([
      'api-us-east.254carbon.com',
      'api-latency.254carbon.com',
      'api-geo.254carbon.com',
      'api-weighted.254carbon.com',
      'api.254carbon.com',
    ]);
    // The DR region also answers api-dr; no certificate names the internal api-secondary.
    expect(certificateNames(plan, production, 'eu-west')).toEqual([
      'api-eu-west.254carbon.com',
      'api-latency.254carbon.com',
      'api-geo.254carbon.com',
      'api-weighted.254carbon.com',
      'api.254carbon.com',
      'api-dr.254carbon.com',
    ]);
  });
});

describe('Route 53 in the global stack, production (failover, CNAME 30 s)', () => {
  const plan = resolvePlan(production);
  const keys = plan.regions.map((r) => r.key);
  /** Region keys in set-identifier order, the order `named` sorts a routed set in. */
  const sortedKeys = [...keys].sort();
  const global = defaultSynth('production').stack('global');
  const records = apiRecords(global);
  const checks = resources(global, 'aws_route53_health_check');

  test('one HTTPS readiness health check per region, settings from config', () => {
    expect(checks).toHaveLength(keys.length);
    for (const key of keys) {
      expect(checks).toContainEqual(
        expect.objectContaining({
          type: 'HTTPS',
          fqdn: `api-${key}.254carbon.com`,
          port: 443,
          enable_sni: true,
          resource_path: '/actuator/health/readiness',
          request_interval: 10,
          failure_threshold: 2,
          measure_latency: true,
          regions: ['us-east-1', 'us-west-2', 'eu-west-1', 'ap-southeast-1', 'ap-northeast-1'],
        }),
      );
    }
  });

  test('the DR CLI finds each health check under the Name tag it looks for (the runbook fake uses the same)', () => {
    const names = checks.map((c) => (c.tags as Record<string, string>).Name).sort();
    expect(names).toHaveLength(keys.length);
    expect(names).toEqual(
      drTargets(plan)
        .regions.map((r) => r.healthCheckName)
        .sort(),
    );
  });

  test('every record is a CNAME with the configured TTL', () => {
    // 4 per region + 6 geo + geo default + 2 failover + api-dr: 21 with production's three regions.
    expect(records).toHaveLength(4 * keys.length + 9);
    for (const r of records) {
      expect(r).toMatchObject({ type: 'CNAME', ttl: 30 });
      expect(r.alias).toBeUndefined();
    }
  });

  test('direct names answer with their own region, no routing policy', () => {
    for (const key of keys) {
      const [direct] = named(records, `api-${key}.254carbon.com`);
      expect(albRegion(direct.records)).toBe(key);
      expect(direct.set_identifier).toBeUndefined();
    }
  });

  test('api-latency: one latency record per region, each tied to its health check', () => {
    const set = named(records, 'api-latency.254carbon.com');
    expect(set.map((r) => [r.latency_routing_policy, albRegion(r.records), checkRegion(r.health_check_id)])).toEqual(
      sortedKeys.map((key) => [{ region: regionOfPlan(plan, key).code }, key, key]),
    );
  });

  test('api-geo: the configured continents plus a default that routes by latency', () => {
    const set = named(records, 'api-geo.254carbon.com');
    expect(set).toHaveLength(7);
    const byLocation = Object.fromEntries(
      set.map((r) => [
        JSON.stringify(r.geolocation_routing_policy),
        [albRegion(r.records), checkRegion(r.health_check_id)],
      ]),
    );
    expect(byLocation).toEqual({
      '{"continent":"NA"}': ['us-east', 'us-east'],
      '{"continent":"SA"}': ['us-east', 'us-east'],
      '{"continent":"EU"}': ['eu-west', 'eu-west'],
      '{"continent":"AF"}': ['eu-west', 'eu-west'],
      '{"continent":"AS"}': ['apac', 'apac'],
      '{"continent":"OC"}': ['apac', 'apac'],
      '{"country":"*"}': [undefined, undefined],
    });
    expect(set.find((r) => r.set_identifier === 'default')?.records).toEqual(['api-latency.254carbon.com']);
  });

  test('api-weighted: configured weights, each tied to its health check', () => {
    const set = named(records, 'api-weighted.254carbon.com');
    const rendered = set.map((r) => [albRegion(r.records), r.weighted_routing_policy, checkRegion(r.health_check_id)]);
    const weightOf = (key: string) => plan.traffic.weights.find((w) => w.region === key)!.weight;
    expect(rendered).toEqual(sortedKeys.map((key) => [key, { weight: weightOf(key) }, key]));
    // The weights production configures.
    expect(rendered).toEqual(
      expect.arrayContaining([
        ['apac', { weight: 25 }, 'apac'],
        ['eu-west', { weight: 25 }, 'eu-west'],
        ['us-east', { weight: 50 }, 'us-east'],
      ]),
    );
  });

  test('api: PRIMARY is the primary region, SECONDARY spreads by latency over the other regions', () => {
    const main = named(records, 'api.254carbon.com');
    expect(main).toHaveLength(2);
    const primary = main.find((r) => JSON.stringify(r.failover_routing_policy) === '{"type":"PRIMARY"}')!;
    expect([albRegion(primary.records), checkRegion(primary.health_check_id)]).toEqual(['us-east', 'us-east']);
    const secondary = main.find((r) => JSON.stringify(r.failover_routing_policy) === '{"type":"SECONDARY"}')!;
    expect(secondary.records).toEqual(['api-secondary.254carbon.com']);
    const leg = named(records, 'api-secondary.254carbon.com');
    expect(leg.map((r) => [albRegion(r.records), checkRegion(r.health_check_id)])).toEqual(
      sortedKeys.filter((key) => key !== plan.primary.key).map((key) => [key, key]),
    );
    expect(leg.every((r) => r.latency_routing_policy !== undefined)).toBe(true);
  });

  test('api-dr answers with the DR region', () => {
    const [dr] = named(records, 'api-dr.254carbon.com');
    expect(albRegion(dr.records)).toBe('eu-west');
  });
});

describe('Route 53, staging (latency policy, ALB aliases)', () => {
  const records = apiRecords(defaultSynth('staging').stack('global'));

  test('records are A aliases to the ALBs (or to names of the zone), evaluating target health', () => {
    for (const r of records) {
      expect(r.type).toBe('A');
      expect(r.ttl).toBeUndefined();
      expect(r.alias).toEqual(expect.objectContaining({ evaluate_target_health: true }));
    }
    const [geoDefault] = records.filter((r) => r.set_identifier === 'default');
    expect(geoDefault.alias).toEqual(
      expect.objectContaining({ name: 'api-latency.staging.254carbon.com', zone_id: expect.stringContaining('dns') }),
    );
  });

  test('api routes by latency over every region; an unlisted region gets the mean weight', () => {
    const main = named(records, 'api.staging.254carbon.com');
    expect(main.map((r) => [albRegion(r.alias), checkRegion(r.health_check_id)])).toEqual([
      ['apac', 'apac'],
      ['eu-west', 'eu-west'],
      ['us-east', 'us-east'],
    ]);
    expect(named(records, 'api-secondary.staging.254carbon.com')).toEqual([]);
    expect(named(records, 'api-weighted.staging.254carbon.com').map((r) => r.weighted_routing_policy)).toEqual([
      { weight: 50 },
      { weight: 40 },
      { weight: 60 },
    ]);
  });
});

describe.each([4, 5])('%i regions', (count) => {
  let records: Body[];
  let checks: Body[];
  beforeAll(() => {
    const global = globalStackOf(withExtraRegions(threeRegions, count - 3));
    records = apiRecords(global);
    checks = resources(global, 'aws_route53_health_check');
  });

  test('one health check and one direct, latency and weighted record per region', () => {
    expect(checks).toHaveLength(count);
    expect(records.filter((r) => /^api-(?!latency|geo|weighted|dr|secondary)/.test(String(r.name)))).toHaveLength(
      count,
    );
    expect(named(records, 'api-latency.254carbon.com')).toHaveLength(count);
    expect(named(records, 'api-weighted.254carbon.com')).toHaveLength(count);
  });

  test('the failover secondary leg covers every region but the primary', () => {
    expect(named(records, 'api.254carbon.com')).toHaveLength(2);
    expect(named(records, 'api-secondary.254carbon.com')).toHaveLength(count - 1);
  });

  test('total: 4 per region + 6 geo + geo default + 2 failover + api-dr', () => {
    expect(records).toHaveLength(4 * count + 9);
  });
});

describe('traffic validation names the field, the value and what is allowed', () => {
  test.each<[string, (c: Mutable<PlatformConfig>) => void, RegExp]>([
    [
      'geo map to an unknown region',
      (c) => ((c.traffic.geoRouting as Record<string, string>)['country:JP'] = 'tokyo'),
      /traffic\.geoRouting\["country:JP"\]: got "tokyo"; expected a region key \(us-east, eu-west, apac\)/,
    ],
    [
      'geo key without a kind',
      (c) => ((c.traffic.geoRouting as Record<string, string>)['EU'] = 'eu-west'),
      /traffic\.geoRouting\["EU"\]: got "EU"; expected "continent:<AF\|AN\|AS\|EU\|NA\|OC\|SA>"/,
    ],
    [
      'geo default configured explicitly',
      (c) => ((c.traffic.geoRouting as Record<string, string>)['*'] = 'us-east'),
      /traffic\.geoRouting\["\*"\]: .*the default \(\*\) record always routes to api-latency/,
    ],
    [
      'unknown continent',
      (c) => ((c.traffic.geoRouting as Record<string, string>)['continent:XX'] = 'us-east'),
      /traffic\.geoRouting\["continent:XX"\]: got "continent:XX"; expected a continent code/,
    ],
    [
      'negative weight',
      (c) => ((c.traffic.weights as Record<string, number>)['apac'] = -1),
      /traffic\.weights\["apac"\]: got -1; expected a whole number from 0 to 255/,
    ],
    [
      'all weights zero',
      (c) => (c.traffic.weights = { 'us-east': 0, 'eu-west': 0 }),
      /traffic\.weights: got \{"us-east":0,"eu-west":0\}; expected at least one region with a weight above 0/,
    ],
    [
      'weight for an unknown region',
      (c) => ((c.traffic.weights as Record<string, number>)['mars'] = 10),
      /traffic\.weights\["mars"\]: got "mars"; expected a region key/,
    ],
    ['DR region unknown', (c) => (c.traffic.drRegion = 'mars'), /traffic\.drRegion: got "mars"; expected a region key/],
    [
      'DR region is the primary',
      (c) => (c.traffic.drRegion = 'us-east'),
      /traffic\.drRegion: got "us-east"; expected a region other than the primary/,
    ],
    [
      'health check interval',
      (c) => (c.traffic.healthCheck.requestIntervalSeconds = 15),
      /traffic\.healthCheck\.requestIntervalSeconds: got 15; expected one of 10, 30/,
    ],
    [
      'failure threshold',
      (c) => (c.traffic.healthCheck.failureThreshold = 0),
      /traffic\.healthCheck\.failureThreshold: got 0; expected a whole number from 1 to 10/,
    ],
    [
      'too few checker regions',
      (c) => (c.traffic.healthCheck.checkerRegions = ['us-east-1', 'eu-west-1']),
      /traffic\.healthCheck\.checkerRegions: got \["us-east-1","eu-west-1"\]; expected at least 3/,
    ],
    [
      'checker region Route 53 does not run',
      (c) => (c.traffic.healthCheck.checkerRegions = ['us-east-1', 'eu-west-1', 'eu-central-1']),
      /traffic\.healthCheck\.checkerRegions\[2\]: got "eu-central-1"; expected a Route 53 health checker region/,
    ],
    [
      'relative health check path',
      (c) => (c.traffic.healthCheck.resourcePath = 'health'),
      /traffic\.healthCheck\.resourcePath: got "health"; expected an absolute path/,
    ],
    [
      'unknown api policy',
      (c) => ((c.traffic as { apiPolicy: string }).apiPolicy = 'geo'),
      /traffic\.apiPolicy: got "geo"; expected one of failover, latency/,
    ],
    [
      'adopted zone without a valid id',
      (c) => ((c.traffic as { hostedZone: unknown }).hostedZone = { mode: 'adopt', zoneId: 'abc' }),
      /traffic\.hostedZone\.zoneId: got "abc"; expected a Route 53 hosted zone id/,
    ],
    [
      'direct access CIDR malformed',
      (c) => (c.traffic.directAccessCidrs = ['203.0.113.7/24']),
      /traffic\.directAccessCidrs\[0\]: got "203\.0\.113\.7\/24"; expected an IPv4 CIDR/,
    ],
    [
      'region key colliding with a routed name',
      (c) => (c.regions[2].key = 'geo'),
      /regions\[2\]\.key: got "geo"; expected a key other than latency, geo, weighted, dr, secondary/,
    ],
  ])('%s', (_name, change, message) => {
    // On the seed's three regions: the messages list the region keys.
    const config = variant(change, threeRegions);
    expect(() => resolvePlan(config)).toThrow(ConfigError);
    expect(() => resolvePlan(config)).toThrow(message);
  });
});
