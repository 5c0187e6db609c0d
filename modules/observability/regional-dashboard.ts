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
  /** Brokers of the MSK cluster (MSK numbers them 1..n as `Broker ID`). */
  readonly mskBrokerCount: number;
  readonly deadLetterQueueNames: readonly string[];
  /** Regions (codes) whose events this region's replication Lambda receives. */
  readonly eventSourceRegions: readonly string[];
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
    if (!Number.isInteger(props.mskBrokerCount) || props.mskBrokerCount < 1)
      throw new Error(`${this.node.path}: mskBrokerCount must be a positive integer, got ${props.mskBrokerCount}`);
    const brokers = Array.from({ length: props.mskBrokerCount }, (_, i) => String(i + 1));
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
        title: 'MSK bytes in/out (sum over brokers, bytes/s)',
        region,
        // BytesIn/OutPerSec exist per broker (Cluster Name, Broker ID) and per topic (+ Topic), not
        // per cluster: the cluster's rate is the sum of its brokers' lines. Brokers are listed by
        // id (MSK numbers them 1..n and keeps the ids), not with SEARCH (see dashboardBody).
        lines: (['BytesInPerSec', 'BytesOutPerSec'] as const).flatMap((metricName) => {
          const prefix = metricName === 'BytesInPerSec' ? 'in' : 'out';
          const ids = brokers.map((b) => `${prefix}${b}`);
          return [
            ...brokers.map((b, i) =>
              metricLine({
                namespace: 'AWS/Kafka',
                metricName,
                dimensions: { 'Cluster Name': props.mskClusterName, 'Broker ID': b },
                stat: 'Average',
                id: ids[i],
                visible: false,
              }),
            ),
            expressionLine({ id: prefix, label: prefix, expression: `SUM([${ids.join(', ')}])` }),
          ];
        }),
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
        title: 'Event replication lag (ms, p95, by source region)',
        region,
        // The replication Lambda publishes per (ReceivingRegion, SourceRegion) (src/lambda/replication).
        lines: props.eventSourceRegions.map((source) =>
          metricLine({
            namespace: 'Platform/EventReplication',
            metricName: 'ReplicationLagMs',
            dimensions: { ReceivingRegion: region, SourceRegion: source },
            stat: 'p95',
            label: `from ${source}`,
          }),
        ),
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
