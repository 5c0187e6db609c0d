import { checkResources } from '../../src/policy/engine';
import { RULES } from '../../src/policy/rules';
import { expandAction } from '../../src/policy/iam-actions';
import type { ResourceView } from '../../src/policy/types';
import { resourceView } from '../support/policy-views';

/** A synthesized resource as the pack sees it; `name` makes the Terraform address. */
const res = resourceView;

/** The problems `ruleId` finds in `resources` (other rules ignored). */
const problems = (ruleId: string, resources: ResourceView[]) =>
  checkResources(
    resources,
    RULES.filter((r) => r.id === ruleId),
  ).map((f) => f.problem);

type DocStatement = Record<string, unknown>;
const doc = (name: string, ...statement: DocStatement[]) => res('data.aws_iam_policy_document', { statement }, name);
const allow = (actions: string[], resources: string[], extra: DocStatement = {}): DocStatement => ({
  effect: 'Allow',
  actions,
  resources,
  ...extra,
});
const anyone = { principals: [{ type: '*', identifiers: ['*'] }] };
const cond = (test: string, variable: string, values: string[]) => ({ condition: [{ test, variable, values }] });

describe('MRP-IAM-7: resource-level actions on "*" (AWS action data)', () => {
  test.each<[string, DocStatement, string[]]>([
    [
      'a read action that takes prefix-list ARNs',
      allow(['ec2:GetManagedPrefixListEntries'], ['*']),
      ['ec2:GetManagedPrefixListEntries on "*"'],
    ],
    ['s3:GetObject on "*"', allow(['s3:GetObject'], ['*']), ['s3:GetObject']],
    ['a wildcard that expands to resource-level actions', allow(['sqs:Send*'], ['*']), ['sqs:SendMessage']],
    // Describe* grants the few Describe actions that do take ARNs: list the ones needed instead.
    ['ec2:Describe*', allow(['ec2:Describe*'], ['*']), ['ec2:DescribeInstanceAttribute', 'ec2:DescribeVpcAttribute']],
  ])('flags %s', (_name, statement, expected) => {
    const found = problems('MRP-IAM-7', [doc('d', statement)]);
    expect(found).toHaveLength(1);
    for (const text of expected) expect(found[0]).toContain(text);
  });

  test.each<[string, DocStatement]>([
    [
      'the same action on prefix-list ARNs',
      allow(['ec2:GetManagedPrefixListEntries'], ['arn:aws:ec2:eu-west-1:*:prefix-list/*']),
    ],
    [
      'Describe calls (no resource-level permissions) on "*"',
      allow(['ec2:DescribeInstances', 'ec2:DescribeVpcs'], ['*']),
    ],
    ['"*" actions (MRP-IAM-1 decides)', allow(['*'], ['*'])],
    [
      'a statement scoped by a resource-tag condition',
      allow(
        ['autoscaling:SetDesiredCapacity'],
        ['*'],
        cond('StringEquals', 'aws:ResourceTag/k8s.io/cluster', ['owned']),
      ),
    ],
    ['a resource policy (it names principals)', allow(['s3:GetObject'], ['*'], anyone)],
    ['a Deny', { effect: 'Deny', actions: ['s3:DeleteObject'], resources: ['*'] }],
    ['an action of a service the data does not know', allow(['madeup:DoThing'], ['*'])],
  ])('accepts %s', (_name, statement) => {
    expect(problems('MRP-IAM-7', [doc('d', statement)])).toEqual([]);
  });

  test('literal JSON role policies are read too', () => {
    const policy = JSON.stringify({ Statement: [{ Effect: 'Allow', Action: 'kms:Decrypt', Resource: '*' }] });
    expect(problems('MRP-IAM-7', [res('aws_iam_role_policy', { policy })])).toEqual([
      expect.stringContaining('kms:Decrypt on "*"'),
    ]);
  });

  test('the action data answers access level and resource-level support', () => {
    expect(expandAction('ec2:GetManagedPrefixListEntries')).toEqual([
      { name: 'ec2:GetManagedPrefixListEntries', accessLevel: 'Read', resourceLevel: true },
    ]);
    expect(expandAction('ec2:DescribeVpcs')?.[0].resourceLevel).toBe(false);
    expect(expandAction('nosuchservice:Get')).toBeUndefined();
  });
});

