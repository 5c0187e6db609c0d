import { Aspects, Testing, TerraformStack } from 'cdktf';
import type { Construct } from 'constructs';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { SecurityGroup } from '@cdktf/provider-aws/lib/security-group';
import { VpcSecurityGroupIngressRule } from '@cdktf/provider-aws/lib/vpc-security-group-ingress-rule';
import { suppress } from '../../modules/common/policy';
import { production } from '../../src/config/environments/production';
import { staging } from '../../src/config/environments/staging';
import { evaluateStack, MIN_REASON_LENGTH } from '../../src/policy/engine';
import { PolicyAspect } from '../../src/policy/policy-aspect';
import { buildPlatform } from '../../src/app';
import { tempDir } from '../support/synth';
import { resolvePlan } from '../../src/plan/resolve';

/** A stack holding one world-open SSH rule, checked by the pack. */
function stackWithOpenSsh(configure: (scope: Construct) => void = () => undefined) {
  const app = Testing.app();
  const stack = new TerraformStack(app, 'planted');
  new AwsProvider(stack, 'aws', { region: 'us-east-1' });
  const sg = new SecurityGroup(stack, 'sg', { name: 'sg', vpcId: 'vpc-1' });
  new VpcSecurityGroupIngressRule(stack, 'ssh', {
    securityGroupId: sg.id,
    ipProtocol: 'tcp',
    fromPort: 22,
    toPort: 22,
    cidrIpv4: '0.0.0.0/0',
  });
  configure(stack);
  Aspects.of(stack).add(new PolicyAspect());
  return { app, stack };
}

describe.each([
  ['production', production],
  ['staging', staging],
])('the default %s synth', (_name, config) => {
  let platform: ReturnType<typeof buildPlatform>;
  beforeAll(() => {
    platform = buildPlatform(resolvePlan(config), { outdir: tempDir('policy') });
    platform.app.synth();
  });

  test('passes the pack with no finding', () => {
    const stacks = platform.app.node.findAll().filter(TerraformStack.isStack);
    expect(stacks.length).toBeGreaterThan(2);
    for (const stack of stacks) expect(evaluateStack(stack).findings).toEqual([]);
  });

  test('every suppression names a rule and explains itself', () => {
    const stacks = platform.app.node.findAll().filter(TerraformStack.isStack);
    for (const stack of stacks) {
      const evaluation = evaluateStack(stack);
      expect(evaluation.suppressionErrors).toEqual([]);
      for (const s of evaluation.suppressed) expect(s.reason.trim().length).toBeGreaterThanOrEqual(MIN_REASON_LENGTH);
    }
  });
});

describe('a planted violation', () => {
  test('fails synth with rule id, construct path and rationale', () => {
    const { app } = stackWithOpenSsh();
    expect(() => app.synth()).toThrow(
      /\[MRP-EC2-1\] planted\/ssh \(aws_vpc_security_group_ingress_rule\.ssh\): ingress from 0\.0\.0\.0\/0 on ports 22-22/,
    );
  });

  test('fails the whole platform synth', () => {
    const platform = buildPlatform(resolvePlan(production), { outdir: tempDir('policy-planted') });
    const region = platform.regional[0];
    const sg = new SecurityGroup(region, 'planted-sg', { name: 'planted', vpcId: region.network.vpc.id });
    new VpcSecurityGroupIngressRule(region, 'planted-rdp', {
      securityGroupId: sg.id,
      ipProtocol: 'tcp',
      fromPort: 3389,
      toPort: 3389,
      cidrIpv4: '0.0.0.0/0',
    });
    expect(() => platform.app.synth()).toThrow(/MRP-EC2-1\] region-us-east\/planted-rdp/);
  });

  test('passes once suppressed with a reason, and the reason is reported', () => {
    const { app, stack } = stackWithOpenSsh((s) =>
      suppress(s.node.findChild('ssh'), 'MRP-EC2-1', 'bastion for the break-glass drill, removed after'),
    );
    expect(() => app.synth()).not.toThrow();
    expect(evaluateStack(stack).suppressed).toEqual([
      expect.objectContaining({
        ruleId: 'MRP-EC2-1',
        suppressedAt: 'planted/ssh',
        reason: expect.stringMatching(/break-glass/),
      }),
    ]);
  });

  test.each([
    ['without a reason', 'MRP-EC2-1', '  ', /suppression of MRP-EC2-1 needs a written reason/],
    [
      'with an unknown rule id',
      'MRP-NOPE-1',
      'a perfectly fine reason',
      /suppression of MRP-NOPE-1 names no known rule/,
    ],
    [
      'matching no finding',
      'MRP-S3-6',
      'there is no bucket in this stack',
      /suppression of MRP-S3-6 matches no finding/,
    ],
  ])('a suppression %s fails synth', (_what, ruleId, reason, error) => {
    const { app } = stackWithOpenSsh((s) => {
      suppress(s, 'MRP-EC2-1', 'accepted for this test, see the table');
      suppress(s, ruleId, reason);
    });
    expect(() => app.synth()).toThrow(error);
  });
});
