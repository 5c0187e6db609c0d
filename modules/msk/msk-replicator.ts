import type { TerraformProvider } from 'cdktf';
import { Construct } from 'constructs';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
import { MskReplicator } from '@cdktf/provider-aws/lib/msk-replicator';
import { setComponent, setRegion } from '../common/context';
import { PolicyDocument, serviceTrust } from '../common/iam';
import { orderedPairs } from './mirrormaker';

/** One region's MSK cluster as the replicator mesh sees it (values from its regional stack). */
export interface ReplicatorMember {
  readonly key: string;
  /** AWS region code. */
  readonly region: string;
  /** Provider of that region (replicators are created in their target region). */
  readonly provider: TerraformProvider;
  readonly clusterArn: string;
  readonly clusterName: string;
  /** Subnets and security group of the cluster: the replicator's ENIs go there. */
  readonly subnetIds: string[];
  readonly securityGroupIds: string[];
}

export interface MskReplicatorMeshProps {
  /** Name prefix, e.g. `mi-production`. */
  readonly name: string;
  /** Name of the replicator from `source` into `target` (alarms find it by this name). */
  readonly replicatorName: (source: string, target: string) => string;
  readonly members: readonly ReplicatorMember[];
  readonly topicsPattern: string;
  readonly groupsPattern: string;
  readonly accountId: string;
  readonly partition: string;
}

/** What a replicator does on a cluster it reads from or writes to (IAM access control). */
const CLUSTER_ACTIONS = ['kafka-cluster:Connect', 'kafka-cluster:DescribeCluster', 'kafka-cluster:AlterCluster'];
const TOPIC_ACTIONS = [
  'kafka-cluster:DescribeTopic',
  'kafka-cluster:CreateTopic',
  'kafka-cluster:AlterTopic',
  'kafka-cluster:ReadData',
  'kafka-cluster:WriteData',
  'kafka-cluster:WriteDataIdempotently',
  'kafka-cluster:DescribeTopicDynamicConfiguration',
  'kafka-cluster:AlterTopicDynamicConfiguration',
];
const GROUP_ACTIONS = ['kafka-cluster:DescribeGroup', 'kafka-cluster:AlterGroup'];

/**
 * MSK Replicator for every ordered region pair (N(N-1) replicators), each in its target region,
 * IAM-authenticated, prefixing remote topics with the source alias (loop-free active-active),
 * with consumer-group offset sync. One execution role per target region.
 */
export class MskReplicatorMesh extends Construct {
  readonly replicators: MskReplicator[] = [];
  readonly roles = new Map<string, IamRole>();

  constructor(scope: Construct, id: string, props: MskReplicatorMeshProps) {
    super(scope, id);
    setComponent(this, 'msk-replicator');
    const kafkaArn = (m: ReplicatorMember, kind: 'topic' | 'group') =>
      `arn:${props.partition}:kafka:${m.region}:${props.accountId}:${kind}/${m.clusterName}/*`;

    for (const target of props.members) {
      const scopeOf = new Construct(this, target.key);
      setRegion(scopeOf, target.key);
      const clusters = props.members;
      const trust = new PolicyDocument(
        scopeOf,
        'trust',
        serviceTrust('kafka.amazonaws.com', props.accountId),
        target.provider,
      );
      const role = new IamRole(scopeOf, 'role', {
        provider: target.provider,
        name: `${props.name}-${target.key}-msk-replicator`,
        assumeRolePolicy: trust.json,
      });
      const access = new PolicyDocument(
        scopeOf,
        'access',
        [
          { Sid: 'Clusters', Effect: 'Allow', Action: CLUSTER_ACTIONS, Resource: clusters.map((c) => c.clusterArn) },
          {
            Sid: 'Topics',
            Effect: 'Allow',
            Action: TOPIC_ACTIONS,
            Resource: clusters.map((c) => kafkaArn(c, 'topic')),
          },
          {
            Sid: 'Groups',
            Effect: 'Allow',
            Action: GROUP_ACTIONS,
            Resource: clusters.map((c) => kafkaArn(c, 'group')),
          },
        ],
        target.provider,
      );
      new IamRolePolicy(scopeOf, 'access-policy', {
        provider: target.provider,
        role: role.name,
        name: 'msk-replication',
        policy: access.json,
      });
      this.roles.set(target.key, role);
    }

    for (const [source, target] of orderedPairs(props.members)) {
      const pairScope = this.node.findChild(target.key) as Construct;
      const cluster = (m: ReplicatorMember) => ({
        amazonMskCluster: { mskClusterArn: m.clusterArn },
        vpcConfig: { subnetIds: m.subnetIds, securityGroupsIds: m.securityGroupIds },
      });
      this.replicators.push(
        new MskReplicator(pairScope, `from-${source.key}`, {
          provider: target.provider,
          replicatorName: props.replicatorName(source.key, target.key),
          description: `Replicates ${props.topicsPattern} from ${source.key} to ${target.key}`,
          serviceExecutionRoleArn: this.roles.get(target.key)!.arn,
          kafkaCluster: [cluster(source), cluster(target)],
          replicationInfoList: {
            sourceKafkaClusterArn: source.clusterArn,
            targetKafkaClusterArn: target.clusterArn,
            targetCompressionType: 'LZ4',
            topicReplication: [
              {
                topicsToReplicate: [props.topicsPattern],
                copyTopicConfigurations: true,
                copyAccessControlListsForTopics: true,
                detectAndCopyNewTopics: true,
                startingPosition: { type: 'EARLIEST' },
                // `<source alias>.<topic>` on the target: replicated topics never match the
                // pattern again, so active-active replication cannot loop.
                topicNameConfiguration: { type: 'PREFIXED_WITH_SOURCE_CLUSTER_ALIAS' },
              },
            ],
            consumerGroupReplication: [
              {
                consumerGroupsToReplicate: [props.groupsPattern],
                synchroniseConsumerGroupOffsets: true,
                detectAndCopyNewConsumerGroups: true,
              },
            ],
          },
        }),
      );
    }
  }
}
