import { Testing, TerraformStack } from 'cdktf';
import type { Construct } from 'constructs';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { DataAwsIamPolicyDocument } from '@cdktf/provider-aws/lib/data-aws-iam-policy-document';
import { SecurityGroup } from '@cdktf/provider-aws/lib/security-group';
import { VpcSecurityGroupIngressRule } from '@cdktf/provider-aws/lib/vpc-security-group-ingress-rule';
import { suppress } from '../../modules/common/policy';
import {
  checkResources,
  createStackView,
  evaluateStack,
  evaluationErrors,
  formatFinding,
  MIN_REASON_LENGTH,
  stackElements,
  terraformViews,
} from '../../src/policy/engine';
import { RULES } from '../../src/policy/rules';
import { resourceRule, stackRule } from '../../src/policy/rules/define';
import type { Finding, ResourceView } from '../../src/policy/types';

// The engine on a small stack of its own (no synth to disk, no platform): which findings a
// suppression accepts, what a valid reason is, and the errors that fail synth.

/** Two world-open ingress rules (MRP-EC2-1): `ssh` on 22 and `rdp` on 3389, each in its own construct. */
function openStack(configure: (parts: { stack: Construct; ssh: Construct; rdp: Construct }) => void = () => {}) {
  const app = Testing.app();
  const stack = new TerraformStack(app, 'planted');
  new AwsProvider(stack, 'aws', { region: 'us-east-1' });
  const sg = new SecurityGroup(stack, 'sg', { name: 'sg', vpcId: 'vpc-1' });
  const rule = (id: string, port: number) =>
    new VpcSecurityGroupIngressRule(stack, id, {
      securityGroupId: sg.id,
      ipProtocol: 'tcp',
      fromPort: port,
      toPort: port,
      cidrIpv4: '0.0.0.0/0',
    });
  const ssh = rule('ssh', 22);
  const rdp = rule('rdp', 3389);
  configure({ stack, ssh, rdp });
  return stack;
}

const REASON = 'break-glass bastion, removed after the drill';
const ids = (findings: readonly Finding[]) => findings.map((f) => `${f.ruleId} ${f.path}`);

describe('suppressions', () => {
  test('without any, every finding fails', () => {
    const evaluation = evaluateStack(openStack());
    expect(ids(evaluation.findings)).toEqual(['MRP-EC2-1 planted/ssh', 'MRP-EC2-1 planted/rdp']);
    expect(evaluation.suppressed).toEqual([]);
    expect(evaluation.suppressionErrors).toEqual([]);
  });

  test('a suppression on one resource accepts its finding only, not the same rule on a sibling', () => {
    const evaluation = evaluateStack(openStack(({ ssh }) => suppress(ssh, 'MRP-EC2-1', REASON)));
    expect(ids(evaluation.findings)).toEqual(['MRP-EC2-1 planted/rdp']);
    expect(evaluation.suppressed).toEqual([
      expect.objectContaining({
        ruleId: 'MRP-EC2-1',
        path: 'planted/ssh',
        reason: REASON,
        suppressedAt: 'planted/ssh',
      }),
    ]);
  });

  test('a suppression of one rule does not silence a finding of another rule', () => {
    // MRP-EC2-1 on the stack and a finding of a second (test) rule on the same resources.
    const other = resourceRule({
      id: 'MRP-TEST-1',
      service: 'test',
      rationale: 'a second rule that flags every ingress rule',
      appliesTo: ['aws_vpc_security_group_ingress_rule'],
      check: () => ['flagged'],
    });
    const stack = openStack(({ stack }) => suppress(stack, 'MRP-TEST-1', REASON));
    const evaluation = evaluateStack(stack, [other, ...RULES.filter((r) => r.id === 'MRP-EC2-1')]);
    expect(ids(evaluation.findings)).toEqual(['MRP-EC2-1 planted/ssh', 'MRP-EC2-1 planted/rdp']);
    expect(ids(evaluation.suppressed)).toEqual(['MRP-TEST-1 planted/ssh', 'MRP-TEST-1 planted/rdp']);
    expect(evaluation.suppressed.map((s) => s.suppressedAt)).toEqual(['planted', 'planted']);
    expect(evaluation.suppressionErrors).toEqual([]);
  });

  test('the nearest declaration wins; a farther one left unused is an error', () => {
    const evaluation = evaluateStack(
      openStack(({ stack, ssh, rdp }) => {
        suppress(stack, 'MRP-EC2-1', 'the whole stack is a planted test fixture');
        suppress(ssh, 'MRP-EC2-1', REASON);
        suppress(rdp, 'MRP-EC2-1', REASON);
      }),
    );
    expect(evaluation.findings).toEqual([]);
    expect(evaluation.suppressed.map((s) => s.suppressedAt)).toEqual(['planted/ssh', 'planted/rdp']);
    expect(evaluation.suppressionErrors).toEqual(['planted: suppression of MRP-EC2-1 matches no finding: remove it']);
  });

  test.each([
    ['of exactly the minimum length is valid', true, 'x'.repeat(MIN_REASON_LENGTH)],
    ['one character short is not', false, 'x'.repeat(MIN_REASON_LENGTH - 1)],
    ['one character short, padded with spaces, is not', false, `  ${'x'.repeat(MIN_REASON_LENGTH - 1)}  `],
    ['of whitespace only is not', false, ' '.repeat(MIN_REASON_LENGTH + 5)],
    ['that is not a string is not', false, undefined],
  ])('a reason %s', (_what, valid, reason) => {
    expect(MIN_REASON_LENGTH).toBe(15);
    const evaluation = evaluateStack(
      openStack(({ ssh, rdp }) => {
        suppress(ssh, 'MRP-EC2-1', reason as string);
        suppress(rdp, 'MRP-EC2-1', REASON);
      }),
    );
    if (valid) {
      expect(ids(evaluation.findings)).toEqual([]);
      expect(evaluation.suppressionErrors).toEqual([]);
    } else {
      // An invalid suppression accepts nothing and is itself an error.
      expect(ids(evaluation.findings)).toEqual(['MRP-EC2-1 planted/ssh']);
      expect(evaluation.suppressionErrors).toEqual([
        'planted/ssh: suppression of MRP-EC2-1 needs a written reason of at least 15 characters',
      ]);
    }
  });

  test('a reason that only repeats the rule id is not a reason', () => {
    const longId = resourceRule({
      id: 'MRP-LONGSERVICE-12',
      service: 'test',
      rationale: 'a rule whose id is longer than the minimum reason',
      appliesTo: ['aws_vpc_security_group_ingress_rule'],
      check: () => ['flagged'],
    });
    const evaluation = evaluateStack(
      openStack(({ stack }) => suppress(stack, 'MRP-LONGSERVICE-12', ' MRP-LONGSERVICE-12 ')),
      [longId],
    );
    expect(evaluation.findings).toHaveLength(2);
    expect(evaluation.suppressionErrors).toEqual([
      'planted: suppression of MRP-LONGSERVICE-12 needs a written reason of at least 15 characters',
    ]);
  });

  test('an unknown rule id is an error, whatever the reason', () => {
    const evaluation = evaluateStack(openStack(({ stack }) => suppress(stack, 'MRP-NOPE-1', REASON)));
    expect(evaluation.findings).toHaveLength(2);
    expect(evaluation.suppressionErrors).toEqual([
      'planted: suppression of MRP-NOPE-1 names no known rule (see docs/policy.md)',
    ]);
  });
});

