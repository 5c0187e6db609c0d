import { DynamoDBClient, TransactWriteItemsCommand } from '@aws-sdk/client-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { production } from '../src/config/environments/production';
import type { PlatformConfig } from '../src/config/types';
import { processBatch } from '../src/lambda/replication/handler';
import { METRIC_NAMESPACE, METRICS } from '../src/lambda/replication/logic';
import { resolvePlan } from '../src/plan/resolve';
import {
  alarmUses,
  AWS_METRICS,
  checkMetric,
  dashboardUses,
  type MetricUse,
  PROJECT_METRICS,
  searchUses,
} from './support/aws-metrics';
import { decodeJsonencode } from './support/jsonencode';
import { idsOf } from './support/metric-math';
import { defaultSynth } from './support/shared-synth';
import { resources } from './support/stack-json';
import { synthPlatform } from './support/synth';

const mskReplicator: PlatformConfig = {
  ...production,
  streaming: {
    ...production.streaming,
    replication: { ...production.streaming.replication, mode: 'msk-replicator' },
  },
};

/** Every metric an alarm or a dashboard of the synthesized app reads, by stack. */
function metricUses(config: PlatformConfig): {
  uses: MetricUse[];
  alarms: number;
  dashboards: number;
  mathProblems: string[];
} {
  // The default production synth is shared; the replicator mode is a full synth of its own.
  const synth = config === production ? defaultSynth('production') : synthPlatform(config);
  const uses: MetricUse[] = [];
  const mathProblems: string[] = [];
  let alarms = 0;
  let dashboards = 0;
  for (const id of synth.stackIds) {
    const stack = synth.stack(id);
    for (const [name, alarm] of Object.entries(stack.resource?.aws_cloudwatch_metric_alarm ?? {})) {
      alarms++;
      const where = `${id} alarm ${String(alarm.alarm_name ?? name)}`;
      uses.push(...alarmUses(where, alarm));
      const queries = (alarm.metric_query as { id: string; expression?: string; return_data?: boolean }[]) ?? [];
      if (queries.length > 0) {
        const ids = new Set(queries.map((q) => q.id));
        if (queries.filter((q) => q.return_data === true).length !== 1) mathProblems.push(`${where}: not one result`);
        for (const q of queries.filter((x) => x.expression)) {
          const unknown = idsOf(q.expression!).filter((x) => !ids.has(x));
          if (unknown.length) mathProblems.push(`${where}: ${q.id} reads undefined ${unknown.join(', ')}`);
          // Every metric read is defined (what CloudWatch checks at PutMetricAlarm), and every
          // defined metric is read (nothing fetched for nothing).
        }
        const read = new Set(queries.flatMap((q) => (q.expression ? idsOf(q.expression) : [])));
        const unread = queries.filter((q) => !q.expression && !read.has(q.id)).map((q) => q.id);
        if (unread.length) mathProblems.push(`${where}: ${unread.join(', ')} never read`);
      }
    }
    for (const dashboard of resources(stack, 'aws_cloudwatch_dashboard')) {
      dashboards++;
      const where = `${id} dashboard ${String(dashboard.dashboard_name)}`;
      uses.push(...dashboardUses(where, decodeJsonencode(dashboard.dashboard_body)));
    }
  }
  return { uses, alarms, dashboards, mathProblems };
}

describe.each<[string, PlatformConfig]>([
  ['production (MirrorMaker 2)', production],
  ['production in msk-replicator mode', mskReplicator],
])('every alarm and dashboard metric of %s exists in CloudWatch as addressed', (_name, config) => {
  const { uses, alarms, dashboards, mathProblems } = metricUses(config);
  const plan = resolvePlan(config);
  const regions = plan.regions.length;

  test('the walk sees the alarms and dashboards', () => {
    // Per region (3 in production): ALB 5xx, response time, 2 DLQs, Aurora lag and "stopped", the
    // same two for its cache member (a region past the datastore limit has none), health status and latency.
    const perRegion = plan.regions.map((r) => 4 + 2 + (r.cache.role === 'reader' ? 0 : 2) + 2);
    expect(alarms).toBeGreaterThanOrEqual(perRegion.reduce((a, b) => a + b, 0));
    // One per region and the global one.
    expect(dashboards).toBe(regions + 1);
    expect(uses.length).toBeGreaterThan(alarms);
  });

  test('namespace, metric name and dimension set are all in the catalog', () => {
    expect(uses.map((u) => checkMetric(u)).filter((p) => p !== undefined)).toEqual([]);
  });

  test('alarm metric math: one result, reads only defined metrics, reads every metric it fetches', () => {
    expect(mathProblems).toEqual([]);
  });

  if (config === mskReplicator) {
    test('MSK Replicator latency is read from AWS/Kafka by ReplicatorName', () => {
      const replicator = uses.filter((u) => u.metricName === 'ReplicationLatency');
      // Each region (3 in production: 12 alarms) x its other regions as sources x (warning, critical).
      expect(replicator).toHaveLength(regions * (regions - 1) * 2);
      expect(new Set(replicator.map((u) => `${u.namespace} {${u.dimensions.join(',')}}`))).toEqual(
        new Set(['AWS/Kafka {ReplicatorName}']),
      );
    });
  }

  test('MSK bytes are read per broker (to be summed) in every region', () => {
    const bytes = uses.filter((u) => /^Bytes(In|Out)PerSec$/.test(u.metricName));
    const brokers = resolvePlan(config).regions.reduce((n, r) => n + r.settings.msk.brokerCount, 0);
    expect(bytes).toHaveLength(2 * brokers);
    for (const u of bytes) expect([...u.dimensions].sort()).toEqual(['Broker ID', 'Cluster Name']);
  });
});

