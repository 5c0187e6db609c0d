import { production } from '../src/config/environments/production';
import { ConfigError, IssueCollector, type ConfigIssue } from '../src/config/errors';
import { validateConfig } from '../src/config/validate';
import { type Mutable, threeRegions, variant } from './support/config';
import { TLS12_PLUS_POLICIES } from '../src/config/sections/ingress';
import { REGIONAL_SECTIONS } from '../src/config/sections';
import { checkEksAcrossFields } from '../src/config/sections/eks';
import { MSK_ENHANCED_MONITORING } from '../src/config/streaming-types';
import { LOG_RETENTION_DAYS, type PlatformConfig, type RegionalSettings } from '../src/config/types';
import { WEEKDAYS } from '../src/config/data-types';
import { EKS_STANDARD_SUPPORT, GPU_INSTANCE_FAMILIES } from '../modules/eks/types';

// The validators of the regional sections (src/config/sections, REGIONAL_SECTIONS), called directly:
// for each field the last values accepted and the first refused on both sides, values of the wrong
// type, the exact issue (path, value, what is allowed), an override that leaves the field out (not
// checked) and defaults that leave it out (refused: the defaults must be complete).

type Section = keyof RegionalSettings;

/** Issues of one section validator run on `value` at `at`. */
function issuesOf(section: Section, value: object, complete: boolean, at = 'regions[1].overrides.x'): ConfigIssue[] {
  const issues = new IssueCollector();
  REGIONAL_SECTIONS[section](value as never, at, issues, complete);
  return issues.issues as ConfigIssue[];
}

interface FieldCase {
  readonly section: Section;
  readonly field: string;
  readonly ok: readonly unknown[];
  readonly bad: readonly unknown[];
  readonly expected: string;
}

const retention = `expected a CloudWatch Logs retention period (${LOG_RETENTION_DAYS.join(', ')})`;
const logs = (section: Section, field = 'logRetentionDays'): FieldCase => ({
  section,
  field,
  ok: [1, 365, 3653],
  bad: [0, 2, 3654, '365'],
  expected: retention,
});
const range = (section: Section, field: string, min: number, max: number, expected: string): FieldCase => ({
  section,
  field,
  ok: [min, max],
  bad: [min - 1, max + 1, min + 0.5, String(min)],
  expected,
});

