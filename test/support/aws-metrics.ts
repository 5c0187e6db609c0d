/**
 * The CloudWatch metrics this project's alarms and dashboards may read: namespace, metric name and
 * every dimension set the metric is published with. CloudWatch identifies a metric by namespace,
 * name and its exact set of dimensions, so an alarm or a graph line whose dimensions are a set the
 * service does not publish reads nothing, silently (an alarm then sits on its missing-data
 * treatment forever). test/metric-catalog.test.ts checks every synthesized alarm and dashboard
 * line against this table: an unknown namespace, metric or dimension set fails.
 *
 * Sources (checked by hand when an entry is added; no AWS access from the tests):
 * - ApplicationELB: "CloudWatch metrics for your Application Load Balancer", metric dimensions.
 *   HTTPCode_ELB_* are load-balancer metrics (no TargetGroup); HTTPCode_Target_*, RequestCount
 *   and TargetResponseTime also exist per target group.
 * - Route53: "Monitoring health checks using CloudWatch" (us-east-1 only): HealthCheckId;
 *   TimeToFirstByte also per checker Region.
 * - SQS: "Available CloudWatch metrics for Amazon SQS": QueueName only.
 * - RDS (Aurora): "Amazon CloudWatch dimensions for Aurora" (DBInstanceIdentifier,
 *   DBClusterIdentifier, DBClusterIdentifier + Role WRITER/READER, DatabaseClass, EngineName,
 *   SourceRegion) and the cluster-level metric table (AuroraGlobalDB*: cluster metrics, reported by
 *   secondary clusters).
 * - ElastiCache: host- and engine-level metrics per node, CacheClusterId (a Redis node's id,
 *   `<group>-001`) optionally with CacheNodeId (`0001`); GlobalDatastoreReplicationLag is reported
 *   by the secondary member's primary node.
 * - Kafka (MSK): "Amazon MSK metrics for monitoring Standard brokers": BytesIn/OutPerSec at
 *   DEFAULT level per broker (Cluster Name, Broker ID) and per topic (+ Topic); there is no
 *   cluster-level BytesInPerSec. MSK Replicator ("Monitor replication", metrics reference): in
 *   AWS/Kafka, not a namespace of its own, by ReplicatorName and ReplicatorName + Topic.
 */
export type DimensionSet = readonly string[];

export type MetricTable = Readonly<Record<string, Readonly<Record<string, readonly DimensionSet[]>>>>;

const ALB_TARGET_SETS: DimensionSet[] = [
  ['LoadBalancer'],
  ['LoadBalancer', 'AvailabilityZone'],
  ['LoadBalancer', 'TargetGroup'],
  ['LoadBalancer', 'TargetGroup', 'AvailabilityZone'],
  ['TargetGroup'],
];
const AURORA_INSTANCE_SETS: DimensionSet[] = [
  ['DBInstanceIdentifier'],
  ['DBClusterIdentifier'],
  ['DBClusterIdentifier', 'Role'],
  ['DatabaseClass'],
  ['EngineName'],
  ['SourceRegion'],
];
const ELASTICACHE_NODE_SETS: DimensionSet[] = [['CacheClusterId'], ['CacheClusterId', 'CacheNodeId']];
const MSK_BROKER_SETS: DimensionSet[] = [
  ['Cluster Name', 'Broker ID'],
  ['Cluster Name', 'Broker ID', 'Topic'],
];
const MSK_REPLICATOR_SETS: DimensionSet[] = [['ReplicatorName'], ['ReplicatorName', 'Topic']];

/** AWS service metrics. */
export const AWS_METRICS: MetricTable = {
  'AWS/ApplicationELB': {
    RequestCount: ALB_TARGET_SETS,
    HTTPCode_Target_5XX_Count: ALB_TARGET_SETS,
    TargetResponseTime: ALB_TARGET_SETS,
    HTTPCode_ELB_5XX_Count: [['LoadBalancer'], ['LoadBalancer', 'AvailabilityZone']],
  },
  'AWS/Route53': {
    HealthCheckStatus: [['HealthCheckId']],
    TimeToFirstByte: [['HealthCheckId'], ['HealthCheckId', 'Region']],
  },
  'AWS/SQS': {
    ApproximateNumberOfMessagesVisible: [['QueueName']],
  },
  'AWS/RDS': {
    AuroraGlobalDBReplicationLag: [['DBClusterIdentifier'], ['DBClusterIdentifier', 'SourceRegion']],
    // Aurora PostgreSQL only, secondaries only (cluster-level metric table, "AuroraGlobalDBRPOLag").
    AuroraGlobalDBRPOLag: [['DBClusterIdentifier'], ['DBClusterIdentifier', 'SourceRegion']],
    CPUUtilization: AURORA_INSTANCE_SETS,
  },
  'AWS/ElastiCache': {
    GlobalDatastoreReplicationLag: ELASTICACHE_NODE_SETS,
    CPUUtilization: ELASTICACHE_NODE_SETS,
  },
  'AWS/Kafka': {
    BytesInPerSec: MSK_BROKER_SETS,
    BytesOutPerSec: MSK_BROKER_SETS,
    ReplicationLatency: MSK_REPLICATOR_SETS,
    MessageLag: MSK_REPLICATOR_SETS,
  },
};

