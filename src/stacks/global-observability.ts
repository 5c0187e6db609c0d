import type { TerraformProvider } from 'cdktf';
import { Construct } from 'constructs';
import type { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { AuditTrail } from '../../modules/audit/cloudtrail';
import { BucketReplication } from '../../modules/clickhouse/bucket-replication';
import { setComponent } from '../../modules/common/context';
import type { RegionalKey } from '../../modules/kms/regional-key';
import { AlarmForwarder } from '../../modules/observability/alarm-forwarder';
import { AlertHub, alertTimelineLogGroupName } from '../../modules/observability/alert-hub';
import { AlertTopics } from '../../modules/observability/alert-topics';
import { GlobalDashboard } from '../../modules/observability/global-dashboard';
import { HealthCheckAlarms } from '../../modules/observability/health-check-alarms';
import { PrometheusGlobalWorkspace } from '../../modules/observability/prometheus-workspace';
import type { ApiRouting } from '../../modules/traffic/api-routing';
import type { PlatformConfig } from '../config/types';
import type { Naming } from '../naming';
import { logGroupsIn, trailName } from './regional-observability';
import type { RegionalStack } from './regional-stack';

export interface GlobalObservabilityProps {
  readonly config: PlatformConfig;
  readonly naming: Naming;
  readonly regions: readonly RegionalStack[];
  /** Aliased provider per region key. */
  readonly providers: ReadonlyMap<string, AwsProvider>;
  /** Provider and key in us-east-1, where Route 53 health-check metrics live. */
  readonly usEast1: { readonly provider: TerraformProvider; readonly key: RegionalKey };
  readonly routing: ApiRouting;
  readonly accountId: string;
  readonly partition: string;
}

/**
 * What observability needs across regions (docs/observability.md), in the global stack: the alert
 * hub (bus + timeline) in the primary region, Route 53 health-check alarms and the "two or more
 * regions unhealthy" composite in us-east-1, the global dashboard, the multi-region CloudTrail, the
 * replication of each region's log archive to the next region, and the global Prometheus (AMP).
 */
export class GlobalObservability extends Construct {
  readonly hub: AlertHub;
  readonly healthAlarms: HealthCheckAlarms;
  readonly dashboard: GlobalDashboard;
  readonly trail: AuditTrail;
  readonly archiveReplications: BucketReplication[];
  readonly prometheus: PrometheusGlobalWorkspace;

  constructor(scope: Construct, id: string, props: GlobalObservabilityProps) {
    super(scope, id);
    setComponent(this, 'observability');
    const { config, naming, regions, providers, accountId, partition } = props;
    const o = config.observability;
    const primary = regions.find((r) => r.region.role === 'primary') ?? regions[0];
    const primaryProvider = providers.get(primary.region.key);

    this.hub = new AlertHub(this, 'alert-hub', {
      prefix: naming.prefix,
      region: primary.region.code,
      accountId,
      partition,
      kmsKeyArn: primary.key.arn,
      logRetentionDays: o.logRetentionDays,
      provider: primaryProvider,
    });

    // Alarm actions must be in the alarm's region: use the topics of a region in us-east-1, or
    // create a pair here (with their own forwarder) when no region of the platform is there.
    const inUsEast1 = regions.find((r) => r.region.code === 'us-east-1');
    let topics = inUsEast1?.observability.topics;
    if (!topics) {
      topics = new AlertTopics(this, 'us-east-1-alerts', {
        name: naming.global('health'),
        region: 'us-east-1',
        accountId,
        partition,
        kmsKey: props.usEast1.key,
        subscriptions: o.alertSubscriptions,
        provider: props.usEast1.provider,
      });
      new AlarmForwarder(this, 'us-east-1-forwarder', {
        name: naming.global('us-east-1'),
        accountId,
        hubBusArn: this.hub.bus.arn,
        provider: props.usEast1.provider,
      });
    }
    const measured = config.traffic.healthCheck.measureLatency;
    this.healthAlarms = new HealthCheckAlarms(this, 'health-alarms', {
      name: naming.prefix,
      regions: regions.map((r) => ({ key: r.region.key, healthCheckId: healthCheckId(props.routing, r.region.key) })),
      warningTopicArn: topics.arn('warning'),
      criticalTopicArn: topics.arn('critical'),
      latencyThresholdMs: measured ? o.thresholds.healthCheckLatencyMs : undefined,
      provider: props.usEast1.provider,
    });

    this.dashboard = new GlobalDashboard(this, 'dashboard', {
      name: naming.global('global'),
      provider: primaryProvider,
      auroraLagThresholdMs: o.thresholds.auroraReplicationLagMs,
      timeline: { region: primary.region.code, logGroupName: alertTimelineLogGroupName(naming.prefix) },
      alarmArns: [
        this.healthAlarms.multiRegion.arn,
        ...[...this.healthAlarms.status.values()].map((a) => a.arn),
        ...regions.map((r) => r.observability.alarms.criticalAlarmArn),
      ],
      regions: regions.map((r) => {
        const isPrimary = r === primary;
        const cache = r.region.settings.elasticache;
        const group = naming.dr.cacheReplicationGroup(r.region.key);
        return {
          key: r.region.key,
          code: r.region.code,
          healthCheckId: healthCheckId(props.routing, r.region.key),
          loadBalancerArnSuffix: r.ingress.loadBalancer.arnSuffix,
          auroraClusterId: isPrimary ? undefined : naming.dr.auroraCluster(r.region.key),
          cacheNodeIds:
            !isPrimary && cache.joinGlobalDatastore
              ? Array.from({ length: cache.nodes }, (_, i) => `${group}-${String(i + 1).padStart(3, '0')}`)
              : [],
        };
      }),
    });

    this.trail = new AuditTrail(this, 'cloudtrail', {
      name: trailName(naming.prefix),
      region: primary.region.code,
      accountId,
      partition,
      bucketName: primary.observability.archive.name,
      kmsKeyArn: primary.key.arn,
      cloudWatchLogsRetentionDays: o.cloudTrail.cloudWatchLogs ? o.logRetentionDays : undefined,
      provider: primaryProvider,
    });

    // Each archive replicates to the next region in config order (as the ClickHouse backups do).
    this.archiveReplications = regions.map((source, i) => {
      const destination = regions[(i + 1) % regions.length];
      const end = (r: RegionalStack) => ({
        bucketName: r.observability.archive.name,
        bucketArn: r.observability.archive.arn,
        kmsKeyArn: r.key.arn,
        region: r.region.code,
      });
      return new BucketReplication(this, `log-archive-${source.region.key}`, {
        source: end(source),
        destination: end(destination),
        roleName: naming.regional(source.region.key, 'log-archive-replication'),
        accountId,
        provider: providers.get(source.region.key),
        component: 'audit',
      });
    });

    this.prometheus = new PrometheusGlobalWorkspace(this, 'prometheus', {
      name: naming.prefix,
      region: primary.region.code,
      kmsKeyArn: primary.key.arn,
      retentionDays: o.prometheus.retentionDays,
      logRetentionDays: o.logRetentionDays,
      clusters: regions.map((r) => ({ key: r.region.key, oidc: r.eks.oidc })),
      namespace: config.workloads.monitoringNamespace,
      partition,
      kafkaLagWarningMs: o.thresholds.kafkaLagWarningMs,
      kafkaLagCriticalMs: o.thresholds.kafkaLagCriticalMs,
      topics: {
        warning: primary.observability.topics.arn('warning'),
        critical: primary.observability.topics.arn('critical'),
      },
      provider: primaryProvider,
    });

    // Log groups of this stack in the primary region (alert timeline, trail, AMP, the primary cache;
    // CloudFront and WAF logs when the primary is us-east-1) stream into the primary's archive.
    // Subscription filters must be in the log group's region; others are listed in docs/observability.md.
    const inPrimary = (p: TerraformProvider | undefined) =>
      p === undefined || p === primaryProvider || (p === props.usEast1.provider && primary.region.code === 'us-east-1');
    primary.observability.logExport.subscribe(
      this,
      logGroupsIn(scope).filter((group) => inPrimary(group.provider)),
      primaryProvider,
    );
  }
}

function healthCheckId(routing: ApiRouting, key: string): string {
  const check = routing.healthChecks.get(key);
  if (!check) throw new Error(`no Route 53 health check for region ${key}`);
  return check.id;
}
