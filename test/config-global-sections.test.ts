import { IssueCollector } from '../src/config/errors';
import { validateSecurity } from '../src/config/sections/security';
import { validateStreaming } from '../src/config/sections/streaming';
import type { PlatformConfig } from '../src/config/types';
import { type Mutable, threeRegions, variant } from './support/config';
import { type Change, type FieldCase, issuesAt, set, testFields } from './support/config-issues';

/** The issues one check reports for the fixture changed by `change` (all paths). */
function issuesOf(check: (c: PlatformConfig, i: IssueCollector) => void, change: (c: Mutable<PlatformConfig>) => void) {
  const issues = new IssueCollector();
  check(variant(change, threeRegions), issues);
  return issues.issues;
}

// The whole-configuration sections (src/config/sections: data, security, streaming, state mode):
// for each field the last values accepted and the first refused, wrong types and missing values,
// each refusal as the exact issue (path, value, what is allowed); then the checks across fields.
// Each case changes the three-region production fixture and reads the issues at one path only.

const bool = (path: string): FieldCase => ({
  path,
  ok: [true, false],
  bad: ['true', 0, undefined],
  expected: 'expected true or false',
});

const FIELDS: readonly FieldCase[] = [
  {
    path: 'data.aurora.engineVersion',
    ok: ['13.1', '15.14', '17.0'],
    bad: [['15.14'], '12.1', '18.1', '15', '15.14.1', 'v15.14', '15.x', 15.14, undefined],
    expected: 'expected an aurora-postgresql version "<major>.<minor>" with major 13, 14, 15, 16, 17, e.g. "15.14"',
  },
  {
    path: 'data.aurora.databaseName',
    ok: ['a', `a${'b'.repeat(62)}`, 'market_intel2'],
    bad: [['market_intel'], '', '1db', 'Db', `a${'b'.repeat(63)}`, 'db-name', ' db', 5, undefined],
    expected:
      'expected a PostgreSQL identifier: lowercase letter, then up to 62 lowercase letters, digits or underscores',
  },
  {
    path: 'data.aurora.masterUsername',
    ok: ['a', `a${'b'.repeat(15)}`, 'platform_admin'],
    bad: [
      ['platform_admin'],
      `a${'b'.repeat(16)}`,
      'rdsadmin',
      'rdsrepladmin',
      'rds_superuser',
      'admin',
      '1admin',
      'Admin',
      'ad min',
      7,
    ],
    expected:
      'expected 1-16 lowercase letters, digits or underscores starting with a letter, not one of rdsadmin, rdsrepladmin, rds_superuser, admin',
  },
  {
    path: 'data.aurora.masterPasswordVersion',
    ok: [1, 2],
    bad: [0, 1.5, '1', undefined],
    expected: 'expected a whole number from 1 (bump it to apply a new password)',
  },
  {
    path: 'data.aurora.logging.minDurationStatementMs',
    ok: [0, 1000, 3_600_000],
    bad: [-1, 3_600_001, 0.5, '1000', undefined],
    expected: 'expected whole milliseconds from 0 (log every statement) to 3600000, e.g. 1000',
  },
  {
    path: 'data.aurora.logging.logStatement',
    ok: ['none', 'ddl', 'mod', 'all'],
    bad: ['DDL', '', undefined],
    expected: 'expected one of none, ddl, mod, all (ddl records schema and role changes)',
  },
  bool('data.aurora.logging.pgaudit'),
  bool('data.backup.enabled'),
  bool('data.backup.restoreTesting'),
  {
    path: 'data.backup.vaultLock.mode',
    ok: ['governance'],
    bad: ['Governance', 'legal-hold', undefined],
    expected: 'expected one of governance, compliance',
  },
  {
    path: 'data.backup.vaultLock.minRetentionDays',
    ok: [1, 35],
    bad: [0, 36501, 1.5, '7', undefined],
    expected: 'expected whole days from 1 to 36500',
  },
  {
    // The fixture's lock: 7 to 365 days.
    path: 'data.backup.vaultLock.maxRetentionDays',
    ok: [7, 35, 36500],
    bad: [6, 0, 36501, 35.5, undefined],
    expected: 'expected whole days from data.backup.vaultLock.minRetentionDays (7) to 36500',
  },
  {
    path: 'data.backup.vaultLock.changeableForDays',
    ok: [undefined],
    bad: [3, 0],
    expected: 'expected no value in governance mode (setting it turns the lock into compliance mode)',
  },
  ...(['retentionDays', 'copyRetentionDays'] as const).map((field): FieldCase => ({
    path: `data.backup.${field}`,
    ok: [7, 365],
    bad: [6, 366, 0, 36501, 7.5, '35', undefined],
    expected: 'expected whole days within the vault lock (7-365)',
  })),
  {
    path: 'data.elasticache.engine',
    ok: ['redis', 'valkey'],
    bad: ['memcached', 'Redis', undefined],
    expected: 'expected one of valkey, redis',
  },
  {
    path: 'data.elasticache.engineVersion',
    ok: ['7.0', '7.1'],
    bad: ['7.2', '6.2', 7.1, undefined],
    expected: 'expected one of 7.0, 7.1 for redis (global datastore with IAM-authenticated RBAC users)',
  },
  {
    path: 'data.elasticache.nodeType',
    ok: ['cache.r7g.large', 'cache.m5.xlarge', 'cache.r6gd.2xlarge', 'cache.c7gn.16xlarge', 'cache.m6g.99xlarge'],
    bad: [
      ['cache.r7g.large'],
      'cache.t4g.medium',
      'cache.r7g.medium',
      'cache.r4.large',
      'r7g.large',
      'xcache.r7g.large',
      'cache.r7g.large ',
      'cache.r7g.0xlarge',
      'cache.r7g.100xlarge',
      'cache-r7g.large',
      'cache.r7g-large',
      undefined,
    ],
    expected:
      'expected a node type a global datastore accepts: m5, m6g, m7g, r5, r6g, r6gd, r7g or c7gn, size large or above, e.g. "cache.r7g.large"',
  },
  {
    path: 'data.clickhouse.operatorChartVersion',
    ok: ['0.25.5', '10.0.12'],
    bad: [['0.25.5'], '0.25', 'v0.25.5', '0.25.5-rc1', ' 0.25.5', '0.a.5', 25, undefined],
    expected: 'expected a pinned chart version "x.y.z"',
  },
  {
    path: 'data.clickhouse.image',
    ok: ['altinity/clickhouse-server:24.8.14.10459.altinitystable', 'a:B_1-2.3', 'registry.example.org/ch:24'],
    bad: [
      ['clickhouse:24'],
      'clickhouse/clickhouse-server:latest',
      'clickhouse/clickhouse-server',
      'Clickhouse:24',
      ':24',
      '/ch:24',
      'ch:',
      'ch:24 x',
      ' ch:24',
      'ch:24 ',
      undefined,
    ],
    expected:
      'expected an image pinned by tag, e.g. "altinity/clickhouse-server:24.8.14.10459.altinitystable" (not :latest)',
  },
  bool('security.accessLogs.enabled'),
  {
    path: 'security.accessLogs.retentionDays',
    ok: [1, 3650],
    bad: [0, 3651, 1.5, undefined],
    expected: 'expected 1 to 3650 days',
  },
  {
    path: 'security.objectLock.mode',
    ok: ['governance', 'compliance'],
    bad: ['legal-hold', undefined],
    expected: 'expected one of governance, compliance',
  },
  {
    // Within the range, logArchiveDays is bounded by observability.archive.expirationDays (2557).
    path: 'security.objectLock.logArchiveDays',
    ok: [0, 1, 2557],
    bad: [-1, 36501, 1.5, '30', undefined],
    expected: 'expected 0 (no default retention) to 36500 days',
  },
  {
    // Within the range, clickhouseBackupDays is bounded by the shortest backup retention (35).
    path: 'security.objectLock.clickhouseBackupDays',
    ok: [0, 35],
    bad: [-1, 36501, 0.5, undefined],
    expected: 'expected 0 (no default retention) to 36500 days',
  },
  {
    path: 'security.breakGlassRoleName',
    ok: ['b', 'break-glass', `r${'x'.repeat(63)}`, 'aws-reserved/sso.amazonaws.com/AWSReservedSSO_Admin_1'],
    bad: [['break-glass'], 'break-*', '', `r${'x'.repeat(64)}`, 'break glass', 'a//b', '/b', 'b/', 5, undefined],
    expected: 'expected an IAM role name (optionally with its path), without wildcards',
  },
  {
    path: 'security.deployRoleNames',
    ok: [['deploy'], ['a', 'b']],
    bad: [[], 'deploy', undefined],
    expected:
      'expected at least one role name: the identity that applies Terraform must keep managing the protected buckets',
  },
  {
    path: 'streaming.replication.mode',
    ok: ['mirrormaker2', 'msk-replicator'],
    bad: ['mm2', undefined],
    expected: 'expected one of mirrormaker2, msk-replicator',
  },
  {
    path: 'streaming.replication.topicsPattern',
    ok: ['.*', 'a', 'genai\\.(x|y)\\..*'],
    bad: ['', '   ', '(', '[a', 5, undefined],
    expected: 'expected a non-empty regular expression of topic names, e.g. "genai-demo\\.production\\..*"',
  },
  {
    path: 'streaming.replication.groupsPattern',
    ok: ['.*', 'consumer-1'],
    bad: ['', ' ', '*', 5, undefined],
    expected: 'expected a non-empty regular expression of consumer group ids, e.g. ".*"',
  },
  {
    path: 'streaming.replication.replicationFactor',
    ok: [2, 3],
    bad: [1, 4, 2.5, '3', undefined],
    expected: 'expected 2 or 3 (3 with min.insync.replicas 2 tolerates one broker down)',
  },
  {
    path: 'streaming.replication.tasksPerConnector',
    ok: [1, 64],
    bad: [0, 65, 1.5, undefined],
    expected: 'expected 1 to 64 tasks per connector',
  },
  {
    path: 'streaming.replication.mirrorMakerReplicas',
    ok: [1, 20],
    bad: [0, 21, 1.5, undefined],
    expected: 'expected 1 to 20 MirrorMaker 2 pods per region',
  },
  {
    path: 'streaming.replication.scramCredentialVersion',
    ok: [1, 2, 1000],
    bad: [0, -1, 1.5, '1', undefined],
    expected: 'expected a whole number from 1 (bump it to rotate the SCRAM password)',
  },
  ...(['sources', 'detailTypes'] as const).map((field): FieldCase => ({
    path: `streaming.events.${field}`,
    ok: [['a'], ['genai-demo.order', 'x_y-z.1']],
    bad: [[], 'a', undefined],
    expected: 'expected a non-empty list of names',
  })),
  {
    path: 'streaming.events.entityIdPath',
    ok: ['$.detail.entityId', '$.detail.a.b_c-d', '$.detail._x'],
    bad: [
      ['$.detail.entityId'],
      '$.entityId',
      '$.detail',
      '$.detail.1a',
      'detail.x',
      '$.detail.x ',
      ' $.detail.x',
      '$.detail..x',
      5,
      undefined,
    ],
    expected: 'expected a JSON path into the event detail, e.g. "$.detail.entityId"',
  },
  {
    path: 'state.mode',
    ok: ['s3'],
    bad: ['S3', 'local', undefined],
    expected: 'expected one of s3, terraform-cloud',
  },
  {
    path: 'state.use',
    ok: [undefined, 'primary', 'replica'],
    bad: ['secondary', ''],
    expected: 'expected one of primary, replica (PLATFORM_STATE_COPY sets it for one run; unset means primary)',
  },
];

