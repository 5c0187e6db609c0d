import { Construct, type IConstruct } from 'constructs';
import { CloudwatchLogGroup } from '@cdktf/provider-aws/lib/cloudwatch-log-group';
import {
  cloudTrailBucketStatements,
  cloudTrailKeyStatements,
  cloudTrailNotificationKeyStatements,
  trailArn,
  trailTopicArn,
} from '../../modules/audit/cloudtrail';
import { LogArchive } from '../../modules/audit/log-archive';
import { LogExport } from '../../modules/audit/log-export';
import { FisExperiments } from '../../modules/chaos/fis-experiments';
import { setComponent } from '../../modules/common/context';
import type { EventReplication } from '../../modules/events/event-replication';
import type { ApplicationIngress } from '../../modules/ingress/application-ingress';
import type { RegionalKey } from '../../modules/kms/regional-key';
import type { MskKafkaCluster } from '../../modules/msk/msk-cluster';
import type { Network } from '../../modules/network/network';
import type { AccessLogSink } from '../../modules/storage/access-log-sink';
import { AlarmForwarder } from '../../modules/observability/alarm-forwarder';
import { AlertTopics } from '../../modules/observability/alert-topics';
import { RegionalAlarms } from '../../modules/observability/regional-alarms';
import { RegionalDashboard } from '../../modules/observability/regional-dashboard';
import type { PlatformPlan, RegionPlan } from '../plan/types';
import { bucketProtection } from './storage-protection';

/** What this part needs of its scope (a regional stack): account facts and what it watches. */
export interface RegionalObservabilityScope extends Construct {
  readonly accountId: string;
  readonly partition: string;
  /** The region's key: encrypts topics and the archive, admits the trail in the primary. */
  readonly key: RegionalKey;
  /** The region's audit key: the log archive and its export; the trail's files and topic in the primary. */
  readonly auditKey: RegionalKey;
  /** The region's access-log sink, if access logging is on. */
  readonly accessLogs?: AccessLogSink;
  readonly network: Network;
  readonly ingress: ApplicationIngress;
  readonly msk: MskKafkaCluster;
  readonly events: EventReplication;
}

export interface RegionalObservabilityProps {
  readonly plan: PlatformPlan;
  readonly region: RegionPlan;
}

/**
 * Observability and audit of one region (docs/observability.md), added last to region-<key> so it
 * sees every resource of the stack: alert topics, alarms and the region's critical composite,
 * the alarm forwarder to the primary's alert bus, the regional dashboard, the log archive with
 * the CloudWatch Logs export (every log group of the stack is subscribed), and the FIS drills
 * stopped by the critical composite. The primary region's archive and key also admit the trail.
 */
export class RegionalObservability extends Construct {
  readonly topics: AlertTopics;
  readonly alarms: RegionalAlarms;
  readonly archive: LogArchive;
  readonly logExport: LogExport;
  readonly chaos: FisExperiments;
  readonly dashboard: RegionalDashboard;