const FIELDS: readonly FieldCase[] = [
  {
    section: 'eks',
    field: 'kubernetesVersion',
    ok: Object.keys(EKS_STANDARD_SUPPORT),
    bad: ['1.31', '1.36', '', 1.35, [Object.keys(EKS_STANDARD_SUPPORT)[0]]],
    expected: `expected a Kubernetes version in EKS standard support: ${Object.entries(EKS_STANDARD_SUPPORT)
      .map(([v, end]) => `${v} (until ${end})`)
      .join(', ')}`,
  },
  ...(['endpointPublicAccess', 'clusterCreatorAdmin'] as const).map((field): FieldCase => ({
    section: 'eks',
    field,
    ok: [true, false],
    bad: ['false', 0, null],
    expected: 'expected true or false',
  })),
  logs('eks'),
  {
    section: 'eks',
    field: 'clusterAutoscalerImageTag',
    ok: ['v1.35.0', 'v1.34.12', 'v10.0.1'],
    bad: ['1.35.0', 'v1.35', 'v1.35.x', 'v1.35.0-rc1', ' v1.35.0', 'va.35.0', 'v1.b.0', ['v1.35.0'], 135],
    expected: 'expected an exact release tag such as "v1.35.0"',
  },
  {
    section: 'network',
    field: 'natGateways',
    ok: ['per-az', 'single'],
    bad: ['none', 'Single', 1],
    expected: 'expected one of per-az, single',
  },
  logs('network', 'flowLogRetentionDays'),
  {
    section: 'ingress',
    field: 'sslPolicy',
    ok: ['ELBSecurityPolicy-TLS13-1-2-2021-06', 'ELBSecurityPolicy-FS-1-2-Res-2020-10'],
    bad: ['ELBSecurityPolicy-2016-08', 'ELBSecurityPolicy-TLS-1-1-2017-01', ''],
    expected: `expected a TLS 1.2+ ELB security policy (${TLS12_PLUS_POLICIES.join(', ')})`,
  },
  {
    section: 'ingress',
    field: 'accessLogRetentionDays',
    ok: [1, 2, 36500],
    bad: [0, -1, 1.5, '7'],
    expected: 'expected a whole number of days, at least 1',
  },
  {
    section: 'maintenance',
    field: 'day',
    ok: [...WEEKDAYS],
    bad: ['sunday', 'Sun', 0],
    expected: 'expected one of sun, mon, tue, wed, thu, fri, sat',
  },
  {
    section: 'maintenance',
    field: 'localStart',
    ok: ['00:00', '09:30', '19:00', '20:30', '23:30'],
    bad: ['24:00', '30:00', '2:00', '02:15', '02:3', ' 02:00', '02:00 ', 'a2:00', '0a:00', '02-00', 200, ['02:00']],
    expected: 'expected a local time "HH:MM" on the hour or half hour, e.g. "02:00"',
  },
  range('maintenance', 'durationHours', 1, 8, 'expected 1 to 8 whole hours (ElastiCache needs at least one)'),
  {
    section: 'aurora',
    field: 'instanceClass',
    ok: ['db.r5.large', 'db.r6g.xlarge', 'db.r8g.2xlarge', 'db.r7i.24xlarge', 'db.x2g.16xlarge', 'db.x2iedn.4xlarge'],
    bad: [
      ['db.r6g.large'],
      'db.t4g.large',
      'db.r4.large',
      'db.r9.large',
      'db.r6g.medium',
      'db.r6g.0xlarge',
      'db.r6g.100xlarge',
      'xdb.r6g.large',
      'db.r6g.large2',
      'db-r6g.large',
      'db.r6g-large',
      'db.x1.large',
      42,
    ],
    expected:
      'expected a memory-optimized class such as "db.r6g.large" (global databases do not support burstable db.t* classes)',
  },
  range(
    'aurora',
    'primaryInstances',
    2,
    16,
    'expected 2 to 16 instances: a writer and at least one reader to fail over to',
  ),
  range(
    'aurora',
    'secondaryInstances',
    1,
    16,
    'expected 1 to 16 instances (a secondary cluster needs at least one to serve reads and be promotable)',
  ),
  range('aurora', 'backupRetentionDays', 1, 35, 'expected a whole number of days from 1 to 35'),
  logs('aurora'),
  {
    section: 'aurora',
    field: 'performanceInsightsRetentionDays',
    ok: [7, 31, 62, 713, 731],
    bad: [6, 8, 30, 32, 0, 744, 732, 7.5, '7'],
    expected: 'expected 7, or a multiple of 31 up to 731 (months)',
  },
  {
    section: 'aurora',
    field: 'monitoringIntervalSeconds',
    ok: [1, 5, 60],
    bad: [0, 2, 120, '15'],
    expected: 'expected one of 1, 5, 10, 15, 30, 60 (enhanced monitoring stays on)',
  },
  range(
    'elasticache',
    'nodes',
    2,
    6,
    'expected 2 to 6 nodes: a primary and at least one replica in another AZ for multi-AZ failover',
  ),
  range(
    'elasticache',
    'snapshotRetentionDays',
    1,
    35,
    'expected a whole number of days from 1 to 35 (snapshots stay on)',
  ),
  {
    section: 'elasticache',
    field: 'joinGlobalDatastore',
    ok: [true, false],
    bad: ['true', 1, null],
    expected: 'expected true or false',
  },
  logs('elasticache'),
  range('clickhouse', 'shards', 1, 32, 'expected 1 to 32 shards'),
  range('clickhouse', 'replicas', 1, 5, 'expected 1 to 5 replicas per shard'),
  {
    section: 'clickhouse',
    field: 'cpu',
    ok: ['1', '2', '16', '500m', '1000m', '1.5', '0.5', '10.25'],
    bad: [['2'], '0', '02', '0m', '1.', '.5', '1.5m', 'm', '2 ', ' 2', 'a2', '2a', 2],
    expected: 'expected a Kubernetes CPU quantity such as "2", "1.5" or "500m"',
  },
  {
    section: 'clickhouse',
    field: 'memory',
    ok: ['8Gi', '16Gi', '512Mi', '1024Mi'],
    bad: [['8Gi'], '8G', '8gi', '0Gi', '08Gi', 'Gi', '8Ti', '8Gi ', 'x8Gi', 8],
    expected: 'expected a Kubernetes memory quantity in Mi or Gi, e.g. "8Gi"',
  },
  range('clickhouse', 'storageGiB', 10, 16384, 'expected a volume size from 10 to 16384 GiB'),
  range('clickhouse', 'backupRetentionDays', 1, 3650, 'expected a whole number of days from 1 to 3650'),
  {
    section: 'msk',
    field: 'kafkaVersion',
    ok: ['3.8.x', '3.6.0', '3.7.x.kraft', '2.8.2.tiered', '10.11.12'],
    bad: [['3.8.x'], '3.8', '3.8.y', 'v3.8.x', '3.8.x.zk', '3.8.x ', 'a.8.x', '3.b.x', '3.8.x.kraftx', 3.8],
    expected: 'expected an MSK Kafka version such as "3.8.x" or "3.6.0"',
  },
  {
    section: 'msk',
    field: 'instanceType',
    ok: ['kafka.m5.large', 'kafka.m7g.xlarge', 'kafka.m5.4xlarge'],
    bad: [
      ['kafka.m5.large'],
      'kafka.t3.small',
      'm5.large',
      'kafka.m5',
      'kafka.M5.large',
      'kafka.m5.large.x',
      'xkafka.m5.large',
      'kafka.m5.large ',
      'kafka-m5.large',
      'kafka.m5-large',
      5,
    ],
    expected:
      'expected an MSK broker type such as "kafka.m5.large" (kafka.t3 brokers support neither multi-VPC connectivity nor storage autoscaling)',
  },
  range(
    'msk',
    'brokerCount',
    3,
    30,
    'expected 3 to 30 brokers: replication factor 3 with min.insync.replicas 2 needs at least 3',
  ),
  range('msk', 'volumeSizeGiB', 1, 16384, 'expected 1 to 16384 GiB'),
  range('msk', 'maxVolumeSizeGiB', 1, 16384, 'expected 1 to 16384 GiB'),
  range(
    'msk',
    'storageTargetUtilizationPercent',
    10,
    80,
    'expected 10 to 80 (percent of disk used before storage scales out)',
  ),
  {
    section: 'msk',
    field: 'enhancedMonitoring',
    ok: [...MSK_ENHANCED_MONITORING],
    bad: ['per_broker', 'NONE'],
    expected: `expected one of ${MSK_ENHANCED_MONITORING.join(', ')}`,
  },
  logs('msk'),
  range(
    'eventBridge',
    'lambdaReservedConcurrency',
    2,
    1000,
    'expected 2 to 1000 (concurrent executions reserved for the replication Lambda)',
  ),
  range('eventBridge', 'lambdaMemoryMiB', 128, 10240, 'expected 128 to 10240 MiB'),
  range('eventBridge', 'lambdaTimeoutSeconds', 1, 900, 'expected 1 to 900 seconds'),
  range('eventBridge', 'maxRetryAttempts', 0, 185, 'expected 0 to 185 (EventBridge target retry attempts)'),
  range('eventBridge', 'maxEventAgeSeconds', 60, 86400, 'expected 60 to 86400 seconds (EventBridge maximum event age)'),
  range('eventBridge', 'maxReceiveCount', 1, 1000, 'expected 1 to 1000 deliveries before a message is dead-lettered'),
  range('eventBridge', 'deadLetterRetentionDays', 1, 14, 'expected 1 to 14 days (SQS message retention)'),
  range('eventBridge', 'idempotencyTtlHours', 1, 720, 'expected 1 to 720 hours'),
  logs('eventBridge'),
];

