import { planSubnets } from '../modules/network/subnets';
import { ConfigError } from '../src/config/errors';
import { resolvePlan } from '../src/plan/resolve';
import { production } from '../src/config/environments/production';
import { staging } from '../src/config/environments/staging';
import type { PlatformConfig } from '../src/config/types';
import { TerraformStack, Testing } from 'cdktf';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { RegionalKey } from '../modules/kms/regional-key';
import {
  MSK_SERVER_PROPERTIES,
  MskKafkaCluster,
  mskConfigurationName,
  mskServerProperties,
  type MskClusterProps,
} from '../modules/msk/msk-cluster';
import { mskDefaults } from '../src/config/environments/streaming';
import { type Mutable } from './support/config';
import { defaultSynth } from './support/shared-synth';
import { resources, type StackJson } from './support/stack-json';

function variant(base: PlatformConfig, change: (c: Mutable<PlatformConfig>) => void): PlatformConfig {
  const copy = structuredClone(base) as Mutable<PlatformConfig>;
  change(copy);
  return copy as PlatformConfig;
}
function issues(config: PlatformConfig): string {
  try {
    resolvePlan(config);
    return '';
  } catch (error) {
    if (error instanceof ConfigError) return error.message;
    throw error;
  }
}

describe('streaming configuration', () => {
  test.each<[string, (c: Mutable<PlatformConfig>) => void, RegExp]>([
    [
      'unknown replication mode',
      (c) => ((c.streaming.replication as { mode: string }).mode = 'kafka-connect'),
      /streaming\.replication\.mode: got "kafka-connect"; expected one of mirrormaker2, msk-replicator/,
    ],
    [
      'empty topic pattern',
      (c) => (c.streaming.replication.topicsPattern = ''),
      /streaming\.replication\.topicsPattern: got ""/,
    ],
    [
      'invalid topic regex',
      (c) => (c.streaming.replication.topicsPattern = 'genai-demo.(('),
      /topicsPattern: got "genai-demo\.\(\("/,
    ],
    [
      'broker count not a multiple of the AZ count',
      (c) => (c.defaults.msk.brokerCount = 4),
      /defaults\.msk\.brokerCount: got 4; expected a multiple of 3: region us-east spans 3 availability zones/,
    ],
    [
      'region override breaking the broker layout',
      (c) => (c.regions[1].overrides = { ...c.regions[1].overrides, msk: { brokerCount: 5 } }),
      /regions\[1\]\.overrides\.msk\.brokerCount: got 5; expected a multiple of 3: region eu-west/,
    ],
    [
      'too few brokers',
      (c) => (c.defaults.msk.brokerCount = 2),
      /defaults\.msk\.brokerCount: got 2; expected 3 to 30 brokers/,
    ],
    [
      't3 brokers',
      (c) => (c.defaults.msk.instanceType = 'kafka.t3.small'),
      /defaults\.msk\.instanceType: got "kafka\.t3\.small"/,
    ],
    [
      'autoscaling ceiling below the volume',
      (c) => (c.defaults.msk.maxVolumeSizeGiB = 100),
      /defaults\.msk\.maxVolumeSizeGiB: got 100; expected more than volumeSizeGiB \(500\)/,
    ],
    ['bad log retention', (c) => (c.defaults.msk.logRetentionDays = 8), /defaults\.msk\.logRetentionDays: got 8/],
    ['empty source list', (c) => (c.streaming.events.sources = []), /streaming\.events\.sources: got \[\]/],
    [
      'entity path outside detail',
      (c) => (c.streaming.events.entityIdPath = '$.id'),
      /streaming\.events\.entityIdPath: got "\$\.id"/,
    ],
    [
      'reserved concurrency below the SQS poller minimum',
      (c) => (c.defaults.eventBridge.lambdaReservedConcurrency = 1),
      /defaults\.eventBridge\.lambdaReservedConcurrency: got 1; expected 2 to 1000/,
    ],
  ])('%s is rejected with the field path', (_name, change, message) => {
    expect(issues(variant(production, change))).toMatch(message);
  });

  test('staging (2 AZs) runs 4 brokers: a multiple of 2 that still holds replication factor 3', () => {
    expect(issues(staging)).not.toMatch(/msk|streaming|eventBridge/);
    expect(issues(variant(staging, (c) => (c.defaults.msk.brokerCount = 3)))).toMatch(
      /defaults\.msk\.brokerCount: got 3; expected a multiple of 2/,
    );
  });

  test('a 4-AZ region still places MSK in 3 zones', () => {
    const config = variant(production, (c) => (c.regions[0].azCount = 4));
    expect(issues(config)).not.toMatch(/brokerCount/);
  });
});

