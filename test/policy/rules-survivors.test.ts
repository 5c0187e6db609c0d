import { checkResources, createStackView } from '../../src/policy/engine';
import { RULES } from '../../src/policy/rules';
import { unscopedEndpointStatement } from '../../src/policy/rules/network';
import { boundToSource, dataClassOf, exemptsNamedPrincipals, keyPurposeOf } from '../../src/policy/rules/s3-protection';
import { jsonStatements, type Statement } from '../../src/policy/statements';
import type { ResourceView } from '../../src/policy/types';
import { resourceView as res } from '../support/policy-views';

// Branches of the KMS, network, S3 protection, load balancer, CloudFront, IAM, RDS, EC2, Route 53, S3, Backup, MSK, EKS and ElastiCache rules and of the readers that the other suites leave open (mutation testing,
// docs/testing.md): each case states the exact problem a rule reports, or that it reports none.

const byId = new Map(RULES.map((r) => [r.id, r]));
/** The problems rule `id` reports for `resources`. */
const problems = (id: string, resources: ResourceView[]) => {
  const rule = byId.get(id);
  if (!rule) throw new Error(`no rule ${id}`);
  return checkResources(resources, [rule]).map((f) => f.problem);
};
const doc = (name: string, statement: Record<string, unknown>[]) =>
  res('data.aws_iam_policy_document', { statement }, name);
const json = (...Statement: Record<string, unknown>[]) => JSON.stringify({ Version: '2012-10-17', Statement });

describe('MRP-KMS-5: key use by roles through a service only', () => {
  const roleDoc = (actions: string[], extra: Record<string, unknown> = {}) =>
    doc('role', [{ effect: 'Allow', actions, resources: ['arn:aws:kms:us-east-1:111122223333:key/k'], ...extra }]);
  const loose = (actions: string) => `a statement allows ${actions} without a kms:ViaService condition`;

  test('each data-key and crypto action, named exactly, needs kms:ViaService', () => {
    for (const action of ['kms:Decrypt', 'kms:Encrypt', 'kms:GenerateDataKey', 'kms:ReEncryptFrom', 'kms:ReEncryptTo'])
      expect(problems('MRP-KMS-5', [roleDoc([action])])).toEqual([loose(action)]);
    expect(problems('MRP-KMS-5', [roleDoc(['kms:DescribeKey'])])).toEqual([]);
  });

  test('the actions of every loose statement are named', () => {
    const d = doc('role', [
      { effect: 'Allow', actions: ['kms:Decrypt', 'kms:Encrypt'], resources: ['*'] },
      { effect: 'Allow', actions: ['kms:ReEncryptFrom'], resources: ['*'] },
    ]);
    expect(problems('MRP-KMS-5', [d])).toEqual([loose('kms:Decrypt, kms:Encrypt, kms:ReEncryptFrom')]);
  });

  test('only kms:ViaService scopes a grant; denies need none', () => {
    const other = { condition: [{ test: 'StringEquals', variable: 'aws:SourceVpc', values: ['vpc-1'] }] };
    expect(problems('MRP-KMS-5', [roleDoc(['kms:Decrypt'], other)])).toEqual([loose('kms:Decrypt')]);
    const via = { condition: [{ test: 'StringEquals', variable: 'kms:ViaService', values: ['s3.amazonaws.com'] }] };
    expect(problems('MRP-KMS-5', [roleDoc(['kms:Decrypt'], via)])).toEqual([]);
    expect(
      problems('MRP-KMS-5', [doc('deny', [{ effect: 'Deny', actions: ['kms:Decrypt'], resources: ['*'] }])]),
    ).toEqual([]);
  });

  test('literal JSON policies of managed and inline role policies are read', () => {
    const policy = json({ Effect: 'Allow', Action: 'kms:Decrypt', Resource: '*' });
    for (const type of ['aws_iam_policy', 'aws_iam_role_policy'])
      expect([type, problems('MRP-KMS-5', [res(type, { policy })])]).toEqual([type, [loose('kms:Decrypt')]]);
    const scoped = json({
      Effect: 'Allow',
      Action: 'kms:Decrypt',
      Resource: '*',
      Condition: { StringEquals: { 'kms:ViaService': 'sqs.us-east-1.amazonaws.com' } },
    });
    expect(problems('MRP-KMS-5', [res('aws_iam_policy', { policy: scoped })])).toEqual([]);
  });
});

describe('MRP-KMS-2: replica keys are kept too', () => {
  test('a replica key without prevent_destroy is flagged, one with it is not', () => {
    expect(problems('MRP-KMS-2', [res('aws_kms_replica_key', {})])).toEqual(['lifecycle.prevent_destroy is not true']);
    expect(problems('MRP-KMS-2', [res('aws_kms_replica_key', { lifecycle: { prevent_destroy: true } })])).toEqual([]);
  });
});

describe('MRP-KMS-3: audit and backup buckets on a key of their class', () => {
  const bucket = (tags: Record<string, string>) => res('aws_s3_bucket', { bucket: 'b', tags }, 'b');
  const key = (name: string, purpose: string) => res('aws_kms_key', { tags: { 'key-purpose': purpose } }, name);
  const sse = (...rules: Record<string, unknown>[]) =>
    res('aws_s3_bucket_server_side_encryption_configuration', { bucket: '${aws_s3_bucket.b.id}', rule: rules }, 'sse');
  const byKey = (name: string) => ({
    apply_server_side_encryption_by_default: {
      sse_algorithm: 'aws:kms',
      kms_master_key_id: `\${aws_kms_key.${name}.arn}`,
    },
  });
  const wrong = 'audit bucket is not encrypted with a key of this stack tagged key-purpose=audit';

  test('a bucket without a data class is not its concern', () => {
    expect(problems('MRP-KMS-3', [bucket({}), sse(byKey('k')), key('k', 'general')])).toEqual([]);
    expect(problems('MRP-KMS-3', [bucket({})])).toEqual([]);
  });

  test('no encryption configuration at all, or a rule without a default key, is flagged', () => {
    expect(problems('MRP-KMS-3', [bucket({ 'data-class': 'audit' })])).toEqual([wrong]);
    expect(problems('MRP-KMS-3', [bucket({ 'data-class': 'audit' }), sse({ bucket_key_enabled: true })])).toEqual([
      wrong,
    ]);
  });

  test('every rule must use a key of the class', () => {
    const keys = [key('audit', 'audit'), key('general', 'general')];
    expect(problems('MRP-KMS-3', [bucket({ 'data-class': 'audit' }), sse(byKey('audit')), ...keys])).toEqual([]);
    expect(
      problems('MRP-KMS-3', [bucket({ 'data-class': 'audit' }), sse(byKey('audit'), byKey('general')), ...keys]),
    ).toEqual([wrong]);
  });
});

