import { TerraformStack, Testing } from 'cdktf';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import type { AlertTopics } from '../modules/observability/alert-topics';
import { metricAlarm } from '../modules/observability/metric-alarm';
import { atLeastRule } from '../modules/observability/quorum';
import {
  auroraReplicationStopped,
  cacheReplicationStopped,
  RegionalAlarms,
  REPLICATION_STOPPED_MINUTES,
} from '../modules/observability/regional-alarms';
import { production } from '../src/config/environments/production';
import type { PlatformConfig } from '../src/config/types';
import { concurrentOverlaps, type SynthesizedTemplate } from './support/fis';
import { evaluate, type Values } from './support/metric-math';
import { resolvePlan } from '../src/plan/resolve';
import { threeRegions } from './support/config';
import { defaultSynth } from './support/shared-synth';
import { resources, type StackJson } from './support/stack-json';
import { globalStackOf } from './support/stacks';

type Body = Record<string, unknown>;
const byName = (stack: StackJson, type: string) =>
  new Map(resources(stack, type).map((r) => [String(r.alarm_name ?? r.name), r]));
const ref = (s: unknown) => String(s);

const plan = resolvePlan(production);
const KEYS = plan.regions.map((r) => r.key);
/** Regions with a cache member (every production region; a region past the datastore limit reads another's). */
const CACHE_MEMBERS = plan.regions.filter((r) => r.cache.role !== 'reader').map((r) => r.key);

