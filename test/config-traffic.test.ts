import { type Change, type FieldCase, issuesAt, set, testFields } from './support/config-issues';

// traffic, edge and recovery (src/config/sections/traffic.ts): each field at its boundaries, wrong
// types and missing values with the exact issue; maps and lists entry by entry; the ARC routing
// control settings. The failover budget against the RTO is the plan's (test/failover-budget.test.ts).

const bool = (path: string): FieldCase => ({
  path,
  ok: [true, false],
  bad: ['true', 1, undefined],
  expected: 'expected true or false',
});

const FIELDS: readonly FieldCase[] = [
  {
    path: 'traffic.recordTarget',
    ok: ['alias', 'cname'],
    bad: ['CNAME', 'a', undefined],
    expected: 'expected one of alias, cname',
  },
  {
    path: 'traffic.recordTtlSeconds',
    ok: [1, 86400],
    bad: [0, 86401, 1.5, '30', undefined],
    expected: 'expected a TTL in whole seconds, 1 to 86400',
  },
  {
    path: 'traffic.healthCheck.resourcePath',
    ok: ['/', '/actuator/health/readiness', `/${'!'.repeat(254)}`, '/~a?b=c'],
    bad: [['/health'], 'health', '/a b', `/${'a'.repeat(255)}`, '/é', '/a\n', '', ' /a', 5, undefined],
    expected: 'expected an absolute path such as "/actuator/health/readiness" (at most 255 characters, no spaces)',
  },
  {
    path: 'traffic.healthCheck.requestIntervalSeconds',
    ok: [10, 30],
    bad: [20, 5, '10', undefined],
    expected: 'expected one of 10, 30 (Route 53 request intervals)',
  },
  {
    path: 'traffic.healthCheck.failureThreshold',
    ok: [1, 10],
    bad: [0, 11, 1.5, undefined],
    expected: 'expected a whole number from 1 to 10',
  },
  bool('traffic.healthCheck.measureLatency'),
  {
    path: 'traffic.healthCheck.checkerRegions',
    ok: [
      ['us-east-1', 'eu-west-1', 'ap-southeast-1'],
      ['us-east-1', 'eu-west-1', 'ap-southeast-1', 'sa-east-1'],
    ],
    bad: [['us-east-1', 'eu-west-1', 'eu-west-1'], ['us-east-1', 'eu-west-1'], [], 'us-east-1', undefined],
    expected: 'expected at least 3 distinct checker regions',
  },
  {
    path: 'traffic.apiPolicy',
    ok: ['failover', 'latency'],
    bad: ['geo', 'Failover', undefined],
    expected: 'expected one of failover, latency',
  },
  {
    path: 'traffic.geoRouting',
    ok: [{}, { 'continent:EU': 'eu-west' }],
    bad: [undefined, null, 'continent:EU=eu-west'],
    expected: 'expected a map of "continent:XX" or "country:XX" to region keys',
  },
  {
    path: 'traffic.weights',
    ok: [{ 'us-east': 1 }, { 'us-east': 0, apac: 255 }],
    bad: [undefined, null, 5],
    expected: 'expected a map of region keys to weights 0-255',
  },
  {
    path: 'traffic.directAccessCidrs',
    ok: [[], ['203.0.113.0/24', '198.51.100.7/32']],
    bad: ['203.0.113.0/24', undefined, {}],
    expected: 'expected a list of IPv4 CIDRs (may be empty)',
  },
  {
    path: 'edge.hostname',
    ok: ['edge', 'a', 'cdn-1', 'apix', 'x-api', `e${'x'.repeat(62)}`],
    bad: [
      ['edge'],
      'api',
      'api-edge',
      'Edge',
      'edge.example',
      '-edge',
      'edge-',
      `e${'x'.repeat(63)}`,
      '',
      5,
      undefined,
    ],
    expected: 'expected one lowercase DNS label not starting with "api" (those names belong to Route 53 routing)',
  },
  {
    path: 'edge.originConnectionTimeoutSeconds',
    ok: [1, 10],
    bad: [0, 11, 2.5, undefined],
    expected: 'expected a whole number of seconds from 1 to 10',
  },
  { path: 'edge.originConnectionAttempts', ok: [1, 3], bad: [0, 4, 1.5, undefined], expected: 'expected 1, 2 or 3' },
  {
    path: 'edge.originReadTimeoutSeconds',
    ok: [1, 60],
    bad: [0, 61, 1.5, undefined],
    expected: 'expected a whole number of seconds from 1 to 60',
  },
  {
    path: 'edge.writePathPatterns',
    ok: [[], ['/api/*', '/']],
    bad: ['/api/*', undefined],
    expected: 'expected a list of CloudFront path patterns (may be empty)',
  },
  {
    path: 'edge.priceClass',
    ok: ['PriceClass_All', 'PriceClass_200', 'PriceClass_100'],
    bad: ['PriceClass_50', undefined],
    expected: 'expected one of PriceClass_All, PriceClass_200, PriceClass_100',
  },
  {
    path: 'edge.geoRestriction',
    ok: [{ type: 'none' }, { type: 'whitelist', countries: ['DE'] }, { type: 'blacklist', countries: ['DE', 'FR'] }],
    bad: [undefined, {}, { type: 'allow', countries: ['DE'] }],
    expected: 'expected { type: "none" } or { type: "whitelist" | "blacklist", countries: ["DE", ...] }',
  },
  {
    path: 'edge.hstsMaxAgeSeconds',
    ok: [31536000, 63072000],
    bad: [31535999, 0, 31536000.5, '63072000', undefined],
    expected: 'expected at least 31536000 (one year)',
  },
  {
    path: 'edge.wafRateLimitPer5Minutes',
    ok: [10, 2_000_000_000],
    bad: [9, 2_000_000_001, 10.5, undefined],
    expected: 'expected a whole number from 10 to 2000000000',
  },
  {
    path: 'recovery.rtoSeconds',
    ok: [1, 86400],
    bad: [0, 86401, 1.5, '60', undefined],
    expected: 'expected a whole number of seconds, 1 to 86400',
  },
];