describe('MRP-KMS-4: service grants in key policies bound to their source', () => {
  const key = (...statements: Record<string, unknown>[]) => res('aws_kms_key', { policy: json(...statements) }, 'k');
  const grant = (Principal: unknown, Effect = 'Allow') => ({ Effect, Action: 'kms:Decrypt', Resource: '*', Principal });

  test('account principals and denies are not service grants', () => {
    expect(problems('MRP-KMS-4', [key(grant({ AWS: 'arn:aws:iam::111122223333:root' }))])).toEqual([]);
    expect(problems('MRP-KMS-4', [key(grant({ Service: 'logs.amazonaws.com' }, 'Deny'))])).toEqual([]);
  });

  test('a loose service grant names every principal of the statement', () => {
    expect(
      problems('MRP-KMS-4', [
        key(grant({ AWS: 'arn:aws:iam::111122223333:root', Service: ['logs.amazonaws.com', 'sns.amazonaws.com'] })),
      ]),
    ).toEqual([
      'key policy grants AWS:arn:aws:iam::111122223333:root, Service:logs.amazonaws.com, Service:sns.amazonaws.com without aws:SourceArn or an ARN in the encryption context',
    ]);
  });
});

describe('MRP-VPC-1: which endpoint statements count as scoped', () => {
  const statement = (s: Partial<Statement>): Statement => ({
    effect: 'Allow',
    actions: ['s3:GetObject'],
    notActions: [],
    resources: ['*'],
    notResources: [],
    principals: ['*:*'],
    hasPrincipals: true,
    conditions: [],
    ...s,
  });
  const condition = (variable: string) => ({ test: 'StringEquals', variable, values: ['x'] });
  const unscoped = (actions: string[]) =>
    `statement ${JSON.stringify(actions)} on "*" has no aws:ResourceAccount (or aws:PrincipalIsAWSService) condition`;
  const account = [condition('aws:PrincipalAccount')];

  test('denies are never unscoped', () => {
    expect(unscopedEndpointStatement(statement({ effect: 'Deny' }))).toBeUndefined();
    expect(unscopedEndpointStatement(statement({}))).toBe(unscoped(['s3:GetObject']));
  });

  test('resource-account, organization and organization-path conditions scope a statement', () => {
    for (const variable of [
      'aws:ResourceAccount',
      'aws:ResourceOrgID',
      'aws:ResourceOrgPaths',
      'aws:PrincipalIsAWSService',
    ])
      expect([variable, unscopedEndpointStatement(statement({ conditions: [condition(variable)] }))]).toEqual([
        variable,
        undefined,
      ]);
    expect(unscopedEndpointStatement(statement({ conditions: [condition('aws:SourceVpc')] }))).toBe(
      unscoped(['s3:GetObject']),
    );
  });

  test('named resources scope it; no resources or NotResource do not', () => {
    expect(unscopedEndpointStatement(statement({ resources: ['arn:aws:s3:::b/*'] }))).toBeUndefined();
    expect(unscopedEndpointStatement(statement({ actions: ['s3:PutObject'], resources: [] }))).toBe(
      unscoped(['s3:PutObject']),
    );
    expect(
      unscopedEndpointStatement(statement({ actions: ['s3:PutObject'], resources: [], notResources: ['arn:x'] })),
    ).toBe(unscoped(['s3:PutObject']));
    expect(
      unscopedEndpointStatement(
        statement({ actions: ['s3:PutObject'], resources: ['arn:aws:s3:::b/*'], notResources: ['arn:x'] }),
      ),
    ).toBe(unscoped(['s3:PutObject']));
  });

  test("named Read or List actions for the account's or organization's principals are scoped", () => {
    for (const actions of [['ecr:BatchGetImage'], ['s3:ListBucket'], ['s3:GetObject', 's3:ListBucket']])
      expect([actions, unscopedEndpointStatement(statement({ actions, conditions: account }))]).toEqual([
        actions,
        undefined,
      ]);
    expect(
      unscopedEndpointStatement(
        statement({ actions: ['s3:GetObject'], conditions: [condition('aws:PrincipalOrgID')] }),
      ),
    ).toBeUndefined();
  });

  test('no actions, NotAction, a write, a wildcard or an unknown action are not read-only', () => {
    for (const s of [
      { actions: [] },
      { actions: ['s3:GetObject'], notActions: ['s3:PutObject'] },
      { actions: ['s3:GetObject', 's3:PutObject'] },
      { actions: ['ecr:BatchGetImag?'] },
      { actions: ['nosuchservice:GetThing'] },
      { actions: ['s3:NoSuchAction'] },
    ])
      expect([s, unscopedEndpointStatement(statement({ ...s, conditions: account }))]).toEqual([
        s,
        unscoped(s.actions),
      ]);
  });

  test('only a policy document data source is read as a document', () => {
    const endpoint = res('aws_vpc_endpoint', { policy: '${aws_iam_policy_document.d.json}' }, 'e');
    const notData = res(
      'aws_iam_policy_document',
      { statement: [{ effect: 'Allow', actions: ['s3:GetObject'], resources: ['arn:aws:s3:::b/*'] }] },
      'd',
    );
    expect(problems('MRP-VPC-1', [endpoint, notData])).toEqual([
      'no endpoint policy: the default lets any principal reach any account through the endpoint',
    ]);
  });
});

describe('MRP-VPC-2: world egress on every protocol or port', () => {
  const sg = (egress: Record<string, unknown>) =>
    problems('MRP-VPC-2', [res('aws_security_group', { egress: [egress] })]);
  const world = { cidr_blocks: ['0.0.0.0/0'], ipv6_cidr_blocks: ['::/0'] };

  test('each open range is named', () => {
    expect(sg({ ...world, protocol: '-1', from_port: 0, to_port: 0 })).toEqual([
      'egress to 0.0.0.0/0, ::/0 on every protocol',
    ]);
    expect(sg({ ...world, protocol: 'tcp', from_port: 0, to_port: 65535 })).toEqual([
      'egress to 0.0.0.0/0, ::/0 on every tcp port',
    ]);
    expect(sg({ cidr_blocks: ['0.0.0.0/0'], protocol: 'all' })).toEqual(['egress to 0.0.0.0/0 on every protocol']);
  });

  test('only the full port range counts as every port', () => {
    expect(sg({ ...world, protocol: 'udp', from_port: '0', to_port: '65535' })).toEqual([
      'egress to 0.0.0.0/0, ::/0 on every udp port',
    ]);
    for (const [from, to] of [
      [1, 65535],
      [0, 65534],
      [443, 443],
      [undefined, 65535],
      [0, undefined],
      ['${var.from}', 65535],
    ])
      expect([from, to, sg({ ...world, protocol: 'tcp', from_port: from, to_port: to })]).toEqual([from, to, []]);
  });

  test('egress to narrower ranges is no finding', () => {
    // Strict: a finding without a problem would be an undefined entry, which toEqual ignores.
    expect(sg({ cidr_blocks: ['10.0.0.0/8'], protocol: '-1' })).toStrictEqual([]);
    expect(sg({ ...world, protocol: 'tcp', from_port: 443, to_port: 443 })).toStrictEqual([]);
  });
});

