import { Construct } from 'constructs';
import type { Release } from '@cdktf/provider-helm/lib/release';
import { setComponent } from '../../modules/common/context';
import { MirrorMakerRelease } from '../../modules/msk/replication-release';
import type { PlatformPlan, RegionPlan } from '../plan/types';
import { MIRROR_MAKER_USER } from './constants';
import { exportsOf, type RegionalExports } from './exports';

/** What MirrorMaker 2 needs of its scope (a workloads stack): the Helm releases it waits for. */
export interface WorkloadsStreamingScope extends Construct {
  readonly releases: Readonly<Record<string, Release>>;
}

export interface WorkloadsStreamingProps {
  readonly plan: PlatformPlan;
  readonly region: RegionPlan;
  /** Every region's exports by key (the other regions' SCRAM bootstrap brokers are mirrored from). */
  readonly regional: ReadonlyMap<string, RegionalExports>;
}

/**
 * MirrorMaker 2 of one region (mode `mirrormaker2`), added to workloads-<key>: target the local
 * MSK cluster, mirror from every other region. Reads other regions' bootstrap brokers from their
 * regional stacks: allowed here, as workloads stacks come after every regional stack.
 */
export class WorkloadsStreaming extends Construct {
  readonly mirrorMaker: MirrorMakerRelease;

  constructor(scope: WorkloadsStreamingScope, id: string, props: WorkloadsStreamingProps) {
    super(scope, id);
    setComponent(this, 'kafka-replication');
    const { plan, region, regional } = props;
    const config = plan.config;
    const replication = config.streaming.replication;
    const peer = (key: string) => ({ key, bootstrapBrokersScram: exportsOf(regional, key).msk.bootstrapBrokersScram });
    const operator = scope.releases['strimzi-kafka-operator'];
    // The chart's PodMonitor needs the monitoring.coreos.com CRDs of kube-prometheus-stack.
    const prometheus = scope.releases['kube-prometheus-stack'];
    this.mirrorMaker = new MirrorMakerRelease(this, 'mirrormaker2', {
      name: `${config.project}-${region.key}-mm2`,
      namespace: config.workloads.kafkaNamespace,
      username: MIRROR_MAKER_USER,
      local: peer(region.key),
      remotes: region.peers.map((r) => peer(r.key)),
      topicsPattern: replication.topicsPattern,
      groupsPattern: replication.groupsPattern,
      replicationFactor: replication.replicationFactor,
      tasksPerConnector: replication.tasksPerConnector,
      replicas: replication.mirrorMakerReplicas,
      credentialVersion: replication.scramCredentialVersion,
      dependsOn: [operator, prometheus].filter((r) => r !== undefined),
    });
  }
}
