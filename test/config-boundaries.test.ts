import { checkConfig, MAX_VPC_PREFIX, MIN_REGIONS, MIN_VPC_PREFIX } from '../src/config/validate';
import { IssueCollector, type ConfigIssue } from '../src/config/errors';
import type { PlatformConfig } from '../src/config/types';
import { type Mutable, threeRegions, variant } from './support/config';

// Boundaries of the shape checks in src/config/validate.ts: the last value accepted and the first
// refused, both sides, and values of the wrong type. Each case changes one field of the
// three-region production fixture and reads the issues under that field only.

/** Issues of a variant of the three-region fixture at `path` (exactly, or below it with `prefix`). */
function issuesAt(change: (c: Mutable<PlatformConfig>) => void, path: string, prefix = false): ConfigIssue[] {
  const issues = new IssueCollector();
  checkConfig(variant(change, threeRegions), issues);
  return issues.issues.filter((i) => (prefix ? i.path.startsWith(path) : i.path === path));
}

type Case = [string, (c: Mutable<PlatformConfig>) => void, boolean];
const ok = (what: string, change: (c: Mutable<PlatformConfig>) => void): Case => [what, change, true];
const bad = (what: string, change: (c: Mutable<PlatformConfig>) => void): Case => [what, change, false];

test('the fixture itself has no shape issue', () => {
  const issues = new IssueCollector();
  checkConfig(threeRegions, issues);
  expect(issues.issues).toEqual([]);
});

describe('regions', () => {
  test(`at least ${MIN_REGIONS} regions: one is refused, two are not`, () => {
    expect(MIN_REGIONS).toBe(2);
    expect(issuesAt((c) => (c.regions = c.regions.slice(0, 1)), 'regions')).toEqual([
      {
        path: 'regions',
        value: [expect.objectContaining({ key: 'us-east' })],
        expected: 'expected at least 2 regions for an active-active platform',
      },
    ]);
    expect(issuesAt((c) => (c.regions = c.regions.slice(0, 2)), 'regions')).toEqual([]);
    expect(issuesAt((c) => ((c as { regions: unknown }).regions = 'us-east-1'), 'regions')).toHaveLength(1);
  });

  test.each<Case>([
    ok('a two-character key', (c) => (c.regions[2].key = 'ap')),
    ok('a sixteen-character key', (c) => (c.regions[2].key = 'a'.repeat(15) + '1')),
    bad('a one-character key', (c) => (c.regions[2].key = 'a')),
    bad('a seventeen-character key', (c) => (c.regions[2].key = 'a'.repeat(17))),
    bad('a key starting with a digit', (c) => (c.regions[2].key = '1apac')),
    bad('a key ending with a hyphen', (c) => (c.regions[2].key = 'apac-')),
    bad('an uppercase key', (c) => (c.regions[2].key = 'Apac')),
    bad('a list holding a valid key', (c) => ((c.regions[2] as { key: unknown }).key = ['apac'])),
    bad('a key that is not a string', (c) => ((c.regions[2] as { key: unknown }).key = 7)),
  ])('%s', (_what, change, accepted) => {
    expect(issuesAt(change, 'regions[2].key')).toHaveLength(accepted ? 0 : 1);
  });

  test.each<Case>([
    ok('2 AZs', (c) => (c.regions[0].azCount = 2)),
    ok('as many AZs as the region offers (us-east-1: 5)', (c) => (c.regions[0].azCount = 5)),
    bad('1 AZ', (c) => (c.regions[0].azCount = 1)),
    bad('a fraction', (c) => (c.regions[0].azCount = 2.5)),
    bad('more than the platform allows (7)', (c) => (c.regions[0].azCount = 7)),
  ])('%s', (_what, change, accepted) => {
    const issues = issuesAt(change, 'regions[0].azCount');
    expect(issues).toHaveLength(accepted ? 0 : 1);
    if (!accepted) expect(issues[0].expected).toBe('expected an integer from 2 to 6');
  });

  test('more AZs than the region offers names its limit', () => {
    expect(issuesAt((c) => (c.regions[0].azCount = 6), 'regions[0].azCount')).toEqual([
      {
        path: 'regions[0].azCount',
        value: 6,
        expected: 'expected at most 5: us-east-1 offers 5 usable availability zones',
      },
    ]);
  });

  test.each<Case>([
    ok(`a /${MIN_VPC_PREFIX}`, (c) => (c.regions[2].vpcCidr = '10.30.0.0/16')),
    ok(`a /${MAX_VPC_PREFIX}`, (c) => (c.regions[2].vpcCidr = '10.30.0.0/20')),
    ok('172.16.0.0/12 space', (c) => (c.regions[2].vpcCidr = '172.16.0.0/16')),
    ok('192.168.0.0/16 space', (c) => (c.regions[2].vpcCidr = '192.168.0.0/16')),
    bad(`a /${MIN_VPC_PREFIX - 1}`, (c) => (c.regions[2].vpcCidr = '10.30.0.0/15')),
    bad(`a /${MAX_VPC_PREFIX + 1}`, (c) => (c.regions[2].vpcCidr = '10.30.0.0/21')),
    bad('a public range', (c) => (c.regions[2].vpcCidr = '11.30.0.0/16')),
    bad('a block not aligned to its prefix', (c) => (c.regions[2].vpcCidr = '10.30.0.1/16')),
    bad('not a string', (c) => ((c.regions[2] as { vpcCidr: unknown }).vpcCidr = 10)),
    bad('a list holding a valid range', (c) => ((c.regions[2] as { vpcCidr: unknown }).vpcCidr = ['10.30.0.0/16'])),
  ])('VPC CIDR: %s', (_what, change, accepted) => {
    expect(issuesAt(change, 'regions[2].vpcCidr')).toHaveLength(accepted ? 0 : 1);
  });

  test('the first region of an overlap keeps its range; only the later one is reported', () => {
    const issues = issuesAt((c) => (c.regions[2].vpcCidr = '10.10.0.0/16'), 'regions[', true);
    expect(issues.map((i) => i.path)).toEqual(['regions[2].vpcCidr']);
    expect(issues[0].expected).toMatch(/overlaps regions\[0\]\.vpcCidr 10\.10\.0\.0\/16$/);
  });

  test('an override section no validator knows is named', () => {
    expect(
      issuesAt(
        (c) => ((c.regions[1] as { overrides: unknown }).overrides = { teleport: {} }),
        'regions[1].overrides',
        true,
      ),
    ).toEqual([
      {
        path: 'regions[1].overrides.teleport',
        value: 'teleport',
        expected: expect.stringMatching(/^expected one of network, eks, /),
      },
    ]);
  });
});

