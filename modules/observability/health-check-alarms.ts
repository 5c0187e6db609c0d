import type { TerraformProvider } from 'cdktf';
import { Construct } from 'constructs';
import { CloudwatchCompositeAlarm } from '@cdktf/provider-aws/lib/cloudwatch-composite-alarm';
import type { CloudwatchMetricAlarm } from '@cdktf/provider-aws/lib/cloudwatch-metric-alarm';
import { setComponent } from '../common/context';
import { metricAlarm } from './metric-alarm';
import { atLeastRule } from './quorum';

export interface CheckedRegion {
  readonly key: string;
  /** Route 53 health check id of the region's API. */
  readonly healthCheckId: string;
}

export interface HealthCheckAlarmsProps {
  /** Name prefix, e.g. `mi-production`. */
  readonly name: string;
  readonly regions: readonly CheckedRegion[];
  /** Topics in us-east-1 (alarm actions must be in the alarm's region). */
  readonly warningTopicArn: string;
  readonly criticalTopicArn: string;
  /** Alert when the health checkers' time to first byte exceeds this, ms; omit when latency is not measured. */
  readonly latencyThresholdMs?: number;
  /** Provider in us-east-1: Route 53 publishes health-check metrics there only. */
  readonly provider: TerraformProvider;
}

/**
 * Route 53 health-check alarms (us-east-1, where AWS/Route53 metrics live): per region, status
 * (warning: one region down is absorbed by failover, seed 000) and time to first byte; and the
 * critical composite `<name>-regions-unhealthy` when at least two regions are down at once
 * (seed 000: "both regions unhealthy"), written as an OR of ANDs over region pairs.
 */
export class HealthCheckAlarms extends Construct {
  readonly status = new Map<string, CloudwatchMetricAlarm>();
  readonly latency = new Map<string, CloudwatchMetricAlarm>();
  readonly multiRegion: CloudwatchCompositeAlarm;

  constructor(scope: Construct, id: string, props: HealthCheckAlarmsProps) {
    super(scope, id);
    setComponent(this, 'observability');
    if (props.regions.length < 2)
      throw new Error(`${this.node.path}: needs at least 2 regions, got ${props.regions.length}`);
    const { provider } = props;
    for (const region of props.regions) {
      const dimensions = { HealthCheckId: region.healthCheckId };
      this.status.set(
        region.key,
        metricAlarm(this, `${region.key}-unhealthy`, {
          name: `${props.name}-${region.key}-unhealthy`,
          description: `Route 53 health check of ${region.key} failing for 2 minutes (seed 001); traffic fails over`,
          threshold: 1,
          comparison: 'LessThanThreshold',
          datapointsToAlarm: 2,
          evaluationPeriods: 2,
          // Route 53 reports status every minute: silence means the check (or the region) is gone.
          missingData: 'breaching',
          metric: { namespace: 'AWS/Route53', metricName: 'HealthCheckStatus', dimensions, statistic: 'Minimum' },
          topicArns: [props.warningTopicArn],
          provider,
        }),
      );
      if (props.latencyThresholdMs !== undefined) {
        this.latency.set(
          region.key,
          metricAlarm(this, `${region.key}-latency`, {
            name: `${props.name}-${region.key}-health-latency`,
            description: `Health checkers' time to first byte for ${region.key} above ${props.latencyThresholdMs} ms for 3 minutes (seed 000)`,
            threshold: props.latencyThresholdMs,
            comparison: 'GreaterThanThreshold',
            datapointsToAlarm: 3,
            evaluationPeriods: 3,
            // No latency while the endpoint does not answer: the status alarm covers that.
            missingData: 'notBreaching',
            metric: { namespace: 'AWS/Route53', metricName: 'TimeToFirstByte', dimensions, statistic: 'Average' },
            topicArns: [props.warningTopicArn],
            provider,
          }),
        );
      }
    }
    const members = [...this.status.values()];
    this.multiRegion = new CloudwatchCompositeAlarm(this, 'regions-unhealthy', {
      provider,
      alarmName: `${props.name}-regions-unhealthy`,
      alarmDescription:
        'At least two regions fail their health checks at once: failover capacity is gone (seed 000 critical)',
      // Literal names (dependsOn orders creation): references inside the rule's quotes break HCL output.
      alarmRule: atLeastRule(
        2,
        props.regions.map((r) => `${props.name}-${r.key}-unhealthy`),
      ),
      alarmActions: [props.criticalTopicArn],
      okActions: [props.criticalTopicArn],
      dependsOn: members,
    });
  }
}
