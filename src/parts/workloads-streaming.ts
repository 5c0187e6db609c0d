import { Construct } from 'constructs';
import type { Release } from '@cdktf/provider-helm/lib/release';
import { setComponent } from '../../modules/common/context';
import { NODE_KIND_LABEL, REPLICATION_TAINT, tolerationOf } from '../../modules/eks/types';
import { MirrorMakerRelease } from '../../modules/msk/replication-release';
import { MSK_ACL_ADMIN_SERVICE_ACCOUNT } from '../../modules/msk/acl-admin-role';
import { MskAclJob, strimziKafkaImage } from '../../modules/msk/acl-job';
import { mirrorMakerAcls } from '../../modules/msk/acls';
import type { PlatformPlan, RegionPlan } from '../plan/types';
import { MIRROR_MAKER_PRINCIPAL, MIRROR_MAKER_USER } from './constants';
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
  readonly acls: MskAclJob;

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
    const mirrorMakerName = `${config.project}-${region.key}-mm2`;
    // --- MSK ACLs of the MirrorMaker 2 principal (docs/streaming.md, "Identity model") ---
    const local = exportsOf(regional, region.key).msk;
    if (!local.aclAdminRoleArn)
      throw new Error(`region-${region.key} exports no MSK ACL admin role (mirrormaker2 mode)`);
    this.acls = new MskAclJob(this, 'acls', {
      name: 'msk-acls',
      namespace: config.workloads.kafkaNamespace,
      serviceAccountName: MSK_ACL_ADMIN_SERVICE_ACCOUNT,
      adminRoleArn: local.aclAdminRoleArn,
      bootstrapBrokersIam: local.bootstrapBrokersIam,
      principal: MIRROR_MAKER_PRINCIPAL,
      acls: mirrorMakerAcls({
        principal: MIRROR_MAKER_PRINCIPAL,
        localAlias: region.key,
        peerAliases: region.peers.map((r) => r.key),
        mirrorMakerName,
        topicsPattern: replication.topicsPattern,
        groupsPattern: replication.groupsPattern,
      }),
      image: strimziKafkaImage(config.workloads.charts.strimziKafkaOperator.version),
      dependsOn: [operator].filter((r) => r !== undefined),
    });
    // --- end MSK ACLs ---
    this.mirrorMaker = new MirrorMakerRelease(this, 'mirrormaker2', {
      name: mirrorMakerName,
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
      operatorVersion: config.workloads.charts.strimziKafkaOperator.version,
      // On the replication nodes: the other regions' brokers admit their subnets alone.
      placement: {
        nodeLabels: { [NODE_KIND_LABEL]: 'replication' },
        tolerations: [tolerationOf(REPLICATION_TAINT)],
      },
      dependsOn: [operator, prometheus, this.acls.job].filter((r) => r !== undefined),
    });
  }
}
