import { Testing, TerraformStack } from 'cdktf';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { MskReplicatorMesh } from '../modules/msk/msk-replicator';
import { mskReplicatorConfig } from './support/config';
import { resources, synthOnce, type StackJson } from './support/synth';

function meshStack(keys: readonly string[]): StackJson {
  const app = Testing.app();
  const stack = new TerraformStack(app, 'mesh');
  new AwsProvider(stack, 'aws', { region: 'us-east-1' });
  new MskReplicatorMesh(stack, 'replicators', {
    name: 'mi-test',
    replicatorName: (source, target) => `mi-test-${source}-to-${target}`,
    topicsPattern: 'genai-demo\\.production\\..*',
    groupsPattern: '.*',
    accountId: '111122223333',
    partition: 'aws',
    members: keys.map((key, i) => ({
      key,
      region: `region-${i}`,
      provider: new AwsProvider(stack, `aws-${key}`, { region: `region-${i}`, alias: key }),
      clusterArn: `arn:aws:kafka:region-${i}:111122223333:cluster/mi-test-${key}-msk/uuid`,
      clusterName: `mi-test-${key}-msk`,
      subnetIds: [`subnet-${key}-a`, `subnet-${key}-b`, `subnet-${key}-c`],
      securityGroupIds: [`sg-${key}`],
    })),
  });
  return JSON.parse(Testing.synth(stack)) as StackJson;
}

describe('MSK Replicator mesh (module)', () => {
  test.each([[['a', 'b', 'c']], [['a', 'b', 'c', 'd']], [['a', 'b', 'c', 'd', 'e']]])(
    '%j: one replicator per ordered pair, N(N-1), in its target region',
    (keys) => {
      const stack = meshStack(keys);
      const replicators = resources(stack, 'aws_msk_replicator');
      expect(replicators).toHaveLength(keys.length * (keys.length - 1));
      const pairs = replicators.map((r) => r.replicator_name);
      expect(new Set(pairs).size).toBe(replicators.length);
      for (const r of replicators) {
        const [, source, target] = /^mi-test-(\w)-to-(\w)$/.exec(String(r.replicator_name))!;
        expect(source).not.toBe(target);
        expect(r.provider).toBe(`aws.${target}`);
        const info = r.replication_info_list as Record<string, unknown>;
        expect(info.source_kafka_cluster_arn).toContain(`mi-test-${source}-msk`);
        expect(info.target_kafka_cluster_arn).toContain(`mi-test-${target}-msk`);
        expect(info.topic_replication).toEqual([
          expect.objectContaining({
            topics_to_replicate: ['genai-demo\\.production\\..*'],
            topic_name_configuration: { type: 'PREFIXED_WITH_SOURCE_CLUSTER_ALIAS' },
          }),
        ]);
        expect(info.consumer_group_replication).toEqual([
          expect.objectContaining({ consumer_groups_to_replicate: ['.*'], synchronise_consumer_group_offsets: true }),
        ]);
        expect((r.kafka_cluster as unknown[]).length).toBe(2);
      }
      expect(resources(stack, 'aws_iam_role')).toHaveLength(keys.length);
    },
  );
});

describe('MSK Replicator mode (platform)', () => {
  // Three regions, whatever production lists: 6 replicators.
  const config = mskReplicatorConfig;
  let global: StackJson;
  let regional: StackJson;
  let workloads: StackJson;
  beforeAll(() => {
    const synth = synthOnce(config);
    global = synth.stack('global');
    regional = synth.stack('region-eu-west');
    workloads = synth.stack('workloads-eu-west');
  });

  test('the global stack holds the 6 replicators of 3 regions, each with an IAM-only execution role', () => {
    expect(resources(global, 'aws_msk_replicator')).toHaveLength(6);
    const roles = resources(global, 'aws_iam_role').filter((r) => String(r.name).endsWith('-msk-replicator'));
    expect(roles).toHaveLength(3);
    const docs = Object.values(global.data?.aws_iam_policy_document ?? {}) as {
      statement?: { actions: string[]; resources?: string[] }[];
    }[];
    const access = docs.filter((d) => d.statement?.some((s) => s.actions.includes('kafka-cluster:WriteData')));
    expect(access).toHaveLength(3);
    for (const d of access) {
      for (const s of d.statement!) {
        expect(s.actions.every((a) => a.startsWith('kafka-cluster:'))).toBe(true);
        expect(s.resources!.every((r) => r !== '*')).toBe(true);
      }
    }
  });

  test('no MirrorMaker 2 nodes: neither replication subnets nor a replication node group', () => {
    const tiers = resources(regional, 'aws_subnet').map((s) => (s.tags as Record<string, string>).tier);
    expect(new Set(tiers)).toEqual(new Set(['public', 'private', 'data']));
    const kinds = resources(regional, 'aws_eks_node_group').map(
      (g) => (g.labels as Record<string, string>)['platform/node-kind'],
    );
    expect(kinds).not.toContain('replication');
    expect(kinds).toContain('general');
  });

  test('clusters are IAM-only, open to replicators over multi-VPC connectivity, with no SCRAM secret', () => {
    const [cluster] = resources(regional, 'aws_msk_cluster');
    expect(cluster.client_authentication).toMatchObject({ sasl: { iam: true, scram: false } });
    expect(cluster.broker_node_group_info).toMatchObject({
      connectivity_info: { vpc_connectivity: { client_authentication: { sasl: { iam: true } } } },
    });
    const [clusterPolicy] = resources(regional, 'aws_msk_cluster_policy');
    expect(clusterPolicy).toBeDefined();
    expect(
      resources(regional, 'aws_secretsmanager_secret').filter((s) => String(s.name).startsWith('AmazonMSK_')),
    ).toEqual([]);
    expect((regional as { variable?: object }).variable ?? {}).not.toHaveProperty('msk_scram_password');
    const ports = resources(regional, 'aws_vpc_security_group_ingress_rule')
      .filter((r) => String(r.security_group_id).includes('msk_sg'))
      .map((r) => r.from_port);
    expect(ports).not.toContain(9096);
    expect(ports).toContain(14001);
  });

  // terraform validate of these stacks: test/terraform-validate.test.ts (its MSK Replicator variant).
  test('no MirrorMaker 2 is deployed', () => {
    expect(resources(workloads, 'helm_release').map((r) => r.name)).not.toContain('kafka-replication');
  });
});
