import { TerraformStack, Testing } from 'cdktf';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { SecurityGroup } from '@cdktf/provider-aws/lib/security-group';
import { nodeEgressAllowList, NodeNetworkRules, type StoreDestination } from '../modules/eks/node-network';
import { RegionalKey } from '../modules/kms/regional-key';
import { ECR_PULL_ACTIONS, endpointPolicyStatements, externalReadBuckets } from '../modules/network/endpoint-policies';
import { Network } from '../modules/network/network';
import { production } from '../src/config/environments/production';
import { nodeEgressStores } from '../src/parts/node-egress';
import { resolvePlan } from '../src/plan/resolve';
import { defaultSynth } from './support/shared-synth';
import { resources, type StackJson } from './support/synth';

type Body = Record<string, unknown>;
type Statement = { sid?: string; actions: string[]; resources: string[]; condition?: Body[]; principals?: Body[] };

const STORES: StoreDestination[] = [
  { name: 'home', cidr: '10.20.0.0/16', ports: [6379, 5432, 5432] },
  { name: 'peer', cidr: '10.30.0.0/16', ports: [9096] },
];

/** GIVEN the node rules on a small stack. */
function nodeRulesStack(stores: readonly StoreDestination[] = STORES): { json: StackJson; rules: NodeNetworkRules } {
  const stack = new TerraformStack(Testing.app(), 'nodes');
  new AwsProvider(stack, 'aws', { region: 'eu-west-1' });
  const nodeSecurityGroup = new SecurityGroup(stack, 'node-sg', { name: 'nodes', vpcId: 'vpc-1' });
  const rules = new NodeNetworkRules(stack, 'node-network', {
    nodeSecurityGroup,
    clusterSecurityGroupId: 'sg-cluster',
    stores,
  });
  return { json: JSON.parse(Testing.synth(stack)) as StackJson, rules };
}

const egressOf = (json: StackJson) =>
  resources(json, 'aws_vpc_security_group_egress_rule').map((r) => ({
    protocol: r.ip_protocol,
    ports: r.from_port === undefined ? 'all' : `${String(r.from_port)}-${String(r.to_port)}`,
    to: r.cidr_ipv4 ?? r.referenced_security_group_id,
  }));

