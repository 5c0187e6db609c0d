import { TerraformStack, Testing } from 'cdktf';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { KubernetesProvider } from '@cdktf/provider-kubernetes/lib/provider';
import { MskAclAdminRole, MSK_ACL_ADMIN_SERVICE_ACCOUNT, mskAclAdminRoleName } from '../modules/msk/acl-admin-role';
import { MskAclJob, STRIMZI_KAFKA_IMAGES, strimziKafkaImage } from '../modules/msk/acl-job';
import { kafkaAclsAddArgs, literalPrefix, mirrorMakerAcls, type AclEntry } from '../modules/msk/acls';
import { production } from '../src/config/environments/production';
import { MIRROR_MAKER_PRINCIPAL } from '../src/parts/constants';
import { defaultSynth } from './support/shared-synth';
import { resources, type StackJson } from './support/stack-json';

const props = {
  principal: MIRROR_MAKER_PRINCIPAL,
  localAlias: 'eu-west',
  peerAliases: ['us-east', 'apac'],
  mirrorMakerName: 'mi-eu-west-mm2',
  topicsPattern: 'genai-demo\\.production\\..*',
  groupsPattern: '.*',
};
const key = (a: AclEntry) => `${a.resourceType}:${a.patternType}:${a.name}`;
const find = (acls: AclEntry[], k: string) => acls.find((a) => key(a) === k);

describe('literalPrefix (regex to a PREFIXED ACL name)', () => {
  test.each([
    ['genai-demo\\.production\\..*', 'genai-demo.production.'],
    ['.*', ''],
    ['orders-.+', 'orders-'],
    ['app\\d+', 'app'],
    ['abc*', 'ab'],
    ['plain', 'plain'],
  ])('%s -> "%s"', (pattern, prefix) => {
    expect(literalPrefix(pattern)).toBe(prefix);
  });
});

describe('mirrorMakerAcls (one cluster as source and target)', () => {
  const acls = mirrorMakerAcls(props);

  test('exactly the resources MirrorMaker 2, its heartbeats and both Connect clusters use', () => {
    expect(acls.map(key).sort()).toEqual(
      [
        'topic:prefixed:genai-demo.production.',
        'topic:literal:heartbeats',
        'topic:literal:mm2-offset-syncs.apac.internal',
        'topic:literal:mm2-offset-syncs.us-east.internal',
        'topic:prefixed:apac.',
        'topic:prefixed:us-east.',
        'topic:literal:mirrormaker2-eu-west-configs',
        'topic:literal:mirrormaker2-eu-west-offsets',
        'topic:literal:mirrormaker2-eu-west-status',
        'topic:literal:mi-eu-west-mm2-heartbeats-configs',
        'topic:literal:mi-eu-west-mm2-heartbeats-offsets',
        'topic:literal:mi-eu-west-mm2-heartbeats-status',
        'group:literal:mi-eu-west-mm2-connect',
        'group:literal:mi-eu-west-mm2-heartbeats-connect',
        'group:literal:*',
      ].sort(),
    );
  });

  test('source topics are read-only; only remote, internal and heartbeat topics are written', () => {
    expect(find(acls, 'topic:prefixed:genai-demo.production.')?.operations).toEqual([
      'Read',
      'Describe',
      'DescribeConfigs',
    ]);
    const writers = acls.filter((a) => a.operations.includes('Write') || a.operations.includes('Create'));
    expect(writers.map((a) => a.name)).not.toContain('genai-demo.production.');
    expect(writers.every((a) => a.resourceType === 'topic')).toBe(true);
    // Topic configs are copied onto remote topics only.
    expect(acls.filter((a) => a.operations.includes('AlterConfigs')).map(key)).toEqual([
      'topic:prefixed:apac.',
      'topic:prefixed:us-east.',
    ]);
  });

  test('no cluster-level or wildcard-topic grant: the principal is not a superuser', () => {
    expect(acls.every((a) => a.resourceType === 'topic' || a.resourceType === 'group')).toBe(true);
    expect(acls.filter((a) => a.resourceType === 'topic' && a.name === '*')).toHaveLength(0);
    expect(acls.map((a) => a.name)).not.toContain('eu-west.');
  });

  test('a group pattern with a literal prefix narrows the group ACL', () => {
    const narrowed = mirrorMakerAcls({ ...props, groupsPattern: 'genai-demo-.*' });
    expect(find(narrowed, 'group:prefixed:genai-demo-')?.operations).toEqual(['Read', 'Describe']);
    expect(find(narrowed, 'group:literal:*')).toBeUndefined();
  });

  test('adding a region adds its remote-topic prefix and offset-sync topic to every other cluster', () => {
    const four = mirrorMakerAcls({ ...props, peerAliases: [...props.peerAliases, 'tokyo'] });
    expect(four.length - acls.length).toBe(2);
    expect(find(four, 'topic:prefixed:tokyo.')).toBeDefined();
    expect(find(four, 'topic:literal:mm2-offset-syncs.tokyo.internal')).toBeDefined();
  });

  test('a cluster listed as its own peer is a wiring bug', () => {
    expect(() => mirrorMakerAcls({ ...props, peerAliases: ['eu-west'] })).toThrow(/eu-west is listed as its own peer/);
  });

  test('kafka-acls arguments', () => {
    expect(kafkaAclsAddArgs('User:mirrormaker', find(acls, 'topic:prefixed:us-east.')!)).toEqual([
      '--add',
      '--allow-principal',
      'User:mirrormaker',
      '--topic',
      'us-east.',
      '--resource-pattern-type',
      'prefixed',
      ...['Create', 'Write', 'Read', 'Describe', 'DescribeConfigs', 'AlterConfigs'].flatMap((o) => ['--operation', o]),
    ]);
  });
});