describe('the checks themselves', () => {
  test.each<[MetricUse, RegExp]>([
    // The old MSK Replicator alarms: a namespace that does not exist.
    [
      {
        where: 'a',
        namespace: 'AWS/KafkaReplicator',
        metricName: 'ReplicationLatency',
        dimensions: ['ReplicatorName'],
      },
      /unknown namespace AWS\/KafkaReplicator/,
    ],
    // The old dashboard line: BytesInPerSec has no cluster-level series.
    [
      { where: 'b', namespace: 'AWS/Kafka', metricName: 'BytesInPerSec', dimensions: ['Cluster Name'] },
      /not published with dimensions \{Cluster Name\}/,
    ],
    // The old event replication lines: the Lambda publishes with two dimensions.
    [
      { where: 'c', namespace: 'Platform/EventReplication', metricName: 'ReplicationLagMs', dimensions: [] },
      /not published with dimensions \{\}/,
    ],
    [
      {
        where: 'd',
        namespace: 'AWS/ApplicationELB',
        metricName: 'HTTPCode_ELB_5XX_Count',
        dimensions: ['TargetGroup'],
      },
      /not published/,
    ],
    [{ where: 'e', namespace: 'AWS/RDS', metricName: 'NoSuchMetric', dimensions: [] }, /has no metric NoSuchMetric/],
  ])('refuses %j', (use, problem) => {
    expect(checkMetric(use)).toMatch(problem);
  });

  test('dimension sets compare as sets', () => {
    expect(
      checkMetric({
        where: 'x',
        namespace: 'AWS/Kafka',
        metricName: 'BytesInPerSec',
        dimensions: ['Broker ID', 'Cluster Name'],
      }),
    ).toBeUndefined();
  });

  test('SEARCH expressions are read for their schema and metric name', () => {
    expect(
      searchUses(
        'w',
        `SUM(SEARCH('{AWS/Kafka,"Broker ID","Cluster Name"} MetricName="BytesInPerSec" "Cluster Name"="c"', 'Average', 300))`,
      ),
    ).toEqual([
      { where: 'w', namespace: 'AWS/Kafka', metricName: 'BytesInPerSec', dimensions: ['Broker ID', 'Cluster Name'] },
    ]);
    expect(() => searchUses('w', `SEARCH('{AWS/Kafka,"Cluster Name"} "Cluster Name"="c"', 'Sum', 60)`)).toThrow(
      /SEARCH without MetricName/,
    );
  });

  test('the catalog does not overlap: AWS namespaces and the project namespaces are distinct', () => {
    const aws = Object.keys(AWS_METRICS);
    expect(Object.keys(PROJECT_METRICS).filter((n) => aws.includes(n))).toEqual([]);
    expect(Object.keys(PROJECT_METRICS).every((n) => !n.startsWith('AWS/'))).toBe(true);
  });
});

describe('the project namespace matches what the replication Lambda writes', () => {
  test('every EMF record names a catalogued metric with its dimension set', async () => {
    const ddb = mockClient(DynamoDBClient);
    ddb.on(TransactWriteItemsCommand).resolves({});
    const lines: string[] = [];
    const event = (id: string, region: string, detail: Record<string, unknown>) => ({
      messageId: id,
      body: JSON.stringify({
        id,
        source: 'genai-demo.order',
        'detail-type': 'EntityUpdated',
        region,
        time: '2025-01-01T00:00:08Z',
        detail,
      }),
      attributes: { MessageGroupId: 'order-42' },
    });
    await processBatch(
      {
        client: new DynamoDBClient({ region: 'us-east-1' }),
        table: 'ledger',
        region: 'us-east-1',
        filter: { sources: ['genai-demo.order'], detailTypes: ['EntityUpdated'] },
        ttlSeconds: 3600,
        now: () => Date.parse('2025-01-01T00:00:10Z'),
        log: (l) => lines.push(l),
      },
      { Records: [event('e1', 'eu-west-1', { entityId: 'order-42' }), event('e2', 'eu-west-1', {})] },
    );
    const records = lines
      .map(
        (l) =>
          JSON.parse(l) as {
            _aws?: { CloudWatchMetrics: { Namespace: string; Dimensions: string[][]; Metrics: { Name: string }[] }[] };
          },
      )
      .filter((r) => r._aws);
    expect(records.length).toBeGreaterThan(0);
    const written = records.flatMap((r) =>
      r._aws!.CloudWatchMetrics.flatMap((d) =>
        d.Metrics.flatMap((m) =>
          d.Dimensions.map((dims) => ({
            where: 'lambda',
            namespace: d.Namespace,
            metricName: m.Name,
            dimensions: dims,
          })),
        ),
      ),
    );
    expect(written.map((u) => u.metricName)).toContain(METRICS.lag);
    expect(written.map((u) => checkMetric(u, [PROJECT_METRICS])).filter(Boolean)).toEqual([]);
    // Every metric the Lambda can write is catalogued.
    expect(Object.keys(PROJECT_METRICS[METRIC_NAMESPACE]).sort()).toEqual(Object.values(METRICS).sort());
    ddb.restore();
  });
});
