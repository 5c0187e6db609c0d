import type { TerraformProvider } from 'cdktf';
import { Construct } from 'constructs';
import { CloudwatchCompositeAlarm } from '@cdktf/provider-aws/lib/cloudwatch-composite-alarm';
import type { CloudwatchMetricAlarm } from '@cdktf/provider-aws/lib/cloudwatch-metric-alarm';
import { setComponent } from '../common/context';
import type { AlertTopics, Severity } from './alert-topics';
import { metricAlarm, type AlarmSpec } from './metric-alarm';
import { anyRule } from './quorum';

/** Thresholds the regional alarms compare against (config `observability.thresholds`). */
export interface RegionalThresholds {
  readonly auroraReplicationLagMs: number;
  readonly cacheReplicationLagSeconds: number;
  readonly kafkaLagWarningMs: number;
  readonly kafkaLagCriticalMs: number;
  readonly alb5xxPercent: number;
  readonly targetResponseTimeSeconds: number;
  readonly deadLetterMessages: number;
}

/** Below this many requests a minute, the 5xx rate is not judged (one failed request is not 100 %). */
export const MIN_REQUESTS_FOR_5XX_RATE = 20;

export interface RegionalAlarmsProps {
  /** Name prefix, e.g. `mi-production-us-east`: alarms are `<name>-<what>`. */
  readonly name: string;
  readonly topics: AlertTopics;
  readonly thresholds: RegionalThresholds;
  /** `arn_suffix` of the region's ALB (CloudWatch `LoadBalancer` dimension). */
  readonly loadBalancerArnSuffix: string;
  /** Dead-letter queues whose depth is watched: a short id for the alarm name, and the queue name. */
  readonly deadLetterQueues: readonly { readonly id: string; readonly queueName: string }[];
  /**
   * Identifier of this region's Aurora cluster, the member of the global cluster, whatever its role
   * today (roles move with a switchover). @default - none
   */
  readonly auroraClusterId?: string;
  /**
   * Node ids (CacheClusterId) of this region's member of the global datastore, primary or secondary
   * today; empty for a region without a member. @default - none
   */
  readonly cacheNodeIds?: readonly string[];
  /** MSK Replicators writing into this region: source region key and `ReplicatorName`. @default - none */
  readonly kafkaReplicators?: readonly { readonly source: string; readonly replicatorName: string }[];
  readonly provider?: TerraformProvider;
}

/** Minutes a secondary member may report no replication lag before "replication stopped" fires. */
export const REPLICATION_STOPPED_MINUTES = 10;

type MetricMath = NonNullable<AlarmSpec['math']>;

const rds = (metricName: string, dimensions: Record<string, string>, statistic: string) => ({
  namespace: 'AWS/RDS',
  metricName,
  dimensions,
  statistic,
});

/**
 * "This region holds the Aurora writer": instances of role WRITER report CPU every minute. The
 * writer is where the global cluster's primary is (a secondary cluster has readers only).
 */
function auroraWriter(clusterId: string) {
  return rds('CPUUtilization', { DBClusterIdentifier: clusterId, Role: 'WRITER' }, 'SampleCount');
}

/**
 * 1 while the member `clusterId` looks like a secondary that receives nothing, else 0:
 * it has reader instances reporting (the data stack is deployed), no writer (it is not the
 * primary: the primary never reports lag), and no `AuroraGlobalDBReplicationLag` (which a
 * replicating secondary reports every minute).
 *
 * AWS has no replication metric that exists whatever the member's role (the AuroraGlobalDB*
 * metrics are all reported by secondaries), so the role is read from the instances' `Role`
 * dimension: the same alarm is right before and after a switchover, and silent (no data at all)
 * before the data stack exists.
 */