describe('MRP-VPC-3: node groups and their launch templates', () => {
  const cluster = res('aws_eks_cluster', {}, 'eks');
  const template = (groups?: string[]) =>
    res('aws_launch_template', groups ? { vpc_security_group_ids: groups } : {}, 'lt');
  const group = (id: string) => res('aws_eks_node_group', { launch_template: [{ id }] }, 'ng');
  const none =
    'no launch template of this stack with security groups: EKS puts the cluster security group (allow-all egress) on the nodes';

  test('a referenced resource that is not a launch template is none', () => {
    const sgroup = res('aws_security_group', {}, 'lt');
    expect(problems('MRP-VPC-3', [cluster, sgroup, group('${aws_security_group.lt.id}')])).toEqual([none]);
  });

  test('a template without security groups is named', () => {
    for (const groups of [undefined, []])
      expect(problems('MRP-VPC-3', [cluster, template(groups), group('${aws_launch_template.lt.id}')])).toEqual([
        'aws_launch_template.lt lists no security group: EKS adds the cluster group',
      ]);
  });

  test("only this stack's cluster security group attribute counts", () => {
    const check = (g: string) => problems('MRP-VPC-3', [cluster, template([g]), group('${aws_launch_template.lt.id}')]);
    expect(check('${aws_eks_cluster.eks.vpc_config[0].cluster_security_group_id}')).toEqual([
      'aws_launch_template.lt puts the EKS cluster security group on the nodes: its EKS-managed rule lets everything out',
    ]);
    expect(check('${aws_eks_cluster.other.vpc_config[0].cluster_security_group_id}')).toEqual([]);
    expect(check('${aws_eks_cluster.eks.id}')).toEqual([]);
  });
});

describe('S3 protection readers', () => {
  const tagged = (tags: unknown) => res('aws_s3_bucket', tags === undefined ? {} : { tags }, 'b');
  const statement = (s: Partial<Statement>): Statement => ({
    effect: 'Allow',
    actions: ['kms:Decrypt'],
    notActions: [],
    resources: ['*'],
    notResources: [],
    principals: ['Service:logs.amazonaws.com'],
    hasPrincipals: true,
    conditions: [],
    ...s,
  });
  const c = (test: string, variable: string, values: string[] = ['x']) => ({ test, variable, values });

  test('data class and key purpose: string tags only', () => {
    expect(dataClassOf(tagged({ 'data-class': 'audit' }))).toBe('audit');
    expect(dataClassOf(tagged({ 'data-class': 1 }))).toBeUndefined();
    expect(dataClassOf(tagged(undefined))).toBeUndefined();
    expect(keyPurposeOf(res('aws_kms_key', { tags: { 'key-purpose': 'backup' } }))).toBe('backup');
    expect(keyPurposeOf(res('aws_kms_key', { tags: { 'key-purpose': true } }))).toBeUndefined();
    expect(keyPurposeOf(undefined)).toBeUndefined();
  });

  test('named-principal exemptions: a negated ARN or string test of aws:PrincipalArn', () => {
    for (const test of ['ArnNotLike', 'ArnNotEquals', 'StringNotLike', 'StringNotEquals'])
      expect([test, exemptsNamedPrincipals(statement({ conditions: [c(test, 'aws:PrincipalArn')] }))]).toEqual([
        test,
        true,
      ]);
    for (const condition of [
      c('ArnLike', 'aws:PrincipalArn'),
      c('StringNotEquals', 'aws:SourceVpc'),
      c('ForAnyValue:StringNotLike', 'aws:PrincipalArn'),
    ])
      expect([condition, exemptsNamedPrincipals(statement({ conditions: [condition] }))]).toEqual([condition, false]);
  });

  test('bound to the source: aws:SourceArn or an encryption-context ARN with values, among other conditions', () => {
    const other = c('StringEquals', 'aws:SourceAccount', ['111122223333']);
    expect(boundToSource(statement({ conditions: [other, c('ArnLike', 'aws:SourceArn')] }))).toBe(true);
    expect(boundToSource(statement({ conditions: [c('ArnLike', 'aws:SourceArn', [])] }))).toBe(false);
    const context = 'kms:EncryptionContext:aws:logs:arn';
    expect(boundToSource(statement({ conditions: [other, c('ArnLike', context)] }))).toBe(true);
    expect(boundToSource(statement({ conditions: [c('ArnLike', context, [])] }))).toBe(false);
    expect(boundToSource(statement({ conditions: [other] }))).toBe(false);
  });

  test('bound to the source: CreateGrant alone, for AWS resources only', () => {
    const forAws = c('Bool', 'kms:GrantIsForAWSResource', ['true']);
    const other = c('StringEquals', 'aws:SourceAccount', ['111122223333']);
    expect(boundToSource(statement({ actions: ['kms:CreateGrant'], conditions: [other, forAws] }))).toBe(true);
    expect(boundToSource(statement({ actions: [], conditions: [forAws] }))).toBe(false);
    expect(
      boundToSource(
        statement({ actions: ['kms:CreateGrant'], conditions: [c('Bool', 'aws:ViaAWSService', ['true'])] }),
      ),
    ).toBe(false);
    expect(
      boundToSource(
        statement({ actions: ['kms:CreateGrant'], conditions: [c('Bool', 'kms:GrantIsForAWSResource', ['false'])] }),
      ),
    ).toBe(false);
  });
});