  constructor(scope: RegionalObservabilityScope, id: string, props: RegionalObservabilityProps) {
    super(scope, id);
    setComponent(this, 'observability');
    const stack = scope;
    const { plan, region } = props;
    const config = plan.config;
    const o = config.observability;
    const name = region.names.base;
    const { accountId, partition } = stack;
    const primary = plan.primary;

    this.topics = new AlertTopics(this, 'alerts', {
      name,
      region: region.code,
      accountId,
      partition,
      kmsKey: stack.key,
      subscriptions: o.alertSubscriptions,
    });

    const isPrimary = region.isPrimary;
    const replication = config.streaming.replication;
    const dlqs = [
      { id: 'events-target', queueName: stack.events.targetDlq.name },
      { id: 'events-ordering', queueName: stack.events.orderingDlq.name },
    ];
    this.alarms = new RegionalAlarms(this, 'alarms', {
      name,
      topics: this.topics,
      thresholds: o.thresholds,
      loadBalancerArnSuffix: stack.ingress.loadBalancer.arnSuffix,
      deadLetterQueues: dlqs,
      // Every member, whatever its configured role: a switchover moves the roles, not the alarms
      // (lag is reported by whichever member is secondary; see RegionalAlarms).
      auroraClusterId: region.names.auroraCluster,
      cacheNodeIds: region.cache.nodeIds,
      kafkaReplicators:
        replication.mode === 'msk-replicator'
          ? region.peers.map((r) => ({ source: r.key, replicatorName: plan.names.mskReplicator(r.key, region.key) }))
          : [],
    });

    new AlarmForwarder(this, 'alarm-forwarder', {
      name,
      accountId,
      hubBusArn: `arn:${partition}:events:${primary.code}:${accountId}:event-bus/${plan.names.alertBus}`,
    });

    this.dashboard = new RegionalDashboard(this, 'dashboard', {
      name,
      region: region.code,
      loadBalancerArnSuffix: stack.ingress.loadBalancer.arnSuffix,
      mskClusterName: stack.msk.clusterName,
      mskBrokerCount: region.settings.msk.brokerCount,
      deadLetterQueueNames: dlqs.map((q) => q.queueName),
      eventSourceRegions: region.peers.map((r) => r.code),
      alarmArns: [this.alarms.criticalAlarmArn, ...[...this.alarms.alarms.values()].map((a) => a.arn)],
    });

    const lock = config.security.objectLock;
    this.archive = new LogArchive(this, 'log-archive', {
      bucketName: `${region.names.logArchiveBucketPrefix}-${accountId}`,
      kmsKey: stack.auditKey,
      tiers: o.archive,
      objectLock: { mode: lock.mode, days: lock.logArchiveDays },
      protection: bucketProtection(config, partition, accountId),
    });
    stack.accessLogs?.logFrom(this.archive.bucket, 'log-archive');
    if (isPrimary) {
      const trail = trailArn(partition, region.code, accountId, plan.names.trail);
      for (const s of cloudTrailBucketStatements(this.archive.arn, accountId, trail))
        this.archive.bucket.addToPolicy(s);
      for (const s of cloudTrailKeyStatements(accountId, partition, trail)) stack.auditKey.addToPolicy(s);
      if (o.cloudTrail.notifications) {
        const topic = trailTopicArn(partition, region.code, accountId, plan.names.trailNotifications);
        for (const s of cloudTrailNotificationKeyStatements(trail, topic)) stack.auditKey.addToPolicy(s);
      }
    }

    this.chaos = new FisExperiments(this, 'chaos', {
      name,
      region: region.code,
      peerRegions: region.peers.map((r) => r.code),
      accountId,
      partition,
      vpcId: stack.network.vpc.id,
      // Every tier that runs the platform: the drills must cut MirrorMaker 2's subnets too.
      subnetIdsByAz: stack.network.privateSubnets.map((s, i) =>
        [s, stack.network.dataSubnets[i], stack.network.replicationSubnets[i]]
          .filter((x) => x !== undefined)
          .map((x) => x.id),
      ),
      stopAlarmArns: [this.alarms.criticalAlarmArn],
      kmsKeyArn: stack.key.arn,
      logRetentionDays: o.logRetentionDays,
    });

    this.logExport = new LogExport(this, 'log-export', {
      name,
      regionKey: region.key,
      region: region.code,
      accountId,
      partition,
      bucketArn: this.archive.arn,
      kmsKey: stack.auditKey,
      logRetentionDays: o.logRetentionDays,
    });
    this.logExport.subscribe(this, logGroupsIn(stack));
  }
}

/** Every CloudWatch log group below `scope` (at the time of the call). */
export function logGroupsIn(scope: IConstruct): CloudwatchLogGroup[] {
  return scope.node.findAll().filter((c): c is CloudwatchLogGroup => c instanceof CloudwatchLogGroup);
}
