import type { TerraformProvider } from 'cdktf';
import { Construct } from 'constructs';
import { CloudwatchDashboard } from '@cdktf/provider-aws/lib/cloudwatch-dashboard';
import { setComponent } from '../common/context';
import {
  alarmStatus,
  dashboardBody,
  dashboardLayout,
  type DashboardLayout,
  graph,
  logQuery,
  metricLine,
  text,
  type Widget,
} from './dashboard-body';

export interface DashboardRegion {
  readonly key: string;
  readonly code: string;
  readonly healthCheckId: string;
  readonly loadBalancerArnSuffix: string;
  /** Aurora member cluster id, whatever its role (whichever member is secondary reports lag). */
  readonly auroraClusterId?: string;
  /** Node ids of the region's cache member, whatever its role. */
  readonly cacheNodeIds?: readonly string[];
}

export interface GlobalDashboardProps {
  readonly name: string;
  readonly regions: readonly DashboardRegion[];
  /** Alarms of the overview strip (health, multi-region composite, regions' critical composites). */
  readonly alarmArns: readonly string[];
  /** Region and log group of the alert timeline (failover events). */
  readonly timeline: { readonly region: string; readonly logGroupName: string };
  /** Drawn as the alert line on the Aurora lag graph, ms. */
  readonly auroraLagThresholdMs: number;
  /** Region of the widgets whose lines span regions (each line names its own region). */
  readonly homeRegion: string;
  readonly provider?: TerraformProvider;
}

/**
 * The global dashboard (seed 000 "unified observability" + "failover monitoring" + "replication
 * monitoring"): health per region, traffic distribution, replication lags, and the alarm
 * timeline where failovers show up. Every metric line names its region.
 */
export class GlobalDashboard extends Construct {
  readonly dashboard: CloudwatchDashboard;
  /** The layout rendered into the body (references as tokens). */
  readonly body: DashboardLayout;

  constructor(scope: Construct, id: string, props: GlobalDashboardProps) {
    super(scope, id);
    setComponent(this, 'observability');
    const regions = props.regions;
    const widgets: Widget[] = [
      text(`# ${props.name}: multi-region overview\nRegions: ${regions.map((r) => `${r.key} (${r.code})`).join(', ')}`),
      alarmStatus('Health and critical alarms', props.alarmArns),
      graph({
        title: 'Health-check status per region (1 = healthy)',
        region: 'us-east-1',
        period: 60,
        lines: regions.map((r) =>
          metricLine({
            namespace: 'AWS/Route53',
            metricName: 'HealthCheckStatus',
            dimensions: { HealthCheckId: r.healthCheckId },
            stat: 'Minimum',
            label: r.key,
            region: 'us-east-1',
          }),
        ),
      }),
      graph({
        title: 'Traffic distribution (requests per region)',
        region: props.homeRegion,
        period: 60,
        stacked: true,
        lines: regions.map((r) =>
          metricLine({
            namespace: 'AWS/ApplicationELB',
            metricName: 'RequestCount',
            dimensions: { LoadBalancer: r.loadBalancerArnSuffix },
            stat: 'Sum',
            label: r.key,
            region: r.code,
          }),
        ),
      }),
      graph({
        title: 'Aurora global replication lag (ms)',
        region: props.homeRegion,
        period: 60,
        thresholds: [{ label: 'alert', value: props.auroraLagThresholdMs }],
        lines: regions
          .filter((r) => r.auroraClusterId)
          .map((r) =>
            metricLine({
              namespace: 'AWS/RDS',
              metricName: 'AuroraGlobalDBReplicationLag',
              dimensions: { DBClusterIdentifier: r.auroraClusterId! },
              stat: 'Maximum',
              label: r.key,
              region: r.code,
            }),
          ),
      }),
      graph({
        title: 'ElastiCache global datastore replication lag (s)',
        region: props.homeRegion,
        period: 60,
        lines: regions.flatMap((r) =>
          (r.cacheNodeIds ?? []).map((node) =>
            metricLine({
              namespace: 'AWS/ElastiCache',
              metricName: 'GlobalDatastoreReplicationLag',
              dimensions: { CacheClusterId: node },
              stat: 'Maximum',
              label: `${r.key} ${node}`,
              region: r.code,
            }),
          ),
        ),
      }),
      graph({
        title: 'Health-check time to first byte (ms)',
        region: 'us-east-1',
        period: 60,
        lines: regions.map((r) =>
          metricLine({
            namespace: 'AWS/Route53',
            metricName: 'TimeToFirstByte',
            dimensions: { HealthCheckId: r.healthCheckId },
            stat: 'Average',
            label: r.key,
            region: 'us-east-1',
          }),
        ),
      }),
      graph({
        title: 'Event replication lag (ms, p95, source -> receiving region)',
        region: props.homeRegion,
        // The replication Lambda publishes per (ReceivingRegion, SourceRegion) (src/lambda/replication).
        lines: regions.flatMap((r) =>
          regions
            .filter((source) => source.key !== r.key)
            .map((source) =>
              metricLine({
                namespace: 'Platform/EventReplication',
                metricName: 'ReplicationLagMs',
                dimensions: { ReceivingRegion: r.code, SourceRegion: source.code },
                stat: 'p95',
                label: `${source.key} -> ${r.key}`,
                region: r.code,
              }),
            ),
        ),
      }),
      logQuery(
        'Failover and alarm timeline (all regions)',
        props.timeline.region,
        props.timeline.logGroupName,
        'fields @timestamp, region, detail.alarmName, detail.previousState.value, detail.state.value | sort @timestamp desc | limit 100',
      ),
    ];
    this.body = dashboardLayout(widgets);
    this.dashboard = new CloudwatchDashboard(this, 'dashboard', {
      provider: props.provider,
      dashboardName: props.name,
      dashboardBody: dashboardBody(this.body),
    });
  }
}