describe('names', () => {
  test.each<Case>([
    ok('a 12-digit account id', (c) => (c.accountId = '123456789012')),
    ok('no account id', (c) => delete c.accountId),
    bad('11 digits', (c) => (c.accountId = '12345678901')),
    bad('13 digits', (c) => (c.accountId = '1234567890123')),
    bad('a letter among 12 characters', (c) => (c.accountId = '12345678901a')),
    bad('12 digits with a space', (c) => (c.accountId = ' 123456789012')),
  ])('accountId: %s', (_what, change, accepted) => {
    expect(issuesAt(change, 'accountId')).toHaveLength(accepted ? 0 : 1);
  });

  const label = (n: number, letter = 'a') => letter.repeat(n);
  test.each<Case>([
    ok('two labels', (c) => (c.domainName = 'example.org')),
    ok('253 characters', (c) => (c.domainName = [label(63), label(63), label(63), label(61, 'b')].join('.'))),
    ok('hyphens and digits inside a label', (c) => (c.domainName = 'a-1.example.org')),
    bad('254 characters', (c) => (c.domainName = [label(63), label(63), label(63), label(62, 'b')].join('.'))),
    bad('one label', (c) => (c.domainName = 'localhost')),
    bad('uppercase', (c) => (c.domainName = 'Example.org')),
    bad('a one-letter top-level label', (c) => (c.domainName = 'example.o')),
    bad('a numeric top-level label', (c) => (c.domainName = 'example.123')),
    bad('a top-level label starting with a digit', (c) => (c.domainName = 'example.1ab')),
    bad('a top-level label ending with a digit', (c) => (c.domainName = 'example.ab1')),
    bad('a label starting with a hyphen', (c) => (c.domainName = '-a.example.org')),
    bad('a label of 64 characters', (c) => (c.domainName = `${label(64)}.org`)),
    bad('not a string', (c) => ((c as { domainName: unknown }).domainName = 42)),
  ])('domainName: %s', (_what, change, accepted) => {
    expect(issuesAt(change, 'domainName')).toHaveLength(accepted ? 0 : 1);
  });

  test.each(['project', 'environment'] as const)('%s must be a name, and a string', (field) => {
    expect(issuesAt((c) => (c[field] = 'ab'), field)).toEqual([]);
    expect(issuesAt((c) => (c[field] = 'a'), field)).toHaveLength(1);
    expect(issuesAt((c) => ((c as Record<string, unknown>)[field] = undefined), field)).toHaveLength(1);
  });
});