describe.each(FIELDS.map((c) => [`${c.section}.${c.field}`, c] as const))('%s', (_name, c) => {
  const at = 'regions[1].overrides.x';

  test('refused values: one issue naming the field, the value and what is allowed', () => {
    for (const value of c.bad) {
      expect([value, issuesOf(c.section, { [c.field]: value }, false)]).toEqual([
        value,
        [{ path: `${at}.${c.field}`, value, expected: c.expected }],
      ]);
    }
  });

  test('accepted values, and an override that leaves the field out', () => {
    for (const value of c.ok) expect([value, issuesOf(c.section, { [c.field]: value }, false)]).toEqual([value, []]);
    expect(issuesOf(c.section, {}, false)).toEqual([]);
  });

  test('the defaults must set it', () => {
    const defaults: Record<string, unknown> = { ...production.defaults[c.section] };
    expect(issuesOf(c.section, defaults, true, 'defaults.x')).toEqual([]);
    delete defaults[c.field];
    expect(issuesOf(c.section, defaults, true, 'defaults.x')).toEqual([
      { path: `defaults.x.${c.field}`, value: undefined, expected: c.expected },
    ]);
  });
});

test('every field of the defaults is in the table above (a new field needs its cases)', () => {
  const sections = [...new Set(FIELDS.map((c) => c.section))];
  expect(sections).toHaveLength(9);
  // Lists and maps, tested below.
  const elsewhere: Partial<Record<Section, string[]>> = {
    network: ['interfaceEndpoints'],
    eks: ['publicAccessCidrs', 'adminRoleNames', 'addonVersions', 'nodeGroups'],
  };
  for (const section of sections) {
    const listed = FIELDS.filter((c) => c.section === section).map((c) => c.field);
    expect([section, Object.keys(production.defaults[section]).sort()]).toEqual([
      section,
      [...listed, ...(elsewhere[section] ?? [])].sort(),
    ]);
  }
});

