import { LOG_RETENTION_DAYS } from '../src/config/types';
import { type Change, type FieldCase, issuesAt, set, testFields } from './support/config-issues';

// observability and workloads (src/config/sections/observability.ts, workloads.ts): each field at
// its boundaries with the exact issue, subscription endpoints per protocol, archive tiers in order,
// chart pins and namespaces. test/config-observability.test.ts reads the messages of whole configs.

const o = 'observability';
const bool = (path: string): FieldCase => ({
  path,
  ok: [true, false],
  bad: ['true', 1, undefined],
  expected: 'expected true or false',
});
const threshold = (key: string, min: number, max: number, unit: string): FieldCase => ({
  path: `${o}.thresholds.${key}`,
  ok: [min, max],
  bad: [min - 1, max + 1, min + 0.5, String(max), undefined],
  expected: `expected an integer ${min} to ${max} ${unit}`,
});
const archiveDays = (key: string, min: number, max: number, ok: number[]): FieldCase => ({
  path: `${o}.archive.${key}`,
  ok,
  bad: [min - 1, max + 1, min + 0.5, undefined],
  expected: `expected ${min} to ${max} days`,
});

const FIELDS: readonly FieldCase[] = [
  threshold('auroraReplicationLagMs', 100, 3_600_000, 'ms'),
  threshold('cacheReplicationLagSeconds', 1, 3600, 'seconds'),
  // Warning 10000 ms and critical 300000 ms in the fixture: each bound stays on its side of the other.
  { ...threshold('kafkaLagWarningMs', 1000, 3_600_000, 'ms'), ok: [1000, 299_999] },
  { ...threshold('kafkaLagCriticalMs', 1000, 3_600_000, 'ms'), ok: [10_001, 3_600_000], bad: [3_600_001, 10_000.5] },
  threshold('healthCheckLatencyMs', 100, 60_000, 'ms'),
  threshold('alb5xxPercent', 1, 100, 'percent'),
  threshold('targetResponseTimeSeconds', 1, 60, 'seconds'),
  threshold('deadLetterMessages', 0, 1_000_000, 'messages'),
  {
    path: `${o}.logRetentionDays`,
    ok: [1, 3653],
    bad: [0, 2, 42, '365', undefined],
    expected: `expected a CloudWatch Logs retention period (${LOG_RETENTION_DAYS.join(', ')})`,
  },
  // The fixture's tiers: hot 7, warm 30 (GLACIER_IR), expiry 2557 (GLACIER).
  archiveDays('hotDays', 1, 3650, [1, 29]),
  archiveDays('warmDays', 2, 3650, [8, 2556]),
  archiveDays('expirationDays', 365, 36500, [365, 36500]),
  archiveDays('noncurrentVersionExpirationDays', 1, 3650, [1, 3650]),
  {
    path: `${o}.archive.warmStorageClass`,
    ok: ['GLACIER_IR'],
    bad: ['GLACIER', 'standard_ia', undefined],
    expected: 'expected one of STANDARD_IA, GLACIER_IR',
  },
  {
    path: `${o}.archive.coldStorageClass`,
    ok: ['GLACIER', 'DEEP_ARCHIVE'],
    bad: ['GLACIER_IR', undefined],
    expected: 'expected one of GLACIER, DEEP_ARCHIVE',
  },
  bool(`${o}.cloudTrail.cloudWatchLogs`),
  bool(`${o}.cloudTrail.notifications`),
  bool(`${o}.cloudTrail.dataEvents`),
  {
    path: `${o}.prometheus.retentionDays`,
    ok: [1, 1095],
    bad: [0, 1096, 1.5, undefined],
    expected: 'expected 1 to 1095 days (Amazon Managed Service for Prometheus retention)',
  },
  {
    path: 'workloads.application.port',
    ok: [1024, 8080, 65535],
    bad: [1023, 80, 65536, 8080.5, '8080', undefined],
    expected: 'expected an unprivileged TCP port from 1024 to 65535',
  },
  {
    path: 'workloads.application.readinessPath',
    ok: ['/', '/actuator/health/readiness', '/a_b.c~d-e/f'],
    bad: ['health', 'x/health', '/a b', '/a?b', '', ['/health'], undefined],
    expected: 'expected an absolute HTTP path such as "/actuator/health/readiness"',
  },
  ...[
    'workloads.application.namespace',
    'workloads.monitoringNamespace',
    'workloads.nodeAgentsNamespace',
    'workloads.kafkaNamespace',
  ].map((path): FieldCase => ({
    path,
    ok: ['ns', 'a', 'my-ns-2', `a${'b'.repeat(62)}`],
    bad: ['kube-system', 'kube-x', 'NS', '-ns', 'ns-', 'n_s', `a${'b'.repeat(63)}`, '', ['ns'], undefined],
    expected: 'expected a Kubernetes namespace name (DNS label) outside the reserved kube-* names',
  })),
];

