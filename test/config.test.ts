import { loadConfig } from '../src/config/load';
import { mergeSettings, resolvePlan } from '../src/plan/resolve';
import { ENVIRONMENTS } from '../src/config/environments';
import { production } from '../src/config/environments/production';
import type { PlatformConfig, RegionConfig } from '../src/config/types';
import { type Mutable, issuesOf, threeRegions, variant } from './support/config';

describe('environments', () => {
  test.each(Object.keys(ENVIRONMENTS))('%s is valid', (name) => {
    expect(issuesOf(ENVIRONMENTS[name])).toEqual([]);
  });

  test('production starts with the three-region topology of the design; added regions are secondaries', () => {
    expect(production.regions.slice(0, 3).map((r) => [r.key, r.code, r.role])).toEqual([
      ['us-east', 'us-east-1', 'primary'],
      ['eu-west', 'eu-west-1', 'secondary'],
      ['apac', 'ap-southeast-1', 'secondary'],
    ]);
    expect(production.regions.slice(3).filter((r) => r.role !== 'secondary')).toEqual([]);
  });

  test('PLATFORM_ENV selects the environment, production by default', () => {
    expect(loadConfig({}).environment).toBe('production');
    expect(loadConfig({ PLATFORM_ENV: 'staging' }).environment).toBe('staging');
  });

  test('an unknown environment is refused with the names allowed', () => {
    expect(() => loadConfig({ PLATFORM_ENV: 'prod' })).toThrow(
      /PLATFORM_ENV: got "prod"; expected one of production, staging/,
    );
  });
});