describe('node egress allow-list', () => {
  const { json } = nodeRulesStack();

  test('HTTPS out, the API server, the nodes themselves and each store port: nothing else', () => {
    expect(egressOf(json)).toEqual(
      expect.arrayContaining([
        { protocol: '-1', ports: 'all', to: expect.stringMatching(/^\$\{aws_security_group\.node-sg\.id\}$/) },
        { protocol: 'tcp', ports: '443-443', to: 'sg-cluster' },
        { protocol: 'tcp', ports: '443-443', to: '0.0.0.0/0' },
        { protocol: 'tcp', ports: '5432-5432', to: '10.20.0.0/16' },
        { protocol: 'tcp', ports: '6379-6379', to: '10.20.0.0/16' },
        { protocol: 'tcp', ports: '9096-9096', to: '10.30.0.0/16' },
      ]),
    );
    // A duplicate port is one rule; a store port opens only towards its own range.
    expect(egressOf(json)).toHaveLength(6);
  });

  test('every protocol leaves only towards the node group itself; the world gets 443 only', () => {
    const all = egressOf(json).filter((r) => r.protocol === '-1');
    expect(all).toEqual([expect.objectContaining({ to: expect.stringContaining('aws_security_group.node-sg') })]);
    expect(egressOf(json).filter((r) => r.to === '0.0.0.0/0')).toEqual([
      { protocol: 'tcp', ports: '443-443', to: '0.0.0.0/0' },
    ]);
  });

  test('ingress: the nodes themselves, the control plane on 443 and 1025-65535; the API server admits the nodes on 443', () => {
    const ingress = resources(json, 'aws_vpc_security_group_ingress_rule').map((r) => [
      r.security_group_id,
      r.ip_protocol,
      r.from_port ?? 'all',
      r.to_port ?? 'all',
      r.referenced_security_group_id,
    ]);
    const nodes = expect.stringContaining('aws_security_group.node-sg');
    expect(ingress).toEqual(
      expect.arrayContaining([
        [nodes, '-1', 'all', 'all', nodes],
        [nodes, 'tcp', 443, 443, 'sg-cluster'],
        [nodes, 'tcp', 1025, 65535, 'sg-cluster'],
        ['sg-cluster', 'tcp', 443, 443, nodes],
      ]),
    );
    expect(ingress).toHaveLength(4);
  });

  test('without stores: HTTPS, the API server and the nodes only', () => {
    expect(nodeEgressAllowList([]).map((a) => a.id)).toEqual(['nodes', 'cluster-api', 'https']);
  });

  test('more rules than the security group quota fail synth', () => {
    const many = Array.from({ length: 15 }, (_, i) => ({ name: `r${i}`, cidr: `10.${i}.0.0/16`, ports: [1, 2, 3, 4] }));
    const { rules } = nodeRulesStack(many);
    expect(rules.node.validate()).toEqual([expect.stringMatching(/63 egress rules .* exceed the default quota of 60/)]);
    expect(nodeRulesStack().rules.node.validate()).toEqual([]);
  });

  test.each<[StoreDestination[], RegExp]>([
    [[{ name: 'x', cidr: '0.0.0.0/0', ports: [5432] }], /expected a private IPv4 CIDR, got 0\.0\.0\.0\/0/],
    [[{ name: 'x', cidr: '52.1.0.0/16', ports: [5432] }], /expected a private IPv4 CIDR, got 52\.1\.0\.0\/16/],
    [[{ name: 'x', cidr: '10.0.0.0/16', ports: [0] }], /expected TCP ports from 1 to 65535, got 0/],
    [
      [
        { name: 'x', cidr: '10.0.0.0/16', ports: [1] },
        { name: 'x', cidr: '10.1.0.0/16', ports: [1] },
      ],
      /destination x is listed twice/,
    ],
  ])('refuses %j', (stores, message) => {
    expect(() => nodeEgressAllowList(stores)).toThrow(message);
  });
});

describe('nodeEgressStores (plan: data paths)', () => {
  const plan = resolvePlan(production);

  test.each(plan.regions.map((r) => r.key))('%s: every platform VPC, on the ports of its data paths', (key) => {
    const region = plan.regions.find((r) => r.key === key)!;
    const stores = nodeEgressStores(plan, region);
    expect(stores.map((s) => [s.name, s.cidr])).toEqual(plan.regions.map((r) => [r.key, r.vpcCidr]));
    const pathPorts = [...new Set(plan.dataPaths.filter((p) => p.from === key).map((p) => p.port))];
    expect(pathPorts.length).toBeGreaterThan(0);
    for (const store of stores) {
      expect(store.ports).toEqual(expect.arrayContaining(pathPorts));
      // The MSK exporters only in the region's own VPC (Prometheus scrapes its own brokers).
      expect(store.ports.includes(11001)).toBe(store.name === key);
    }
  });
});