testFields(FIELDS);

describe('data: checks across fields', () => {
  test('missing data or backup settings are named', () => {
    for (const value of [undefined, 'data'])
      expect(issuesAt(set('data', value), 'data')).toEqual([
        { path: 'data', value, expected: 'expected the data layer settings (aurora, elasticache, clickhouse)' },
      ]);
    for (const value of [null, 35])
      expect(issuesAt(set('data.backup', value), 'data.backup')).toEqual([
        {
          path: 'data.backup',
          value,
          expected: 'expected the AWS Backup settings (enabled, retentionDays, vaultLock, ...)',
        },
      ]);
  });

  test('missing aurora, logging, elasticache, clickhouse and vault lock blocks report their fields', () => {
    expect(issuesAt(set('data.aurora', undefined), 'data.aurora.engineVersion')).toHaveLength(1);
    expect(issuesAt(set('data.aurora.logging', undefined), 'data.aurora.logging.pgaudit')).toHaveLength(1);
    expect(issuesAt(set('data.elasticache', undefined), 'data.elasticache.engine')).toHaveLength(1);
    expect(issuesAt(set('data.clickhouse', undefined), 'data.clickhouse.image')).toHaveLength(1);
    expect(issuesAt(set('data.backup.vaultLock', undefined), 'data.backup.vaultLock.mode')).toHaveLength(1);
  });

  test('valkey has versions of its own; an unknown engine skips the version check', () => {
    const valkey =
      (version: string): Change =>
      (c) => {
        c.data.elasticache.engine = 'valkey';
        c.data.elasticache.engineVersion = version;
      };
    expect(issuesAt(valkey('8.1'), 'data.elasticache.engineVersion')).toEqual([]);
    expect(issuesAt(valkey('7.1'), 'data.elasticache.engineVersion')).toEqual([
      {
        path: 'data.elasticache.engineVersion',
        value: '7.1',
        expected: 'expected one of 7.2, 8.0, 8.1 for valkey (global datastore with IAM-authenticated RBAC users)',
      },
    ]);
    expect(issuesAt(set('data.elasticache.engine', 'memcached'), 'data.elasticache.engineVersion')).toEqual([]);
  });

  test('a compliance lock needs a grace period of at least 3 days', () => {
    const compliance =
      (days: unknown): Change =>
      (c) => {
        c.data.backup.vaultLock.mode = 'compliance';
        (c.data.backup.vaultLock as Record<string, unknown>).changeableForDays = days;
      };
    const path = 'data.backup.vaultLock.changeableForDays';
    for (const days of [3, 36500]) expect(issuesAt(compliance(days), path)).toEqual([]);
    for (const days of [2, 36501, 3.5, undefined])
      expect(issuesAt(compliance(days), path)).toEqual([
        {
          path,
          value: days,
          expected: 'expected whole days from 3 (the grace period before a compliance lock is immutable)',
        },
      ]);
    // An unknown mode checks neither way.
    for (const days of [undefined, 3, 2])
      expect(
        issuesAt((c) => {
          (c.data.backup.vaultLock as { mode: string }).mode = 'x';
          (c.data.backup.vaultLock as Record<string, unknown>).changeableForDays = days;
        }, path),
      ).toEqual([]);
  });

  test('retention is held to the lock only while the lock range itself is valid', () => {
    const path = 'data.backup.retentionDays';
    // The lock is 7-365; with a refused minimum the bound falls back to 1-36500, without the range.
    const withMin =
      (min: number, days: number): Change =>
      (c) => {
        c.data.backup.vaultLock.minRetentionDays = min;
        c.data.backup.retentionDays = days;
      };
    expect(issuesAt(withMin(0, 2), path)).toEqual([]);
    expect(issuesAt(withMin(0, 0), path)).toEqual([{ path, value: 0, expected: 'expected whole days' }]);
    const withMax =
      (max: number, days: number): Change =>
      (c) => {
        c.data.backup.vaultLock.maxRetentionDays = max;
        c.data.backup.retentionDays = days;
      };
    expect(issuesAt(withMax(3, 400), path)).toEqual([]);
    expect(issuesAt(withMax(36501, 36501), path)).toEqual([{ path, value: 36501, expected: 'expected whole days' }]);
    // The maximum is compared with a valid minimum only.
    expect(
      issuesAt((c) => {
        c.data.backup.vaultLock.minRetentionDays = 0;
        c.data.backup.vaultLock.maxRetentionDays = 1;
      }, 'data.backup.vaultLock.maxRetentionDays'),
    ).toEqual([]);
  });

  test('copies go from a region of this configuration to another one', () => {
    const copyTo =
      (map: Record<string, string>): Change =>
      (c) => {
        (c.data.backup as { copyTo?: Record<string, string> }).copyTo = map;
      };
    expect(issuesAt(copyTo({ 'us-east': 'eu-west', apac: 'us-east' }), 'data.backup.copyTo.us-east')).toEqual([]);
    expect(issuesAt(copyTo({ mars: 'eu-west' }), 'data.backup.copyTo.mars')).toEqual([
      {
        path: 'data.backup.copyTo.mars',
        value: 'mars',
        expected: 'expected a region key of this configuration (us-east, eu-west, apac)',
      },
    ]);
    for (const to of ['us-east', 'venus'])
      expect(issuesAt(copyTo({ 'us-east': to }), 'data.backup.copyTo.us-east')).toEqual([
        {
          path: 'data.backup.copyTo.us-east',
          value: to,
          expected: 'expected another region key of this configuration (eu-west, apac)',
        },
      ]);
  });
});

