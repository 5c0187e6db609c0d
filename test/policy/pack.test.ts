import { Aspects, Testing, TerraformStack } from 'cdktf';
import type { Construct } from 'constructs';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { SecurityGroup } from '@cdktf/provider-aws/lib/security-group';
import { VpcSecurityGroupIngressRule } from '@cdktf/provider-aws/lib/vpc-security-group-ingress-rule';
import { suppress } from '../../modules/common/policy';
import { checkResources, evaluateStack, MIN_REASON_LENGTH, terraformViews } from '../../src/policy/engine';
import { PolicyAspect } from '../../src/policy/policy-aspect';
import { sharedRun, sharedSynth } from '../support/shared-synth';
import { readAcceptedRisks } from '../../src/policy/accepted-risks';
import { RULES } from '../../src/policy/rules';
import type { ResourceView, StackRule } from '../../src/policy/types';

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

test('the pack checks a stack once although its aspects run twice (platform stacks run them early)', () => {
  // FrozenTerraformStack (src/cdktf-workarounds.ts) invokes a stack's aspects before cdktf's
  // preparing resolution, and cdktf invokes them again: the pack must register one validation.
  const app = Testing.app();
  const stack = new TerraformStack(app, 'twice');
  new AwsProvider(stack, 'aws', { region: 'us-east-1' });
  let checks = 0;
  const counting: StackRule = {
    id: 'MRP-TEST-1',
    service: 'test',
    rationale: 'counts its runs',
    scope: 'stack',
    check: () => {
      checks++;
      return [];
    },
  };
  const pack = new PolicyAspect([counting]);
  pack.visit(stack);
  pack.visit(stack);
  expect(stack.node.validate()).toEqual([]);
  expect(checks).toBe(1);
  // Another stack visited by the same pack is checked too.
  const other = new TerraformStack(app, 'other');
  new AwsProvider(other, 'aws', { region: 'us-east-1' });
  pack.visit(other);
  expect(other.node.validate()).toEqual([]);
  expect(checks).toBe(2);
  // A second pack on the same stack registers its own validation.
  new PolicyAspect([counting]).visit(stack);
  expect(stack.node.validate()).toEqual([]);
  expect(checks).toBe(4);
});