testFields(FIELDS);

describe('observability', () => {
  test('missing settings are named; missing blocks report their fields', () => {
    for (const value of [undefined, 'on'])
      expect(issuesAt(set(o, value), o)).toEqual([
        {
          path: o,
          value,
          expected: 'expected the observability settings (alertSubscriptions, thresholds, archive, ...)',
        },
      ]);
    expect(issuesAt(set(`${o}.thresholds`, undefined), `${o}.thresholds.alb5xxPercent`)).toHaveLength(1);
    expect(issuesAt(set(`${o}.archive`, undefined), `${o}.archive.hotDays`)).toHaveLength(1);
    expect(issuesAt(set(`${o}.cloudTrail`, undefined), `${o}.cloudTrail.dataEvents`)).toHaveLength(1);
    expect(issuesAt(set(`${o}.prometheus`, undefined), `${o}.prometheus.retentionDays`)).toHaveLength(1);
  });

  test('alert subscriptions: a map of both severities', () => {
    const at = `${o}.alertSubscriptions`;
    for (const value of [undefined, null, 'critical'])
      expect(issuesAt(set(at, value), at)).toEqual([
        { path: at, value, expected: 'expected { critical: [...], warning: [...] } (lists may be empty)' },
      ]);
    for (const value of [undefined, 'a@example.org', {}])
      expect(issuesAt(set(`${at}.critical`, value), `${at}.critical`)).toEqual([
        { path: `${at}.critical`, value, expected: 'expected a list of { protocol, endpoint }' },
      ]);
    expect(issuesAt(set(`${at}.info`, []), `${at}.info`)).toEqual([
      { path: `${at}.info`, value: 'info', expected: 'expected only critical, warning' },
    ]);
    expect(issuesAt(set(`${at}.warning`, []), `${at}.warning`)).toEqual([]);
  });

  describe('subscription endpoints by protocol', () => {
    const at = `${o}.alertSubscriptions.critical[0]`;
    const subscribe = (protocol: unknown, endpoint: unknown) =>
      set(`${o}.alertSubscriptions.critical`, [{ protocol, endpoint }]);
    test.each<[string, string[], unknown[], string]>([
      [
        'email',
        ['oncall@example.org', 'a.b+c@d.e.f'],
        [
          'oncall',
          'a@b',
          'a@example.org x',
          '@example.org',
          'a b@example.org',
          'a@exa mple.org',
          'a@@example.org',
          ['a@b.c'],
          5,
        ],
        'expected an email address',
      ],
      [
        'https',
        ['https://hooks.example.org', 'https://events.pagerduty.com/x/enqueue?y=1'],
        [
          'http://hooks.example.org',
          'https://',
          'https://a b',
          'https://a/b c',
          'hooks.example.org',
          ' https://a',
          ['https://a'],
        ],
        'expected an https:// URL',
      ],
      [
        'sqs',
        ['arn:aws:sqs:us-east-1:111122223333:alerts', 'arn:aws-us-gov:sqs:us-gov-west-1:111122223333:q'],
        [
          'alerts',
          'arn:aws:sns:us-east-1:111122223333:alerts',
          'arn:aws:sqs:us-east-1:11112222333:alerts',
          'arn:aws:sqs:us-east-1:111122223333:',
          'arn:aws:sqs::111122223333:alerts',
          'arn:aws:sqs:US-east-1:111122223333:alerts',
          ' arn:aws:sqs:us-east-1:111122223333:alerts',
          'arn:aws:sqs:us-east-1:111122223333:a b',
          'arn:awsx1:sqs:us-east-1:111122223333:alerts',
        ],
        'expected an SQS queue ARN',
      ],
      [
        'lambda',
        ['arn:aws:lambda:us-east-1:111122223333:function:notify'],
        [
          'arn:aws:sqs:us-east-1:111122223333:notify',
          'notify',
          'arn:aws:lambda:us-east-1:1111222233334:function:notify',
        ],
        'expected a Lambda function ARN',
      ],
    ])('%s', (protocol, ok, bad, expected) => {
      for (const endpoint of ok)
        expect([endpoint, issuesAt(subscribe(protocol, endpoint), `${at}.endpoint`)]).toEqual([endpoint, []]);
      for (const endpoint of bad)
        expect([endpoint, issuesAt(subscribe(protocol, endpoint), `${at}.endpoint`)]).toEqual([
          endpoint,
          [{ path: `${at}.endpoint`, value: endpoint, expected }],
        ]);
    });

    test('an unknown protocol checks no endpoint', () => {
      for (const protocol of ['http', 'sms', undefined]) {
        expect(issuesAt(subscribe(protocol, 'x'), `${at}.protocol`)).toEqual([
          { path: `${at}.protocol`, value: protocol, expected: 'expected one of email, https, sqs, lambda' },
        ]);
        expect(issuesAt(subscribe(protocol, 'x'), `${at}.endpoint`)).toEqual([]);
      }
      const nullEntry = set(`${o}.alertSubscriptions.critical`, [null]);
      expect(issuesAt(nullEntry, `${at}.protocol`)).toHaveLength(1);
    });

    test('each subscription once per severity; the same one may serve both severities', () => {
      const a = { protocol: 'email', endpoint: 'a@example.org' };
      const b = { protocol: 'https', endpoint: 'https://a@example.org' };
      const both: Change = (c) => {
        (c.observability.alertSubscriptions as Record<string, unknown>).critical = [a, b, { ...a }];
        (c.observability.alertSubscriptions as Record<string, unknown>).warning = [a];
      };
      const path = `${o}.alertSubscriptions.critical[2]`;
      expect(issuesAt(both, path)).toEqual([
        { path, value: a, expected: 'expected each subscription once per severity' },
      ]);
      expect(issuesAt(both, `${o}.alertSubscriptions.critical[1]`)).toEqual([]);
      expect(issuesAt(both, `${o}.alertSubscriptions.warning[0]`)).toEqual([]);
    });
  });

  test('Kafka lag: critical above warning, compared only when both are whole numbers', () => {
    const path = `${o}.thresholds.kafkaLagCriticalMs`;
    const lag =
      (warning: unknown, critical: unknown): Change =>
      (c) => {
        (c.observability.thresholds as Record<string, unknown>).kafkaLagWarningMs = warning;
        (c.observability.thresholds as Record<string, unknown>).kafkaLagCriticalMs = critical;
      };
    expect(issuesAt(lag(5000, 5001), path)).toEqual([]);
    for (const critical of [5000, 4999])
      expect(issuesAt(lag(5000, critical), path)).toEqual([
        { path, value: critical, expected: 'expected more than kafkaLagWarningMs (5000)' },
      ]);
    expect(issuesAt(lag(5000.5, 4000), path)).toEqual([]);
    expect(issuesAt(lag(5000, 4000.5), path)).toHaveLength(1);
  });

  describe('archive tiers', () => {
    const a = `${o}.archive`;
    const tiers =
      (t: Record<string, unknown>): Change =>
      (c) =>
        Object.assign(c.observability.archive, t);

    test('hot < warm < expiry, compared only between valid values', () => {
      expect(issuesAt(tiers({ hotDays: 29, warmDays: 30 }), `${a}.warmDays`)).toEqual([]);
      for (const warmDays of [30, 29])
        expect(issuesAt(tiers({ hotDays: 30, warmDays }), `${a}.warmDays`)).toEqual([
          {
            path: `${a}.warmDays`,
            value: warmDays,
            expected: 'expected more than hotDays (30): tiers run hot < warm < cold',
          },
        ]);
      expect(issuesAt(tiers({ hotDays: 0, warmDays: 2 }), `${a}.warmDays`)).toEqual([]);
      expect(issuesAt(tiers({ warmDays: 364, expirationDays: 365 }), `${a}.expirationDays`)).toEqual([]);
      for (const expirationDays of [400, 399])
        expect(issuesAt(tiers({ warmDays: 400, expirationDays }), `${a}.expirationDays`)).toEqual([
          {
            path: `${a}.expirationDays`,
            value: expirationDays,
            expected: 'expected more than warmDays (400): tiers run hot < warm < cold',
          },
        ]);
      expect(issuesAt(tiers({ warmDays: 3651, expirationDays: 400 }), `${a}.expirationDays`)).toEqual([]);
    });

    test('STANDARD_IA needs a hot tier of 30 days', () => {
      const ia = (hotDays: unknown) => tiers({ warmStorageClass: 'STANDARD_IA', hotDays, warmDays: 90 });
      expect(issuesAt(ia(30), `${a}.hotDays`)).toEqual([]);
      expect(issuesAt(ia(29), `${a}.hotDays`)).toEqual([
        {
          path: `${a}.hotDays`,
          value: 29,
          expected:
            'expected at least 30 with warmStorageClass STANDARD_IA (S3 moves objects to STANDARD_IA from day 30 only); use GLACIER_IR for a shorter hot tier',
        },
      ]);
      // A refused hot tier is reported once, for its range.
      expect(issuesAt(ia(0), `${a}.hotDays`)).toHaveLength(1);
    });

    test('DEEP_ARCHIVE keeps objects 180 days after the warm tier', () => {
      const deep = (warmDays: unknown, expirationDays: unknown) =>
        tiers({ coldStorageClass: 'DEEP_ARCHIVE', warmDays, expirationDays });
      expect(issuesAt(deep(300, 480), `${a}.expirationDays`)).toEqual([]);
      expect(issuesAt(deep(300, 479), `${a}.expirationDays`)).toEqual([
        {
          path: `${a}.expirationDays`,
          value: 479,
          expected: 'expected at least warmDays + 180 (480) with DEEP_ARCHIVE (180-day minimum storage)',
        },
      ]);
      expect(issuesAt(deep(1, 365), `${a}.expirationDays`)).toEqual([]);
      expect(issuesAt(deep(3651, 365), `${a}.expirationDays`)).toEqual([]);
      // GLACIER has no such minimum here.
      expect(issuesAt(tiers({ warmDays: 300, expirationDays: 365 }), `${a}.expirationDays`)).toEqual([]);
    });
  });
});