describe('security: checks across fields', () => {
  test('missing security settings are named', () => {
    for (const value of [undefined, 'on'])
      expect(issuesAt(set('security', value), 'security')).toEqual([
        {
          path: 'security',
          value,
          expected: 'expected the security settings (accessLogs, objectLock, breakGlassRoleName, ...)',
        },
      ]);
    expect(issuesAt(set('security.accessLogs', undefined), 'security.accessLogs.enabled')).toHaveLength(1);
    expect(issuesAt(set('security.objectLock', undefined), 'security.objectLock.mode')).toHaveLength(1);
  });

  test('the log archive lock ends no later than the archive expires', () => {
    const path = 'security.objectLock.logArchiveDays';
    expect(issuesAt(set(path, 2558), path)).toEqual([
      {
        path,
        value: 2558,
        expected: 'expected at most observability.archive.expirationDays (2557): a locked version outlives its expiry',
      },
    ]);
    // Without a numeric expiry there is nothing to compare with.
    const noExpiry: Change = (c) => {
      (c.observability.archive as { expirationDays: unknown }).expirationDays = 'never';
      c.security.objectLock.logArchiveDays = 3000;
    };
    expect(issuesAt(noExpiry, path)).toEqual([]);
  });

  test('the ClickHouse backup lock ends no later than the shortest backup retention of any region', () => {
    const path = 'security.objectLock.clickhouseBackupDays';
    expect(issuesAt(set(path, 36), path)).toEqual([
      {
        path,
        value: 36,
        expected: 'expected at most the shortest clickhouse.backupRetentionDays of any region (35)',
      },
    ]);
    const shorterInApac: Change = (c) => {
      c.regions[2].overrides = { ...c.regions[2].overrides, clickhouse: { backupRetentionDays: 20 } };
      c.security.objectLock.clickhouseBackupDays = 21;
    };
    expect(issuesAt(shorterInApac, path)).toEqual([
      {
        path,
        value: 21,
        expected: 'expected at most the shortest clickhouse.backupRetentionDays of any region (20)',
      },
    ]);
    expect(
      issuesAt((c) => {
        shorterInApac(c);
        c.security.objectLock.clickhouseBackupDays = 20;
      }, path),
    ).toEqual([]);
  });

  test('deploy role names: paths and wildcards, but more than wildcards and slashes', () => {
    const names = (list: unknown[]) => set('security.deployRoleNames', list);
    const expected = 'expected an IAM role name, optionally with its path and `*` wildcards';
    expect(
      issuesAt(
        names(['deploy', 'AWSReservedSSO_Admin_*', 'aws-reserved/sso.amazonaws.com/*x']),
        'security.deployRoleNames[1]',
      ),
    ).toEqual([]);
    const bad = ['*', '/*', 'de ploy', `d${'x'.repeat(64)}`, 'a//b', 5];
    for (const [i, name] of bad.entries()) {
      const path = `security.deployRoleNames[${i + 1}]`;
      expect(issuesAt(names(['deploy', ...bad]), path)).toEqual([{ path, value: name, expected }]);
    }
  });
});