testFields(FIELDS);

test('missing traffic or edge settings are named', () => {
  for (const value of [undefined, 'failover'])
    expect(issuesAt(set('traffic', value), 'traffic')).toEqual([
      { path: 'traffic', value, expected: 'expected the traffic settings' },
    ]);
  for (const value of [null, 'edge'])
    expect(issuesAt(set('edge', value), 'edge')).toEqual([
      { path: 'edge', value, expected: 'expected the edge (CloudFront + WAF) settings' },
    ]);
  expect(issuesAt(set('recovery', undefined), 'recovery.rtoSeconds')).toHaveLength(1);
  for (const value of [undefined, 10])
    expect(issuesAt(set('traffic.healthCheck', value), 'traffic.healthCheck')).toEqual([
      { path: 'traffic.healthCheck', value, expected: 'expected the health check settings' },
    ]);
});

test('hosted zone: created, or adopted by a Route 53 zone id', () => {
  const zone = (value: unknown) => set('traffic.hostedZone', value);
  const adopt = (zoneId: unknown) => zone({ mode: 'adopt', zoneId });
  for (const id of ['Z0123456789ABCDEFGHIJ', 'Z1', `Z${'A'.repeat(31)}`])
    expect(issuesAt(adopt(id), 'traffic.hostedZone.zoneId')).toEqual([]);
  for (const id of ['Z', 'z123', `Z${'A'.repeat(32)}`, 'X123', 'Z12 ', ' Z12', 'Z1a', 5, undefined, ['Z1']])
    expect([id, issuesAt(adopt(id), 'traffic.hostedZone.zoneId')]).toEqual([
      id,
      [
        {
          path: 'traffic.hostedZone.zoneId',
          value: id,
          expected: 'expected a Route 53 hosted zone id such as "Z0123456789ABCDEFGHIJ"',
        },
      ],
    ]);
  expect(issuesAt(zone({ mode: 'create' }), 'traffic.hostedZone')).toEqual([]);
  expect(issuesAt(adopt('Z1'), 'traffic.hostedZone')).toEqual([]);
  for (const value of [{ mode: 'import' }, {}, undefined])
    expect(issuesAt(zone(value), 'traffic.hostedZone')).toEqual([
      {
        path: 'traffic.hostedZone',
        value,
        expected: 'expected { mode: "create" } or { mode: "adopt", zoneId: "Z..." }',
      },
    ]);
});