describe('workloads', () => {
  test('missing settings are named', () => {
    for (const value of [undefined, null, 'charts'])
      expect(issuesAt(set('workloads', value), 'workloads')).toEqual([
        {
          path: 'workloads',
          value,
          expected: 'expected the workloads settings (charts, application, namespaces)',
        },
      ]);
    for (const value of [undefined, null, 8080])
      expect(issuesAt(set('workloads.application', value), 'workloads.application')).toEqual([
        { path: 'workloads.application', value, expected: 'expected { namespace, port, readinessPath }' },
      ]);
    expect(issuesAt(set('workloads.charts', undefined), 'workloads.charts.application')).toHaveLength(1);
  });

  test.each([
    'awsLoadBalancerController',
    'clusterAutoscaler',
    'metricsServer',
    'kubePrometheusStack',
    'nvidiaDevicePlugin',
    'strimziKafkaOperator',
    'application',
  ])('the %s chart is pinned', (key) => {
    const at = `workloads.charts.${key}`;
    for (const value of [undefined, null, '1.0.0'])
      expect(issuesAt(set(at, value), at)).toEqual([
        { path: at, value, expected: 'expected { repository, chart, version }' },
      ]);
    expect(issuesAt(set(`${at}.version`, '0.0.1'), `${at}.version`)).toEqual([]);
    expect(issuesAt(set(`${at}.version`, 'latest'), `${at}.version`)).toHaveLength(1);
  });

  test.each<[string, unknown[], unknown[], string]>([
    [
      'repository',
      ['https://charts.example.org', 'oci://quay.io/strimzi-helm', 'https://a.b:8443/x/y_z~1.2-3/', 'https://a'],
      [
        'http://charts.example.org',
        'charts.example.org',
        'https://',
        'https://a b',
        'https://a/b c',
        'oci://a:port',
        'https://a.org?x',
        ' https://a',
        ['https://a'],
        undefined,
      ],
      'expected an https:// chart repository or an oci:// registry path',
    ],
    [
      'chart',
      ['a', 'market-intelligence', `a${'b'.repeat(62)}`, '1chart'],
      ['Chart', '-chart', 'chart-', 'my_chart', `a${'b'.repeat(63)}`, '', ['chart'], undefined],
      'expected a chart name: lowercase letters, digits and hyphens',
    ],
    [
      'version',
      ['1.0.0', '10.20.30', '1.0.0-rc.1', '1.0.0+build.5', '1.0.0-beta-2+exp.sha.5114f85'],
      ['^3.12', '~1.0.0', '1.0', 'v1.0.0', '1.0.0-', '1.0.0+', '1.0.0 ', 'latest', '1.x.0', ['1.0.0'], undefined],
      'expected an exact chart version such as "1.13.0" (no ranges, no "latest")',
    ],
  ])('chart pins: %s', (field, ok, bad, expected) => {
    const path = `workloads.charts.metricsServer.${field}`;
    for (const value of ok) expect([value, issuesAt(set(path, value), path)]).toEqual([value, []]);
    for (const value of bad)
      expect([value, issuesAt(set(path, value), path)]).toEqual([value, [{ path, value, expected }]]);
  });

  test('each namespace once; the first keeps it, a refused one takes no name', () => {
    const ns =
      (change: Record<string, string>): Change =>
      (c) => {
        c.workloads.application.namespace = change.app ?? c.workloads.application.namespace;
        c.workloads.monitoringNamespace = change.monitoring ?? c.workloads.monitoringNamespace;
        c.workloads.nodeAgentsNamespace = change.agents ?? c.workloads.nodeAgentsNamespace;
        c.workloads.kafkaNamespace = change.kafka ?? c.workloads.kafkaNamespace;
      };
    const clash = (path: string, value: string, first: string) => ({
      path,
      value,
      expected: `expected a namespace of its own; ${first} already uses it`,
    });
    const change = ns({ app: 'shared', monitoring: 'shared', kafka: 'shared' });
    expect(issuesAt(change, 'workloads.application.namespace')).toEqual([]);
    expect(issuesAt(change, 'workloads.monitoringNamespace')).toEqual([
      clash('workloads.monitoringNamespace', 'shared', 'workloads.application.namespace'),
    ]);
    expect(issuesAt(change, 'workloads.kafkaNamespace')).toEqual([
      clash('workloads.kafkaNamespace', 'shared', 'workloads.application.namespace'),
    ]);
    expect(issuesAt(change, 'workloads.nodeAgentsNamespace')).toEqual([]);
    // A refused name is not remembered: the next one using it is reported for its own shape only.
    const refused = ns({ app: 'kube-x', monitoring: 'kube-x' });
    expect(issuesAt(refused, 'workloads.monitoringNamespace')).toHaveLength(1);
    expect(issuesAt(refused, 'workloads.monitoringNamespace')[0].expected).toMatch(/^expected a Kubernetes namespace/);
  });
});