describe('streaming: checks across fields', () => {
  test('missing streaming settings are named; missing blocks report their fields', () => {
    for (const value of [undefined, 'mirrormaker2'])
      expect(issuesAt(set('streaming', value), 'streaming')).toEqual([
        { path: 'streaming', value, expected: 'expected the streaming settings (replication, events)' },
      ]);
    expect(issuesAt(set('streaming.replication', undefined), 'streaming.replication.mode')).toHaveLength(1);
    expect(issuesAt(set('streaming.events', undefined), 'streaming.events.entityIdPath')).toHaveLength(1);
  });

  test('MirrorMaker 2 nodes: a node group shape, at least one node, checked in mirrormaker2 mode only', () => {
    const at = 'streaming.replication.nodes';
    const nodes =
      (value: unknown, mode = 'mirrormaker2'): Change =>
      (c) => {
        (c.streaming.replication as { mode: string }).mode = mode;
        (c.streaming.replication as { nodes: unknown }).nodes = value;
      };
    const shape = { instanceTypes: ['m6i.large'], minSize: 1, desiredSize: 1, maxSize: 2, diskSizeGiB: 50 };
    expect(issuesAt(nodes(shape), at)).toEqual([]);
    for (const value of [undefined, null, [shape], 'm6i.large'])
      expect(issuesAt(nodes(value), at)).toEqual([
        {
          path: at,
          value,
          expected:
            'expected the MirrorMaker 2 node group: { instanceTypes, minSize, desiredSize, maxSize, diskSizeGiB }',
        },
      ]);
    // Not read at all when the managed replicator replicates.
    expect(issuesAt(nodes(undefined, 'msk-replicator'), at)).toEqual([]);
    expect(issuesAt(nodes({ ...shape, minSize: 0, desiredSize: 0 }), `${at}.minSize`)).toEqual([
      {
        path: `${at}.minSize`,
        value: 0,
        expected: 'expected at least 1: MirrorMaker 2 runs all the time and no other node group takes its pods',
      },
    ]);
    // The node group rules apply: no GPU types, 2x headroom, disk size.
    expect(issuesAt(nodes({ ...shape, instanceTypes: ['g5.xlarge'] }), `${at}.instanceTypes[0]`)).toEqual([
      {
        path: `${at}.instanceTypes[0]`,
        value: 'g5.xlarge',
        expected:
          'expected a non-GPU instance type in a "replication" group: put GPU instances in a "gpu" group so they get the GPU AMI and taint',
      },
    ]);
    expect(issuesAt(nodes({ ...shape, maxSize: 1 }), `${at}.maxSize`)).toHaveLength(1);
    expect(issuesAt(nodes({ ...shape, diskSizeGiB: 1 }), `${at}.diskSizeGiB`)).toHaveLength(1);
    // Fixed fields are never reported: the user does not write them.
    for (const field of ['name', 'kind', 'labels']) expect(issuesAt(nodes(shape), `${at}.${field}`)).toEqual([]);
  });

  test('event sources and detail types: unique names of letters, digits, dots, underscores and hyphens', () => {
    const expected = 'expected a unique name of letters, digits, ".", "_" and "-"';
    for (const field of ['sources', 'detailTypes']) {
      const bad = ['a b', '.a', '-a', '', 'a/b', 7, 'ok'];
      const change = set(`streaming.events.${field}`, ['ok', ...bad]);
      for (const [i, value] of bad.entries()) {
        const path = `streaming.events.${field}[${i + 1}]`;
        expect(issuesAt(change, path)).toEqual([{ path, value, expected }]);
      }
      expect(issuesAt(change, `streaming.events.${field}[0]`)).toEqual([]);
      expect(
        issuesAt(set(`streaming.events.${field}`, [`a${'b'.repeat(255)}`]), `streaming.events.${field}[0]`),
      ).toEqual([]);
      expect(
        issuesAt(set(`streaming.events.${field}`, [`a${'b'.repeat(256)}`]), `streaming.events.${field}[0]`),
      ).toHaveLength(1);
    }
  });

  test('MSK brokers: the same number in every zone a region spans (at most 3), at least the replication factor', () => {
    const brokers =
      (n: number, azCount = 3): Change =>
      (c) => {
        c.defaults.msk.brokerCount = n;
        c.regions[1].azCount = azCount;
      };
    expect(issuesAt(brokers(6), 'defaults.msk.brokerCount')).toEqual([]);
    expect(issuesAt(brokers(4), 'defaults.msk.brokerCount')).toEqual(
      ['us-east', 'eu-west', 'apac'].map((key) => ({
        path: 'defaults.msk.brokerCount',
        value: 4,
        expected: `expected a multiple of 3: region ${key} spans 3 availability zones (azCount 3, MSK uses at most 3) and MSK needs the same number of brokers in each`,
      })),
    );
    // Two zones: 4 brokers fit eu-west, not the others; six AZs still span three zones.
    expect(issuesAt(brokers(4, 2), 'defaults.msk.brokerCount').map((i) => i.expected)).toEqual([
      expect.stringMatching(/region us-east spans 3 /),
      expect.stringMatching(/region apac spans 3 /),
    ]);
    expect(issuesAt(brokers(6, 6), 'defaults.msk.brokerCount')).toEqual([]);
    // A region's own broker count is reported on its override.
    const override: Change = (c) => {
      c.regions[1].overrides = { msk: { brokerCount: 5 } };
    };
    expect(issuesAt(override, 'regions[1].overrides.msk.brokerCount')).toEqual([
      {
        path: 'regions[1].overrides.msk.brokerCount',
        value: 5,
        expected: expect.stringMatching(/^expected a multiple of 3: region eu-west spans 3 availability zones/),
      },
    ]);
    expect(issuesAt(override, 'defaults.msk.brokerCount')).toEqual([]);
  });

  test('fewer brokers than the replication factor are refused in each region', () => {
    // Two zones, two brokers each: the layout fits, replication factor 3 does not.
    const change: Change = (c) => {
      c.defaults.msk.brokerCount = 2;
      for (const r of c.regions) r.azCount = 2;
    };
    expect(issuesAt(change, 'defaults.msk.brokerCount')).toEqual([
      expect.objectContaining({ expected: expect.stringMatching(/^expected 3 to 30 brokers/) }),
      ...['us-east', 'eu-west', 'apac'].map((key) => ({
        path: 'defaults.msk.brokerCount',
        value: 2,
        expected: `expected at least streaming.replication.replicationFactor (3) brokers in region ${key}`,
      })),
    ]);
    // With a replication factor of 2 they are enough.
    const factor2: Change = (c) => {
      change(c);
      c.streaming.replication.replicationFactor = 2;
    };
    expect(issuesAt(factor2, 'defaults.msk.brokerCount')).toHaveLength(1);
  });

  test('the broker layout is checked only on whole numbers', () => {
    const bad: Change = (c) => {
      (c.defaults.msk as { brokerCount: unknown }).brokerCount = 'six';
      (c.regions[0] as { azCount: unknown }).azCount = 'three';
    };
    expect(issuesAt(bad, 'defaults.msk.brokerCount')).toHaveLength(1);
  });
});