describe('S3 protection rules', () => {
  const bucket = (attributes: Record<string, unknown> = {}) =>
    res('aws_s3_bucket', { bucket: 'b', ...attributes }, 'b');
  const audit = bucket({ tags: { 'data-class': 'audit' } });
  const policyOf = (...statements: Record<string, unknown>[]) =>
    res('aws_s3_bucket_policy', { bucket: '${aws_s3_bucket.b.id}', policy: json(...statements) }, 'p');
  const noLogs = 'bucket has no aws_s3_bucket_logging (server access logs) and is no access-log sink';
  const mustDeny = [
    's3:DeleteObjectVersion',
    's3:BypassGovernanceRetention',
    's3:PutLifecycleConfiguration',
    's3:PutReplicationConfiguration',
    's3:PutBucketObjectLockConfiguration',
    's3:PutBucketPolicy',
  ];
  const exempt = { ArnNotLike: { 'aws:PrincipalArn': 'arn:aws:iam::111122223333:role/break-glass' } };

  test('MRP-S3-9: inline logging counts; a policy denying the logging service makes no sink', () => {
    expect(problems('MRP-S3-9', [bucket({ logging: [{ target_bucket: 'sink' }] })])).toEqual([]);
    const logging = { Action: 's3:PutObject', Resource: '*', Principal: { Service: 'logging.s3.amazonaws.com' } };
    expect(problems('MRP-S3-9', [bucket(), policyOf({ Effect: 'Allow', ...logging })])).toEqual([]);
    expect(problems('MRP-S3-9', [bucket(), policyOf({ Effect: 'Deny', ...logging })])).toEqual([noLogs]);
  });

  test('MRP-S3-10: a lock configuration without a status is enabled; the class is named', () => {
    const lock = (attributes: Record<string, unknown>) =>
      res('aws_s3_bucket_object_lock_configuration', { bucket: '${aws_s3_bucket.b.id}', ...attributes }, 'lock');
    const backup = bucket({ tags: { 'data-class': 'backup' } });
    expect(problems('MRP-S3-10', [backup, lock({})])).toEqual([]);
    expect(problems('MRP-S3-10', [backup, lock({ object_lock_enabled: 'Disabled' })])).toEqual([
      'backup bucket has no Object Lock configuration',
    ]);
    expect(problems('MRP-S3-10', [bucket()])).toEqual([]);
  });

  test('MRP-S3-11: only denies to everyone count; the missing actions are named', () => {
    const all = (Effect: string, Principal: unknown) => ({
      Effect,
      Action: mustDeny,
      Resource: '*',
      Principal,
      Condition: exempt,
    });
    const missing = (actions: string[]) =>
      `bucket policy does not deny ${actions.join(', ')} to all but named principals`;
    expect(problems('MRP-S3-11', [audit, policyOf(all('Deny', '*'))])).toEqual([]);
    expect(problems('MRP-S3-11', [audit, policyOf(all('Allow', '*'))])).toEqual([missing(mustDeny)]);
    expect(problems('MRP-S3-11', [audit, policyOf(all('Deny', { AWS: 'arn:aws:iam::1:root' }))])).toEqual([
      missing(mustDeny),
    ]);
    expect(problems('MRP-S3-11', [audit, policyOf({ ...all('Deny', '*'), Action: mustDeny.slice(0, 4) })])).toEqual([
      missing(mustDeny.slice(4)),
    ]);
    expect(problems('MRP-S3-11', [bucket()])).toEqual([]);
  });

  test('MRP-S3-12: rules without a delete-marker block copy none; each copying rule is named', () => {
    const replication = (...rule: Record<string, unknown>[]) =>
      problems('MRP-S3-12', [res('aws_s3_bucket_replication_configuration', { bucket: 'b', rule })]);
    const copying = (id: string) => ({ id, delete_marker_replication: [{ status: 'Enabled' }] });
    expect(replication({ id: 'plain', status: 'Enabled' })).toEqual([]);
    expect(replication(copying('a'), { id: 'c' }, copying('b'))).toEqual(['rule a, b replicates delete markers']);
  });
});

describe('load balancer and CloudFront TLS policies', () => {
  test('the classic aws_alb names are checked like aws_lb', () => {
    expect(problems('MRP-LB-4', [res('aws_alb', {})])).toEqual(['drop_invalid_header_fields is not true']);
    expect(problems('MRP-LB-1', [res('aws_alb', { access_logs: { enabled: true, bucket: 'logs' } })])).toEqual([]);
    expect(problems('MRP-LB-2', [res('aws_alb_listener', { protocol: 'HTTPS' })])).toEqual([
      'ssl_policy is unset (ELBSecurityPolicy-2016-08), expected a TLS 1.2+ policy such as ELBSecurityPolicy-TLS13-1-2-2021-06',
    ]);
  });

  test('MRP-LB-2: a TLS 1.2+ policy name only as the whole string, from its start', () => {
    const listener = (ssl_policy: unknown) =>
      problems('MRP-LB-2', [res('aws_lb_listener', { protocol: 'TLS', ssl_policy })]);
    for (const policy of [
      'ELBSecurityPolicy-TLS13-1-2-2021-06',
      'ELBSecurityPolicy-TLS13-1-3-2021-06',
      'ELBSecurityPolicy-TLS-1-2-2017-01',
      'ELBSecurityPolicy-FS-1-2-Res-2020-10',
    ])
      expect([policy, listener(policy)]).toEqual([policy, []]);
    const expected = (shown: string) =>
      `ssl_policy is ${shown}, expected a TLS 1.2+ policy such as ELBSecurityPolicy-TLS13-1-2-2021-06`;
    for (const policy of ['Legacy-ELBSecurityPolicy-TLS13-1-2-2021-06', 'ELBSecurityPolicy-TLS13-1-1-2021-06'])
      expect(listener(policy)).toEqual([expected(policy)]);
    // Not a string (a list where one name belongs) is no policy name.
    expect(listener(['ELBSecurityPolicy-TLS13-1-2-2021-06'])).toEqual([
      expected('ELBSecurityPolicy-TLS13-1-2-2021-06'),
    ]);
  });

  test('MRP-CF-1: TLSv1.2_2021 exactly, or a TLSv1.3 policy, from the start', () => {
    const cert = (minimum_protocol_version: string) =>
      problems('MRP-CF-1', [
        res('aws_cloudfront_distribution', { viewer_certificate: [{ minimum_protocol_version }] }),
      ]);
    expect(cert('TLSv1.2_2021')).toEqual([]);
    expect(cert('TLSv1.3_2025')).toEqual([]);
    for (const version of ['xTLSv1.2_2021', 'TLSv1.2_2021x', 'SSLv3-TLSv1.3'])
      expect(cert(version)).toEqual([`minimum_protocol_version is ${version}, expected TLSv1.2_2021 or later`]);
  });
});

describe('readers of values that are not strings', () => {
  test('a JSON policy must be a string, not a list holding one', () => {
    const policy = JSON.stringify({ Statement: { Effect: 'Allow', Action: 'a:b', Resource: '*' } });
    expect(jsonStatements(policy)).toHaveLength(1);
    expect(jsonStatements([policy])).toEqual([]);
  });

  test('a stack view resolves only string references', () => {
    const bucket = res('aws_s3_bucket', {}, 'b');
    const stack = createStackView([bucket]);
    expect(stack.referenced('${aws_s3_bucket.b.id}')).toBe(bucket);
    for (const value of [['${aws_s3_bucket.b.id}'], 5, undefined, null, { ref: '${aws_s3_bucket.b.id}' }])
      expect([value, stack.referenced(value)]).toEqual([value, undefined]);
  });
});