describe('MSK per region (production)', () => {
  let stacks: Record<string, StackJson>;
  beforeAll(() => {
    const synth = defaultSynth('production');
    stacks = Object.fromEntries(production.regions.map((r) => [r.key, synth.stack(`region-${r.key}`)]));
  });

  test.each(production.regions.map((r) => r.key))('%s: brokers, encryption, auth, monitoring, logs', (key) => {
    const [cluster] = resources(stacks[key], 'aws_msk_cluster');
    expect(cluster).toMatchObject({
      cluster_name: `mi-production-${key}-msk`,
      kafka_version: '3.8.x',
      number_of_broker_nodes: 3,
      enhanced_monitoring: 'PER_TOPIC_PER_BROKER',
      client_authentication: { unauthenticated: false, sasl: { iam: true, scram: true } },
      encryption_info: {
        encryption_in_transit: { client_broker: 'TLS', in_cluster: true },
        encryption_at_rest_kms_key_arn: expect.stringContaining('aws_kms_key.kms_key'),
      },
      open_monitoring: {
        prometheus: { jmx_exporter: { enabled_in_broker: true }, node_exporter: { enabled_in_broker: true } },
      },
      lifecycle: { prevent_destroy: true },
    });
    const info = cluster.broker_node_group_info as { client_subnets: string[]; instance_type: string };
    expect(info.instance_type).toBe('kafka.m5.large');
    expect(info.client_subnets).toHaveLength(3);
    expect(new Set(info.client_subnets).size).toBe(3);
    const [logs] = resources(stacks[key], 'aws_cloudwatch_log_group').filter(
      (l) => l.name === `/aws/msk/mi-production-${key}-msk`,
    );
    expect(logs).toMatchObject({ retention_in_days: 365, kms_key_id: expect.stringContaining('aws_kms_key') });
  });

  test('the cluster configuration enforces the durability settings', () => {
    const [configuration] = resources(stacks['us-east'], 'aws_msk_configuration');
    const props = Object.fromEntries(
      String(configuration.server_properties)
        .split('\n')
        .map((l) => l.split('=')),
    );
    expect(props).toMatchObject({
      'default.replication.factor': '3',
      'min.insync.replicas': '2',
      'auto.create.topics.enable': 'false',
      'unclean.leader.election.enable': 'false',
      // No implicit superuser: a SCRAM principal gets only what an ACL grants.
      'allow.everyone.if.no.acl.found': 'false',
    });
    expect(props).toEqual(MSK_SERVER_PROPERTIES);
  });

  test('storage autoscaling tracks broker disk utilization and never scales in', () => {
    const [target] = resources(stacks['eu-west'], 'aws_appautoscaling_target');
    expect(target).toMatchObject({
      service_namespace: 'kafka',
      scalable_dimension: 'kafka:broker-storage:VolumeSize',
      max_capacity: 4000,
    });
    const [scaling] = resources(stacks['eu-west'], 'aws_appautoscaling_policy');
    expect(scaling.target_tracking_scaling_policy_configuration).toMatchObject({
      target_value: 60,
      disable_scale_in: true,
      predefined_metric_specification: { predefined_metric_type: 'KafkaBrokerStorageUtilization' },
    });
  });

  test('the security group admits only the ports in use, from EKS and the peered VPCs', () => {
    const rules = resources(stacks.apac, 'aws_vpc_security_group_ingress_rule').filter((r) =>
      String(r.security_group_id).includes('msk_sg'),
    );
    const ports = new Set(rules.map((r) => `${r.from_port}-${r.to_port}`));
    expect(ports).toEqual(new Set(['9098-9098', '9096-9096', '11001-11002']));
    expect(rules.every((r) => r.cidr_ipv4 !== '0.0.0.0/0')).toBe(true);
    const peers = rules.filter((r) => r.cidr_ipv4).map((r) => [r.cidr_ipv4, r.from_port]);
    // Every other region's MirrorMaker 2 (replication) subnets, never its application subnets or
    // its whole VPC, SCRAM only.
    const plan = resolvePlan(production);
    const mirrorMakerSubnets = plan.regions
      .filter((r) => r.key !== 'apac')
      .flatMap((r) => planSubnets(r.vpcCidr, r.azCount).replication);
    expect(mirrorMakerSubnets).toEqual(expect.arrayContaining(['10.10.96.0/22', '10.20.104.0/22']));
    expect(peers.sort()).toEqual(mirrorMakerSubnets.map((cidr) => [cidr, 9096]).sort());
    const appSubnets = plan.regions.flatMap((r) => planSubnets(r.vpcCidr, r.azCount).private);
    expect(peers.filter(([cidr]) => appSubnets.includes(String(cidr)))).toEqual([]);
    expect(peers.filter(([cidr]) => String(cidr).endsWith('/16'))).toEqual([]);
    const fromEks = rules.filter((r) => String(r.referenced_security_group_id).includes('eks'));
    expect(fromEks.map((r) => r.from_port).sort()).toEqual([11001, 9096, 9098]);
  });

  test('the SCRAM secret is KMS-encrypted, AmazonMSK_-named and write-only (no value in state)', () => {
    const stack = stacks['us-east'];
    const [secret] = resources(stack, 'aws_secretsmanager_secret').filter((s) =>
      String(s.name).startsWith('AmazonMSK_'),
    );
    expect(secret).toMatchObject({
      name: 'AmazonMSK_mi-production-us-east-msk-mirrormaker',
      kms_key_id: expect.stringContaining('aws_kms_key'),
    });
    const [version] = resources(stack, 'aws_secretsmanager_secret_version');
    expect(version.secret_string).toBeUndefined();
    expect(version.secret_string_wo).toContain('var.msk_scram_password');
    expect(version.secret_string_wo_version).toBe(1);
    expect((stack as { variable?: Record<string, unknown> }).variable?.msk_scram_password).toMatchObject({
      sensitive: true,
      ephemeral: true,
    });
    expect(resources(stack, 'aws_msk_single_scram_secret_association')).toHaveLength(1);
    const secretPolicy = resources(stack, 'aws_secretsmanager_secret_policy');
    expect(secretPolicy).toHaveLength(1);
  });

  test('the regional stacks never reference each other', () => {
    for (const [key, stack] of Object.entries(stacks)) {
      const text = JSON.stringify(stack);
      for (const other of Object.keys(stacks).filter((k) => k !== key)) {
        expect(text).not.toContain(`region-${other}`);
      }
    }
  });
});