describe('state mode: Terraform Cloud', () => {
  const cloud =
    (change: (t: Record<string, unknown>) => void = () => undefined): Change =>
    (c) => {
      c.state.mode = 'terraform-cloud';
      const settings: Record<string, unknown> = {
        organization: 'acme-infra',
        project: 'market intel',
        hostname: 'app.terraform.io',
      };
      change(settings);
      c.state.terraformCloud = settings as never;
    };

  test('the settings are required in that mode only', () => {
    expect(issuesAt(cloud(), 'state.terraformCloud')).toEqual([]);
    const without: Change = (c) => {
      c.state.mode = 'terraform-cloud';
      delete (c.state as { terraformCloud?: unknown }).terraformCloud;
    };
    expect(issuesAt(without, 'state.terraformCloud')).toEqual([
      {
        path: 'state.terraformCloud',
        value: undefined,
        expected: 'expected { organization, project, hostname } when state.mode is "terraform-cloud"',
      },
    ]);
    // In S3 mode, stray Terraform Cloud settings are not checked.
    const stray: Change = (c) => {
      c.state.terraformCloud = { organization: '!', project: '!', hostname: '!' };
    };
    expect(issuesAt(stray, 'state.terraformCloud.organization')).toEqual([]);
  });

  test.each<[string, unknown[], unknown[], string]>([
    [
      'organization',
      ['a', 'A_b-1', 'o'.repeat(40)],
      ['', 'o'.repeat(41), 'acme infra', 'acme.infra', 5, undefined, ['acme']],
      'expected a Terraform Cloud organization name: 1-40 letters, digits, "-" or "_"',
    ],
    [
      'project',
      ['p', 'market intel', 'A_b-1 2', 'p'.repeat(40)],
      ['', 'p'.repeat(41), ' market', 'market ', 'market.intel', 5, undefined, ['market']],
      'expected a Terraform Cloud project name: 1-40 letters, digits, spaces, "-" or "_", no leading or trailing space',
    ],
    [
      'hostname',
      ['app.terraform.io', 'tfe.example.org:8443', 'a.b', `${'a'.repeat(63)}.org`],
      [
        'https://app.terraform.io',
        'app.terraform.io/',
        'localhost',
        'App.terraform.io',
        'app..io',
        '-a.io',
        'a-.io',
        `${'a'.repeat(64)}.org`,
        'a.io:123456',
        'a.io:',
        `${'a.'.repeat(127)}io`,
        5,
        undefined,
        ['app.terraform.io'],
      ],
      'expected a host name without scheme or path, e.g. "app.terraform.io"',
    ],
  ])('%s', (field, ok, bad, expected) => {
    const path = `state.terraformCloud.${field}`;
    for (const value of ok)
      expect([
        value,
        issuesAt(
          cloud((t) => (t[field] = value)),
          path,
        ),
      ]).toEqual([value, []]);
    for (const value of bad)
      expect([
        value,
        issuesAt(
          cloud((t) => (t[field] = value)),
          path,
        ),
      ]).toEqual([value, [{ path, value, expected }]]);
  });

  test('only the primary copy exists in Terraform Cloud; an unknown mode checks no copy', () => {
    const use =
      (mode: string, copy: string): Change =>
      (c) => {
        cloud()(c);
        (c.state as { mode: string }).mode = mode;
        (c.state as { use?: string }).use = copy;
      };
    expect(issuesAt(use('terraform-cloud', 'primary'), 'state.use')).toEqual([]);
    expect(issuesAt(use('terraform-cloud', 'replica'), 'state.use')).toEqual([
      {
        path: 'state.use',
        value: 'replica',
        expected:
          'expected "primary" when state.mode is "terraform-cloud": Terraform Cloud keeps the state, there is no replica bucket to switch to',
      },
    ]);
    expect(issuesAt(use('s3', 'replica'), 'state.use')).toEqual([]);
    expect(issuesAt(use('gcs', 'replica'), 'state.use')).toEqual([]);
    // An unknown mode checks no Terraform Cloud settings either.
    expect(issuesAt(use('gcs', 'primary'), 'state.mode')).toHaveLength(1);
    const gcsWithBadCloud: Change = (c) => {
      use('gcs', 'primary')(c);
      c.state.terraformCloud = { organization: '!', project: 'p', hostname: 'app.terraform.io' };
    };
    expect(issuesAt(gcsWithBadCloud, 'state.terraformCloud.organization')).toEqual([]);
  });
});