/** A stack with one MskAclJob; `acls` defaults to MirrorMaker 2's set for eu-west. */
function synthJob(acls: AclEntry[] = mirrorMakerAcls(props)): StackJson {
  const app = Testing.app();
  const s = new TerraformStack(app, 'test');
  new KubernetesProvider(s, 'kubernetes', {});
  new MskAclJob(s, 'acls', {
    name: 'msk-acls',
    namespace: 'kafka',
    serviceAccountName: MSK_ACL_ADMIN_SERVICE_ACCOUNT,
    adminRoleArn: 'arn:aws:iam::111111111111:role/mi-production-eu-west-msk-acl-admin',
    bootstrapBrokersIam: 'b-1.x.kafka.eu-west-1.amazonaws.com:9098',
    principal: MIRROR_MAKER_PRINCIPAL,
    acls,
    image: strimziKafkaImage('0.47.0'),
  });
  return JSON.parse(Testing.synth(s)) as StackJson;
}
const jobName = (stack: StackJson) => (resources(stack, 'kubernetes_job_v1')[0].metadata as { name: string }).name;

describe('MskAclJob', () => {
  let stack: StackJson;
  let job: Record<string, unknown>;
  beforeAll(() => {
    stack = synthJob();
    [job] = resources(stack, 'kubernetes_job_v1');
  });

  test('a changed ACL set renames the Job (it runs again); the same set keeps its name', () => {
    const fewer = mirrorMakerAcls(props).slice(1);
    expect(jobName(synthJob())).toBe(jobName(stack));
    expect(jobName(synthJob(fewer))).not.toBe(jobName(stack));
  });

  test('runs as the IRSA service account, waits for completion, and its name hashes what it does', () => {
    const [sa] = resources(stack, 'kubernetes_service_account_v1');
    expect(sa.metadata).toMatchObject({
      name: 'msk-acl-admin',
      namespace: 'kafka',
      annotations: {
        'eks.amazonaws.com/role-arn': 'arn:aws:iam::111111111111:role/mi-production-eu-west-msk-acl-admin',
      },
    });
    expect(job.wait_for_completion).toBe(true);
    const name = (job.metadata as { name: string }).name;
    // Five hex digits of the script, jar fetch and image (synth time), five of the brokers and role (apply time).
    expect(name).toMatch(
      /^msk-acls-[0-9a-f]{5}\$\{substr\(sha256\(join\("\\n", \["b-1\.x\.kafka[^"]*:9098", "arn:aws:iam::[^"]*msk-acl-admin"\]\)\), 0, 5\)\}$/,
    );
    const spec = (job.spec as { template: { spec: { service_account_name: string; restart_policy: string } } }).template
      .spec;
    expect(spec).toMatchObject({ service_account_name: 'msk-acl-admin', restart_policy: 'Never' });
  });

  test('the script adds every ACL over IAM auth, then lists them', () => {
    const spec = (job.spec as { template: { spec: { container: { command: string[]; image: string }[] } } }).template
      .spec;
    const [container] = spec.container;
    expect(container.image).toBe('quay.io/strimzi/kafka:0.47.0-kafka-4.0.0');
    const script = container.command[2];
    expect(script).toContain('sasl.mechanism=AWS_MSK_IAM');
    expect(script).toContain('export CLASSPATH=/jars/aws-msk-iam-auth.jar');
    const adds = script.split('\n').filter((l) => l.includes('kafka-acls.sh') && l.includes("'--add'"));
    expect(adds).toHaveLength(mirrorMakerAcls(props).length);
    expect(adds.every((l) => l.includes("'--allow-principal' 'User:mirrormaker'"))).toBe(true);
    expect(script).not.toMatch(/--remove|--cluster|--deny-principal/);
    // cdktf writes the script as an HCL heredoc ending at the first line `EOF`.
    expect(script).toContain('/tmp/iam.properties');
    expect(script.split('\n')).not.toContain('EOF');
  });

  test('pods are non-root with a read-only root filesystem', () => {
    const spec = (
      job.spec as { template: { spec: { container: { security_context: unknown }[]; init_container: unknown[] } } }
    ).template.spec;
    expect(spec.container[0].security_context).toMatchObject({
      run_as_non_root: true,
      read_only_root_filesystem: true,
      allow_privilege_escalation: false,
    });
    expect(spec.init_container).toHaveLength(1);
  });

  test.each([
    [
      'an unknown Strimzi version',
      () => strimziKafkaImage('0.99.0'),
      /No confirmed Strimzi Kafka image for operator 0\.99\.0/,
    ],
  ])('%s is rejected', (_name, build, message) => {
    expect(build).toThrow(message);
  });

  test('the configured Strimzi operator has a confirmed Kafka image', () => {
    expect(STRIMZI_KAFKA_IMAGES[production.workloads.charts.strimziKafkaOperator.version]).toMatch(
      /^quay\.io\/strimzi\/kafka:\d+\.\d+\.\d+-kafka-\d+\.\d+\.\d+$/,
    );
  });
});