describe('regional alarms (production synth)', () => {
  const synth = defaultSynth('production');
  const region = (key: string) => synth.stack(`region-${key}`);
  const alarms = (key: string) => byName(region(key), 'aws_cloudwatch_metric_alarm');
  const topics = (key: string) => byName(region(key), 'aws_sns_topic');

  test.each(KEYS)('%s has a KMS-encrypted topic per severity', (key) => {
    const t = topics(key);
    for (const severity of ['critical', 'warning']) {
      expect(t.get(`mi-production-${key}-alerts-${severity}`)).toEqual(
        expect.objectContaining({ kms_master_key_id: expect.stringContaining('aws_kms_key.kms_key') }),
      );
    }
  });

  test.each(KEYS)('%s: ALB 5xx rate > 5 %% is critical, metric math over ELB + target 5xx', (key) => {
    const a = alarms(key).get(`mi-production-${key}-alb-5xx-rate`)!;
    expect(a).toEqual(
      expect.objectContaining({
        threshold: 5,
        comparison_operator: 'GreaterThanThreshold',
        treat_missing_data: 'notBreaching',
      }),
    );
    expect(ref(a.alarm_actions)).toMatch(/aws_sns_topic\.observability_alerts_critical_/);
    const queries = a.metric_query as Body[];
    const result = queries.find((q) => q.return_data === true)!;
    expect(result.expression).toMatch(/100 \* \(FILL\(elb5xx, 0\) \+ FILL\(target5xx, 0\)\) \/ requests/);
    expect(
      queries
        .map((q) => (q.metric as Body | undefined)?.metric_name)
        .filter(Boolean)
        .sort(),
    ).toEqual(['HTTPCode_ELB_5XX_Count', 'HTTPCode_Target_5XX_Count', 'RequestCount']);
  });

  test('target response time > 2 s and DLQ depth > 0 warn', () => {
    const a = alarms('eu-west');
    expect(a.get('mi-production-eu-west-target-response-time')).toEqual(
      expect.objectContaining({ threshold: 2, extended_statistic: 'p95', metric_name: 'TargetResponseTime' }),
    );
    for (const dlq of ['events-target', 'events-ordering']) {
      const alarm = a.get(`mi-production-eu-west-dlq-${dlq}`)!;
      expect(alarm).toEqual(
        expect.objectContaining({
          threshold: 0,
          comparison_operator: 'GreaterThanThreshold',
          metric_name: 'ApproximateNumberOfMessagesVisible',
          treat_missing_data: 'notBreaching',
        }),
      );
      expect(ref(alarm.alarm_actions)).toMatch(/alerts_warning/);
      expect(ref((alarm.dimensions as Body).QueueName)).toMatch(/aws_sqs_queue\.events_/);
    }
  });

  test.each(KEYS)(
    '%s: Aurora lag > 5000 ms on its own member whatever its role; missing lag is not breaching',
    (key) => {
      // The primary (us-east) has one too: after a switchover it is the member reporting lag.
      const a = alarms(key).get(`mi-production-${key}-aurora-replication-lag`)!;
      expect(a).toEqual(
        expect.objectContaining({
          namespace: 'AWS/RDS',
          metric_name: 'AuroraGlobalDBReplicationLag',
          threshold: 5000,
          dimensions: { DBClusterIdentifier: `mi-production-${key}-aurora` },
          treat_missing_data: 'notBreaching',
        }),
      );
      expect(ref(a.alarm_actions)).toMatch(/alerts_warning/);
    },
  );

  test.each(KEYS)(
    '%s: "replication stopped" is metric math over lag and instance roles, 10 minutes, quiet without data',
    (key) => {
      const cluster = `mi-production-${key}-aurora`;
      const a = alarms(key).get(`mi-production-${key}-aurora-replication-stopped`)!;
      expect(a).toEqual(
        expect.objectContaining({
          threshold: 0,
          comparison_operator: 'GreaterThanThreshold',
          datapoints_to_alarm: REPLICATION_STOPPED_MINUTES,
          evaluation_periods: REPLICATION_STOPPED_MINUTES,
          treat_missing_data: 'notBreaching',
        }),
      );
      const queries = a.metric_query as Body[];
      expect(queries.find((q) => q.return_data === true)!.expression).toBe(
        auroraReplicationStopped(cluster).expression,
      );
      const metric = (id: string) => queries.find((q) => q.id === id)!.metric as Body;
      expect(metric('lag')).toEqual(
        expect.objectContaining({
          metric_name: 'AuroraGlobalDBReplicationLag',
          dimensions: { DBClusterIdentifier: cluster },
        }),
      );
      expect(metric('writer')).toEqual(
        expect.objectContaining({
          metric_name: 'CPUUtilization',
          stat: 'SampleCount',
          dimensions: { DBClusterIdentifier: cluster, Role: 'WRITER' },
        }),
      );
      expect(metric('readers').dimensions).toEqual({ DBClusterIdentifier: cluster, Role: 'READER' });
    },
  );

  test.each(CACHE_MEMBERS)(
    '%s: ElastiCache lag takes the max over the member nodes (primary member too), missing is not breaching',
    (key) => {
      const a = alarms(key).get(`mi-production-${key}-cache-replication-lag`)!;
      const queries = a.metric_query as Body[];
      const nodes = queries.filter((q) => q.metric).map((q) => ((q.metric as Body).dimensions as Body).CacheClusterId);
      const count = production.defaults.elasticache.nodes;
      expect(nodes).toEqual(Array.from({ length: count }, (_, i) => `mi-production-${key}-cache-00${i + 1}`));
      expect(a.threshold).toBe(production.observability.thresholds.cacheReplicationLagSeconds);
      expect(a.treat_missing_data).toBe('notBreaching');
      const stopped = alarms(key).get(`mi-production-${key}-cache-replication-stopped`)!;
      expect(stopped.treat_missing_data).toBe('notBreaching');
      const sq = stopped.metric_query as Body[];
      expect(sq.find((q) => q.return_data === true)!.expression).toBe(
        cacheReplicationStopped(nodes.map(String), `mi-production-${key}-aurora`).expression,
      );
      // The region's role comes from its Aurora writer.
      expect((sq.find((q) => q.id === 'writer')!.metric as Body).dimensions).toEqual({
        DBClusterIdentifier: `mi-production-${key}-aurora`,
        Role: 'WRITER',
      });
      expect(sq.filter((q) => q.metric).length).toBeLessThanOrEqual(10);
    },
  );

  test.each(KEYS)('%s: the region-critical composite ORs every critical alarm and stops the FIS drills', (key) => {
    const stack = region(key);
    const composite = byName(stack, 'aws_cloudwatch_composite_alarm').get(`mi-production-${key}-region-critical`)!;
    expect(composite.alarm_rule).toBe(`ALARM("mi-production-${key}-alb-5xx-rate")`);
    expect(alarms(key).has(`mi-production-${key}-alb-5xx-rate`)).toBe(true);
    expect(composite.depends_on).toEqual([
      expect.stringMatching(/^aws_cloudwatch_metric_alarm\.observability_alarms_alb-5xx-rate_/),
    ]);
    const templates = resources(stack, 'aws_fis_experiment_template');
    expect(templates).toHaveLength(2);
    for (const t of templates) {
      expect(concurrentOverlaps(t as unknown as SynthesizedTemplate)).toEqual([]);
      expect(t.stop_condition).toEqual([
        {
          source: 'aws:cloudwatch:alarm',
          value: expect.stringMatching(/aws_cloudwatch_composite_alarm\.observability_alarms_region-critical_\w+\.arn/),
        },
      ]);
    }
  });

  test('the regional key lets CloudWatch, EventBridge and AMP publish to the encrypted topics', () => {
    const docs = Object.values(region('apac').data?.aws_iam_policy_document ?? {});
    const statements = docs.flatMap((d) => (d.statement as Body[]) ?? []);
    const grant = statements.find((s) => s.sid === 'AlertPublishers')!;
    expect(grant.actions).toEqual(['kms:Decrypt', 'kms:GenerateDataKey*']);
    expect((grant.principals as Body[])[0].identifiers).toEqual([
      'cloudwatch.amazonaws.com',
      'events.amazonaws.com',
      'aps.amazonaws.com',
    ]);
  });

  describe('Route 53 health alarms (global stack, us-east-1)', () => {
    const global = () => synth.stack('global');
    const aliasOf = (r: Body) => String(r.provider ?? '');

    test('status per region warns after 2 failed minutes; missing data is breaching; latency > 5 s warns', () => {
      const a = byName(global(), 'aws_cloudwatch_metric_alarm');
      for (const key of KEYS) {
        const status = a.get(`mi-production-${key}-unhealthy`)!;
        expect(status).toEqual(
          expect.objectContaining({
            namespace: 'AWS/Route53',
            metric_name: 'HealthCheckStatus',
            threshold: 1,
            comparison_operator: 'LessThanThreshold',
            evaluation_periods: 2,
            treat_missing_data: 'breaching',
          }),
        );
        expect(aliasOf(status)).toBe('aws.edge_us_east_1');
        expect(ref((status.dimensions as Body).HealthCheckId)).toMatch(/aws_route53_health_check\./);
        expect(a.get(`mi-production-${key}-health-latency`)).toEqual(
          expect.objectContaining({
            metric_name: 'TimeToFirstByte',
            threshold: 5000,
            treat_missing_data: 'notBreaching',
          }),
        );
      }
    });

    test('two or more unhealthy regions raise the critical composite in us-east-1', () => {
      const composite = byName(global(), 'aws_cloudwatch_composite_alarm').get('mi-production-regions-unhealthy')!;
      expect(aliasOf(composite)).toBe('aws.edge_us_east_1');
      // Every pair of regions in config order: (us-east, eu-west), (us-east, apac), (eu-west, apac) in production.
      const pairs = KEYS.flatMap((a, i) => KEYS.slice(i + 1).map((b) => [a, b]));
      expect(pairs).toEqual(
        expect.arrayContaining([
          ['us-east', 'eu-west'],
          ['us-east', 'apac'],
          ['eu-west', 'apac'],
        ]),
      );
      expect(composite.alarm_rule).toBe(
        pairs
          .map(([a, b]) => `(ALARM("mi-production-${a}-unhealthy") AND ALARM("mi-production-${b}-unhealthy"))`)
          .join(' OR '),
      );
      // Topics of the region in us-east-1 (alarm actions must be in the alarm's region).
      expect(ref(composite.alarm_actions)).toMatch(/region-us-east|alerts_critical/);
    });
  });
});