describe('delivery (runners and agents inside the VPCs)', () => {
  const r = 'delivery.githubRunners';
  const a = 'delivery.terraformCloudAgents';
  const connection = (region: string) =>
    `arn:aws:codeconnections:${region}:111122223333:connection/0a1b2c3d-4e5f-6a7b-8c9d-0e1f2a3b4c5d`;
  /** Runners on with a repository and a connection per region, then `change`. */
  const runners =
    (change: (g: Record<string, unknown>) => void = () => undefined): Change =>
    (c) => {
      const g = c.delivery.githubRunners as unknown as Record<string, unknown>;
      g.enabled = true;
      g.repositoryUrl = 'https://github.com/acme/platform';
      g.connectionArns = Object.fromEntries(c.regions.map((region) => [region.key, connection(region.code)]));
      change(g);
    };
  const ecrImage = (region = 'us-east-1') => `111122223333.dkr.ecr.${region}.amazonaws.com/tfc-agent-awscli:1.22.5-1`;
  /** Agents on in Terraform Cloud mode with an ECR image, then `change`. */
  const agents =
    (change: (g: Record<string, unknown>, c: Record<string, unknown>) => void = () => undefined): Change =>
    (c) => {
      c.state.mode = 'terraform-cloud';
      const g = c.delivery.terraformCloudAgents as unknown as Record<string, unknown>;
      g.enabled = true;
      g.image = ecrImage();
      change(g, c as unknown as Record<string, unknown>);
    };

  test('missing settings are named', () => {
    for (const value of [undefined, null, 'runners'])
      expect(issuesAt(set('delivery', value), 'delivery')).toEqual([
        { path: 'delivery', value, expected: 'expected the delivery settings (githubRunners, terraformCloudAgents)' },
      ]);
    for (const value of [undefined, 'on'])
      expect(issuesAt(set(r, value), r)).toEqual([
        { path: r, value, expected: 'expected the runner settings (enabled, repositoryUrl, connectionArns, ...)' },
      ]);
    for (const value of [undefined, 'on'])
      expect(issuesAt(set(a, value), a)).toEqual([
        { path: a, value, expected: 'expected the agent settings (enabled, image, cpu, memoryMiB, ...)' },
      ]);
  });

  test('enabled must be a boolean, and nothing else is checked until it is', () => {
    for (const at of [r, a]) {
      expect(issuesAt(set(`${at}.enabled`, 'yes'), `${at}.enabled`)).toEqual([
        { path: `${at}.enabled`, value: 'yes', expected: 'expected true or false' },
      ]);
      const broken: Change = (c) => {
        set(`${at}.enabled`, 'yes')(c);
        set(`${at}.logRetentionDays`, 2)(c);
      };
      expect(issuesAt(broken, `${at}.logRetentionDays`)).toEqual([]);
    }
  });

  describe('runners', () => {
    test.each<[string, unknown[], unknown[], string]>([
      [
        'computeType',
        ['BUILD_GENERAL1_SMALL', 'BUILD_GENERAL1_LARGE'],
        ['BUILD_GENERAL1_2XLARGE', undefined],
        'expected one of BUILD_GENERAL1_SMALL, BUILD_GENERAL1_MEDIUM, BUILD_GENERAL1_LARGE',
      ],
      [
        'image',
        ['aws/codebuild/amazonlinux-x86_64-standard:5.0', 'aws/codebuild/standard:7.0', 'aws/codebuild/a:1'],
        [
          'aws/codebuild/standard',
          'aws/codebuild/standard:latest',
          'aws/codebuild/Standard:7.0',
          'ubuntu:22.04',
          'aws/codebuild/standard:.7',
          ' aws/codebuild/standard:7.0',
          'aws/codebuild/standard:7.0 ',
          ['aws/codebuild/standard:7.0'],
          undefined,
        ],
        'expected a CodeBuild curated image with a version, e.g. "aws/codebuild/amazonlinux-x86_64-standard:5.0"',
      ],
      ['timeoutMinutes', [5, 480], [4, 481, 5.5, undefined], 'expected 5 to 480 minutes (the CodeBuild build timeout)'],
      [
        'logRetentionDays',
        [1, 90],
        [2, undefined],
        `expected a CloudWatch Logs retention period (${LOG_RETENTION_DAYS.join(', ')})`,
      ],
    ])('%s, checked even while off', (field, ok, bad, expected) => {
      const path = `${r}.${field}`;
      for (const value of ok) expect([value, issuesAt(set(path, value), path)]).toEqual([value, []]);
      for (const value of bad)
        expect([value, issuesAt(set(path, value), path)]).toEqual([value, [{ path, value, expected }]]);
    });

    test('off: repository, connections and workflows are not checked', () => {
      for (const field of ['repositoryUrl', 'workflowNames'])
        expect(issuesAt(set(`${r}.${field}`, 5), `${r}.${field}`)).toEqual([]);
      expect(issuesAt(set(`${r}.connectionArns`, { mars: 'x' }), `${r}.connectionArns.mars`)).toEqual([]);
    });

    test('on: a GitHub repository', () => {
      const path = `${r}.repositoryUrl`;
      for (const url of ['https://github.com/acme/platform', 'https://github.com/a_b.c-1/x.y_z-2'])
        expect(
          issuesAt(
            runners((g) => (g.repositoryUrl = url)),
            path,
          ),
        ).toEqual([]);
      for (const url of [
        '',
        'https://gitlab.com/a/b',
        'http://github.com/a/b',
        'https://github.com/a',
        'https://github.com/a/b/c',
        'https://github.com/a b/c',
        'https://githubxcom/a/b',
        ' https://github.com/a/b',
        'https://github.com/a/b ',
        ['https://github.com/a/b'],
        undefined,
      ])
        expect([
          url,
          issuesAt(
            runners((g) => (g.repositoryUrl = url)),
            path,
          ),
        ]).toEqual([url, [{ path, value: url, expected: 'expected "https://github.com/<owner>/<repo>"' }]]);
    });

    test('on: one CodeConnections connection per region, in that region', () => {
      const path = `${r}.connectionArns.eu-west`;
      const arn = (value: unknown) =>
        runners((g) => ((g.connectionArns as Record<string, unknown>)['eu-west'] = value));
      const expected =
        'expected the ARN of a CodeConnections connection in eu-west-1, "arn:aws:codeconnections:eu-west-1:<account>:connection/<uuid>" (created and approved in the console: docs/delivery.md)';
      for (const value of [
        connection('eu-west-1'),
        connection('eu-west-1').replace('codeconnections', 'codestar-connections'),
        connection('eu-west-1').replace('arn:aws:', 'arn:aws-cn:'),
      ])
        expect([value, issuesAt(arn(value), path)]).toEqual([value, []]);
      for (const value of [
        connection('us-east-1'),
        connection('eu-west-1').replace('codeconnections', 'codebuild'),
        connection('eu-west-1').replace('111122223333', '11112222333'),
        connection('eu-west-1').replace('connection/', 'connections/'),
        connection('eu-west-1').replace('0a1b2c3d-', '0a1b2c3-'),
        connection('eu-west-1').replace('0a1b', '0A1B'),
        `${connection('eu-west-1')}0`,
        ` ${connection('eu-west-1')}`,
        [connection('eu-west-1')],
        undefined,
      ])
        expect([value, issuesAt(arn(value), path)]).toEqual([value, [{ path, value, expected }]]);
      expect(
        issuesAt(
          runners((g) => (g.connectionArns = undefined)),
          path,
        ),
      ).toEqual([{ path, value: undefined, expected }]);
      const stray = runners((g) => ((g.connectionArns as Record<string, unknown>).mars = connection('eu-west-1')));
      expect(issuesAt(stray, `${r}.connectionArns.mars`)).toEqual([
        {
          path: `${r}.connectionArns.mars`,
          value: connection('eu-west-1'),
          expected: 'expected a region key of regions[*].key',
        },
      ]);
      expect(issuesAt(stray, path)).toEqual([]);
    });

    test('on: at least one workflow, each a plain workflow name', () => {
      const path = `${r}.workflowNames`;
      const names = (value: unknown) => runners((g) => (g.workflowNames = value));
      for (const value of [[], 'deploy', undefined])
        expect(issuesAt(names(value), path)).toEqual([
          {
            path,
            value,
            expected:
              'expected at least one workflow name (e.g. ["deploy"]): without one any workflow of the repository could start a runner inside the VPC',
          },
        ]);
      const list = ['deploy', 'Deploy prod_1.x-2', 'x'.repeat(100), '', 'x'.repeat(101), 'deploy/*', 'a\nb', 5];
      for (const [i, value] of list.entries())
        expect(issuesAt(names(list), `${path}[${i}]`)).toEqual(
          i < 3
            ? []
            : [
                {
                  path: `${path}[${i}]`,
                  value,
                  expected: 'expected a workflow name of 1-100 letters, digits, spaces, _ . -',
                },
              ],
        );
    });

    test('on: not in Terraform Cloud mode', () => {
      expect(issuesAt(runners(), `${r}.enabled`)).toEqual([]);
      const cloud: Change = (c) => {
        runners()(c);
        c.state.mode = 'terraform-cloud';
      };
      expect(issuesAt(cloud, `${r}.enabled`)).toEqual([
        {
          path: `${r}.enabled`,
          value: true,
          expected:
            'expected false in Terraform Cloud mode (state.mode): the deploy workflow applies nothing from GitHub there; use delivery.terraformCloudAgents',
        },
      ]);
      const noState: Change = (c) => {
        runners()(c);
        (c as { state?: unknown }).state = undefined;
      };
      expect(issuesAt(noState, `${r}.enabled`)).toEqual([]);
    });
  });

  describe('agents', () => {
    const image = `${a}.image`;
    const stockRule =
      'expected an image pinned to a version tag or digest, e.g. "hashicorp/tfc-agent:1.22.5" (never "latest")';
    const runnable =
      'expected an image built FROM a pinned hashicorp/tfc-agent 1.7 or later with AWS CLI v2 added, in ECR of this account, e.g. "<account>.dkr.ecr.<region>.amazonaws.com/tfc-agent-awscli:1.22.5-1", pinned by tag or digest, never "latest" (docs/delivery.md, "The agent image")';

    test('off: a pinned image, the stock one at 1.7 or later', () => {
      for (const value of [
        'hashicorp/tfc-agent:1.7.0',
        'hashicorp/tfc-agent:1.22.5',
        'hashicorp/tfc-agent:2.0.0',
        'hashicorp/tfc-agent:1.10.0',
        'hashicorp/tfc-agent:10.0.1',
        'hashicorp/tfc-agent:1.7',
        'docker.io/hashicorp/tfc-agent:1.6.0',
        `hashicorp/tfc-agent@sha256:${'a'.repeat(64)}`,
        'registry.example.org/my/agent:v1',
        'agent:1',
      ])
        expect([value, issuesAt(set(image, value), image)]).toEqual([value, []]);
      for (const value of [
        'hashicorp/tfc-agent:latest',
        'hashicorp/tfc-agent',
        'Hashicorp/tfc-agent:1.22.5',
        'hashicorp/tfc-agent:',
        '-agent:1',
        'agent-:1',
        `agent:${'1'.repeat(129)}`,
        `hashicorp/tfc-agent@sha256:${'a'.repeat(63)}`,
        `hashicorp/tfc-agent@sha256:${'A'.repeat(64)}`,
        'agent:1 ',
        ['agent:1'],
        undefined,
      ])
        expect([value, issuesAt(set(image, value), image)]).toEqual([
          value,
          [{ path: image, value, expected: stockRule }],
        ]);
      const early = 'expected tfc-agent 1.7.0 or later: earlier agents cannot use dynamic provider credentials';
      for (const value of ['hashicorp/tfc-agent:1.6.9', 'hashicorp/tfc-agent:0.9.0', 'hashicorp/tfc-agent:1.0.0'])
        expect([value, issuesAt(set(image, value), image)]).toEqual([value, [{ path: image, value, expected: early }]]);
    });

    test('on: an image of this account in ECR of one of the regions, not the stock one', () => {
      expect(issuesAt(agents(), image)).toEqual([]);
      expect(
        issuesAt(
          agents((g) => (g.image = ecrImage('ap-southeast-1'))),
          image,
        ),
      ).toEqual([]);
      for (const value of ['hashicorp/tfc-agent:1.22.5', 'docker.io/hashicorp/tfc-agent:1.22.5'])
        expect([
          value,
          issuesAt(
            agents((g) => (g.image = value)),
            image,
          ),
        ]).toEqual([
          value,
          [
            {
              path: image,
              value,
              expected: `${runnable}: the stock image has no AWS CLI, so the kubernetes and helm providers' "aws eks get-token" fails on every workloads run`,
            },
          ],
        ]);
      expect(
        issuesAt(
          agents((g) => (g.image = 'registry.example.org/agent:1')),
          image,
        ),
      ).toEqual([
        {
          path: image,
          value: 'registry.example.org/agent:1',
          expected: `${runnable}: the execution role pulls from ECR of this account only`,
        },
      ]);
      expect(
        issuesAt(
          agents((g) => (g.image = 'agent:latest')),
          image,
        ),
      ).toEqual([{ path: image, value: 'agent:latest', expected: runnable }]);
      expect(
        issuesAt(
          agents((g) => (g.image = ecrImage('eu-central-1'))),
          image,
        ),
      ).toEqual([
        {
          path: image,
          value: ecrImage('eu-central-1'),
          expected:
            "expected the registry of one of the platform's regions (us-east-1, eu-west-1, ap-southeast-1): each region's agents pull the same repository and tag from their own region, 111122223333.dkr.ecr.<region>.amazonaws.com/tfc-agent-awscli:1.22.5-1",
        },
      ]);
    });

    test('on: the ECR account is this account when the config names one', () => {
      const account = (id: string | undefined): Change =>
        agents((_g, c) => {
          c.accountId = id;
        });
      expect(issuesAt(account(undefined), image)).toEqual([]);
      expect(issuesAt(account('111122223333'), image)).toEqual([]);
      expect(issuesAt(account('444455556666'), image)).toEqual([
        {
          path: image,
          value: ecrImage(),
          expected: 'expected an ECR repository of this account (accountId 444455556666), not of 111122223333',
        },
      ]);
    });

    test('cpu: Fargate units; memory in steps of 1024 within what the units allow', () => {
      const path = `${a}.memoryMiB`;
      const task = (cpu: unknown, memoryMiB: unknown) => (c: Parameters<Change>[0]) => {
        (c.delivery.terraformCloudAgents as unknown as Record<string, unknown>).cpu = cpu;
        (c.delivery.terraformCloudAgents as unknown as Record<string, unknown>).memoryMiB = memoryMiB;
      };
      for (const cpu of [3, 1000, undefined])
        expect(issuesAt(task(cpu, 2048), `${a}.cpu`)).toEqual([
          { path: `${a}.cpu`, value: cpu, expected: 'expected Fargate CPU units: 512, 1024, 2048, 4096' },
        ]);
      expect(issuesAt(task(3, 2048), path)).toEqual([]);
      for (const [cpu, memoryMiB] of [
        [512, 1024],
        [512, 4096],
        [1024, 2048],
        [1024, 8192],
        [4096, 30720],
      ])
        expect(issuesAt(task(cpu, memoryMiB), path)).toEqual([]);
      for (const memoryMiB of [1024, 9216, 3000, 2560, 2048.5, '4096', undefined])
        expect([memoryMiB, issuesAt(task(1024, memoryMiB), path)]).toEqual([
          memoryMiB,
          [
            {
              path,
              value: memoryMiB,
              expected: 'expected 2048 to 8192 MiB in steps of 1024 (what Fargate allows with 1024 CPU units)',
            },
          ],
        ]);
    });

    test('count and log retention', () => {
      for (const value of [1, 10]) expect(issuesAt(set(`${a}.desiredCount`, value), `${a}.desiredCount`)).toEqual([]);
      for (const value of [0, 11, 1.5, undefined])
        expect(issuesAt(set(`${a}.desiredCount`, value), `${a}.desiredCount`)).toEqual([
          { path: `${a}.desiredCount`, value, expected: 'expected 1 to 10 agents per region' },
        ]);
      expect(issuesAt(set(`${a}.logRetentionDays`, 2), `${a}.logRetentionDays`)).toEqual([
        {
          path: `${a}.logRetentionDays`,
          value: 2,
          expected: `expected a CloudWatch Logs retention period (${LOG_RETENTION_DAYS.join(', ')})`,
        },
      ]);
    });

    test('on: only in Terraform Cloud mode', () => {
      expect(issuesAt(agents(), `${a}.enabled`)).toEqual([]);
      const s3: Change = (c) => {
        agents()(c);
        c.state.mode = 's3';
      };
      const noState: Change = (c) => {
        agents()(c);
        (c as { state?: unknown }).state = undefined;
      };
      for (const change of [s3, noState])
        expect(issuesAt(change, `${a}.enabled`)).toEqual([
          {
            path: `${a}.enabled`,
            value: true,
            expected:
              'expected false unless state.mode is "terraform-cloud": an agent only serves Terraform Cloud runs',
          },
        ]);
    });
  });
});