describe('IAM rules: the problem each reports, and where they look', () => {
  const policyDoc = (...statement: Record<string, unknown>[]) => doc('d', statement);
  const star = { effect: 'Allow', actions: ['*'], resources: ['*'] };

  test('MRP-IAM-1 and MRP-IAM-2: their messages; user and group policies are read too', () => {
    expect(problems('MRP-IAM-1', [policyDoc(star)])).toEqual(['a statement allows "*" actions on "*" resources']);
    const policy = json({ Effect: 'Allow', Action: '*', Resource: '*' });
    for (const type of ['aws_iam_user_policy', 'aws_iam_group_policy'])
      expect([type, problems('MRP-IAM-1', [res(type, { policy })])]).toEqual([
        type,
        ['a statement allows "*" actions on "*" resources'],
      ]);
    expect(problems('MRP-IAM-2', [policyDoc({ ...star, actions: ['iam:PassRole'] })])).toEqual([
      'a statement allows iam:PassRole on "*"',
    ]);
  });

  test('MRP-IAM-3: any statement on "*" counts; every escalation action is named', () => {
    const named = { effect: 'Allow', actions: ['iam:PutUserPolicy'], resources: ['arn:aws:iam::1:user/u'] };
    expect(
      problems('MRP-IAM-3', [policyDoc(named, { ...star, actions: ['iam:CreateAccessKey', 'iam:PutRolePolicy'] })]),
    ).toEqual(['a statement allows iam:PutRolePolicy, iam:CreateAccessKey on "*"']);
    expect(problems('MRP-IAM-3', [policyDoc(named)])).toEqual([]);
  });

  test('MRP-IAM-4: every attachment type and role managed policies; each admin policy named', () => {
    const admin = 'arn:aws:iam::aws:policy/AdministratorAccess';
    for (const type of [
      'aws_iam_role_policy_attachment',
      'aws_iam_user_policy_attachment',
      'aws_iam_group_policy_attachment',
      'aws_iam_policy_attachment',
    ])
      expect([type, problems('MRP-IAM-4', [res(type, { policy_arn: admin })])]).toEqual([type, [`attaches ${admin}`]]);
    expect(
      problems('MRP-IAM-4', [
        res('aws_iam_role', {
          managed_policy_arns: [
            admin,
            'arn:aws:iam::aws:policy/ReadOnlyAccess',
            'arn:aws:iam::aws:policy/IAMFullAccess',
          ],
        }),
      ]),
    ).toEqual([`attaches ${admin}, arn:aws:iam::aws:policy/IAMFullAccess`]);
  });

  test('MRP-IAM-5: Principal "*" (in JSON or a document, among others) without a condition, in any statement', () => {
    const open = 'a statement allows Principal "*" without a condition';
    expect(
      problems('MRP-IAM-5', [
        res('aws_iam_policy', { policy: json({ Effect: 'Allow', Action: 'a:b', Principal: '*' }) }),
      ]),
    ).toEqual([open]);
    const everyoneAndAccount = [
      { type: 'AWS', identifiers: ['arn:aws:iam::111122223333:root'] },
      { type: '*', identifiers: ['*'] },
    ];
    const scoped = {
      effect: 'Allow',
      actions: ['a:b'],
      principals: [{ type: 'AWS', identifiers: ['arn:aws:iam::1:root'] }],
    };
    expect(
      problems('MRP-IAM-5', [policyDoc(scoped, { effect: 'Allow', actions: ['a:b'], principals: everyoneAndAccount })]),
    ).toEqual([open]);
    expect(problems('MRP-IAM-5', [policyDoc(scoped)])).toEqual([]);
  });
});

describe('RDS rules: boundaries, messages and resource types', () => {
  const instance = (attributes: Record<string, unknown>) => res('aws_db_instance', attributes, 'db');

  test('MRP-RDS-4: seven days is enough, fewer are named', () => {
    expect(problems('MRP-RDS-4', [instance({ backup_retention_period: 7 })])).toEqual([]);
    expect(problems('MRP-RDS-4', [instance({ backup_retention_period: 6 })])).toEqual([
      'backup_retention_period is 6, expected >= 7',
    ]);
    expect(problems('MRP-RDS-4', [instance({})])).toEqual(['backup_retention_period is unset (1 day), expected >= 7']);
  });

  test('MRP-RDS-5, MRP-RDS-9 and MRP-RDS-3 on plain DB instances and global clusters', () => {
    expect(problems('MRP-RDS-5', [instance({ publicly_accessible: true })])).toEqual(['publicly_accessible is true']);
    expect(problems('MRP-RDS-5', [instance({})])).toEqual([]);
    expect(problems('MRP-RDS-9', [instance({ auto_minor_version_upgrade: false })])).toEqual([
      'auto_minor_version_upgrade is false',
    ]);
    expect(problems('MRP-RDS-9', [instance({})])).toEqual([]);
    expect(problems('MRP-RDS-3', [res('aws_rds_global_cluster', {})])).toEqual([
      'deletion_protection is not true',
      'lifecycle.prevent_destroy is not true',
    ]);
  });

  test('MRP-RDS-2: a global cluster from an existing cluster inherits its encryption; an empty one declares it', () => {
    const global = (attributes: Record<string, unknown>) =>
      problems('MRP-RDS-2', [res('aws_rds_global_cluster', attributes)]);
    expect(global({ source_db_cluster_identifier: '${aws_rds_cluster.c.arn}' })).toStrictEqual([]);
    expect(global({ storage_encrypted: true })).toStrictEqual([]);
    expect(global({})).toEqual(['storage_encrypted is not true']);
  });

  test('MRP-RDS-7: no master password; a managed one needs a customer-managed key', () => {
    const kms = { master_user_secret_kms_key_id: '${aws_kms_key.k.arn}' };
    expect(problems('MRP-RDS-7', [instance({ password: 'x' })])).toEqual([
      'a master password is set (it would be stored in state)',
    ]);
    expect(problems('MRP-RDS-7', [instance({ manage_master_user_password: true })])).toEqual([
      'manage_master_user_password without a customer-managed master_user_secret_kms_key_id',
    ]);
    expect(problems('MRP-RDS-7', [instance({ manage_master_user_password: true, ...kms })])).toEqual([]);
    expect(problems('MRP-RDS-7', [instance({})])).toEqual([]);
  });

  test('MRP-RDS-10: a cluster on a DB (not cluster) parameter group is on none', () => {
    const group = res('aws_db_parameter_group', { family: 'aurora-postgresql15' }, 'g');
    const cluster = res(
      'aws_rds_cluster',
      { engine: 'aurora-postgresql', db_cluster_parameter_group_name: '${aws_db_parameter_group.g.name}' },
      'c',
    );
    expect(problems('MRP-RDS-10', [group, cluster])).toEqual([
      'db_cluster_parameter_group_name ${aws_db_parameter_group.g.name} is no aurora-postgresql parameter group of this stack',
    ]);
  });
});