describe('sections read through settings other sections own, without throwing', () => {
  test('security without an archive or defaults bounds nothing', () => {
    const days = (c: Mutable<PlatformConfig>) => {
      c.security.objectLock.logArchiveDays = 3000;
      c.security.objectLock.clickhouseBackupDays = 3000;
    };
    expect(
      issuesOf(validateSecurity, (c) => {
        days(c);
        (c.observability as { archive?: unknown }).archive = undefined;
        (c as { defaults?: unknown }).defaults = undefined;
        for (const r of c.regions) delete r.overrides;
      }),
    ).toEqual([]);
    expect(
      issuesOf(validateSecurity, (c) => {
        days(c);
        (c as { observability?: unknown }).observability = undefined;
        (c.defaults as { clickhouse?: unknown }).clickhouse = undefined;
        for (const r of c.regions) delete r.overrides;
      }),
    ).toEqual([]);
  });

  test('the broker layout needs MSK defaults and whole AZ counts; a refused replication factor is not compared', () => {
    const layout = (change: (c: Mutable<PlatformConfig>) => void) =>
      issuesOf(validateStreaming, change).filter((i) => /brokerCount$/.test(i.path));
    expect(
      layout((c) => {
        delete (c.defaults as { msk?: unknown }).msk;
        c.regions[1].overrides = { msk: { brokerCount: 4 } };
      }),
    ).toEqual([]);
    expect(layout((c) => ((c as { defaults?: unknown }).defaults = undefined))).toEqual([]);
    expect(
      layout((c) => {
        c.defaults.msk.brokerCount = 2;
        for (const r of c.regions) r.azCount = 2;
        (c.streaming.replication as { replicationFactor?: unknown }).replicationFactor = undefined;
      }),
    ).toEqual([]);
  });

  test('state settings that are not an object are left to validateConfig; Terraform Cloud settings that are not one are named', () => {
    expect(issuesAt(set('state', 's3'), 'state.mode')).toEqual([]);
    const cloud: Change = (c) => {
      c.state.mode = 'terraform-cloud';
      (c.state as { terraformCloud?: unknown }).terraformCloud = 'acme-infra';
    };
    expect(issuesAt(cloud, 'state.terraformCloud')).toEqual([
      {
        path: 'state.terraformCloud',
        value: 'acme-infra',
        expected: 'expected { organization, project, hostname } when state.mode is "terraform-cloud"',
      },
    ]);
  });
});