test('checker regions: each a Route 53 health checker region', () => {
  expect(
    issuesAt(set('traffic.healthCheck.checkerRegions', 'us-east-1'), 'traffic.healthCheck.checkerRegions[0]'),
  ).toEqual([]);
  const regions = ['us-east-1', 'eu-west-1', 'ap-southeast-1', 'eu-central-1', 'us-west-1'];
  const change = set('traffic.healthCheck.checkerRegions', regions);
  expect(issuesAt(change, 'traffic.healthCheck.checkerRegions')).toEqual([]);
  expect(issuesAt(change, 'traffic.healthCheck.checkerRegions[4]')).toEqual([]);
  expect(issuesAt(change, 'traffic.healthCheck.checkerRegions[3]')).toEqual([
    {
      path: 'traffic.healthCheck.checkerRegions[3]',
      value: 'eu-central-1',
      expected:
        'expected a Route 53 health checker region (us-east-1, us-west-1, us-west-2, eu-west-1, ap-southeast-1, ap-southeast-2, ap-northeast-1, sa-east-1)',
    },
  ]);
});

describe('geo routing', () => {
  const geo = (map: Record<string, string>) => set('traffic.geoRouting', map);
  const at = (key: string) => `traffic.geoRouting["${key}"]`;

  test('continent and country keys to region keys', () => {
    const change = geo({ 'continent:EU': 'eu-west', 'country:DE': 'eu-west', 'country:US': 'us-east' });
    for (const key of ['continent:EU', 'country:DE', 'country:US']) expect(issuesAt(change, at(key))).toEqual([]);
  });

  test.each(['country:de', 'country:DEU', 'country:', 'planet:EA', 'continent:Europe', 'EU', ' continent:EU'])(
    'a key that is no location: %j',
    (key) => {
      expect(issuesAt(geo({ [key]: 'eu-west' }), at(key))).toEqual([
        {
          path: at(key),
          value: key,
          expected:
            'expected "continent:<AF|AN|AS|EU|NA|OC|SA>" or "country:<ISO 3166 alpha-2>"; the default (*) record always routes to api-latency',
        },
      ]);
    },
  );

  test('an unknown continent code', () => {
    expect(issuesAt(geo({ 'continent:XX': 'eu-west' }), at('continent:XX'))).toEqual([
      {
        path: at('continent:XX'),
        value: 'continent:XX',
        expected: 'expected a continent code: AF, AN, AS, EU, NA, OC, SA',
      },
    ]);
  });

  test('a region that is not a key of this configuration, for continents and countries alike', () => {
    for (const key of ['continent:EU', 'country:FR'])
      expect(issuesAt(geo({ [key]: 'eu-central' }), at(key))).toEqual([
        { path: at(key), value: 'eu-central', expected: 'expected a region key (us-east, eu-west, apac)' },
      ]);
  });
});

describe('weights', () => {
  const weights = (map: Record<string, unknown>) => set('traffic.weights', map);

  test('each entry: a region key and a whole number from 0 to 255', () => {
    const change = weights({ 'us-east': 255, 'eu-west': 0, mars: 10, apac: 256 });
    expect(issuesAt(change, 'traffic.weights["us-east"]')).toEqual([]);
    expect(issuesAt(change, 'traffic.weights["eu-west"]')).toEqual([]);
    expect(issuesAt(change, 'traffic.weights["mars"]')).toEqual([
      { path: 'traffic.weights["mars"]', value: 'mars', expected: 'expected a region key (us-east, eu-west, apac)' },
    ]);
    for (const w of [256, -1, 1.5, '10'])
      expect(issuesAt(weights({ apac: w, 'us-east': 1 }), 'traffic.weights["apac"]')).toEqual([
        { path: 'traffic.weights["apac"]', value: w, expected: 'expected a whole number from 0 to 255' },
      ]);
  });

  test('at least one region weighs more than 0; refused weights and unknown keys do not count', () => {
    const expected =
      'expected at least one region with a weight above 0 (otherwise api-weighted spreads evenly, ignoring intent)';
    for (const map of [{}, { 'us-east': 0, 'eu-west': 0, apac: 0 }, { 'us-east': 256 }, { mars: 10 }, { apac: -5 }])
      expect(issuesAt(weights(map), 'traffic.weights')).toEqual([{ path: 'traffic.weights', value: map, expected }]);
    expect(issuesAt(weights({ apac: 1 }), 'traffic.weights')).toEqual([]);
  });
});