/**
 * The project's own namespaces, allowed explicitly: the event replication Lambda's embedded metric
 * format records (src/lambda/replication/logic.ts `emfRecord`, dimensions ReceivingRegion and
 * SourceRegion; test/metric-catalog.test.ts checks the table against what the Lambda writes).
 */
export const PROJECT_METRICS: MetricTable = {
  'Platform/EventReplication': {
    EventsReplicated: [['ReceivingRegion', 'SourceRegion']],
    DuplicateEvents: [['ReceivingRegion', 'SourceRegion']],
    StaleEvents: [['ReceivingRegion', 'SourceRegion']],
    FilteredEvents: [['ReceivingRegion', 'SourceRegion']],
    ReplicationFailures: [['ReceivingRegion', 'SourceRegion']],
    ReplicationLagMs: [['ReceivingRegion', 'SourceRegion']],
  },
};

/** One metric as an alarm or a dashboard line addresses it, and where. */
export interface MetricUse {
  readonly where: string;
  readonly namespace: string;
  readonly metricName: string;
  readonly dimensions: readonly string[];
}

const sameSet = (a: readonly string[], b: readonly string[]) => a.length === b.length && a.every((d) => b.includes(d));

/** Why `use` reads nothing, or undefined when the table knows it. */
export function checkMetric(
  use: MetricUse,
  tables: readonly MetricTable[] = [AWS_METRICS, PROJECT_METRICS],
): string | undefined {
  const table = tables.find((t) => use.namespace in t);
  if (!table) return `${use.where}: unknown namespace ${use.namespace}`;
  const sets = table[use.namespace][use.metricName];
  if (!sets) return `${use.where}: ${use.namespace} has no metric ${use.metricName} in the catalog`;
  if (!sets.some((s) => sameSet(s, use.dimensions))) {
    return `${use.where}: ${use.namespace} ${use.metricName} is not published with dimensions {${use.dimensions.join(', ')}} (known: ${sets.map((s) => `{${s.join(', ')}}`).join(' ')})`;
  }
  return undefined;
}

/**
 * The metrics a CloudWatch SEARCH expression can match: `SEARCH('{ns,"dim a",dimB} MetricName="m"
 * ...', ...)` reads metrics of exactly that schema. Without `MetricName="..."` it is unchecked.
 */
export function searchUses(where: string, expression: string): MetricUse[] {
  const uses: MetricUse[] = [];
  for (const m of expression.matchAll(/SEARCH\(\s*'\{([^}]*)\}([^']*)'/g)) {
    const [namespace, ...dimensions] = m[1].split(',').map((p) => p.trim().replace(/^"|"$/g, ''));
    const name = /MetricName\s*=\s*"([^"]+)"/.exec(m[2]);
    if (!name) throw new Error(`${where}: SEARCH without MetricName="...": ${m[0]}`);
    uses.push({ where, namespace, metricName: name[1], dimensions });
  }
  return uses;
}

/** The metrics a dashboard body's metric widgets read (plain lines and SEARCH expressions). */
export function dashboardUses(where: string, body: unknown): MetricUse[] {
  const widgets = (body as { widgets?: { type: string; properties: { title?: string; metrics?: unknown[][] } }[] })
    .widgets;
  if (!Array.isArray(widgets)) throw new Error(`${where}: no widgets`);
  const uses: MetricUse[] = [];
  for (const w of widgets.filter((x) => x.type === 'metric')) {
    const at = `${where} "${w.properties.title ?? '(untitled)'}"`;
    for (const line of w.properties.metrics ?? []) {
      if (typeof line[0] === 'string') {
        const [namespace, metricName, ...rest] = line as unknown[];
        const pairs = rest.filter((x) => typeof x === 'string') as string[];
        if (pairs.length % 2 !== 0) throw new Error(`${at}: dimension without value in ${JSON.stringify(line)}`);
        uses.push({
          where: at,
          namespace: namespace as string,
          metricName: metricName as string,
          dimensions: pairs.filter((_, k) => k % 2 === 0),
        });
      } else {
        const expression = (line[0] as { expression?: string }).expression ?? '';
        uses.push(...searchUses(at, expression));
      }
    }
  }
  return uses;
}

/** The metrics an `aws_cloudwatch_metric_alarm` (single metric or metric math) reads. */
export function alarmUses(where: string, alarm: Record<string, unknown>): MetricUse[] {
  if (typeof alarm.metric_name === 'string') {
    return [
      {
        where,
        namespace: alarm.namespace as string,
        metricName: alarm.metric_name,
        dimensions: Object.keys((alarm.dimensions as Record<string, unknown> | undefined) ?? {}),
      },
    ];
  }
  const queries = (alarm.metric_query as { id: string; metric?: Record<string, unknown>; expression?: string }[]) ?? [];
  return queries.flatMap((q) =>
    q.metric
      ? [
          {
            where: `${where} (${q.id})`,
            namespace: q.metric.namespace as string,
            metricName: q.metric.metric_name as string,
            dimensions: Object.keys((q.metric.dimensions as Record<string, unknown> | undefined) ?? {}),
          },
        ]
      : searchUses(`${where} (${q.id})`, q.expression ?? ''),
  );
}
