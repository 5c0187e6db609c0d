import { production } from '../src/config/environments/production';
import { IssueCollector, type ConfigIssue } from '../src/config/errors';
import { TLS12_PLUS_POLICIES } from '../src/config/sections/ingress';
import { REGIONAL_SECTIONS } from '../src/config/sections';
import { MSK_ENHANCED_MONITORING } from '../src/config/streaming-types';
import { LOG_RETENTION_DAYS, type RegionalSettings } from '../src/config/types';
import { WEEKDAYS } from '../src/config/data-types';

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
    bad: ['24:00', '30:00', '2:00', '02:15', '02:3', ' 02:00', '02:00 ', 'a2:00', '0a:00', '02-00', 200],
    expected: 'expected a local time "HH:MM" on the hour or half hour, e.g. "02:00"',
  },
  range('maintenance', 'durationHours', 1, 8, 'expected 1 to 8 whole hours (ElastiCache needs at least one)'),
  {
    section: 'aurora',
    field: 'instanceClass',
    ok: ['db.r5.large', 'db.r6g.xlarge', 'db.r8g.2xlarge', 'db.r7i.24xlarge', 'db.x2g.16xlarge', 'db.x2iedn.4xlarge'],
    bad: [
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
    bad: ['0', '02', '0m', '1.', '.5', '1.5m', 'm', '2 ', ' 2', 'a2', '2a', 2],
    expected: 'expected a Kubernetes CPU quantity such as "2", "1.5" or "500m"',
  },
  {
    section: 'clickhouse',
    field: 'memory',
    ok: ['8Gi', '16Gi', '512Mi', '1024Mi'],
    bad: ['8G', '8gi', '0Gi', '08Gi', 'Gi', '8Ti', '8Gi ', 'x8Gi', 8],
    expected: 'expected a Kubernetes memory quantity in Mi or Gi, e.g. "8Gi"',
  },
  range('clickhouse', 'storageGiB', 10, 16384, 'expected a volume size from 10 to 16384 GiB'),
  range('clickhouse', 'backupRetentionDays', 1, 3650, 'expected a whole number of days from 1 to 3650'),
  {
    section: 'msk',
    field: 'kafkaVersion',
    ok: ['3.8.x', '3.6.0', '3.7.x.kraft', '2.8.2.tiered', '10.11.12'],
    bad: ['3.8', '3.8.y', 'v3.8.x', '3.8.x.zk', '3.8.x ', 'a.8.x', '3.b.x', '3.8.x.kraftx', 3.8],
    expected: 'expected an MSK Kafka version such as "3.8.x" or "3.6.0"',
  },
  {
    section: 'msk',
    field: 'instanceType',
    ok: ['kafka.m5.large', 'kafka.m7g.xlarge', 'kafka.m5.4xlarge'],
    bad: [
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
  expect(sections).toHaveLength(8);
  for (const section of sections) {
    const listed = FIELDS.filter((c) => c.section === section).map((c) => c.field);
    expect([section, Object.keys(production.defaults[section]).sort()]).toEqual([
      section,
      section === 'network' ? [...listed, 'interfaceEndpoints'].sort() : listed.sort(),
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
    expect(network({ interfaceEndpoints: ['sts', 'ECR.api', 'ecr..api', '.sts', 'sts.', 'ecr api', 7] })).toEqual(
      ['ECR.api', 'ecr..api', '.sts', 'sts.', 'ecr api', 7].map((value, i) => ({
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
    const bad = ['ab', 'prod-*', 'Prod', '-prod', 'prod-', 'a'.repeat(64), 9];
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
