import { Aspects, TerraformStack, Testing } from 'cdktf';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { autoScalingKeyStatements } from '../modules/eks/cluster';
import {
  RegionalKey,
  type RegionalKeyProps,
  serviceLinkedRoleArn,
  serviceLinkedRoleKeyStatement,
} from '../modules/kms/regional-key';
import { production } from '../src/config/environments/production';
import { PolicyAspect } from '../src/policy/policy-aspect';
import { defaultSynth } from './support/shared-synth';
import { resources, type StackJson } from './support/stack-json';

function synthKey(props: Partial<RegionalKeyProps> = {}, extra?: (key: RegionalKey) => void): StackJson {
  const app = Testing.app();
  const stack = new TerraformStack(app, 'test');
  Aspects.of(stack).add(new PolicyAspect());
  new AwsProvider(stack, 'aws', { region: 'ap-southeast-1' });
  const key = new RegionalKey(stack, 'kms', {
    aliasName: 'mi-test-apac-platform',
    description: 'test key',
    region: 'ap-southeast-1',
    accountId: '111111111111',
    partition: 'aws',
    ...props,
  });
  extra?.(key);
  return JSON.parse(Testing.synth(stack)) as StackJson;
}

type Statement = {
  sid?: string;
  actions?: string[];
  principals: { type: string; identifiers: string[] }[];
  condition?: unknown[];
};
const statements = (json: StackJson) => Object.values(json.data!.aws_iam_policy_document)[0].statement as Statement[];

describe('RegionalKey', () => {
  let json: StackJson;
  beforeAll(() => {
    json = synthKey();
  });

  test('rotates yearly, keeps the longest deletion window and refuses destroy', () => {
    expect(resources(json, 'aws_kms_key')).toEqual([
      expect.objectContaining({
        enable_key_rotation: true,
        rotation_period_in_days: 365,
        deletion_window_in_days: 30,
        lifecycle: { prevent_destroy: true },
      }),
    ]);
  });

  test('has an alias', () => {
    expect(resources(json, 'aws_kms_alias')).toEqual([
      expect.objectContaining({ name: 'alias/mi-test-apac-platform' }),
    ]);
  });

  test('grants CloudWatch Logs of this region and account only', () => {
    const logs = statements(json).find((s) => s.sid === 'CloudWatchLogs')!;
    expect(logs.principals).toEqual([{ type: 'Service', identifiers: ['logs.ap-southeast-1.amazonaws.com'] }]);
    expect(logs.condition).toEqual([
      {
        test: 'ArnLike',
        variable: 'kms:EncryptionContext:aws:logs:arn',
        values: ['arn:aws:logs:ap-southeast-1:111111111111:*'],
      },
    ]);
  });

  test('leaves out the logs grant on request and takes extra statements', () => {
    const other = synthKey({ allowCloudWatchLogs: false }, (key) =>
      key.addToPolicy({
        Sid: 'Extra',
        Effect: 'Allow',
        Principal: { Service: 's3.amazonaws.com' },
        Action: 'kms:Decrypt',
        Resource: '*',
      }),
    );
    expect(statements(other).map((s) => s.sid)).toEqual(['AccountAdministration', 'Extra']);
  });
});

describe('key grants to service-linked roles that may not exist yet', () => {
  const ASG_ROLE =
    'arn:aws:iam::111111111111:role/aws-service-role/autoscaling.amazonaws.com/AWSServiceRoleForAutoScaling';

  test('EC2 Auto Scaling is admitted by aws:PrincipalArn, never named as principal', () => {
    const json = synthKey({}, (key) => {
      for (const s of autoScalingKeyStatements('aws', '111111111111')) key.addToPolicy(s);
    });
    const asg = statements(json).filter((s) => s.sid?.startsWith('AutoScaling'));
    expect(asg.map((s) => s.sid)).toEqual([
      'AutoScalingUseForEncryptedVolumes',
      'AutoScalingGrantsForEncryptedVolumes',
    ]);
    for (const s of asg) {
      // Any principal, narrowed to the role's ARN per request: KMS has nothing to resolve when the
      // policy is set, so the policy applies in an account where the role does not exist yet.
      expect(s.principals).toEqual([{ type: 'AWS', identifiers: ['*'] }]);
      expect(s.condition).toContainEqual({ test: 'ArnLike', variable: 'aws:PrincipalArn', values: [ASG_ROLE] });
    }
    expect(asg[0].actions).toEqual([
      'kms:Encrypt',
      'kms:Decrypt',
      'kms:ReEncrypt*',
      'kms:GenerateDataKey*',
      'kms:DescribeKey',
    ]);
    expect(asg[1].condition).toEqual([
      { test: 'Bool', variable: 'kms:GrantIsForAWSResource', values: ['true'] },
      { test: 'ArnLike', variable: 'aws:PrincipalArn', values: [ASG_ROLE] },
    ]);
  });

  test('the helper keeps the caller conditions and builds the role ARN with its path', () => {
    const role = { service: 'autoscaling.amazonaws.com', roleName: 'AWSServiceRoleForAutoScaling' };
    expect(serviceLinkedRoleArn('aws-cn', '111111111111', role)).toBe(
      'arn:aws-cn:iam::111111111111:role/aws-service-role/autoscaling.amazonaws.com/AWSServiceRoleForAutoScaling',
    );
    expect(
      serviceLinkedRoleKeyStatement('aws', '111111111111', role, {
        Action: 'kms:Decrypt',
        Resource: '*',
        Condition: { Bool: { 'kms:GrantIsForAWSResource': 'true' } },
      }),
    ).toEqual({
      Effect: 'Allow',
      Principal: { AWS: '*' },
      Action: 'kms:Decrypt',
      Resource: '*',
      Condition: { Bool: { 'kms:GrantIsForAWSResource': 'true' }, ArnLike: { 'aws:PrincipalArn': ASG_ROLE } },
    });
  });

  test('no policy document of any production stack names a service-linked role as principal', () => {
    const synth = defaultSynth('production');
    const named: string[] = [];
    for (const id of synth.stackIds) {
      for (const [name, doc] of Object.entries(synth.stack(id).data?.aws_iam_policy_document ?? {})) {
        for (const s of (doc.statement as Statement[] | undefined) ?? []) {
          for (const p of s.principals ?? []) {
            if (p.identifiers.some((i) => i.includes(':role/aws-service-role/'))) named.push(`${id}: ${name} ${s.sid}`);
          }
        }
      }
    }
    expect(named).toEqual([]);
    // ...while every regional key still admits EC2 Auto Scaling (node volumes).
    for (const region of production.regions) {
      const docs = Object.values(synth.stack(`region-${region.key}`).data?.aws_iam_policy_document ?? {});
      const conditions = docs.flatMap((d) =>
        ((d.statement as Statement[] | undefined) ?? []).flatMap((s) => s.condition ?? []),
      );
      expect(JSON.stringify(conditions)).toContain(
        '/aws-service-role/autoscaling.amazonaws.com/AWSServiceRoleForAutoScaling',
      );
    }
  });
});