describe('"replication stopped": one minute of the expressions, member by member, through a switchover', () => {
  // Per minute: lag = AuroraGlobalDBReplicationLag, writer/readers = CPU sample counts of the
  // instances of role WRITER/READER; undefined = no datapoint. 1 = this minute counts as stopped.
  const aurora = auroraReplicationStopped('c').expression;
  const notDeployed: Values = { lag: undefined, writer: undefined, readers: undefined };
  const primary: Values = { lag: undefined, writer: 1, readers: 1 };
  const replicating: Values = { lag: 120, writer: undefined, readers: 2 };
  const stopped: Values = { lag: undefined, writer: undefined, readers: 2 };

  test.each<[string, number, Values]>([
    ['before the data stack exists (nothing reports)', 0, notDeployed],
    ['the primary (writer, never any lag)', 0, primary],
    ['a primary without readers', 0, { ...primary, readers: undefined }],
    ['a replicating secondary', 0, replicating],
    ['a secondary with zero lag', 0, { ...replicating, lag: 0 }],
    ['a secondary whose lag stopped', 1, stopped],
    ['after a switchover: the new primary (was secondary; writer now, no lag)', 0, { ...primary, readers: 1 }],
    ['after a switchover: the old primary, now a replicating secondary', 0, replicating],
    ['after a switchover: the old primary, now a secondary receiving nothing', 1, stopped],
  ])('Aurora: %s -> %i', (_name, expected, values) => {
    expect(evaluate(aurora, values) ?? 0).toBe(expected);
  });

  test('the evaluator follows CloudWatch on missing values (FILL, MAX/SUM skip, IF/compare propagate)', () => {
    expect(evaluate('FILL(a, -1)', { a: undefined })).toBe(-1);
    expect(evaluate('MAX([a, b])', { a: undefined, b: 3 })).toBe(3);
    expect(evaluate('MAX([a, b])', { a: undefined, b: undefined })).toBeUndefined();
    expect(evaluate('SUM([a, b])', { a: 1, b: 2 })).toBe(3);
    expect(evaluate('IF(a > 0, 1, 2)', { a: undefined })).toBeUndefined();
    expect(evaluate('100 * (FILL(e, 0) + t) / r', { e: undefined, t: 5, r: 50 })).toBe(10);
    expect(() => evaluate('FOO(a)', { a: 1 })).toThrow(/not modelled/);
    expect(() => evaluate('a', {})).toThrow(/no value for a/);
  });

  test('missing lag alone cannot tell a primary from a stopped secondary (why the roles are read)', () => {
    const lagOnly = 'IF(FILL(lag, -1) < 0, 1, 0)';
    expect(evaluate(lagOnly, primary)).toBe(1);
    expect(evaluate(lagOnly, stopped)).toBe(1);
    expect([evaluate(aurora, primary), evaluate(aurora, stopped)]).toEqual([0, 1]);
  });

  const cache = cacheReplicationStopped(['n-001', 'n-002', 'n-003'], 'c').expression;
  const nodes = (lag: number | undefined, up: number | undefined) => ({
    lag0: undefined,
    lag1: lag,
    lag2: undefined,
    up0: up,
    up1: up,
  });
  test.each<[string, number, Values]>([
    ['before the data stack exists', 0, { ...nodes(undefined, undefined), writer: undefined }],
    ['the primary member (its region holds the Aurora writer)', 0, { ...nodes(undefined, 1), writer: 1 }],
    ['a replicating secondary (the member primary node reports lag)', 0, { ...nodes(0.2, 1), writer: undefined }],
    ['a secondary whose lag stopped', 1, { ...nodes(undefined, 1), writer: undefined }],
    ['after a switchover of both: the new primary region', 0, { ...nodes(undefined, 1), writer: 1 }],
    ['after a switchover of both: the old primary, replicating', 0, { ...nodes(0.1, 1), writer: undefined }],
    [
      'a half-done switchover: cache still primary where Aurora no longer writes (split write path)',
      1,
      { ...nodes(undefined, 1), writer: undefined },
    ],
  ])('ElastiCache: %s -> %i', (_name, expected, values) => {
    expect(evaluate(cache, values) ?? 0).toBe(expected);
  });

  test('the cache expression stays within 10 metrics with the largest member (6 nodes)', () => {
    const six = cacheReplicationStopped(['1', '2', '3', '4', '5', '6'], 'c');
    expect(Object.keys(six.metrics)).toHaveLength(6 + 2 + 1);
  });
});