describe('VPC endpoint policies', () => {
  const input = { accountId: '111111111111', partition: 'aws', region: 'eu-west-1' };
  const sids = (service: string) => endpointPolicyStatements({ ...input, service }).map((s) => s.Sid);

  test("every endpoint: the account's resources and AWS services, both by condition", () => {
    const [own, services] = endpointPolicyStatements({ ...input, service: 'sts' });
    expect(own).toEqual(
      expect.objectContaining({
        Action: '*',
        Resource: '*',
        Condition: { StringEquals: { 'aws:ResourceAccount': '111111111111' } },
      }),
    );
    expect(services.Condition).toEqual({ Bool: { 'aws:PrincipalIsAWSService': 'true' } });
    expect(sids('sts')).toEqual(['OwnAccountResources', 'AwsServicesOnOurBehalf']);
    expect(sids('kms')).toEqual(sids('sts'));
  });

  test('S3: GetObject on the named external buckets (ECR layers, AL2023 repos, registry.k8s.io) and the extra ones', () => {
    const statements = endpointPolicyStatements({ ...input, service: 's3', extraReadBuckets: ['vendor-layers'] });
    const read = statements.find((s) => s.Sid === 'ReadNamedExternalBuckets')!;
    expect(read.Action).toBe('s3:GetObject');
    expect(read.Resource).toEqual([
      'arn:aws:s3:::prod-eu-west-1-starport-layer-bucket/*',
      'arn:aws:s3:::al2023-repos-eu-west-1-de612dc2/*',
      'arn:aws:s3:::prod-registry-k8s-io-eu-west-1/*',
      'arn:aws:s3:::vendor-layers/*',
    ]);
    expect(externalReadBuckets('ap-east-2').map((b) => b.bucket)).toContain('prod-ap-east-2-starport-layer-bucket');
  });

  test.each(['ecr.api', 'ecr.dkr'])(
    '%s: this account pulls from any registry (EKS add-on images), nothing more',
    (service) => {
      const pull = endpointPolicyStatements({ ...input, service }).find(
        (s) => s.Sid === 'OwnPrincipalsPullFromAnyRegistry',
      )!;
      expect(pull.Action).toEqual([...ECR_PULL_ACTIONS]);
      expect(pull.Condition).toEqual({ StringEquals: { 'aws:PrincipalAccount': '111111111111' } });
      expect(ECR_PULL_ACTIONS.some((a) => /Put|Upload|Delete|Create/.test(a))).toBe(false);
    },
  );

  test('the Network module puts a policy on every gateway and interface endpoint', () => {
    const stack = new TerraformStack(Testing.app(), 'net');
    new AwsProvider(stack, 'aws', { region: 'eu-west-1' });
    const kmsKey = new RegionalKey(stack, 'kms', {
      aliasName: 'test',
      description: 'test',
      region: 'eu-west-1',
      accountId: '111111111111',
      partition: 'aws',
    });
    new Network(stack, 'network', {
      name: 'mi-test-eu-west',
      region: 'eu-west-1',
      cidr: '10.20.0.0/16',
      azCount: 2,
      natGateways: 'single',
      flowLogRetentionDays: 365,
      interfaceEndpoints: ['sts', 'ecr.dkr'],
      kmsKey,
      accountId: '111111111111',
    });
    const json = JSON.parse(Testing.synth(stack)) as StackJson;
    const endpoints = resources(json, 'aws_vpc_endpoint');
    expect(endpoints).toHaveLength(4);
    const documents = json.data!.aws_iam_policy_document as Record<string, { statement: Statement[] }>;
    for (const endpoint of endpoints) {
      const name = /^\$\{data\.aws_iam_policy_document\.([^.]+)\.json\}$/.exec(String(endpoint.policy))?.[1];
      expect(name).toBeDefined();
      const own = documents[name!].statement.find((s) => s.sid === 'OwnAccountResources');
      expect(own?.condition).toEqual([
        { test: 'StringEquals', variable: 'aws:ResourceAccount', values: ['111111111111'] },
      ]);
    }
  });
});

describe('egress on the default production synth', () => {
  const synth = defaultSynth('production');
  const plan = resolvePlan(production);

  test.each(plan.regions.map((r) => r.key))(
    '%s: nodes carry the node group only, its egress has no all-protocol world rule',
    (key) => {
      const json = synth.stack(`region-${key}`);
      const templates = resources(json, 'aws_launch_template');
      expect(templates.length).toBeGreaterThan(0);
      for (const t of templates)
        expect(t.vpc_security_group_ids).toEqual([expect.stringMatching(/aws_security_group\.eks_node-sg_/)]);
      const world = resources(json, 'aws_vpc_security_group_egress_rule').filter((r) => r.cidr_ipv4 === '0.0.0.0/0');
      expect(world).toEqual([expect.objectContaining({ ip_protocol: 'tcp', from_port: 443, to_port: 443 })]);
      const endpoints = resources(json, 'aws_vpc_endpoint');
      expect(endpoints.length).toBeGreaterThan(2);
      expect(
        endpoints.filter((e) => typeof e.policy !== 'string' || !/aws_iam_policy_document/.test(e.policy)),
      ).toEqual([]);
    },
  );
});