/** One MskKafkaCluster on a stack of its own (GIVEN: SCRAM on, default settings). */
function synthCluster(props: Partial<MskClusterProps> = {}): StackJson {
  const app = Testing.app();
  const stack = new TerraformStack(app, 'test');
  new AwsProvider(stack, 'aws', { region: 'eu-west-1' });
  const kmsKey = new RegionalKey(stack, 'kms', {
    aliasName: 'mi-test-eu-west-platform',
    description: 'test key',
    region: 'eu-west-1',
    accountId: '111111111111',
    partition: 'aws',
  });
  new MskKafkaCluster(stack, 'msk', {
    ...mskDefaults(),
    name: 'mi-test-eu-west',
    region: 'eu-west-1',
    accountId: '111111111111',
    partition: 'aws',
    vpcId: 'vpc-1',
    vpcCidr: '10.20.0.0/16',
    subnetIds: ['subnet-a', 'subnet-b', 'subnet-c'],
    kmsKey,
    clientSecurityGroupIds: ['sg-eks'],
    peers: [{ region: 'us-east', cidrs: ['10.10.0.0/20'] }],
    scram: { username: 'mirrormaker', password: 'p'.repeat(32), version: 1 },
    ...props,
  });
  return JSON.parse(Testing.synth(stack)) as StackJson;
}