export function auroraReplicationStopped(clusterId: string): MetricMath {
  return {
    expression: 'IF(FILL(writer, 0) > 0, 0, IF(FILL(readers, 0) > 0, IF(FILL(lag, -1) < 0, 1, 0), 0))',
    label: 'secondary without replication lag (1 = stopped)',
    metrics: {
      lag: rds('AuroraGlobalDBReplicationLag', { DBClusterIdentifier: clusterId }, 'Maximum'),
      readers: rds('CPUUtilization', { DBClusterIdentifier: clusterId, Role: 'READER' }, 'SampleCount'),
      writer: auroraWriter(clusterId),
    },
  };
}

/**
 * 1 while the cache member `nodeIds` looks like a secondary that receives nothing, else 0: its
 * nodes report (the member exists), its region holds no Aurora writer, and no node reports
 * `GlobalDatastoreReplicationLag` (the secondary's primary node reports it every minute).
 *
 * ElastiCache has no metric telling a global datastore's primary member from a secondary, so the
 * region's role is read from Aurora: the platform keeps both primaries in one region (the config's
 * primary; `npm run dr -- switchover` moves both). While they are split (a switchover half done),
 * the region whose cache is primary but whose Aurora is not reports "stopped": the write path is
 * split, which deserves the warning. Presence is read from the first two nodes (every member has
 * at least two) to stay within CloudWatch's 10 metrics per alarm with 6 nodes.
 */
export function cacheReplicationStopped(nodeIds: readonly string[], auroraClusterId: string): MetricMath {
  const cache = (metricName: string, node: string, statistic: string) => ({
    namespace: 'AWS/ElastiCache',
    metricName,
    dimensions: { CacheClusterId: node },
    statistic,
  });
  const lags = Object.fromEntries(
    nodeIds.map((node, i) => [`lag${i}`, cache('GlobalDatastoreReplicationLag', node, 'Maximum')]),
  );
  const present = Object.fromEntries(
    nodeIds.slice(0, 2).map((node, i) => [`up${i}`, cache('CPUUtilization', node, 'SampleCount')]),
  );
  const max = (ids: string[]) => (ids.length === 1 ? ids[0] : `MAX([${ids.join(', ')}])`);
  return {
    expression: `IF(FILL(writer, 0) > 0, 0, IF(FILL(${max(Object.keys(present))}, 0) > 0, IF(FILL(${max(Object.keys(lags))}, -1) < 0, 1, 0), 0))`,
    label: 'secondary without replication lag (1 = stopped)',
    metrics: { ...lags, ...present, writer: auroraWriter(auroraClusterId) },
  };
}

/**
 * The CloudWatch alarms of one region, each notifying the topic of its severity:
 * ALB 5xx rate (critical), target response time, dead-letter queue depth, Aurora and ElastiCache
 * global replication lag and "replication stopped" (warning), MSK Replicator latency (warning and
 * critical). A composite `<name>-region-critical` is in ALARM while any critical alarm of the
 * region is: it is the stop condition of the FIS drills and carries no action itself (its members
 * already notify).
 *
 * Replication alarms are not bound to the configured roles: every member gets them, because a
 * switchover makes a secondary the primary (it stops reporting lag) and the old primary a
 * secondary (it starts). Missing lag is not breaching (a primary has none); the separate
 * "replication stopped" alarm tells a silent secondary from a primary (docs/observability.md).
 */
export class RegionalAlarms extends Construct {
  /** Every metric alarm by short id (e.g. `alb-5xx-rate`). */
  readonly alarms = new Map<string, CloudwatchMetricAlarm>();
  readonly severityOf = new Map<string, Severity>();
  readonly regionCritical: CloudwatchCompositeAlarm;