describe('state backend', () => {
  test.each(['bucket', 'replicaBucket'] as const)(
    '%s: missing, not a string, or not an S3 name is refused',
    (field) => {
      const at = `state.${field}`;
      const state = (c: Mutable<PlatformConfig>) => c.state as unknown as Record<string, unknown>;
      expect(issuesAt((c) => delete state(c)[field], at)).toEqual([
        expect.objectContaining({
          path: at,
          value: undefined,
          expected: expect.stringMatching(/^expected an S3 bucket name/),
        }),
      ]);
      expect(issuesAt((c) => (state(c)[field] = 12345), at)).toHaveLength(1);
      for (const name of ['ab', 'a'.repeat(64), 'my.bucket', 'My-bucket', '-bucket', 'bucket-'])
        expect([name, issuesAt((c) => (state(c)[field] = name), at)]).toEqual([name, [expect.anything()]]);
      for (const name of ['abc', 'a'.repeat(63), '1-bucket-2'])
        expect([name, issuesAt((c) => (state(c)[field] = name), at)]).toEqual([name, []]);
    },
  );

  test('the same bucket twice is refused on the replica', () => {
    expect(issuesAt((c) => (c.state.replicaBucket = c.state.bucket), 'state.replicaBucket')).toEqual([
      {
        path: 'state.replicaBucket',
        value: threeRegions.state.bucket,
        expected: 'expected a name different from state.bucket',
      },
    ]);
  });

  test('regions: known codes, the replica elsewhere', () => {
    expect(issuesAt((c) => (c.state.region = 'mars-1'), 'state.region')).toHaveLength(1);
    expect(issuesAt((c) => (c.state.replicaRegion = c.state.region), 'state.replicaRegion')).toEqual([
      expect.objectContaining({ expected: expect.stringMatching(/^expected a region other than state\.region/) }),
    ]);
    // An unknown replica region is reported once, as unknown.
    expect(issuesAt((c) => (c.state.replicaRegion = 'mars-1'), 'state.replicaRegion')).toEqual([
      expect.objectContaining({ expected: expect.stringMatching(/^expected a known AWS region code/) }),
    ]);
  });

  test.each<Case>([
    ok('a 3-character lock table', (c) => (c.state.lockTable = 'a.b')),
    bad('a 2-character lock table', (c) => (c.state.lockTable = 'ab')),
    bad('a lock table with a space', (c) => (c.state.lockTable = 'lock table')),
    bad('no lock table', (c) => delete (c.state as { lockTable?: string }).lockTable),
  ])('%s', (_what, change, accepted) => {
    expect(issuesAt(change, 'state.lockTable')).toHaveLength(accepted ? 0 : 1);
  });

  test.each<Case>([
    ok('a customer alias', (c) => (c.state.kmsKeyAlias = 'alias/state')),
    bad('an AWS-managed alias', (c) => (c.state.kmsKeyAlias = 'alias/aws/s3')),
    bad('text before the alias', (c) => (c.state.kmsKeyAlias = 'my-alias/state')),
    bad('text after the alias', (c) => (c.state.kmsKeyAlias = 'alias/state key')),
    bad('a key id instead of an alias', (c) => (c.state.kmsKeyAlias = '1234abcd-12ab-34cd-56ef-1234567890ab')),
    bad('no alias', (c) => delete (c.state as { kmsKeyAlias?: string }).kmsKeyAlias),
    bad(
      'a list holding a customer alias',
      (c) => ((c.state as { kmsKeyAlias: unknown }).kmsKeyAlias = ['alias/state']),
    ),
  ])('%s', (_what, change, accepted) => {
    expect(issuesAt(change, 'state.kmsKeyAlias')).toHaveLength(accepted ? 0 : 1);
  });

  test.each<Case>([
    ok('1 day', (c) => (c.state.noncurrentVersionExpirationDays = 1)),
    bad('0 days', (c) => (c.state.noncurrentVersionExpirationDays = 0)),
    bad('a fraction', (c) => (c.state.noncurrentVersionExpirationDays = 1.5)),
  ])('noncurrent versions kept %s', (_what, change, accepted) => {
    expect(issuesAt(change, 'state.noncurrentVersionExpirationDays')).toHaveLength(accepted ? 0 : 1);
  });

  test('an unknown bootstrap backend, or no state settings at all', () => {
    expect(
      issuesAt((c) => ((c.state as { bootstrapBackend: string }).bootstrapBackend = 'gcs'), 'state.bootstrapBackend'),
    ).toHaveLength(1);
    expect(issuesAt((c) => ((c as { state: unknown }).state = undefined), 'state', true)).toEqual([
      { path: 'state', value: undefined, expected: 'expected the state backend settings' },
    ]);
  });
});