describe('EC2 rules: messages and alternatives', () => {
  test('MRP-EC2-1: every world range of a refused rule is named', () => {
    expect(
      problems('MRP-EC2-1', [
        res('aws_security_group', {
          ingress: [
            { cidr_blocks: ['0.0.0.0/0'], ipv6_cidr_blocks: ['::/0'], protocol: 'tcp', from_port: 22, to_port: 22 },
          ],
        }),
      ]),
    ).toEqual(['ingress from 0.0.0.0/0, ::/0 on ports 22-22']);
  });

  test('MRP-EC2-2 and MRP-EC2-6: public IPs on subnets, default subnets and instances', () => {
    for (const type of ['aws_subnet', 'aws_default_subnet'])
      expect([type, problems('MRP-EC2-2', [res(type, { map_public_ip_on_launch: true })])]).toEqual([
        type,
        ['map_public_ip_on_launch is true'],
      ]);
    expect(problems('MRP-EC2-6', [res('aws_instance', { associate_public_ip_address: true })])).toEqual([
      'associate_public_ip_address is true',
    ]);
    expect(problems('MRP-EC2-6', [res('aws_instance', {})])).toEqual([]);
  });

  test('MRP-EC2-3 and MRP-EC2-4: instances and volumes are checked, each device named', () => {
    expect(problems('MRP-EC2-3', [res('aws_instance', { metadata_options: { http_tokens: 'optional' } })])).toEqual([
      'metadata_options.http_tokens is optional, expected required',
    ]);
    expect(problems('MRP-EC2-4', [res('aws_ebs_volume', { encrypted: true })])).toEqual([
      'the volume is not encrypted with a customer-managed kms_key_id',
    ]);
    expect(
      problems('MRP-EC2-4', [
        res('aws_launch_template', {
          block_device_mappings: [{ device_name: '/dev/xvda', ebs: [{ encrypted: true }] }],
        }),
      ]),
    ).toEqual(['block_device_mappings /dev/xvda is not encrypted with a customer-managed kms_key_id']);
  });

  test('MRP-EC2-7: a rule-free default group of this VPC, whichever other default groups exist', () => {
    const vpc = res('aws_vpc', {}, 'v');
    const defaultGroup = (name: string, vpcId: string, rules: Record<string, unknown> = {}) =>
      res('aws_default_security_group', { vpc_id: vpcId, ...rules }, name);
    const missing = ['VPC has no aws_default_security_group without rules'];
    expect(
      problems('MRP-EC2-7', [vpc, defaultGroup('mine', '${aws_vpc.v.id}'), defaultGroup('other', '${aws_vpc.w.id}')]),
    ).toEqual([]);
    expect(
      problems('MRP-EC2-7', [
        vpc,
        defaultGroup('mine', '${aws_vpc.v.id}', { egress: [{ cidr_blocks: ['10.0.0.0/8'] }] }),
      ]),
    ).toEqual(missing);
    expect(
      problems('MRP-EC2-7', [vpc, defaultGroup('mine', '${aws_vpc.v.id}', { ingress: [{ self: true }] })]),
    ).toEqual(missing);
  });
});