test('the DR region: a region key other than the primary', () => {
  expect(issuesAt(set('traffic.drRegion', 'apac'), 'traffic.drRegion')).toEqual([]);
  for (const value of ['mars', undefined])
    expect(issuesAt(set('traffic.drRegion', value), 'traffic.drRegion')).toEqual([
      { path: 'traffic.drRegion', value, expected: 'expected a region key (us-east, eu-west, apac)' },
    ]);
  expect(issuesAt(set('traffic.drRegion', 'us-east'), 'traffic.drRegion')).toEqual([
    {
      path: 'traffic.drRegion',
      value: 'us-east',
      expected: 'expected a region other than the primary: api-dr and CloudFront fail over there',
    },
  ]);
  // The primary is the region with role primary, wherever it is listed.
  const primaryLast: Change = (c) => {
    c.regions[0].role = 'secondary';
    c.regions[2].role = 'primary';
    c.traffic.drRegion = 'us-east';
  };
  expect(issuesAt(primaryLast, 'traffic.drRegion')).toEqual([]);
  expect(
    issuesAt((c) => {
      primaryLast(c);
      c.traffic.drRegion = 'apac';
    }, 'traffic.drRegion'),
  ).toHaveLength(1);
});

test('direct access CIDRs: each aligned to its prefix', () => {
  const list = ['203.0.113.0/24', '203.0.113.1/24', 'x', 5, ['203.0.113.0/24'], '10.0.0.0/8'];
  const change = set('traffic.directAccessCidrs', list);
  expect(issuesAt(change, 'traffic.directAccessCidrs[0]')).toEqual([]);
  expect(issuesAt(change, 'traffic.directAccessCidrs[5]')).toEqual([]);
  for (const i of [1, 2, 3, 4])
    expect(issuesAt(change, `traffic.directAccessCidrs[${i}]`)).toEqual([
      {
        path: `traffic.directAccessCidrs[${i}]`,
        value: list[i],
        expected: 'expected an IPv4 CIDR aligned to its prefix, e.g. "203.0.113.0/24"',
      },
    ]);
});

test('region keys that would collide with a routed name are refused', () => {
  for (const key of ['latency', 'geo', 'weighted', 'dr', 'secondary'])
    expect(issuesAt(set('regions.2.key', key), 'regions[2].key')).toEqual([
      {
        path: 'regions[2].key',
        value: key,
        expected:
          'expected a key other than latency, geo, weighted, dr, secondary: api-<key> would collide with a routed name',
      },
    ]);
  expect(issuesAt(set('regions.2.key', 'asia'), 'regions[2].key')).toEqual([]);
});

