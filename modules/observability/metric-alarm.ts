import type { TerraformProvider } from 'cdktf';
import type { Construct } from 'constructs';
import {
  CloudwatchMetricAlarm,
  type CloudwatchMetricAlarmMetricQuery,
} from '@cdktf/provider-aws/lib/cloudwatch-metric-alarm';

/**
 * How an alarm reads a period without data; chosen per alarm, never left to the default:
 * - `breaching`: the metric is always emitted while things work, so silence means failure
 *   (Route 53 health-check status);
 * - `notBreaching`: the metric only exists when there is traffic or work (5xx, DLQ messages), or
 *   only in one role (replication lag: secondaries only; "replication stopped" is its own alarm,
 *   metric math that tells a silent secondary from a primary, see regional-alarms.ts);
 * - `missing`: keep the last state (neither silence nor data says anything new).
 */
export type MissingData = 'breaching' | 'notBreaching' | 'missing';

export type Comparison = 'GreaterThanThreshold' | 'LessThanThreshold' | 'GreaterThanOrEqualToThreshold';

/** One metric, addressed like CloudWatch does. */
export interface MetricRef {
  readonly namespace: string;
  readonly metricName: string;
  readonly dimensions: Readonly<Record<string, string>>;
  /** `Average`, `Maximum`, `Minimum`, `Sum`, or a percentile such as `p95`. */
  readonly statistic: string;
  /** Seconds. @default 60 */
  readonly period?: number;
}

export interface AlarmSpec {
  readonly name: string;
  readonly description: string;
  readonly threshold: number;
  readonly comparison: Comparison;
  /** Datapoints that must breach out of `evaluationPeriods`. */
  readonly datapointsToAlarm: number;
  readonly evaluationPeriods: number;
  readonly missingData: MissingData;
  /** SNS topics notified on ALARM and OK. */
  readonly topicArns: readonly string[];
  /** Either one metric... */
  readonly metric?: MetricRef;
  /** ...or metric math: `expression` over `metrics` (by id); the expression is what is compared. */
  readonly math?: {
    readonly expression: string;
    readonly label: string;
    readonly metrics: Readonly<Record<string, MetricRef>>;
  };
  readonly provider?: TerraformProvider;
}

const PERCENTILE = /^p\d{1,2}(\.\d+)?$/;

/** CloudWatch: an alarm on metric math reads at most 10 metrics (hard limit). */
export const MAX_ALARM_METRICS = 10;

/** A CloudWatch metric alarm from a typed spec (single metric or metric math). */
export function metricAlarm(scope: Construct, id: string, spec: AlarmSpec): CloudwatchMetricAlarm {
  if ((spec.metric === undefined) === (spec.math === undefined)) {
    throw new Error(`alarm ${spec.name}: give exactly one of metric or math`);
  }
  if (spec.datapointsToAlarm > spec.evaluationPeriods) {
    throw new Error(
      `alarm ${spec.name}: datapointsToAlarm ${spec.datapointsToAlarm} > evaluationPeriods ${spec.evaluationPeriods}`,
    );
  }
  const common = {
    provider: spec.provider,
    alarmName: spec.name,
    alarmDescription: spec.description,
    threshold: spec.threshold,
    comparisonOperator: spec.comparison,
    datapointsToAlarm: spec.datapointsToAlarm,
    evaluationPeriods: spec.evaluationPeriods,
    treatMissingData: spec.missingData,
    alarmActions: [...spec.topicArns],
    okActions: [...spec.topicArns],
  };
  if (spec.metric) {
    const m = spec.metric;
    const percentile = PERCENTILE.test(m.statistic);
    return new CloudwatchMetricAlarm(scope, id, {
      ...common,
      namespace: m.namespace,
      metricName: m.metricName,
      dimensions: { ...m.dimensions },
      period: m.period ?? 60,
      statistic: percentile ? undefined : m.statistic,
      extendedStatistic: percentile ? m.statistic : undefined,
    });
  }
  const math = spec.math!;
  const count = Object.keys(math.metrics).length;
  if (count > MAX_ALARM_METRICS) {
    throw new Error(`alarm ${spec.name}: metric math over ${count} metrics; CloudWatch allows ${MAX_ALARM_METRICS}`);
  }
  const queries: CloudwatchMetricAlarmMetricQuery[] = [
    { id: 'result', expression: math.expression, label: math.label, returnData: true },
    ...Object.entries(math.metrics).map(([qid, m]) => ({
      id: qid,
      returnData: false,
      metric: {
        namespace: m.namespace,
        metricName: m.metricName,
        dimensions: { ...m.dimensions },
        period: m.period ?? 60,
        stat: m.statistic,
      },
    })),
  ];
  return new CloudwatchMetricAlarm(scope, id, { ...common, metricQuery: queries });
}