describe('MskAclAdminRole', () => {
  test('IRSA for the Job only, allowed to manage ACLs on one cluster and nothing else', () => {
    const app = Testing.app();
    const s = new TerraformStack(app, 'test');
    new AwsProvider(s, 'aws', { region: 'eu-west-1' });
    new MskAclAdminRole(s, 'acl-admin', {
      clusterName: 'mi-production-eu-west-msk',
      clusterArn: 'arn:aws:kafka:eu-west-1:111111111111:cluster/mi-production-eu-west-msk/uuid-1',
      oidc: { providerArn: 'arn:aws:iam::111111111111:oidc-provider/oidc.eks', issuerHost: 'oidc.eks/id/X' },
      partition: 'aws',
      namespace: 'kafka',
    });
    const stack = JSON.parse(Testing.synth(s)) as StackJson;
    const [role] = resources(stack, 'aws_iam_role');
    expect(role.name).toBe(mskAclAdminRoleName('mi-production-eu-west-msk'));
    const docs = Object.values(stack.data?.aws_iam_policy_document ?? {});
    const text = JSON.stringify(docs);
    expect(text).toContain('system:serviceaccount:kafka:msk-acl-admin');
    const permissions = docs.find((d) => JSON.stringify(d).includes('kafka-cluster:'));
    expect(JSON.stringify(permissions)).not.toMatch(/kafka-cluster:\*|ReadData|WriteData|Topic|Group/);
    expect(JSON.stringify(permissions)).toContain('kafka-cluster:AlterCluster');
  });
});

describe('wiring (production synth)', () => {
  test.each(production.regions.map((r) => r.key))(
    'workloads-%s: the ACL Job targets its own cluster on 9098, before MirrorMaker 2',
    (key) => {
      const stack = defaultSynth('production').stack(`workloads-${key}`);
      const jobs = resources(stack, 'kubernetes_job_v1').filter((j) =>
        String((j.metadata as { name: string }).name).startsWith('msk-acls-'),
      );
      expect(jobs).toHaveLength(1);
      const [container] = (
        jobs[0].spec as { template: { spec: { container: { env: { name: string; value: string }[] }[] } } }
      ).template.spec.container;
      const bootstrap = container.env.find((e) => e.name === 'BOOTSTRAP')!.value;
      expect(bootstrap).toMatch(/^\$\{data\.terraform_remote_state\.[^}]*bootstrap_brokers_sasl_iam\}$/);
      const releases = resources(stack, 'helm_release').filter((r) => r.name === 'kafka-replication');
      expect(releases).toHaveLength(1);
      expect(releases[0].depends_on).toEqual(expect.arrayContaining([expect.stringMatching(/^kubernetes_job_v1\./)]));
    },
  );
});