describe('MRP-VPC-1: endpoint policies present and scoped', () => {
  const endpoint = (policy?: string) => res('aws_vpc_endpoint', { vpc_id: 'vpc-1', policy }, 'e');
  const withDoc = (...statement: DocStatement[]) => [
    endpoint('${data.aws_iam_policy_document.p.json}'),
    doc('p', ...statement),
  ];
  const own = allow(['*'], ['*'], { ...anyone, ...cond('StringEquals', 'aws:ResourceAccount', ['111111111111']) });

  test('an endpoint without a policy is flagged', () => {
    expect(problems('MRP-VPC-1', [endpoint()])).toEqual([expect.stringMatching(/^no endpoint policy/)]);
  });

  test.each<[string, DocStatement[]]>([
    ['own resources only', [own]],
    ['AWS services', [allow(['*'], ['*'], { ...anyone, ...cond('Bool', 'aws:PrincipalIsAWSService', ['true']) })]],
    [
      'reads of named buckets',
      [own, allow(['s3:GetObject'], ['arn:aws:s3:::prod-eu-west-1-starport-layer-bucket/*'], anyone)],
    ],
    [
      'image pulls (Read actions) by the account from any registry',
      [
        own,
        allow(['ecr:BatchGetImage', 'ecr:GetDownloadUrlForLayer'], ['*'], {
          ...anyone,
          ...cond('StringEquals', 'aws:PrincipalAccount', ['111111111111']),
        }),
      ],
    ],
  ])('accepts %s', (_name, statements) => {
    expect(problems('MRP-VPC-1', withDoc(...statements))).toEqual([]);
  });

  test.each<[string, DocStatement]>([
    ['the default policy (everything, anyone)', allow(['*'], ['*'], anyone)],
    [
      'writes from the account to any account',
      allow(['ecr:PutImage'], ['*'], { ...anyone, ...cond('StringEquals', 'aws:PrincipalAccount', ['111111111111']) }),
    ],
    [
      'a wildcard read-looking action from the account',
      allow(['ecr:Get*'], ['*'], { ...anyone, ...cond('StringEquals', 'aws:PrincipalAccount', ['111111111111']) }),
    ],
    ['reads without a principal condition', allow(['ecr:BatchGetImage'], ['*'], anyone)],
  ])('flags %s', (_name, statement) => {
    expect(problems('MRP-VPC-1', withDoc(own, statement))).toEqual([
      expect.stringMatching(/has no aws:ResourceAccount \(or aws:PrincipalIsAWSService\) condition/),
    ]);
  });

  test('a literal JSON endpoint policy is read as well', () => {
    const policy = JSON.stringify({ Statement: [{ Effect: 'Allow', Principal: '*', Action: '*', Resource: '*' }] });
    expect(problems('MRP-VPC-1', [endpoint(policy)])).toHaveLength(1);
  });
});

describe('MRP-VPC-2: no all-protocol or all-port egress to the world', () => {
  const rule = (attributes: Record<string, unknown>) =>
    res('aws_vpc_security_group_egress_rule', { security_group_id: 'sg-1', ...attributes }, 'out');

  test.each<[string, ResourceView]>([
    ['every protocol to 0.0.0.0/0', rule({ ip_protocol: '-1', cidr_ipv4: '0.0.0.0/0' })],
    ['every protocol to ::/0', rule({ ip_protocol: '-1', cidr_ipv6: '::/0' })],
    ['every TCP port to 0.0.0.0/0', rule({ ip_protocol: 'tcp', from_port: 0, to_port: 65535, cidr_ipv4: '0.0.0.0/0' })],
    [
      'an inline egress block (the AWS default)',
      res('aws_security_group', { egress: [{ protocol: '-1', from_port: 0, to_port: 0, cidr_blocks: ['0.0.0.0/0'] }] }),
    ],
    [
      'a legacy rule',
      res('aws_security_group_rule', {
        type: 'egress',
        protocol: 'all',
        from_port: 0,
        to_port: 0,
        cidr_blocks: ['0.0.0.0/0'],
      }),
    ],
  ])('flags %s', (_name, resource) => {
    expect(problems('MRP-VPC-2', [resource])).toHaveLength(1);
  });

  test.each<[string, ResourceView]>([
    ['HTTPS to the world', rule({ ip_protocol: 'tcp', from_port: 443, to_port: 443, cidr_ipv4: '0.0.0.0/0' })],
    ['every protocol to a private range', rule({ ip_protocol: '-1', cidr_ipv4: '10.0.0.0/8' })],
    ['every protocol to a security group', rule({ ip_protocol: '-1', referenced_security_group_id: 'sg-2' })],
    [
      'an ingress rule from the world (MRP-EC2-1 decides)',
      res('aws_security_group_rule', { type: 'ingress', protocol: '-1', cidr_blocks: ['0.0.0.0/0'] }),
    ],
  ])('accepts %s', (_name, resource) => {
    expect(problems('MRP-VPC-2', [resource])).toEqual([]);
  });
});