describe('edge', () => {
  test('write path patterns: distinct, starting with "/", CloudFront characters only', () => {
    const list = [
      '/api/*',
      '/a_b-c.d*$/~"\'@:+&?=!',
      `/${'a'.repeat(254)}`,
      'api/*',
      '/a b',
      `/${'a'.repeat(255)}`,
      '/api/*',
      5,
      ['/api/v2/*'],
    ];
    const change = set('edge.writePathPatterns', list);
    for (const i of [0, 1, 2]) expect(issuesAt(change, `edge.writePathPatterns[${i}]`)).toEqual([]);
    for (const i of [3, 4, 5, 6, 7, 8])
      expect(issuesAt(change, `edge.writePathPatterns[${i}]`)).toEqual([
        {
          path: `edge.writePathPatterns[${i}]`,
          value: list[i],
          expected: 'expected a distinct CloudFront path pattern starting with "/", e.g. "/api/*"',
        },
      ]);
  });

  test('geo restriction countries: a non-empty list of alpha-2 codes', () => {
    const expected = 'expected a non-empty list of ISO 3166 alpha-2 country codes';
    for (const countries of [['DE'], ['DE', 'FR', 'US']])
      expect(
        issuesAt(set('edge.geoRestriction', { type: 'whitelist', countries }), 'edge.geoRestriction.countries'),
      ).toEqual([]);
    for (const type of ['whitelist', 'blacklist'])
      for (const countries of [[], ['de'], ['DEU'], ['DE', 'F'], 'DE', undefined, [5], [['DE']]])
        expect(issuesAt(set('edge.geoRestriction', { type, countries }), 'edge.geoRestriction.countries')).toEqual([
          { path: 'edge.geoRestriction.countries', value: countries, expected },
        ]);
  });

  test('log retention: a CloudWatch Logs period', () => {
    expect(issuesAt(set('edge.logRetentionDays', 400), 'edge.logRetentionDays')).toEqual([]);
    expect(issuesAt(set('edge.logRetentionDays', 366), 'edge.logRetentionDays')).toHaveLength(1);
  });

  test('origin verify: optional; a version from 1, accepting the previous value only from version 2', () => {
    const verify = (value: unknown) => set('edge.originVerify', value);
    expect(issuesAt(verify(undefined), 'edge.originVerify.version')).toEqual([]);
    expect(issuesAt(verify(undefined), 'edge.originVerify.acceptPrevious')).toEqual([]);
    for (const version of [1, 1_000_000])
      expect(issuesAt(verify({ version, acceptPrevious: false }), 'edge.originVerify.version')).toEqual([]);
    for (const version of [0, 1_000_001, 1.5, undefined])
      expect(issuesAt(verify({ version, acceptPrevious: false }), 'edge.originVerify.version')).toEqual([
        {
          path: 'edge.originVerify.version',
          value: version,
          expected: 'expected a whole number from 1 to 1000000 (bump it to rotate the origin secret)',
        },
      ]);
    const previous = (version: unknown, acceptPrevious: unknown) =>
      issuesAt(verify({ version, acceptPrevious }), 'edge.originVerify.acceptPrevious');
    expect(previous(2, true)).toEqual([]);
    expect(previous(1, false)).toEqual([]);
    for (const [version, acceptPrevious] of [
      [1, true],
      [1.5, true],
      ['3', true],
      [2, 'true'],
      [2, undefined],
    ])
      expect(previous(version, acceptPrevious)).toEqual([
        {
          path: 'edge.originVerify.acceptPrevious',
          value: acceptPrevious,
          expected: 'expected true or false; true only from version 2 on (version 1 has no previous value to accept)',
        },
      ]);
  });
});

