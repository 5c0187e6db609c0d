import type { TerraformProvider } from 'cdktf';
import { Construct } from 'constructs';
import { CloudwatchDashboard } from '@cdktf/provider-aws/lib/cloudwatch-dashboard';
import { setComponent } from '../common/context';
import {
  alarmStatus,
  dashboardBody,
  dashboardLayout,
  type DashboardLayout,
  expressionLine,
  graph,
  metricLine,
  type Widget,
} from './dashboard-body';

export interface RegionalDashboardProps {
  /** Dashboard name, e.g. `mi-production-us-east`. */
  readonly name: string;
  readonly region: string;
  readonly loadBalancerArnSuffix: string;
  readonly mskClusterName: string;
  readonly deadLetterQueueNames: readonly string[];
  /** Alarms shown in the status strip. */
  readonly alarmArns: readonly string[];
  readonly provider?: TerraformProvider;
}

/** One region's dashboard: alarm strip, ALB traffic, errors and latency, MSK, dead-letter queues, event replication. */
export class RegionalDashboard extends Construct {
  readonly dashboard: CloudwatchDashboard;
  /** The layout rendered into the body (references as tokens). */
  readonly body: DashboardLayout;

  constructor(scope: Construct, id: string, props: RegionalDashboardProps) {
    super(scope, id);
    setComponent(this, 'observability');
    const { region } = props;
    const lb = { LoadBalancer: props.loadBalancerArnSuffix };
    const alb = (metricName: string, stat: string, extra: Partial<Parameters<typeof metricLine>[0]> = {}) =>
      metricLine({ namespace: 'AWS/ApplicationELB', metricName, dimensions: lb, stat, ...extra });
    const widgets: Widget[] = [
      alarmStatus(`${props.name}: alarms`, props.alarmArns),
      graph({ title: 'Requests', region, lines: [alb('RequestCount', 'Sum')], period: 60 }),
      graph({
        title: '5xx rate (%)',
        region,
        period: 60,
        lines: [
          alb('HTTPCode_ELB_5XX_Count', 'Sum', { id: 'e', visible: false }),
          alb('HTTPCode_Target_5XX_Count', 'Sum', { id: 't', visible: false }),
          alb('RequestCount', 'Sum', { id: 'r', visible: false }),
          expressionLine({ id: 'rate', label: '5xx %', expression: '100 * (FILL(e, 0) + FILL(t, 0)) / r' }),
        ],
      }),
      graph({
        title: 'Target response time (s)',
        region,
        period: 60,
        lines: ['p50', 'p95', 'p99'].map((stat) => alb('TargetResponseTime', stat, { label: stat })),
      }),
      graph({
        title: 'MSK bytes in/out',
        region,
        lines: ['BytesInPerSec', 'BytesOutPerSec'].map((metricName) =>
          metricLine({
            namespace: 'AWS/Kafka',
            metricName,
            dimensions: { 'Cluster Name': props.mskClusterName },
            stat: 'Sum',
          }),
        ),
      }),
      graph({
        title: 'Dead-letter queues (messages)',
        region,
        lines: props.deadLetterQueueNames.map((queue) =>
          metricLine({
            namespace: 'AWS/SQS',
            metricName: 'ApproximateNumberOfMessagesVisible',
            dimensions: { QueueName: queue },
            stat: 'Maximum',
          }),
        ),
      }),
      graph({
        title: 'Event replication lag (ms)',
        region,
        lines: [
          metricLine({
            namespace: 'Platform/EventReplication',
            metricName: 'ReplicationLagMs',
            stat: 'p95',
            label: 'p95 lag',
          }),
        ],
      }),
    ];
    this.body = dashboardLayout(widgets);
    this.dashboard = new CloudwatchDashboard(this, 'dashboard', {
      provider: props.provider,
      dashboardName: props.name,
      dashboardBody: dashboardBody(this.body),
    });
  }
}