describe('alarm construction guards', () => {
  const stack = () => {
    const app = Testing.app();
    const s = new TerraformStack(app, 'guards');
    new AwsProvider(s, 'aws', { region: 'us-east-1' });
    return s;
  };
  const metric = { namespace: 'AWS/SQS', metricName: 'M', dimensions: { QueueName: 'q' }, statistic: 'Sum' };

  test('metric math over more than 10 metrics is refused (CloudWatch hard limit)', () => {
    const metrics = Object.fromEntries(Array.from({ length: 11 }, (_, i) => [`m${i}`, metric]));
    expect(() =>
      metricAlarm(stack(), 'a', {
        name: 'too-many',
        description: 'd',
        threshold: 1,
        comparison: 'GreaterThanThreshold',
        datapointsToAlarm: 1,
        evaluationPeriods: 1,
        missingData: 'notBreaching',
        topicArns: [],
        math: { expression: 'MAX([m0])', label: 'l', metrics },
      }),
    ).toThrow(/metric math over 11 metrics; CloudWatch allows 10/);
  });

  test('cache replication alarms need the region Aurora member (its role signal)', () => {
    const s = stack();
    const topics = { arn: () => 'arn:aws:sns:us-east-1:1:t' } as unknown as AlertTopics;
    expect(
      () =>
        new RegionalAlarms(s, 'alarms', {
          name: 'x',
          topics,
          thresholds: production.observability.thresholds,
          loadBalancerArnSuffix: 'app/lb/1',
          deadLetterQueues: [],
          cacheNodeIds: ['g-001', 'g-002'],
        }),
    ).toThrow(/cache replication alarms need auroraClusterId/);
  });
});