// The README's synth commands (shared by the run, test/support/shared-synth.ts) run the pack on
// every stack (src/app.ts adds PolicyAspect; test/policy/synth-fails.test.ts proves that a finding
// in a platform stack stops the synth and leaves its output untouched) and record the suppressed findings beside the output for `npm run report`.
describe.each(['production', 'staging'] as const)('the default %s synth', (name) => {
  test('passes the pack with no finding', () => {
    const run = sharedRun(name);
    expect(run.stderr).not.toMatch(/\[MRP-/);
    expect(run.code).toBe(0);
  });

  test('every accepted risk names a known rule and explains itself', () => {
    const risks = readAcceptedRisks(sharedSynth(name).outdir);
    expect(risks).toBeDefined();
    expect(risks!.length).toBeGreaterThan(0);
    const rules = new Set(RULES.map((r) => r.id));
    for (const risk of risks!) {
      expect(rules).toContain(risk.ruleId);
      expect(risk.reason.trim().length).toBeGreaterThanOrEqual(MIN_REASON_LENGTH);
      expect(risk.stack).toMatch(/\S/);
      expect(risk.address).toMatch(/^\w+\.\S+$/);
    }
  });
});

describe('the default production synth', () => {
  // Here, not in rules*.test.ts: those are the mutation layer's fast suites and read no synth
  // (docs/testing.md).
  test('records every accepted risk with its reason for npm run report', () => {
    const synth = sharedSynth('production');
    const risks = readAcceptedRisks(synth.outdir);
    expect(risks).toBeDefined();
    const rules = new Set(risks!.map((r) => r.ruleId));
    for (const id of ['MRP-RDS-9', 'MRP-CF-6', 'MRP-LAMBDA-3', 'MRP-LAMBDA-4', 'MRP-IAM-5'])
      expect(rules.has(id)).toBe(true);
    expect(risks!.filter((r) => r.reason.trim().length < 15)).toEqual([]);
    // The IAM resource-level rule needs no suppression: every offender was scoped.
    expect(rules.has('MRP-IAM-7')).toBe(false);
    expect(risks!.filter((r) => r.ruleId === 'MRP-IAM-5').map((r) => r.address)).toEqual(
      synth.stackIds
        .filter((id) => id.startsWith('region-'))
        .sort()
        .map(() => expect.stringMatching(/network_endpoint-policy-s3/)),
    );
  });
});

describe('the hardening rules of issue 15 on the production synth', () => {
  // The rules read the stacks as synthesized (cross-provider references, ARNs that still reference
  // the partition), and each piece the platform builds is one a rule needs: removing it fails.
  const rules = (...ids: string[]) => RULES.filter((r) => ids.includes(r.id));
  const findings = (views: ResourceView[], ...ids: string[]) =>
    checkResources(views, rules(...ids)).map((f) => f.ruleId);
  const ofType = (views: ResourceView[], type: string) => views.filter((v) => v.kind === 'resource' && v.type === type);
  /** The views with one resource's attributes changed. */
  const changed = (views: ResourceView[], target: ResourceView, attributes: Record<string, unknown>) =>
    views.map((v) => (v === target ? { ...v, attributes: { ...v.attributes, ...attributes } } : v));

  test('the created public zone is signed and query-logged, and each piece is needed', () => {
    const dns = terraformViews(sharedSynth('production').stack('dns'));
    expect(ofType(dns, 'aws_route53_zone')).toHaveLength(1);
    expect(findings(dns, 'MRP-R53-1', 'MRP-R53-2')).toEqual([]);
    for (const [type, id] of [
      ['aws_route53_hosted_zone_dnssec', 'MRP-R53-1'],
      ['aws_route53_key_signing_key', 'MRP-R53-1'],
      ['aws_route53_query_log', 'MRP-R53-2'],
    ]) {
      // Without the key-signing key, the DNSSEC resource (which reads the zone id from it) signs nothing either.
      expect(
        new Set(
          findings(
            dns.filter((v) => v.type !== type),
            id,
          ),
        ),
      ).toEqual(new Set([id]));
    }
    const [dnssec] = ofType(dns, 'aws_route53_hosted_zone_dnssec');
    expect(findings(changed(dns, dnssec, { signing_status: 'NOT_SIGNING' }), 'MRP-R53-1')).toEqual(['MRP-R53-1']);
  });

  const dataStacks = sharedSynth('production').stackIds.filter((id) => id.startsWith('data-'));
  test('there are data stacks to check', () => expect(dataStacks.length).toBeGreaterThan(1));

  test.each(dataStacks)('%s: the backup vault, plan and PostgreSQL logging pass, and each piece is needed', (id) => {
    const data = terraformViews(sharedSynth('production').stack(id));
    const [vault] = ofType(data, 'aws_backup_vault');
    const [plan] = ofType(data, 'aws_backup_plan');
    const [group] = ofType(data, 'aws_rds_cluster_parameter_group');
    expect([vault, plan, group].every(Boolean)).toBe(true);
    const ids = ['MRP-BACKUP-1', 'MRP-BACKUP-2', 'MRP-BACKUP-3', 'MRP-BACKUP-4', 'MRP-RDS-10'];
    expect(findings(data, ...ids)).toEqual([]);

    const rule = (plan.attributes.rule as Record<string, unknown>[])[0];
    const planted: [ResourceView[], string][] = [
      [changed(data, vault, { kms_key_arn: undefined }), 'MRP-BACKUP-1'],
      [data.filter((v) => v.type !== 'aws_backup_vault_lock_configuration'), 'MRP-BACKUP-2'],
      [changed(data, plan, { rule: [{ ...rule, lifecycle: undefined }] }), 'MRP-BACKUP-3'],
      [changed(data, plan, { rule: [{ ...rule, copy_action: undefined }] }), 'MRP-BACKUP-4'],
      [changed(data, group, { parameter: [] }), 'MRP-RDS-10'],
    ];
    for (const [views, expected] of planted) expect(findings(views, ...ids)).toContain(expected);
  });
});

describe('a planted violation', () => {
  test('fails synth with rule id, construct path and rationale', () => {
    const { app } = stackWithOpenSsh();
    expect(() => app.synth()).toThrow(
      /\[MRP-EC2-1\] planted\/ssh \(aws_vpc_security_group_ingress_rule\.ssh\): ingress from 0\.0\.0\.0\/0 on ports 22-22/,
    );
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