  constructor(scope: Construct, id: string, props: RegionalAlarmsProps) {
    super(scope, id);
    setComponent(this, 'observability');
    const { name, thresholds: t, provider } = props;
    const add = (short: string, severity: Severity, spec: Omit<AlarmSpec, 'name' | 'topicArns' | 'provider'>) => {
      const alarm = metricAlarm(this, short, {
        ...spec,
        name: `${name}-${short}`,
        topicArns: [props.topics.arn(severity)],
        provider,
      });
      this.alarms.set(short, alarm);
      this.severityOf.set(short, severity);
    };
    const lb = { LoadBalancer: props.loadBalancerArnSuffix };
    const albMetric = (metricName: string) => ({
      namespace: 'AWS/ApplicationELB',
      metricName,
      dimensions: lb,
      statistic: 'Sum',
    });

    add('alb-5xx-rate', 'critical', {
      description: `5xx responses (load balancer + targets) above ${t.alb5xxPercent} % of requests in 3 of 5 minutes (seed 000: application errors > 5 %)`,
      threshold: t.alb5xxPercent,
      comparison: 'GreaterThanThreshold',
      datapointsToAlarm: 3,
      evaluationPeriods: 5,
      missingData: 'notBreaching',
      math: {
        expression: `IF(requests >= ${MIN_REQUESTS_FOR_5XX_RATE}, 100 * (FILL(elb5xx, 0) + FILL(target5xx, 0)) / requests, 0)`,
        label: '5xx rate (%)',
        metrics: {
          elb5xx: albMetric('HTTPCode_ELB_5XX_Count'),
          target5xx: albMetric('HTTPCode_Target_5XX_Count'),
          requests: albMetric('RequestCount'),
        },
      },
    });
    add('target-response-time', 'warning', {
      description: `p95 target response time above ${t.targetResponseTimeSeconds} s in 3 of 5 minutes (seed 000: application response > 2000 ms)`,
      threshold: t.targetResponseTimeSeconds,
      comparison: 'GreaterThanThreshold',
      datapointsToAlarm: 3,
      evaluationPeriods: 5,
      missingData: 'notBreaching',
      metric: { namespace: 'AWS/ApplicationELB', metricName: 'TargetResponseTime', dimensions: lb, statistic: 'p95' },
    });
    for (const { id: queueId, queueName: queue } of props.deadLetterQueues) {
      add(`dlq-${queueId}`, 'warning', {
        description: `Messages in dead-letter queue ${queue}: events that could not be replicated need an operator`,
        threshold: t.deadLetterMessages,
        comparison: 'GreaterThanThreshold',
        datapointsToAlarm: 1,
        evaluationPeriods: 1,
        // SQS stops publishing for idle queues: no data means nothing arrived.
        missingData: 'notBreaching',
        metric: {
          namespace: 'AWS/SQS',
          metricName: 'ApproximateNumberOfMessagesVisible',
          dimensions: { QueueName: queue },
          statistic: 'Maximum',
          period: 300,
        },
      });
    }
    const stoppedFor = {
      threshold: 0,
      comparison: 'GreaterThanThreshold',
      datapointsToAlarm: REPLICATION_STOPPED_MINUTES,
      evaluationPeriods: REPLICATION_STOPPED_MINUTES,
      // The expression is 0 or 1 whenever the member's instances report; no data at all means the
      // member does not exist (yet): nothing to say.
      missingData: 'notBreaching',
    } as const;
    const aurora = props.auroraClusterId;
    if (aurora) {
      add('aurora-replication-lag', 'warning', {
        description: `Aurora global replication lag of ${aurora} above ${t.auroraReplicationLagMs} ms for 3 minutes (seeds 000/001); no data is not breaching: only a secondary reports lag`,
        threshold: t.auroraReplicationLagMs,
        comparison: 'GreaterThanThreshold',
        datapointsToAlarm: 3,
        evaluationPeriods: 3,
        missingData: 'notBreaching',
        metric: rds('AuroraGlobalDBReplicationLag', { DBClusterIdentifier: aurora }, 'Maximum'),
      });
      // What a failover with AllowDataLoss would lose (npm run dr -- failover reads the same metric):
      // bounded by the same threshold as the replication lag. Reported by secondaries only.
      add('aurora-rpo-lag', 'warning', {
        description: `Aurora global RPO lag of ${aurora} above ${t.auroraReplicationLagMs} ms for 3 minutes: an unplanned failover to this member would lose about that much of the latest writes; no data is not breaching: only a secondary reports it`,
        threshold: t.auroraReplicationLagMs,
        comparison: 'GreaterThanThreshold',
        datapointsToAlarm: 3,
        evaluationPeriods: 3,
        missingData: 'notBreaching',
        metric: rds('AuroraGlobalDBRPOLag', { DBClusterIdentifier: aurora }, 'Maximum'),
      });
      add('aurora-replication-stopped', 'warning', {
        description: `${aurora} is a secondary (readers, no writer) and has reported no global replication lag for ${REPLICATION_STOPPED_MINUTES} minutes: replication from the primary stopped`,
        ...stoppedFor,
        math: auroraReplicationStopped(aurora),
      });
    }
    const nodes = props.cacheNodeIds ?? [];
    if (nodes.length > 0) {
      if (!aurora)
        throw new Error(`${this.node.path}: cache replication alarms need auroraClusterId (the region's role)`);
      const metrics = Object.fromEntries(
        nodes.map((node, i) => [
          `node${i}`,
          {
            namespace: 'AWS/ElastiCache',
            metricName: 'GlobalDatastoreReplicationLag',
            dimensions: { CacheClusterId: node },
            statistic: 'Maximum',
          },
        ]),
      );
      add('cache-replication-lag', 'warning', {
        description: `ElastiCache global datastore replication lag above ${t.cacheReplicationLagSeconds} s for 3 minutes; no data is not breaching: only a secondary member reports lag`,
        threshold: t.cacheReplicationLagSeconds,
        comparison: 'GreaterThanThreshold',
        datapointsToAlarm: 3,
        evaluationPeriods: 3,
        missingData: 'notBreaching',
        // Only the member's current primary node reports the lag: take the largest over all nodes.
        math: { expression: `MAX([${Object.keys(metrics).join(', ')}])`, label: 'replication lag (s)', metrics },
      });
      add('cache-replication-stopped', 'warning', {
        description: `The cache member (${nodes[0]}...) is a secondary (no Aurora writer in this region) and has reported no global datastore replication lag for ${REPLICATION_STOPPED_MINUTES} minutes: replication stopped, or the write path is split across regions`,
        ...stoppedFor,
        math: cacheReplicationStopped(nodes, aurora),
      });
    }
    for (const { source, replicatorName: replicator } of props.kafkaReplicators ?? []) {
      // MSK Replicator metrics are in AWS/Kafka (target region), by ReplicatorName (and Topic).
      const latency = {
        namespace: 'AWS/Kafka',
        metricName: 'ReplicationLatency',
        dimensions: { ReplicatorName: replicator },
        statistic: 'Maximum',
      };
      for (const [severity, threshold, periods] of [
        ['warning', t.kafkaLagWarningMs, 2],
        ['critical', t.kafkaLagCriticalMs, 1],
      ] as const) {
        add(`kafka-lag-${severity}-from-${source}`, severity, {
          description: `MSK Replicator ${replicator} latency above ${threshold / 1000} s (seed 001: warning at 10 s; seed 000: critical at 5 minutes)`,
          threshold,
          comparison: 'GreaterThanThreshold',
          datapointsToAlarm: periods,
          evaluationPeriods: periods,
          // Latency is only reported while records flow.
          missingData: 'notBreaching',
          metric: latency,
        });
      }
    }

    const criticalIds = [...this.severityOf].filter(([, s]) => s === 'critical').map(([short]) => short);
    const critical = criticalIds.map((short) => this.alarms.get(short)!);
    this.regionCritical = new CloudwatchCompositeAlarm(this, 'region-critical', {
      provider,
      alarmName: `${name}-region-critical`,
      alarmDescription: `Any critical alarm of ${name}: stop condition of the FIS drills (members notify on their own)`,
      // Literal names (dependsOn orders creation): references inside the rule's quotes break HCL output.
      alarmRule: anyRule(criticalIds.map((short) => `${name}-${short}`)),
      actionsEnabled: false,
      dependsOn: critical,
    });
  }

  /** ARN of the region's critical composite alarm (FIS stop condition). */
  get criticalAlarmArn(): string {
    return this.regionCritical.arn;
  }
}