describe('atLeastRule: "at least two of N" as an OR of ANDs of pairs', () => {
  const names = (n: number) => Array.from({ length: n }, (_, i) => `r${i}`);
  /** Evaluates a rule for a set of alarms in ALARM (the grammar used here: ALARM, AND, OR, parentheses). */
  const evaluate = (rule: string, inAlarm: Set<string>) =>
    rule.split(' OR ').some((term) =>
      term
        .replace(/^\(|\)$/g, '')
        .split(' AND ')
        .every((atom) => inAlarm.has(/^ALARM\("(.+)"\)$/.exec(atom)![1])),
    );

  test.each([3, 4, 5])('%i regions: fires exactly when 2 or more are in ALARM (all subsets)', (n) => {
    const list = names(n);
    const rule = atLeastRule(2, list);
    expect(rule.split(' OR ')).toHaveLength((n * (n - 1)) / 2);
    for (let mask = 0; mask < 1 << n; mask++) {
      const set = new Set(list.filter((_, i) => mask & (1 << i)));
      expect(evaluate(rule, set)).toBe(set.size >= 2);
    }
  });

  test.each<[number, string[], RegExp]>([
    [2, ['a'], /1 alarm\(s\) can never reach 2/],
    [0, ['a', 'b'], /k must be a positive integer/],
    [2, ['a', 'a'], /must be unique/],
    [1, ['a"b'], /contains a double quote/],
  ])('refuses k=%i over %j', (k, list, error) => {
    expect(() => atLeastRule(k, list)).toThrow(error);
  });
});

describe('regions without us-east-1', () => {
  test('health alarms get their own topics and forwarder in us-east-1', () => {
    // The seed's three regions with us-east moved to us-west-2; only the global stack changes.
    const config: PlatformConfig = {
      ...threeRegions,
      regions: threeRegions.regions.map((r) => (r.code === 'us-east-1' ? { ...r, code: 'us-west-2' } : r)),
      traffic: {
        ...threeRegions.traffic,
        healthCheck: { ...threeRegions.traffic.healthCheck, measureLatency: false },
      },
    };
    const global = globalStackOf(config);
    const topics = byName(global, 'aws_sns_topic');
    expect(topics.get('mi-production-health-alerts-critical')).toEqual(
      expect.objectContaining({
        provider: 'aws.edge_us_east_1',
        kms_master_key_id: expect.stringContaining('edge-kms'),
      }),
    );
    const rules = resources(global, 'aws_cloudwatch_event_rule').filter((r) => r.provider === 'aws.edge_us_east_1');
    expect(rules.map((r) => r.name)).toContain('mi-production-us-east-1-alarm-state-changes');
    // measureLatency off: no latency alarms.
    expect([...byName(global, 'aws_cloudwatch_metric_alarm').keys()].some((n) => n.endsWith('health-latency'))).toBe(
      false,
    );
  });
});