describe('MskKafkaCluster (module)', () => {
  let stack: StackJson;
  beforeAll(() => {
    stack = synthCluster();
  });

  test('no principal is a superuser by default: allow.everyone.if.no.acl.found=false', () => {
    const [configuration] = resources(stack, 'aws_msk_configuration');
    expect(String(configuration.server_properties).split('\n')).toContain('allow.everyone.if.no.acl.found=false');
    expect(String(configuration.server_properties)).not.toMatch(/allow\.everyone\.if\.no\.acl\.found=true/);
  });

  test('the configuration name carries a content hash and is replaced create-before-destroy', () => {
    const [configuration] = resources(stack, 'aws_msk_configuration');
    expect(configuration.name).toMatch(/^mi-test-eu-west-msk-config-[0-9a-f]{8}$/);
    expect(configuration.name).toBe(
      mskConfigurationName('mi-test-eu-west-msk', '3.8.x', String(configuration.server_properties)),
    );
    expect(configuration.lifecycle).toMatchObject({ create_before_destroy: true });
    // The cluster follows whichever configuration exists (ARN + revision), never a fixed name.
    const [cluster] = resources(stack, 'aws_msk_cluster');
    expect(cluster.configuration_info).toEqual({
      arn: expect.stringContaining('aws_msk_configuration.msk_configuration'),
      revision: expect.stringContaining('latest_revision'),
    });
  });

  test.each<[string, string, string]>([
    ['a Kafka version change (forces replacement)', '3.9.x', mskServerProperties()],
    ['a property change', '3.8.x', mskServerProperties({ ...MSK_SERVER_PROPERTIES, 'min.insync.replicas': '1' })],
  ])('%s gets a new configuration name, so the replacement cannot clash', (_what, version, properties) => {
    const before = mskConfigurationName('c-msk', '3.8.x', mskServerProperties());
    expect(mskConfigurationName('c-msk', version, properties)).not.toBe(before);
    expect(mskConfigurationName('c-msk', '3.8.x', mskServerProperties())).toBe(before);
  });

  test('a new Kafka version renames the synthesized configuration', () => {
    const [a] = resources(stack, 'aws_msk_configuration');
    const [b] = resources(synthCluster({ kafkaVersion: '3.9.x' }), 'aws_msk_configuration');
    expect(b.kafka_versions).toEqual(['3.9.x']);
    expect(b.name).not.toBe(a.name);
  });

  test('monitoring has one owner: only the cluster sets enhanced/open monitoring and broker logs', () => {
    const owners = Object.entries(stack.resource ?? {}).flatMap(([type, byName]) =>
      Object.values(byName)
        .filter((body) => ['enhanced_monitoring', 'open_monitoring', 'logging_info'].some((k) => k in body))
        .map(() => type),
    );
    expect(owners).toEqual(['aws_msk_cluster']);
    const [cluster] = resources(stack, 'aws_msk_cluster');
    expect(cluster.enhanced_monitoring).toBe('PER_TOPIC_PER_BROKER');
  });

  test('the SCRAM association waits for the secret value and its resource policy', () => {
    const [association] = resources(stack, 'aws_msk_single_scram_secret_association');
    expect(association.depends_on).toEqual(
      expect.arrayContaining([
        expect.stringContaining('aws_secretsmanager_secret_version.'),
        expect.stringContaining('aws_secretsmanager_secret_policy.'),
      ]),
    );
  });
});