describe('Route 53: reference chains, signing keys, several DNSSEC resources, keys and query logs', () => {
  const zone = res('aws_route53_zone', { name: 'example.com' }, 'zone');
  const zoneId = '${aws_route53_zone.zone.zone_id}';
  const key = (name: string, attributes: Record<string, unknown> = {}) =>
    res(
      'aws_kms_key',
      { customer_master_key_spec: 'ECC_NIST_P256', key_usage: 'SIGN_VERIFY', ...attributes },
      name,
      'us-east-1',
    );
  const ksk = (name: string, keyName: string, attributes: Record<string, unknown> = {}) =>
    res(
      'aws_route53_key_signing_key',
      { hosted_zone_id: zoneId, key_management_service_arn: `\${aws_kms_key.${keyName}.arn}`, ...attributes },
      name,
    );
  const dnssec = (name: string, attributes: Record<string, unknown> = {}) =>
    res('aws_route53_hosted_zone_dnssec', { hosted_zone_id: zoneId, ...attributes }, name);
  const noDnssec = 'no aws_route53_hosted_zone_dnssec signs the zone';

  test('a zone id reached through at most three other resources', () => {
    const hop = (name: string, next: string) =>
      res('aws_test_hop', { hosted_zone_id: `\${${next}.hosted_zone_id}` }, name);
    const signing = [zone, key('k'), ksk('ksk', 'k')];
    const chain = (depth: number) => {
      const hops = Array.from({ length: depth }, (_, i) =>
        i === depth - 1
          ? res('aws_test_hop', { hosted_zone_id: zoneId }, `h${i}`)
          : hop(`h${i}`, `aws_test_hop.h${i + 1}`),
      );
      return [...signing, ...hops, dnssec('d', { hosted_zone_id: '${aws_test_hop.h0.hosted_zone_id}' })];
    };
    expect(problems('MRP-R53-1', chain(3))).toEqual([]);
    expect(problems('MRP-R53-1', chain(4))).toEqual([noDnssec]);
    // A cycle of references leads nowhere (and ends).
    const cycle = [hop('a', 'aws_test_hop.b'), hop('b', 'aws_test_hop.a')];
    expect(
      problems('MRP-R53-1', [
        ...signing,
        ...cycle,
        dnssec('d', { hosted_zone_id: '${aws_test_hop.a.hosted_zone_id}' }),
      ]),
    ).toEqual([noDnssec]);
  });

  test('a signing key needs both ECC_NIST_P256 (either spec attribute) and SIGN_VERIFY', () => {
    const check = (attributes: Record<string, unknown>) =>
      problems('MRP-R53-1', [zone, key('k', attributes), ksk('ksk', 'k'), dnssec('d')]);
    expect(check({ customer_master_key_spec: undefined, key_spec: 'ECC_NIST_P256' })).toEqual([]);
    expect(check({ key_usage: 'ENCRYPT_DECRYPT' })).toEqual([
      'aws_route53_key_signing_key.ksk: its KMS key is ECC_NIST_P256 / ENCRYPT_DECRYPT, expected ECC_NIST_P256 / SIGN_VERIFY',
    ]);
    expect(check({ customer_master_key_spec: undefined, key_spec: 'RSA_2048' })).toEqual([
      'aws_route53_key_signing_key.ksk: its KMS key is RSA_2048 / SIGN_VERIFY, expected ECC_NIST_P256 / SIGN_VERIFY',
    ]);
  });

  test('a signing key of unknown region (an ARN Terraform computes) is not refused for its region', () => {
    expect(
      problems('MRP-R53-1', [
        zone,
        res(
          'aws_route53_key_signing_key',
          { hosted_zone_id: zoneId, key_management_service_arn: '${var.key_arn}' },
          'ksk',
        ),
        dnssec('d'),
      ]),
    ).toStrictEqual([]);
  });

  test('one signing DNSSEC resource is enough; otherwise each status is named', () => {
    const signing = [zone, key('k'), ksk('ksk', 'k')];
    expect(problems('MRP-R53-1', [...signing, dnssec('a', { signing_status: 'NOT_SIGNING' }), dnssec('b')])).toEqual(
      [],
    );
    expect(
      problems('MRP-R53-1', [
        ...signing,
        dnssec('a', { signing_status: 'NOT_SIGNING' }),
        dnssec('b', { signing_status: 'NOT_SIGNING' }),
      ]),
    ).toEqual(['signing_status is NOT_SIGNING, NOT_SIGNING']);
  });

  test('one usable key-signing key is enough; otherwise every key is reported', () => {
    const symmetric = key('bad', { customer_master_key_spec: 'SYMMETRIC_DEFAULT', key_usage: 'ENCRYPT_DECRYPT' });
    const badProblem = (k: string) =>
      `aws_route53_key_signing_key.${k}: its KMS key is SYMMETRIC_DEFAULT / ENCRYPT_DECRYPT, expected ECC_NIST_P256 / SIGN_VERIFY`;
    expect(
      problems('MRP-R53-1', [zone, key('k'), symmetric, ksk('good', 'k'), ksk('worse', 'bad'), dnssec('d')]),
    ).toEqual([]);
    expect(problems('MRP-R53-1', [zone, symmetric, ksk('one', 'bad'), ksk('two', 'bad'), dnssec('d')])).toEqual([
      badProblem('one'),
      badProblem('two'),
    ]);
  });

  test('query logs: one log in us-east-1 or of an unknown region is enough; otherwise every region is named', () => {
    const group = (name: string, region: string) => res('aws_cloudwatch_log_group', {}, name, region);
    const log = (name: string, arn: string) =>
      res('aws_route53_query_log', { zone_id: zoneId, cloudwatch_log_group_arn: arn }, name);
    const euw = group('euw', 'eu-west-1');
    const euc = group('euc', 'eu-central-1');
    const use = group('use', 'us-east-1');
    expect(
      problems('MRP-R53-2', [
        zone,
        euw,
        use,
        log('a', '${aws_cloudwatch_log_group.euw.arn}'),
        log('b', '${aws_cloudwatch_log_group.use.arn}'),
      ]),
    ).toEqual([]);
    expect(problems('MRP-R53-2', [zone, log('a', '${var.log_group_arn}')])).toEqual([]);
    expect(
      problems('MRP-R53-2', [
        zone,
        euw,
        euc,
        log('a', '${aws_cloudwatch_log_group.euw.arn}'),
        log('b', '${aws_cloudwatch_log_group.euc.arn}'),
      ]),
    ).toEqual(['query logs go to a log group in eu-west-1, eu-central-1, Route 53 writes them in us-east-1 only']);
  });
});

describe('S3 rules: messages, alternatives and unnamed buckets', () => {
  const bucket = res('aws_s3_bucket', { bucket: 'b' }, 'b');
  const policy = (value: string) =>
    res('aws_s3_bucket_policy', { bucket: '${aws_s3_bucket.b.id}', policy: value }, 'p');
  const insecure = { Bool: { 'aws:SecureTransport': 'false' } };
  const denyInsecure = { Effect: 'Deny', Action: 's3:*', Resource: '*', Principal: '*', Condition: insecure };
  const noDeny = 'bucket policy has no Deny statement on aws:SecureTransport = false';

  test('MRP-S3-1: SSE-KMS or DSSE-KMS with a customer key in every rule', () => {
    const sse = (...rule: Record<string, unknown>[]) =>
      problems('MRP-S3-1', [res('aws_s3_bucket_server_side_encryption_configuration', { bucket: 'b', rule })]);
    const by = (sse_algorithm: string) => ({
      apply_server_side_encryption_by_default: { sse_algorithm, kms_master_key_id: '${aws_kms_key.k.arn}' },
    });
    const wrong = 'default encryption is not SSE-KMS with a customer-managed kms_master_key_id';
    expect(sse(by('aws:kms'), by('aws:kms:dsse'))).toEqual([]);
    expect(sse(by('AES256'))).toEqual([wrong]);
    expect(sse({ bucket_key_enabled: true })).toEqual([wrong]);
  });

  test('MRP-S3-3: account-level blocks too; every setting left off is named', () => {
    expect(
      problems('MRP-S3-3', [
        res('aws_s3_account_public_access_block', { block_public_acls: true, ignore_public_acls: true }),
      ]),
    ).toEqual(['public access block leaves block_public_policy, restrict_public_buckets off']);
  });

  test('MRP-S3-5: no policy at all, or none with the deny, each in its words', () => {
    expect(problems('MRP-S3-5', [bucket])).toEqual(['bucket has no aws_s3_bucket_policy denying insecure transport']);
    const allow = { Effect: 'Allow', Action: 's3:GetObject', Resource: '*', Principal: { AWS: 'arn:aws:iam::1:root' } };
    expect(problems('MRP-S3-5', [bucket, policy(json(allow, denyInsecure))])).toEqual([]);
    const twoConditions = { ...denyInsecure, Condition: { ...insecure, StringEquals: { 'aws:SourceVpc': 'vpc-1' } } };
    expect(problems('MRP-S3-5', [bucket, policy(json(twoConditions))])).toEqual([]);
    expect(problems('MRP-S3-5', [bucket, policy(json(allow))])).toEqual([noDeny]);
  });

  test('MRP-S3-5: only a policy document data source is read as a document', () => {
    const notData = res(
      'aws_iam_policy_document',
      {
        statement: [
          {
            effect: 'Deny',
            actions: ['s3:*'],
            resources: ['*'],
            principals: [{ type: '*', identifiers: ['*'] }],
            condition: [{ test: 'Bool', variable: 'aws:SecureTransport', values: ['false'] }],
          },
        ],
      },
      'd',
    );
    expect(problems('MRP-S3-5', [bucket, notData, policy('${aws_iam_policy_document.d.json}')])).toEqual([noDeny]);
  });

  test('MRP-S3-7 and MRP-S3-8: versioning without a configuration block; the public ACL named', () => {
    const versioning = res('aws_s3_bucket_versioning', { bucket: '${aws_s3_bucket.b.id}' }, 'v');
    expect(problems('MRP-S3-7', [bucket, versioning])).toEqual([
      'bucket has no aws_s3_bucket_versioning with status Enabled',
    ]);
    expect(problems('MRP-S3-8', [res('aws_s3_bucket_acl', { acl: 'public-read' })])).toEqual([
      'canned ACL public-read makes the bucket public',
    ]);
    expect(problems('MRP-S3-8', [res('aws_s3_bucket_acl', { acl: 'private' })])).toEqual([]);
  });

  test('a bucket without a literal name owns no configuration that names no bucket', () => {
    const unnamed = res('aws_s3_bucket', { bucket_prefix: 'logs-' }, 'u');
    const logging = res('aws_s3_bucket_logging', { target_bucket: 'sink' }, 'l');
    expect(problems('MRP-S3-9', [unnamed, logging])).toEqual([
      'bucket has no aws_s3_bucket_logging (server access logs) and is no access-log sink',
    ]);
  });
});