describe('tags', () => {
  const withTag = (key: string, value: unknown) => (c: Mutable<PlatformConfig>) =>
    ((c as { tags: Record<string, unknown> }).tags = { ...c.tags, [key]: value });
  const tagIssues = (key: string, value: unknown) => issuesAt(withTag(key, value), `tags.${key}`);

  test('keys: 1-128 characters, not starting with aws: in any case', () => {
    expect(tagIssues('k'.repeat(128), 'v')).toEqual([]);
    expect(tagIssues('k'.repeat(129), 'v')).toEqual([
      {
        path: `tags.${'k'.repeat(129)}`,
        value: 'k'.repeat(129),
        expected: 'expected a key of 1-128 characters not starting with "aws:"',
      },
    ]);
    expect(tagIssues('', 'v')).toHaveLength(1);
    expect(tagIssues('aws:owner', 'v')).toHaveLength(1);
    expect(tagIssues('AWS:owner', 'v')).toHaveLength(1);
    expect(tagIssues('owner-aws:', 'v')).toEqual([]);
  });

  test('values: strings of at most 256 characters', () => {
    expect(tagIssues('owner', 'v'.repeat(256))).toEqual([]);
    expect(tagIssues('owner', 'v'.repeat(257))).toEqual([
      { path: 'tags.owner', value: 'v'.repeat(257), expected: 'expected a string of at most 256 characters' },
    ]);
    expect(tagIssues('owner', '')).toEqual([]);
    expect(tagIssues('owner', 42)).toHaveLength(1);
  });

  test.each(['environment', 'region', 'component', 'managed-by', 'project'])(
    '%s belongs to the tagging aspect',
    (key) => {
      expect(tagIssues(key, 'mine')).toEqual([
        {
          path: `tags.${key}`,
          value: 'mine',
          expected: `expected no "${key}" tag: the tagging aspect sets it (environment, region, component, managed-by, project)`,
        },
      ]);
    },
  );

  test('tags that are not a map', () => {
    for (const value of [null, 'owner=me'])
      expect(issuesAt((c) => ((c as { tags: unknown }).tags = value), 'tags')).toEqual([
        { path: 'tags', value, expected: 'expected a map of tag keys to values' },
      ]);
  });

  test('a one-character key; a value that is a list is refused', () => {
    expect(tagIssues('k', 'v')).toEqual([]);
    expect(tagIssues('owner', ['v'])).toEqual([
      { path: 'tags.owner', value: ['v'], expected: 'expected a string of at most 256 characters' },
    ]);
  });
});

describe('messages name what is allowed', () => {
  const rule = 'expected 2-16 characters: lowercase letters, digits and hyphens, starting with a letter';

  test('names: project, environment and region keys', () => {
    for (const field of ['project', 'environment'] as const)
      expect(issuesAt((c) => (c[field] = 'A'), field)).toEqual([{ path: field, value: 'A', expected: rule }]);
    expect(issuesAt((c) => (c.regions[1].key = 'EU'), 'regions[1].key')).toEqual([
      { path: 'regions[1].key', value: 'EU', expected: rule },
    ]);
  });

  test('region roles', () => {
    expect(issuesAt((c) => ((c.regions[1] as { role: string }).role = 'replica'), 'regions[1].role')).toEqual([
      { path: 'regions[1].role', value: 'replica', expected: 'expected one of primary, secondary' },
    ]);
  });

  test('state backend fields', () => {
    const known = expect.stringMatching(/^expected a known AWS region code \(us-east-1, [a-z0-9-]+(, [a-z0-9-]+)+\)$/);
    expect(issuesAt((c) => (c.state.region = 'mars-1'), 'state.region')).toEqual([
      { path: 'state.region', value: 'mars-1', expected: known },
    ]);
    expect(issuesAt((c) => (c.state.lockTable = 'ab'), 'state.lockTable')).toEqual([
      { path: 'state.lockTable', value: 'ab', expected: 'expected a DynamoDB table name: 3-255 of A-Z a-z 0-9 _ . -' },
    ]);
    expect(issuesAt((c) => (c.state.kmsKeyAlias = 'alias/aws/s3'), 'state.kmsKeyAlias')).toEqual([
      {
        path: 'state.kmsKeyAlias',
        value: 'alias/aws/s3',
        expected: 'expected "alias/<name>" (not an AWS-managed alias/aws/... name)',
      },
    ]);
    expect(
      issuesAt((c) => (c.state.noncurrentVersionExpirationDays = 0), 'state.noncurrentVersionExpirationDays'),
    ).toEqual([
      {
        path: 'state.noncurrentVersionExpirationDays',
        value: 0,
        expected: 'expected a whole number of days, at least 1',
      },
    ]);
    expect(issuesAt((c) => ((c as { state: unknown }).state = 's3'), 'state')).toEqual([
      { path: 'state', value: 's3', expected: 'expected the state backend settings' },
    ]);
  });

  test('the defaults of a regional section must be complete', () => {
    expect(
      issuesAt((c) => delete (c.defaults.ingress as { sslPolicy?: string }).sslPolicy, 'defaults.ingress.sslPolicy'),
    ).toEqual([
      {
        path: 'defaults.ingress.sslPolicy',
        value: undefined,
        expected: expect.stringMatching(/^expected a TLS 1\.2\+/),
      },
    ]);
  });
});