describe('errors that fail synth', () => {
  test('one line per finding with rule id, path, address, problem and rationale, then how to fix or accept', () => {
    const evaluation = evaluateStack(openStack(({ stack }) => suppress(stack, 'MRP-NOPE-1', REASON)));
    const errors = evaluationErrors(evaluation);
    expect(errors).toHaveLength(4);
    expect(errors[0]).toBe(formatFinding(evaluation.findings[0]));
    expect(errors[0]).toMatch(
      /^\[MRP-EC2-1\] planted\/ssh \(aws_vpc_security_group_ingress_rule\.ssh\): ingress from 0\.0\.0\.0\/0 on ports 22-22.*\. Rule: /,
    );
    expect(errors[2]).toMatch(/names no known rule/);
    expect(errors[3]).toMatch(/^Fix the resources above, or accept a finding with suppress\(construct, '<rule id>'/);
  });

  test('suppression errors alone get no fix hint; no problem, no error', () => {
    const evaluation = evaluateStack(
      openStack(({ stack, ssh, rdp }) => {
        suppress(ssh, 'MRP-EC2-1', REASON);
        suppress(rdp, 'MRP-EC2-1', REASON);
        suppress(stack, 'MRP-NOPE-1', REASON);
      }),
    );
    expect(evaluationErrors(evaluation)).toEqual([
      'planted: suppression of MRP-NOPE-1 names no known rule (see docs/policy.md)',
    ]);
    expect(evaluationErrors({ findings: [], suppressed: [], suppressionErrors: [] })).toEqual([]);
  });
});

describe('what the rules see', () => {
  test('resources and data sources of the stack, with addresses and construct paths', () => {
    const app = Testing.app();
    const stack = new TerraformStack(app, 's');
    new AwsProvider(stack, 'aws', { region: 'us-east-1' });
    new DataAwsIamPolicyDocument(stack, 'doc', { statement: [{ actions: ['s3:GetObject'], resources: ['*'] }] });
    new SecurityGroup(stack, 'sg', { name: 'sg', vpcId: 'vpc-1' });
    const views = stackElements(stack).map((e) => [e.view.kind, e.view.type, e.view.address, e.view.path]);
    expect(views.sort()).toEqual([
      ['data', 'aws_iam_policy_document', 'data.aws_iam_policy_document.doc', 's/doc'],
      ['resource', 'aws_security_group', 'aws_security_group.sg', 's/sg'],
    ]);
    const sg = stackElements(stack).find((e) => e.view.type === 'aws_security_group')!;
    expect(sg.view.attributes).toEqual(expect.objectContaining({ name: 'sg', vpc_id: 'vpc-1' }));
    expect(sg.view.attributes).not.toHaveProperty('//');
  });

  test('JSON not written by a construct of the stack (an override) is not checked', () => {
    const app = Testing.app();
    const stack = new TerraformStack(app, 's');
    new AwsProvider(stack, 'aws', { region: 'us-east-1' });
    new SecurityGroup(stack, 'sg', { name: 'sg', vpcId: 'vpc-1' });
    stack.addOverride('resource.aws_s3_bucket.raw', { bucket: 'raw' });
    stack.addOverride('resource.aws_s3_bucket.foreign', { bucket: 'f', '//': { metadata: { path: 'other/f' } } });
    stack.addOverride('resource.aws_s3_bucket.bare', { bucket: 'b', '//': { note: 'no metadata' } });
    expect(stackElements(stack).map((e) => e.view.address)).toEqual(['aws_security_group.sg']);
  });

  test("each aws resource carries its provider's literal region: the alias it names, else the default", () => {
    const app = Testing.app();
    const stack = new TerraformStack(app, 's');
    new AwsProvider(stack, 'aws', { region: 'eu-west-1' });
    const control = new AwsProvider(stack, 'control', { alias: 'control', region: 'us-east-1' });
    const computed = new AwsProvider(stack, 'computed', { alias: 'computed', region: '${var.region}' });
    new SecurityGroup(stack, 'default', { name: 'a', vpcId: 'vpc-1' });
    new SecurityGroup(stack, 'aliased', { name: 'b', vpcId: 'vpc-1', provider: control });
    new SecurityGroup(stack, 'unknown', { name: 'c', vpcId: 'vpc-1', provider: computed });
    const regions = Object.fromEntries(stackElements(stack).map((e) => [e.view.path, e.view.region]));
    expect(regions).toEqual({ 's/default': 'eu-west-1', 's/aliased': 'us-east-1', 's/unknown': undefined });
  });

  test('terraformViews reads synthesized JSON as the rules see it, with no region for other providers', () => {
    const views = terraformViews({
      provider: { aws: [{ region: 'ap-southeast-1' }] },
      resource: {
        aws_s3_bucket: { b: { bucket: 'b', '//': { metadata: { path: 's/b' } } } },
        kubernetes_namespace_v1: { ns: { metadata: [{ name: 'n' }], '//': { metadata: { path: 's/ns' } } } },
      },
    });
    expect(views.map((v) => [v.address, v.region])).toEqual([
      ['aws_s3_bucket.b', 'ap-southeast-1'],
      ['kubernetes_namespace_v1.ns', undefined],
    ]);
    expect(views[0].attributes).toEqual({ bucket: 'b' });
  });

  const view = (kind: 'resource' | 'data', type: string, name: string): ResourceView => ({
    kind,
    type,
    address: `${kind === 'data' ? 'data.' : ''}${type}.${name}`,
    path: `s/${name}`,
    attributes: {},
  });

  test('a resource rule applies to data sources by their data. type only', () => {
    const rule = resourceRule({
      id: 'MRP-TEST-2',
      service: 'test',
      rationale: 'flags policy documents read as data sources',
      appliesTo: ['data.aws_iam_policy_document'],
      check: () => ['flagged'],
    });
    const findings = checkResources(
      [view('data', 'aws_iam_policy_document', 'd'), view('resource', 'aws_iam_policy_document', 'r')],
      [rule],
    );
    expect(findings).toEqual([
      {
        ruleId: 'MRP-TEST-2',
        rationale: 'flags policy documents read as data sources',
        path: 's/d',
        address: 'data.aws_iam_policy_document.d',
        problem: 'flagged',
      },
    ]);
  });

  test('a stack rule reads resources by type and follows references', () => {
    const bucket = view('resource', 'aws_s3_bucket', 'b');
    const doc = view('data', 'aws_iam_policy_document', 'b');
    const stack = createStackView([bucket, doc]);
    expect(stack.ofType('aws_s3_bucket')).toEqual([bucket]);
    expect(stack.ofType('aws_iam_policy_document')).toEqual([]);
    expect(stack.referenced('${aws_s3_bucket.b.arn}')).toBe(bucket);
    expect(stack.referenced('${data.aws_iam_policy_document.b.json}')).toBe(doc);
    expect(stack.referenced('${aws_s3_bucket.other.arn} ${aws_s3_bucket.b.id}')).toBe(bucket);
    expect(stack.referenced('${aws_s3_bucket.other.arn}')).toBeUndefined();
    expect(stack.referenced(['${aws_s3_bucket.b.arn}'])).toBeUndefined();
    const rule = stackRule({
      id: 'MRP-TEST-3',
      service: 'test',
      rationale: 'flags every bucket',
      check: (s) => s.ofType('aws_s3_bucket').map((resource) => ({ resource, problem: 'a bucket' })),
    });
    expect(checkResources([bucket, doc], [rule]).map((f) => f.address)).toEqual(['aws_s3_bucket.b']);
  });
});