describe('AWS Backup: unresolved names and regions', () => {
  const vault = (name: string, attributes: Record<string, unknown> = {}, region = 'us-east-1') =>
    res('aws_backup_vault', { name, ...attributes }, name, region);
  const arn = (region: string, name: string) => `arn:aws:backup:${region}:111122223333:backup-vault:${name}`;
  const plan = (target: unknown, destination: unknown, region?: string) =>
    res(
      'aws_backup_plan',
      {
        rule: [
          {
            rule_name: 'daily',
            target_vault_name: target,
            copy_action: [{ destination_vault_arn: destination, lifecycle: [{ delete_after: 35 }] }],
          },
        ],
      },
      'plan',
      region,
    );
  const check = (...resources: ResourceView[]) => problems('MRP-BACKUP-4', resources);

  test('a literal or unresolved target vault copying to another region is fine', () => {
    expect(check(vault('v'), plan('v', arn('us-west-2', 'remote'), 'us-east-1'))).toEqual([]);
    expect(check(vault('v'), plan('${var.vault}', arn('us-west-2', 'remote'), 'us-east-1'))).toEqual([]);
  });

  test('names built from the same variable are not the same vault', () => {
    expect(check(vault('v'), plan('${var.prefix}-vault', arn('us-west-2', '${var.prefix}-copy'), 'us-east-1'))).toEqual(
      [],
    );
  });

  test('a plan of unknown region: an unknown destination region is no same-region copy', () => {
    expect(check(vault('v'), plan('v', arn('${var.region}', 'other')))).toEqual([]);
    const remote = vault('remote', {}, 'us-west-2');
    expect(check(vault('v'), remote, plan('${var.vault}', '${aws_backup_vault.remote.arn}'))).toEqual([]);
  });

  test('MRP-BACKUP-2: a vault with no literal name is locked only by reference', () => {
    const unnamed = res('aws_backup_vault', {}, 'u', 'us-east-1');
    const lock = (backup_vault_name?: string) =>
      res('aws_backup_vault_lock_configuration', { backup_vault_name, min_retention_days: 7 }, 'lock');
    expect(problems('MRP-BACKUP-2', [unnamed, lock()])).toEqual([
      'no aws_backup_vault_lock_configuration locks the vault',
    ]);
    expect(problems('MRP-BACKUP-2', [unnamed, lock('${aws_backup_vault.u.name}')])).toEqual([]);
  });
});

describe('MSK, EKS and ElastiCache: port ranges, unresolved groups and messages', () => {
  const cluster = res(
    'aws_msk_cluster',
    { broker_node_group_info: [{ security_groups: ['${aws_security_group.msk.id}'] }] },
    'kafka',
  );
  const group = res('aws_security_group', {}, 'msk');
  const ingress = (name: string, attributes: Record<string, unknown>, sg = 'msk') =>
    res(
      'aws_vpc_security_group_ingress_rule',
      {
        security_group_id: `\${aws_security_group.${sg}.id}`,
        ip_protocol: 'tcp',
        cidr_ipv4: '10.20.0.0/16',
        ...attributes,
      },
      name,
    );
  const admits = (ports: string) =>
    `admits 10.20.0.0/16 on tcp ${ports} of aws_msk_cluster.kafka: address ranges reach brokers on the SCRAM port 9096 only`;

  test('MRP-MSK-7: a range that only starts or only ends at 9096 is more than the SCRAM port', () => {
    expect(problems('MRP-MSK-7', [cluster, group, ingress('a', { from_port: 9096, to_port: 9098 })])).toEqual([
      admits('9096-9098'),
    ]);
    expect(problems('MRP-MSK-7', [cluster, group, ingress('b', { from_port: 9094, to_port: 9096 })])).toEqual([
      admits('9094-9096'),
    ]);
  });

  test('MRP-MSK-7: a broker security group outside the stack has no rules to check', () => {
    const external = res(
      'aws_msk_cluster',
      { broker_node_group_info: [{ security_groups: ['${aws_security_group.external.id}', 'sg-123'] }] },
      'kafka',
    );
    expect(problems('MRP-MSK-7', [external, group, ingress('a', { from_port: 22, to_port: 22 })])).toEqual([]);
  });

  test('MRP-MSK-5, MRP-EKS-4 and MRP-EC-5 name what they refuse', () => {
    expect(
      problems('MRP-MSK-5', [res('aws_msk_cluster', { client_authentication: [{ unauthenticated: true }] })]),
    ).toEqual(['client_authentication.unauthenticated is true']);
    expect(problems('MRP-EKS-4', [res('aws_eks_node_group', { remote_access: [{ ec2_ssh_key: 'k' }] })])).toEqual([
      'remote_access is configured',
    ]);
    expect(problems('MRP-EKS-4', [res('aws_eks_node_group', {})])).toEqual([]);
    expect(problems('MRP-EC-5', [res('aws_elasticache_replication_group', { auth_token: '${var.token}' })])).toEqual([
      'auth_token is set (it would be stored in state)',
    ]);
    expect(problems('MRP-EC-5', [res('aws_elasticache_replication_group', {})])).toEqual([]);
  });
});