describe('validation refuses bad input with field path, value and what is allowed', () => {
  const region = (over: Partial<RegionConfig>): RegionConfig => ({
    key: 'us-west',
    code: 'us-west-2',
    role: 'secondary',
    vpcCidr: '10.40.0.0/16',
    azCount: 3,
    ...over,
  });

  test.each<[string, (c: Mutable<PlatformConfig>) => void, RegExp]>([
    [
      'duplicate region key',
      (c) => c.regions.push(region({ key: 'eu-west' })),
      /regions\[3\]\.key: got "eu-west"; expected a unique key; regions\[1\] already uses it/,
    ],
    [
      'duplicate region code',
      (c) => c.regions.push(region({ code: 'eu-west-1' })),
      /regions\[3\]\.code: got "eu-west-1"; expected each AWS region once; regions\[1\]/,
    ],
    [
      'unknown region code',
      (c) => c.regions.push(region({ code: 'us-central-9' })),
      /regions\[3\]\.code: got "us-central-9"; expected a known AWS region code \(us-east-1, /,
    ],
    [
      'no primary',
      (c) => (c.regions[0].role = 'secondary'),
      /regions\[\*\]\.role: got \[\]; expected exactly one region with role "primary", found 0/,
    ],
    [
      'two primaries',
      (c) => (c.regions[1].role = 'primary'),
      /regions\[\*\]\.role: got \["us-east","eu-west"\]; expected exactly one .* found 2/,
    ],
    ['unknown role', (c) => ((c.regions[1] as { role: string }).role = 'standby'), /regions\[1\]\.role: got "standby"/],
    [
      'overlapping VPC CIDRs',
      (c) => c.regions.push(region({ vpcCidr: '10.20.128.0/17' })),
      /regions\[3\]\.vpcCidr: got "10\.20\.128\.0\/17"; .*overlaps regions\[1\]\.vpcCidr 10\.20\.0\.0\/16/,
    ],
    [
      'CIDR too small for its subnets',
      (c) => (c.regions[2].vpcCidr = '10.30.0.0/24'),
      /regions\[2\]\.vpcCidr: got "10\.30\.0\.0\/24"; expected a \/16 to \/20 block/,
    ],
    [
      'CIDR not aligned',
      (c) => (c.regions[2].vpcCidr = '10.30.1.0/16'),
      /regions\[2\]\.vpcCidr: got "10\.30\.1\.0\/16"; expected an IPv4 CIDR/,
    ],
    ['public CIDR', (c) => (c.regions[2].vpcCidr = '52.30.0.0/16'), /regions\[2\]\.vpcCidr: .*RFC 1918/],
    [
      'AZ count below 2',
      (c) => (c.regions[0].azCount = 1),
      /regions\[0\]\.azCount: got 1; expected an integer from 2 to 6/,
    ],
    [
      'AZ count above 6',
      (c) => (c.regions[0].azCount = 7),
      /regions\[0\]\.azCount: got 7; expected an integer from 2 to 6/,
    ],
    [
      'AZ count beyond what the region offers',
      (c) => (c.regions[1].azCount = 4),
      /regions\[1\]\.azCount: got 4; expected at most 3: eu-west-1 offers 3/,
    ],
    [
      'malformed domain',
      (c) => (c.domainName = 'not a domain'),
      /domainName: got "not a domain"; expected a lowercase DNS name/,
    ],
    ['single-label domain', (c) => (c.domainName = 'localhost'), /domainName: got "localhost"/],
    ['one region only', (c) => c.regions.splice(1), /regions: got \[.*; expected at least 2 regions/],
    ['bad environment name', (c) => (c.environment = 'Prod!'), /environment: got "Prod!"/],
    [
      'bad state bucket',
      (c) => (c.state.bucket = 'My.Bucket'),
      /state\.bucket: got "My\.Bucket"; expected an S3 bucket name/,
    ],
    [
      'replica in the same region',
      (c) => (c.state.replicaRegion = 'us-east-1'),
      /state\.replicaRegion: got "us-east-1"; expected a region other than state\.region/,
    ],
    [
      'AWS-managed KMS alias',
      (c) => (c.state.kmsKeyAlias = 'alias/aws/s3'),
      /state\.kmsKeyAlias: got "alias\/aws\/s3"/,
    ],
    [
      'bad bootstrap backend',
      (c) => ((c.state as { bootstrapBackend: string }).bootstrapBackend = 'gcs'),
      /state\.bootstrapBackend: got "gcs"; expected one of local, s3/,
    ],
    ['reserved tag', (c) => (c.tags.environment = 'x'), /tags\.environment: got "x"; expected no "environment" tag/],
    ['bad account id', (c) => (c.accountId = '1234'), /accountId: got "1234"; expected a 12-digit/],
    [
      'bad flow log retention',
      (c) => (c.defaults.network.flowLogRetentionDays = 10),
      /defaults\.network\.flowLogRetentionDays: got 10; expected a CloudWatch Logs retention period/,
    ],
    [
      'bad NAT mode in a region override',
      (c) => ((c.regions[2] as Mutable<RegionConfig>).overrides = { network: { natGateways: 'none' as never } }),
      /regions\[2\]\.overrides\.network\.natGateways: got "none"; expected one of per-az, single/,
    ],
    [
      'unknown override section',
      (c) => ((c.regions[2] as Mutable<RegionConfig>).overrides = { nope: {} } as never),
      /regions\[2\]\.overrides\.nope: got "nope"; expected one of network/,
    ],
    [
      'duplicate interface endpoint',
      (c) => (c.defaults.network.interfaceEndpoints = ['sts', 'sts']),
      /defaults\.network\.interfaceEndpoints\[1\]: got "sts"; expected each service once/,
    ],
    [
      'negative slow-query threshold',
      (c) => (c.data.aurora.logging.minDurationStatementMs = -1),
      /data\.aurora\.logging\.minDurationStatementMs: got -1; expected whole milliseconds from 0/,
    ],
    [
      'unknown log_statement',
      (c) => (c.data.aurora.logging.logStatement = 'everything' as never),
      /data\.aurora\.logging\.logStatement: got "everything"; expected one of none, ddl, mod, all/,
    ],
    [
      'unknown vault lock mode',
      (c) => (c.data.backup.vaultLock.mode = 'legal-hold' as never),
      /data\.backup\.vaultLock\.mode: got "legal-hold"; expected one of governance, compliance/,
    ],
    [
      'compliance lock without a grace period',
      (c) => (c.data.backup.vaultLock.mode = 'compliance'),
      /data\.backup\.vaultLock\.changeableForDays: got nothing; expected whole days from 3/,
    ],
    [
      'grace period on a governance lock',
      (c) => (c.data.backup.vaultLock.changeableForDays = 7),
      /data\.backup\.vaultLock\.changeableForDays: got 7; expected no value in governance mode/,
    ],
    [
      'backup retention below the vault lock minimum',
      (c) => (c.data.backup.retentionDays = 3),
      /data\.backup\.retentionDays: got 3; expected whole days within the vault lock \(7-365\)/,
    ],
    [
      'copy retention above the vault lock maximum',
      (c) => (c.data.backup.copyRetentionDays = 400),
      /data\.backup\.copyRetentionDays: got 400; expected whole days within the vault lock/,
    ],
    [
      'backup copy to an unknown region',
      (c) => (c.data.backup.copyTo = { 'us-east': 'mars' }),
      /data\.backup\.copyTo\.us-east: got "mars"; expected another region key of this configuration \(eu-west, apac\)/,
    ],
    [
      'backup copy to itself',
      (c) => (c.data.backup.copyTo = { 'eu-west': 'eu-west' }),
      /data\.backup\.copyTo\.eu-west: got "eu-west"; expected another region key/,
    ],
  ])('%s', (_name, change, message) => {
    // On the seed's three regions: the cases add a fourth and name regions by index.
    expect(() => resolvePlan(variant(change, threeRegions))).toThrow(message);
  });

  test('every problem is reported at once', () => {
    const issues = issuesOf(
      variant((c) => {
        c.domainName = 'bad';
        c.regions[0].azCount = 9;
        c.regions[1].vpcCidr = '10.10.0.0/16';
      }),
    );
    expect(issues.map((i) => i.path)).toEqual(['domainName', 'regions[0].azCount', 'regions[1].vpcCidr']);
  });

  test('the message lists the problems one per line and counts them', () => {
    expect(() => resolvePlan(variant((c) => (c.domainName = 'bad')))).toThrow(
      /^Invalid configuration \(1 problem\):\n {2}- domainName: got "bad"; /,
    );
  });
});

describe('mergeSettings', () => {
  test('overrides win field by field over the defaults', () => {
    const config = variant((c) => {
      (c.regions[2] as Mutable<RegionConfig>).overrides = { network: { natGateways: 'single' } };
    });
    expect(mergeSettings(config, config.regions[2]).network).toEqual({
      ...production.defaults.network,
      natGateways: 'single',
    });
    expect(mergeSettings(config, config.regions[0]).network.natGateways).toBe('per-az');
  });
});