describe('lists of the network section', () => {
  const at = 'regions[1].overrides.x';
  const network = (value: object, complete = false) => issuesOf('network', value, complete);

  test('interface endpoints: a list of distinct service suffixes', () => {
    expect(network({ interfaceEndpoints: ['sts', 'ecr.api', 'elasticloadbalancing'] })).toEqual([]);
    expect(network({ interfaceEndpoints: [] })).toEqual([]);
    expect(network({ interfaceEndpoints: 'sts' })).toEqual([
      {
        path: `${at}.interfaceEndpoints`,
        value: 'sts',
        expected: 'expected a list of service names such as "sts" or "ecr.api"',
      },
    ]);
    expect(
      network({ interfaceEndpoints: ['sts', 'ECR.api', 'ecr..api', '.sts', 'sts.', 'ecr api', 7, ['kms']] }),
    ).toEqual(
      ['ECR.api', 'ecr..api', '.sts', 'sts.', 'ecr api', 7, ['kms']].map((value, i) => ({
        path: `${at}.interfaceEndpoints[${i + 1}]`,
        value,
        expected: 'expected a service suffix such as "sts" or "ecr.api"',
      })),
    );
    expect(network({ interfaceEndpoints: ['sts', 'kms', 'sts'] })).toEqual([
      { path: `${at}.interfaceEndpoints[2]`, value: 'sts', expected: 'expected each service once' },
    ]);
    const defaults: Record<string, unknown> = { ...production.defaults.network };
    delete defaults.interfaceEndpoints;
    expect(network(defaults, true)).toEqual([
      {
        path: `${at}.interfaceEndpoints`,
        value: undefined,
        expected: 'expected a list of service names such as "sts" or "ecr.api"',
      },
    ]);
  });

  test('endpoint read buckets: optional even in the defaults; S3 names, no wildcard', () => {
    expect(network({ ...production.defaults.network }, true)).toEqual([]);
    expect(network({ endpointReadBuckets: ['prod-artifacts', 'a.b.c', 'abc'] })).toEqual([]);
    expect(network({ endpointReadBuckets: 'prod-artifacts' })).toEqual([
      { path: `${at}.endpointReadBuckets`, value: 'prod-artifacts', expected: 'expected a list of S3 bucket names' },
    ]);
    const bad = ['ab', 'prod-*', 'Prod', '-prod', 'prod-', 'a'.repeat(64), 9, ['prod-artifacts']];
    expect(network({ endpointReadBuckets: ['ok-bucket', ...bad] })).toEqual(
      bad.map((value, i) => ({
        path: `${at}.endpointReadBuckets[${i + 1}]`,
        value,
        expected: 'expected an S3 bucket name (3-63 lowercase letters, digits, dots and hyphens; no wildcard)',
      })),
    );
  });
});

test('MSK: the maximum volume must leave storage autoscaling room above the volume', () => {
  const at = 'regions[1].overrides.x';
  expect(issuesOf('msk', { volumeSizeGiB: 100, maxVolumeSizeGiB: 101 }, false)).toEqual([]);
  for (const max of [100, 99])
    expect(issuesOf('msk', { volumeSizeGiB: 100, maxVolumeSizeGiB: max }, false)).toEqual([
      {
        path: `${at}.maxVolumeSizeGiB`,
        value: max,
        expected: 'expected more than volumeSizeGiB (100) so storage autoscaling has room',
      },
    ]);
  // Only when both are whole numbers (a refused one is reported on its own).
  expect(issuesOf('msk', { volumeSizeGiB: 100.5, maxVolumeSizeGiB: 100 }, false)).toHaveLength(1);
  expect(issuesOf('msk', { volumeSizeGiB: 100, maxVolumeSizeGiB: 50.5 }, false)).toHaveLength(1);
});