describe('ARC routing controls (traffic.recoveryControl)', () => {
  const rc = (value: unknown) => set('traffic.recoveryControl', value);
  const endpoint = {
    region: 'us-west-2',
    endpoint: 'https://abcd1234.route53-recovery-cluster.us-west-2.amazonaws.com/v1',
  };
  const paths = (change: Change) =>
    [
      'traffic.recoveryControl',
      'traffic.recoveryControl.enabled',
      'traffic.recoveryControl.gateTraffic',
      'traffic.recoveryControl.clusterEndpoints',
      'traffic.recoveryControl.clusterEndpoints[0].region',
      'traffic.recoveryControl.clusterEndpoints[0].endpoint',
    ].flatMap((p) => issuesAt(change, p));

  test('left out, off, or on with endpoints and gating: nothing to report', () => {
    expect(paths(rc(undefined))).toEqual([]);
    expect(paths(rc({ enabled: false }))).toEqual([]);
    expect(paths(rc({ enabled: true, gateTraffic: false }))).toEqual([]);
    expect(paths(rc({ enabled: true, gateTraffic: true, clusterEndpoints: [endpoint] }))).toEqual([]);
  });

  test('not an object, or enabled not a boolean', () => {
    for (const value of [null, 'on', true])
      expect(paths(rc(value))).toEqual([
        {
          path: 'traffic.recoveryControl',
          value,
          expected: 'expected { enabled: true | false } (or leave it out: off)',
        },
      ]);
    expect(paths(rc({ enabled: 'yes' }))).toEqual([
      { path: 'traffic.recoveryControl.enabled', value: 'yes', expected: 'expected true or false' },
    ]);
  });

  test('gateTraffic: a boolean, true only when enabled and with cluster endpoints', () => {
    expect(paths(rc({ enabled: true, gateTraffic: 'yes', clusterEndpoints: [endpoint] }))).toEqual([
      { path: 'traffic.recoveryControl.gateTraffic', value: 'yes', expected: 'expected true or false' },
    ]);
    expect(paths(rc({ enabled: false, gateTraffic: true, clusterEndpoints: [endpoint] }))).toEqual([
      {
        path: 'traffic.recoveryControl.gateTraffic',
        value: true,
        expected: 'expected false while enabled is false: records can only follow routing controls that exist',
      },
    ]);
    for (const clusterEndpoints of [undefined, []])
      expect(paths(rc({ enabled: true, gateTraffic: true, clusterEndpoints }))).toEqual([
        {
          path: 'traffic.recoveryControl.clusterEndpoints',
          value: clusterEndpoints,
          expected:
            'expected the cluster endpoints (global stack output recovery_control_cluster_endpoints) before gateTraffic: the DR CLI moves traffic through them',
        },
      ]);
  });

  test('cluster endpoints: a list of region codes and https URLs', () => {
    expect(paths(rc({ enabled: true, clusterEndpoints: endpoint }))).toEqual([
      {
        path: 'traffic.recoveryControl.clusterEndpoints',
        value: endpoint,
        expected:
          'expected the list of { region, endpoint } of the global stack output recovery_control_cluster_endpoints',
      },
    ]);
    const one = (e: unknown) => paths(rc({ enabled: true, clusterEndpoints: [e] }));
    for (const region of ['us-west-2', 'ap-southeast-1', 'us-gov-west-1'])
      expect(one({ ...endpoint, region })).toEqual([]);
    for (const region of ['us-west', 'US-west-2', 'uswest-2', 'us-west-22', ' us-west-2', 5, undefined])
      expect([region, one({ ...endpoint, region })]).toEqual([
        region,
        [
          {
            path: 'traffic.recoveryControl.clusterEndpoints[0].region',
            value: region,
            expected: 'expected an AWS region code such as "us-west-2"',
          },
        ],
      ]);
    for (const url of [
      'https://a',
      'https://a.b.c/v1',
      'https://host-1.example.org/',
      'https://x.example.org/a_b.c~d/e',
    ])
      expect([url, one({ ...endpoint, endpoint: url })]).toEqual([url, []]);
    for (const url of [
      'http://a.example.org/v1',
      'https://',
      'https://-a.example.org',
      'https://a.example.org-',
      'https://A.example.org',
      'https://a.example.org/v 1',
      'https://a.example.org?x=1',
      ' https://a.example.org',
      `https://${'a'.repeat(203)}`,
      5,
    ])
      expect([url, one({ ...endpoint, endpoint: url })]).toEqual([
        url,
        [
          {
            path: 'traffic.recoveryControl.clusterEndpoints[0].endpoint',
            value: url,
            expected:
              'expected the https URL of a cluster endpoint, e.g. "https://abcd1234.route53-recovery-cluster.us-west-2.amazonaws.com/v1"',
          },
        ],
      ]);
    // A null entry is reported field by field, not thrown on.
    expect(one(null).map((i) => i.path)).toEqual([
      'traffic.recoveryControl.clusterEndpoints[0].region',
      'traffic.recoveryControl.clusterEndpoints[0].endpoint',
    ]);
  });
});