describe('MRP-VPC-3: nodes do not carry the EKS cluster security group', () => {
  const cluster = res('aws_eks_cluster', { name: 'c' }, 'c');
  const template = (groups: string[]) => res('aws_launch_template', { vpc_security_group_ids: groups }, 'lt');
  const group = (launch?: Record<string, unknown>) =>
    res('aws_eks_node_group', { cluster_name: '${aws_eks_cluster.c.name}', launch_template: launch }, 'ng');
  const lt = { id: '${aws_launch_template.lt.id}', version: '1' };

  test('the node group of its own launch template is accepted', () => {
    expect(problems('MRP-VPC-3', [cluster, template(['${aws_security_group.nodes.id}']), group(lt)])).toEqual([]);
  });

  test.each<[string, ResourceView[]]>([
    ['no launch template (EKS adds the cluster group)', [cluster, group()]],
    ['a launch template without groups', [cluster, template([]), group(lt)]],
    [
      'the cluster group in the template',
      [
        cluster,
        template(['${aws_eks_cluster.c.vpc_config[0].cluster_security_group_id}', '${aws_security_group.nodes.id}']),
        group(lt),
      ],
    ],
  ])('flags %s', (_name, resources) => {
    expect(problems('MRP-VPC-3', resources)).toHaveLength(1);
  });
});

describe('MRP-K8S-1/2: pod security levels', () => {
  const ns = (name: string, labels: Record<string, string>) =>
    res('kubernetes_namespace_v1', { metadata: [{ name, labels }] }, name);
  const enforce = (level: string) => ({ 'pod-security.kubernetes.io/enforce': level });
  const agents = { 'platform/node-agents': 'true' };

  test.each([
    ['baseline', enforce('baseline')],
    ['restricted', enforce('restricted')],
    ['privileged in the node agents namespace', { ...enforce('privileged'), ...agents }],
  ])('accepts %s', (_name, labels) => {
    expect(problems('MRP-K8S-1', [ns('a', labels)])).toEqual([]);
  });

  test.each<[string, Record<string, string>, RegExp]>([
    ['privileged elsewhere', enforce('privileged'), /enforces privileged but is not the node agents' namespace/],
    ['no level', {}, /label pod-security\.kubernetes\.io\/enforce is undefined/],
    ['an unknown level', enforce('strict'), /is "strict", expected one of privileged, baseline, restricted/],
  ])('flags %s', (_name, labels, message) => {
    expect(problems('MRP-K8S-1', [ns('a', labels)])).toEqual([expect.stringMatching(message)]);
  });

  test('one node agents namespace per cluster', () => {
    const one = ns('node-agents', { ...enforce('privileged'), ...agents });
    expect(problems('MRP-K8S-2', [one, ns('monitoring', enforce('restricted'))])).toEqual([]);
    expect(problems('MRP-K8S-2', [one, ns('more-agents', { ...enforce('privileged'), ...agents })])).toEqual([
      expect.stringMatching(/a second node agents namespace/),
    ]);
  });
});

describe('accepted-risk rules (each suppressed with its reason where the platform accepts it)', () => {
  test.each<[string, ResourceView, ResourceView]>([
    [
      'MRP-RDS-9',
      res('aws_rds_cluster_instance', { auto_minor_version_upgrade: false }),
      res('aws_rds_cluster_instance', {}),
    ],
    [
      'MRP-CF-6',
      res('aws_cloudfront_distribution', { restrictions: [{ geo_restriction: [{ restriction_type: 'none' }] }] }),
      res('aws_cloudfront_distribution', {
        restrictions: [{ geo_restriction: [{ restriction_type: 'blacklist', locations: ['KP'] }] }],
      }),
    ],
    [
      'MRP-LAMBDA-3',
      res('aws_lambda_function', {}),
      res('aws_lambda_function', { vpc_config: [{ subnet_ids: ['subnet-1'], security_group_ids: ['sg-1'] }] }),
    ],
    ['MRP-LAMBDA-4', res('aws_lambda_function', {}), res('aws_lambda_function', { code_signing_config_arn: 'arn:x' })],
  ])('%s flags the first and accepts the second', (id, bad, good) => {
    expect(problems(id, [bad])).toHaveLength(1);
    expect(problems(id, [good])).toEqual([]);
  });
});
