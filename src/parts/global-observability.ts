import type { TerraformProvider } from 'cdktf';
import { Construct } from 'constructs';
import type { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { AuditTrail } from '../../modules/audit/cloudtrail';
import { BucketReplication } from '../../modules/clickhouse/bucket-replication';
import { setComponent } from '../../modules/common/context';
import type { RegionalKey } from '../../modules/kms/regional-key';
import { AlarmForwarder } from '../../modules/observability/alarm-forwarder';
import { subscribeLogGroups } from '../../modules/audit/log-export';
import { AlertHub } from '../../modules/observability/alert-hub';
import { AlertTopics } from '../../modules/observability/alert-topics';
import { GlobalDashboard } from '../../modules/observability/global-dashboard';
import { HealthCheckAlarms } from '../../modules/observability/health-check-alarms';
import { PrometheusGlobalWorkspace } from '../../modules/observability/prometheus-workspace';
import type { ApiRouting } from '../../modules/traffic/api-routing';
import type { PlatformPlan } from '../plan/types';
import { exportsOf, type RegionalExports } from './exports';
import { logGroupsIn } from './regional-observability';

export interface GlobalObservabilityProps {
  readonly plan: PlatformPlan;
  readonly regional: ReadonlyMap<string, RegionalExports>;
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
  /** Each region's ALB access logs (SSE-S3) replicated to the next region, like the archive. */
  readonly albLogReplications: BucketReplication[];
  readonly prometheus: PrometheusGlobalWorkspace;

  constructor(scope: Construct, id: string, props: GlobalObservabilityProps) {
    super(scope, id);
    setComponent(this, 'observability');
    const { plan, regional, providers, accountId, partition } = props;
    const config = plan.config;
    const names = plan.names;
    const regions = plan.regions;
    const o = config.observability;
    const primary = plan.primary;
    const primaryExports = exportsOf(regional, primary.key);
    const primaryProvider = providers.get(primary.key);

    this.hub = new AlertHub(this, 'alert-hub', {
      prefix: names.prefix,
      busName: names.alertBus,
      timelineLogGroupName: names.alertTimelineLogGroup,
      region: primary.code,
      accountId,
      partition,
      kmsKeyArn: primaryExports.kmsKeyArn,
      logRetentionDays: o.logRetentionDays,
      provider: primaryProvider,
    });

    // Alarm actions must be in the alarm's region: use the topics of a region in us-east-1, or
    // create a pair here (with their own forwarder) when no region of the platform is there.
    const inUsEast1 = regions.find((r) => r.code === 'us-east-1');
    let topicArns = inUsEast1 && exportsOf(regional, inUsEast1.key).observability.topicArns;
    if (!topicArns) {
      const topics = new AlertTopics(this, 'us-east-1-alerts', {
        name: `${names.prefix}-health`,
        region: 'us-east-1',
        accountId,
        partition,
        kmsKey: props.usEast1.key,
        subscriptions: o.alertSubscriptions,
        provider: props.usEast1.provider,
      });
      topicArns = { warning: topics.arn('warning'), critical: topics.arn('critical') };
      new AlarmForwarder(this, 'us-east-1-forwarder', {
        name: `${names.prefix}-us-east-1`,
        accountId,
        hubBusArn: this.hub.bus.arn,
        provider: props.usEast1.provider,
      });
    }
    const measured = config.traffic.healthCheck.measureLatency;
    this.healthAlarms = new HealthCheckAlarms(this, 'health-alarms', {
      name: names.prefix,
      regions: regions.map((r) => ({ key: r.key, healthCheckId: healthCheckId(props.routing, r.key) })),
      warningTopicArn: topicArns.warning,
      criticalTopicArn: topicArns.critical,
      latencyThresholdMs: measured ? o.thresholds.healthCheckLatencyMs : undefined,
      provider: props.usEast1.provider,
    });

    this.dashboard = new GlobalDashboard(this, 'dashboard', {
      name: `${names.prefix}-global`,
      provider: primaryProvider,
      auroraLagThresholdMs: o.thresholds.auroraReplicationLagMs,
      homeRegion: primary.code,
      timeline: { region: primary.code, logGroupName: names.alertTimelineLogGroup },
      alarmArns: [
        this.healthAlarms.multiRegion.arn,
        ...[...this.healthAlarms.status.values()].map((a) => a.arn),
        ...regions.map((r) => exportsOf(regional, r.key).observability.criticalAlarmArn),
      ],
      regions: regions.map((r) => ({
        key: r.key,
        code: r.code,
        healthCheckId: healthCheckId(props.routing, r.key),
        loadBalancerArnSuffix: exportsOf(regional, r.key).ingress.loadBalancerArnSuffix,
        // Every member: after a switchover the old primary is the one reporting lag.
        auroraClusterId: r.names.auroraCluster,
        cacheNodeIds: r.cache.nodeIds,
      })),
    });

    // S3 data events of the buckets an intruder would read or erase (docs/security.md, "CloudTrail").
    const dataEventBuckets = o.cloudTrail.dataEvents
      ? [
          `arn:${partition}:s3:::${config.state.bucket}`,
          `arn:${partition}:s3:::${config.state.replicaBucket}`,
          ...regions.flatMap((r) => {
            const e = exportsOf(regional, r.key);
            return [e.observability.archive.arn, e.clickhouseBackups.arn];
          }),
        ]
      : undefined;
    this.trail = new AuditTrail(this, 'cloudtrail', {
      name: names.trail,
      region: primary.code,
      accountId,
      partition,
      bucketName: primaryExports.observability.archive.name,
      kmsKeyArn: primaryExports.auditKeyArn,
      cloudWatchLogsRetentionDays: o.cloudTrail.cloudWatchLogs ? o.logRetentionDays : undefined,
      notificationTopicName: o.cloudTrail.notifications ? names.trailNotifications : undefined,
      dataEventBucketArns: dataEventBuckets,
      provider: primaryProvider,
    });

    // Each archive replicates to the next region in config order (as the ClickHouse backups do).
    const end = (key: string) => {
      const r = exportsOf(regional, key);
      return {
        bucketName: r.observability.archive.name,
        bucketArn: r.observability.archive.arn,
        kmsKeyArn: r.auditKeyArn,
        region: regions.find((p) => p.key === key)!.code,
      };
    };
    this.archiveReplications = regions.map(
      (source) =>
        new BucketReplication(this, `log-archive-${source.key}`, {
          source: end(source.key),
          destination: end(source.replicatesTo),
          roleName: `${source.names.base}-log-archive-replication`,
          accountId,
          provider: providers.get(source.key),
          component: 'audit',
        }),
    );
    // ALB access logs: SSE-S3 at both ends (ELB writes nothing else), no delete markers either.
    const albEnd = (key: string) => {
      const r = exportsOf(regional, key);
      return {
        bucketName: r.ingress.accessLogBucket.name,
        bucketArn: r.ingress.accessLogBucket.arn,
        region: regions.find((p) => p.key === key)!.code,
      };
    };
    this.albLogReplications = regions.map(
      (source) =>
        new BucketReplication(this, `alb-logs-${source.key}`, {
          source: albEnd(source.key),
          destination: albEnd(source.replicatesTo),
          roleName: `${source.names.base}-alb-logs-replication`,
          accountId,
          provider: providers.get(source.key),
          component: 'ingress',
          policyName: 'replicate-alb-logs',
        }),
    );

    this.prometheus = new PrometheusGlobalWorkspace(this, 'prometheus', {
      name: names.prefix,
      region: primary.code,
      kmsKeyArn: primaryExports.kmsKeyArn,
      retentionDays: o.prometheus.retentionDays,
      logRetentionDays: o.logRetentionDays,
      clusters: regions.map((r) => ({ key: r.key, oidc: exportsOf(regional, r.key).eks.oidc })),
      namespace: config.workloads.monitoringNamespace,
      partition,
      kafkaLagWarningMs: o.thresholds.kafkaLagWarningMs,
      kafkaLagCriticalMs: o.thresholds.kafkaLagCriticalMs,
      topics: primaryExports.observability.topicArns,
      provider: primaryProvider,
    });

    // Log groups of this stack in the primary region (alert timeline, trail, AMP, the primary cache;
    // CloudFront and WAF logs when the primary is us-east-1) stream into the primary's archive.
    // Subscription filters must be in the log group's region; others are listed in docs/observability.md.
    const inPrimary = (p: TerraformProvider | undefined) =>
      p === undefined || p === primaryProvider || (p === props.usEast1.provider && primary.code === 'us-east-1');
    subscribeLogGroups(
      this,
      primaryExports.observability.logExport,
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