describe('lists and maps of the EKS section', () => {
  const at = 'regions[1].overrides.x';
  const eks = (value: object, complete = false) => issuesOf('eks', value, complete);
  const missingFromDefaults = (field: string) => {
    const defaults: Record<string, unknown> = { ...production.defaults.eks };
    delete defaults[field];
    return issuesOf('eks', defaults, true, at);
  };

  test('public access CIDRs: a list of aligned, bounded IPv4 ranges', () => {
    expect(eks({ publicAccessCidrs: [] })).toEqual([]);
    expect(eks({ publicAccessCidrs: ['198.51.100.0/24', '203.0.113.7/32', '128.0.0.0/1'] })).toEqual([]);
    const notList = {
      path: `${at}.publicAccessCidrs`,
      expected: 'expected a list of IPv4 CIDRs, e.g. ["198.51.100.0/24"]',
    };
    expect(eks({ publicAccessCidrs: '198.51.100.0/24' })).toEqual([{ ...notList, value: '198.51.100.0/24' }]);
    expect(missingFromDefaults('publicAccessCidrs')).toEqual([{ ...notList, value: undefined }]);
    const list = ['198.51.100.0/24', '198.51.100.1/24', 'x', 5, ['198.51.100.0/24'], '0.0.0.0/0'];
    expect(eks({ publicAccessCidrs: list })).toEqual([
      ...[1, 2, 3, 4].map((j) => ({
        path: `${at}.publicAccessCidrs[${j}]`,
        value: list[j],
        expected: 'expected an IPv4 CIDR aligned to its prefix',
      })),
      {
        path: `${at}.publicAccessCidrs[5]`,
        value: '0.0.0.0/0',
        expected: 'expected a bounded range: the cluster API is never open to the whole internet',
      },
    ]);
  });

  test('admin role names: a list of distinct IAM role names, not ARNs', () => {
    expect(eks({ adminRoleNames: [] })).toEqual([]);
    expect(eks({ adminRoleNames: ['platform-admin', 'a', 'x'.repeat(64), 'A+=,.@_-1'] })).toEqual([]);
    const notList = { path: `${at}.adminRoleNames`, expected: 'expected a list of IAM role names' };
    expect(eks({ adminRoleNames: 'platform-admin' })).toEqual([{ ...notList, value: 'platform-admin' }]);
    expect(missingFromDefaults('adminRoleNames')).toEqual([{ ...notList, value: undefined }]);
    const bad = ['arn:aws:iam::111122223333:role/admin', 'x'.repeat(65), '', 'a b', 'a/b', ['admin'], 5];
    expect(eks({ adminRoleNames: ['admin', ...bad] })).toEqual(
      bad.map((value, i) => ({
        path: `${at}.adminRoleNames[${i + 1}]`,
        value,
        expected: 'expected an IAM role name (1-64 of letters, digits and +=,.@_-), not an ARN',
      })),
    );
    expect(eks({ adminRoleNames: ['admin', 'ops', 'admin'] })).toEqual([
      { path: `${at}.adminRoleNames[2]`, value: 'admin', expected: 'expected each role once' },
    ]);
  });

  test('add-on versions: an exact eksbuild version for each add-on', () => {
    const versions = { ...production.defaults.eks.addonVersions };
    expect(eks({ addonVersions: versions })).toEqual([]);
    const notMap = {
      path: `${at}.addonVersions`,
      expected: 'expected versions for vpcCni, coredns, kubeProxy, ebsCsiDriver, podIdentityAgent',
    };
    for (const value of [null, 'v1.21.1-eksbuild.3'])
      expect(eks({ addonVersions: value })).toEqual([{ ...notMap, value }]);
    expect(missingFromDefaults('addonVersions')).toEqual([{ ...notMap, value: undefined }]);
    const expected = 'expected an exact EKS add-on version such as "v1.21.1-eksbuild.3"';
    for (const field of ['vpcCni', 'coredns', 'kubeProxy', 'ebsCsiDriver', 'podIdentityAgent'])
      for (const value of [
        'latest',
        'v1.21.1',
        '1.21.1-eksbuild.3',
        'v1.21.1-eksbuild.',
        'v1.21-eksbuild.3',
        'v1.21.1-eksbuild.3 ',
        [versions.vpcCni],
        undefined,
      ])
        expect([field, value, eks({ addonVersions: { ...versions, [field]: value } })]).toEqual([
          field,
          value,
          [{ path: `${at}.addonVersions.${field}`, value, expected }],
        ]);
  });

  describe('node groups', () => {
    const general = production.defaults.eks.nodeGroups[0];
    const groups = (list: unknown) => eks({ nodeGroups: list });
    /** The first of two groups (the second a valid general group). */
    const one = (change: Record<string, unknown>) =>
      groups([
        { ...general, ...change },
        { ...general, name: 'other' },
      ]);
    const issue = (field: string, value: unknown, expected: string) => ({
      path: `${at}.nodeGroups[0]${field}`,
      value,
      expected,
    });

    test('at least one, and at least one general group', () => {
      expect(groups([general])).toEqual([]);
      for (const value of [[], 'general', undefined])
        expect(groups(value)).toEqual(
          value === undefined
            ? []
            : [{ path: `${at}.nodeGroups`, value, expected: 'expected at least one node group' }],
        );
      expect(missingFromDefaults('nodeGroups')).toEqual([
        { path: `${at}.nodeGroups`, value: undefined, expected: 'expected at least one node group' },
      ]);
      const gpu = { ...general, name: 'gpu', kind: 'gpu', instanceTypes: ['g5.xlarge'] };
      expect(groups([gpu])).toEqual([
        {
          path: `${at}.nodeGroups`,
          value: ['gpu'],
          expected:
            'expected at least one "general" group: system pods (CoreDNS, controllers) do not tolerate the GPU or replication taints',
        },
      ]);
      expect(groups([gpu, general])).toEqual([]);
      expect(groups([general, { ...general, name: 'other' }, { ...general }])).toEqual([
        {
          path: `${at}.nodeGroups[2].name`,
          value: 'general',
          expected: `expected a unique name; ${at}.nodeGroups[0] already uses it`,
        },
      ]);
    });

    test('names: 2-20 characters, lowercase letters, digits and hyphens, starting with a letter', () => {
      for (const name of ['ab', `a${'b'.repeat(19)}`, 'gpu-2']) expect(one({ name })).toEqual([]);
      for (const name of ['a', `a${'b'.repeat(20)}`, '2gpu', 'gpu-', 'Gpu', 'g_pu', ['general'], undefined])
        expect([name, one({ name })]).toEqual([
          name,
          [
            issue(
              '.name',
              name,
              'expected 2-20 characters: lowercase letters, digits and hyphens, starting with a letter',
            ),
          ],
        ]);
    });

    test('kind: general or gpu; the replication group is streaming.replication.nodes', () => {
      const expected = 'expected one of general, gpu (MirrorMaker 2 nodes are streaming.replication.nodes)';
      expect(one({ kind: 'cpu' })).toEqual([issue('.kind', 'cpu', expected)]);
      expect(one({ kind: 'replication' })).toEqual([issue('.kind', 'replication', expected)]);
    });

    test('instance types: at least one, EC2 names, GPU families in gpu groups only, one architecture', () => {
      for (const instanceTypes of [[], 'm6i.xlarge', undefined])
        expect(one({ instanceTypes })).toEqual([
          issue('.instanceTypes', instanceTypes, 'expected at least one instance type such as "m6i.xlarge"'),
        ]);
      for (const type of ['m6i', 'M6i.xlarge', 'm6i.xlarge ', '6i.xlarge', 'm6i.', 'm6i.x-large', ['m6i.xlarge'], 5])
        expect([type, one({ instanceTypes: [type] })]).toEqual([
          type,
          [issue('.instanceTypes[0]', type, 'expected an EC2 instance type such as "m6i.xlarge"')],
        ]);
      expect(one({ instanceTypes: ['m6i.xlarge', 'c6i.2xlarge', 'u-6tb1.metal'] })).toEqual([]);
      expect(one({ instanceTypes: ['m6i.xlarge', 'g5.xlarge'] })).toEqual([
        issue(
          '.instanceTypes[1]',
          'g5.xlarge',
          'expected a non-GPU instance type in a "general" group: put GPU instances in a "gpu" group so they get the GPU AMI and taint',
        ),
      ]);
      expect(one({ kind: 'gpu', instanceTypes: ['g5.xlarge', 'p5.48xlarge'] })).toEqual([]);
      expect(one({ kind: 'gpu', instanceTypes: ['m6i.xlarge'] })).toEqual([
        issue(
          '.instanceTypes[0]',
          'm6i.xlarge',
          `expected an NVIDIA GPU instance family supported by the AL2023 NVIDIA AMI (${GPU_INSTANCE_FAMILIES.join(', ')}); got family "m6i"`,
        ),
      ]);
      // An unknown kind checks no family either way.
      expect(one({ kind: 'cpu', instanceTypes: ['g5.xlarge'] }).map((i) => i.path)).toEqual([
        `${at}.nodeGroups[0].kind`,
      ]);
      expect(one({ instanceTypes: ['m6i.xlarge', 'm7g.xlarge'] })).toEqual([
        issue(
          '.instanceTypes',
          ['m6i.xlarge', 'm7g.xlarge'],
          'expected instance types of one CPU architecture (x86_64 or arm64): a node group has one AMI',
        ),
      ]);
      expect(one({ instanceTypes: ['m7g.xlarge', 'c7g.large'] })).toEqual([]);
      // A refused entry is left out of the architecture check.
      expect(one({ instanceTypes: ['m7g.xlarge', 5] })).toHaveLength(1);
    });

    test('sizes: whole numbers, min <= desired <= max, max at least 1 and twice the desired size', () => {
      expect(one({ minSize: 0, desiredSize: 0, maxSize: 1 })).toEqual([]);
      expect(one({ minSize: 2, desiredSize: 3, maxSize: 6 })).toEqual([]);
      for (const field of ['minSize', 'desiredSize', 'maxSize'])
        for (const value of [-1, 1.5, '3', undefined])
          expect([field, value, one({ [field]: value })]).toEqual([
            field,
            value,
            [issue(`.${field}`, value, 'expected a whole number of nodes, 0 or more')],
          ]);
      expect(one({ minSize: 7, desiredSize: 7, maxSize: 6 })).toEqual([
        issue('.minSize', 7, 'expected at most maxSize (6)'),
        issue(
          '.maxSize',
          6,
          "expected at least 2x desiredSize (14): each region keeps the capacity to take another region's traffic",
        ),
      ]);
      expect(one({ minSize: 2, desiredSize: 1, maxSize: 8 })).toEqual([
        issue('.desiredSize', 1, 'expected a value from minSize (2) to maxSize (8)'),
      ]);
      expect(one({ minSize: 2, desiredSize: 9, maxSize: 8 })).toEqual([
        issue('.desiredSize', 9, 'expected a value from minSize (2) to maxSize (8)'),
        issue(
          '.maxSize',
          8,
          "expected at least 2x desiredSize (18): each region keeps the capacity to take another region's traffic",
        ),
      ]);
      expect(one({ minSize: 0, desiredSize: 0, maxSize: 0 })).toEqual([issue('.maxSize', 0, 'expected at least 1')]);
      expect(one({ minSize: 3, desiredSize: 4, maxSize: 7 })).toEqual([
        issue(
          '.maxSize',
          7,
          "expected at least 2x desiredSize (8): each region keeps the capacity to take another region's traffic",
        ),
      ]);
      expect(one({ minSize: 3, desiredSize: 4, maxSize: 8 })).toEqual([]);
    });

    test('disk size: whole GiB from 20 to 16384', () => {
      for (const diskSizeGiB of [20, 16384]) expect(one({ diskSizeGiB })).toEqual([]);
      for (const diskSizeGiB of [19, 16385, 20.5, '100', undefined])
        expect(one({ diskSizeGiB })).toEqual([
          issue('.diskSizeGiB', diskSizeGiB, 'expected a whole number of GiB from 20 to 16384'),
        ]);
    });

    test('labels: Kubernetes keys outside platform/, values of at most 63 characters', () => {
      for (const labels of [null, ['a'], 'a=b', undefined])
        expect(one({ labels })).toEqual([
          issue('.labels', labels, 'expected a map of Kubernetes label keys to values'),
        ]);
      const okKeys = ['a', 'team', 'example.com/team', `${'a'.repeat(63)}`, 'A_b.c-D', 'x.y/Z'];
      expect(one({ labels: Object.fromEntries(okKeys.map((k) => [k, 'v'])) })).toEqual([]);
      const keyRule =
        'expected a Kubernetes label key ([prefix/]name, 63-character name) outside the reserved "platform/" prefix';
      for (const key of [
        'platform/kind',
        `${'a'.repeat(64)}`,
        '-a',
        'a-',
        'a b',
        'Example.com/team',
        '/team',
        'a/b/c',
        'a/',
      ])
        expect([key, one({ labels: { [key]: 'v' } })]).toEqual([key, [issue(`.labels.${key}`, key, keyRule)]]);
      for (const value of ['', 'v', 'a'.repeat(63), 'A_b.c-D'])
        expect([value, one({ labels: { team: value } })]).toEqual([value, []]);
      for (const value of ['a'.repeat(64), '-v', 'v-', 'a b', 'a/b', 5, ['v']])
        expect([value, one({ labels: { team: value } })]).toEqual([
          value,
          [issue('.labels.team', value, 'expected a label value of at most 63 letters, digits, "-", "_" or "."')],
        ]);
    });
  });
});

