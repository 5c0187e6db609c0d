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
  /** Aurora cluster identifier of a secondary member (the metric is emitted where the replica lives). @default - none */
  readonly auroraSecondaryClusterId?: string;
  /** Node ids (CacheClusterId) of this region's secondary member of the global datastore. @default - none */
  readonly cacheSecondaryNodeIds?: readonly string[];
  /** MSK Replicators writing into this region: source region key and `ReplicatorName`. @default - none */
  readonly kafkaReplicators?: readonly { readonly source: string; readonly replicatorName: string }[];
  readonly provider?: TerraformProvider;
}

/**
 * The CloudWatch alarms of one region, each notifying the topic of its severity:
 * ALB 5xx rate (critical), target response time, dead-letter queue depth, Aurora and ElastiCache
 * global replication lag (warning), MSK Replicator latency (warning and critical). A composite
 * `<name>-region-critical` is in ALARM while any critical alarm of the region is: it is the stop
 * condition of the FIS drills and carries no action itself (its members already notify).
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
    if (props.auroraSecondaryClusterId) {
      add('aurora-replication-lag', 'warning', {
        description: `Aurora global replication lag above ${t.auroraReplicationLagMs} ms for 3 minutes (seeds 000/001); no data means replication stopped`,
        threshold: t.auroraReplicationLagMs,
        comparison: 'GreaterThanThreshold',
        datapointsToAlarm: 3,
        evaluationPeriods: 3,
        missingData: 'breaching',
        metric: {
          namespace: 'AWS/RDS',
          metricName: 'AuroraGlobalDBReplicationLag',
          dimensions: { DBClusterIdentifier: props.auroraSecondaryClusterId },
          statistic: 'Maximum',
        },
      });
    }
    const nodes = props.cacheSecondaryNodeIds ?? [];
    if (nodes.length > 0) {
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
        description: `ElastiCache global datastore replication lag above ${t.cacheReplicationLagSeconds} s for 3 minutes; no data means replication stopped`,
        threshold: t.cacheReplicationLagSeconds,
        comparison: 'GreaterThanThreshold',
        datapointsToAlarm: 3,
        evaluationPeriods: 3,
        missingData: 'breaching',
        // Only the member's current primary node reports the lag: take the largest over all nodes.
        math: { expression: `MAX([${Object.keys(metrics).join(', ')}])`, label: 'replication lag (s)', metrics },
      });
    }
    for (const { source, replicatorName: replicator } of props.kafkaReplicators ?? []) {
      const latency = {
        namespace: 'AWS/KafkaReplicator',
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