test('validateConfig throws every shape problem at once and passes a valid configuration', () => {
  expect(() => validateConfig(threeRegions)).not.toThrow();
  const broken = variant((c) => {
    c.project = 'X';
    c.defaults.msk.brokerCount = 2;
  }, threeRegions);
  expect(() => validateConfig(broken)).toThrow(ConfigError);
  expect(() => validateConfig(broken)).toThrow(/project: got "X";[^]*defaults\.msk\.brokerCount: got 2;/);
});

describe('EKS checks across fields and regions (checkEksAcrossFields)', () => {
  const across = (change: (c: Mutable<PlatformConfig>) => void) => {
    const issues = new IssueCollector();
    checkEksAcrossFields(variant(change, threeRegions), issues);
    return issues.issues;
  };
  const noAdmin = (key: string, publicOff = true) =>
    `expected at least one admin role in ${key}: with clusterCreatorAdmin false${publicOff ? ' and the public endpoint off' : ''} no one could administer the cluster`;

  test('the fixture passes; without regions or EKS defaults there is nothing to merge', () => {
    expect(across(() => undefined)).toEqual([]);
    expect(across((c) => ((c as { regions: unknown }).regions = undefined))).toEqual([]);
    expect(across((c) => ((c as { defaults: unknown }).defaults = undefined))).toEqual([]);
    expect(
      across((c) => {
        delete (c.defaults as { eks?: unknown }).eks;
        c.regions[1].overrides = { eks: { adminRoleNames: [], clusterCreatorAdmin: false } };
      }),
    ).toEqual([]);
  });

  test('no admin role: reported once at the defaults when every region inherits it', () => {
    expect(across((c) => (c.defaults.eks.adminRoleNames = []))).toEqual([
      { path: 'defaults.eks.adminRoleNames', value: [], expected: noAdmin('us-east') },
    ]);
    // The cluster creator keeps access, or a public endpoint changes the message only.
    expect(
      across((c) => {
        c.defaults.eks.adminRoleNames = [];
        c.defaults.eks.clusterCreatorAdmin = true;
      }),
    ).toEqual([]);
    expect(
      across((c) => {
        c.defaults.eks.adminRoleNames = [];
        c.defaults.eks.endpointPublicAccess = true;
        c.defaults.eks.publicAccessCidrs = ['198.51.100.0/24'];
      }),
    ).toEqual([{ path: 'defaults.eks.adminRoleNames', value: [], expected: noAdmin('us-east', false) }]);
  });

  test('no admin role caused by an override turning clusterCreatorAdmin off is blamed on that override', () => {
    expect(
      across((c) => {
        c.defaults.eks.adminRoleNames = [];
        c.defaults.eks.clusterCreatorAdmin = true;
        c.regions[1].overrides = { eks: { clusterCreatorAdmin: false } };
      }),
    ).toEqual([{ path: 'regions[1].overrides.eks.adminRoleNames', value: [], expected: noAdmin('eu-west') }]);
  });

  test('a public endpoint needs CIDRs; an override turning it on is blamed', () => {
    const open = (key: string) =>
      `expected at least one CIDR in ${key}: a public endpoint without CIDRs would be open to 0.0.0.0/0`;
    expect(
      across((c) => {
        c.defaults.eks.endpointPublicAccess = true;
        c.defaults.eks.publicAccessCidrs = ['198.51.100.0/24'];
      }),
    ).toEqual([]);
    expect(across((c) => (c.regions[2].overrides = { eks: { endpointPublicAccess: true } }))).toEqual([
      { path: 'regions[2].overrides.eks.publicAccessCidrs', value: [], expected: open('apac') },
    ]);
  });

  test('kube-proxy and the cluster autoscaler follow the Kubernetes minor, wherever it is set', () => {
    expect(across((c) => (c.regions[1].overrides = { eks: { kubernetesVersion: '1.34' } }))).toEqual([
      {
        path: 'regions[1].overrides.eks.addonVersions.kubeProxy',
        value: 'v1.35.0-eksbuild.2',
        expected: 'expected a kube-proxy build for Kubernetes 1.34 (v1.34.x-eksbuild.N) in eu-west',
      },
      {
        path: 'regions[1].overrides.eks.clusterAutoscalerImageTag',
        value: 'v1.35.0',
        expected:
          'expected a cluster autoscaler release for Kubernetes 1.34 (v1.34.x) in eu-west: its minor must match the cluster',
      },
    ]);
    expect(across((c) => (c.defaults.eks.clusterAutoscalerImageTag = 'v1.34.2'))).toEqual([
      {
        path: 'defaults.eks.clusterAutoscalerImageTag',
        value: 'v1.34.2',
        expected:
          'expected a cluster autoscaler release for Kubernetes 1.35 (v1.35.x) in us-east: its minor must match the cluster',
      },
    ]);
  });

  test('versions the field validators refuse are not compared', () => {
    for (const change of [
      (c: Mutable<PlatformConfig>) => (c.defaults.eks.kubernetesVersion = '1.31'),
      (c: Mutable<PlatformConfig>) => ((c.defaults.eks as { kubernetesVersion: unknown }).kubernetesVersion = ['1.34']),
      (c: Mutable<PlatformConfig>) => (c.defaults.eks.addonVersions.kubeProxy = 'latest'),
      (c: Mutable<PlatformConfig>) =>
        ((c.defaults.eks.addonVersions as { kubeProxy: unknown }).kubeProxy = ['v1.34.0-eksbuild.1']),
      (c: Mutable<PlatformConfig>) => (c.defaults.eks.clusterAutoscalerImageTag = 'latest'),
      (c: Mutable<PlatformConfig>) =>
        ((c.defaults.eks as { clusterAutoscalerImageTag: unknown }).clusterAutoscalerImageTag = ['v1.34.0']),
      (c: Mutable<PlatformConfig>) => (c.regions[1].overrides = { eks: { addonVersions: null as never } }),
    ])
      expect(across(change)).toEqual([]);
  });
});
