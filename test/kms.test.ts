import { TerraformStack, Testing } from 'cdktf';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { RegionalKey, type RegionalKeyProps } from '../modules/kms/regional-key';
import { resources, type StackJson } from './support/synth';

function synthKey(props: Partial<RegionalKeyProps> = {}, extra?: (key: RegionalKey) => void): StackJson {
  const app = Testing.app();
  const stack = new TerraformStack(app, 'test');
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

type Statement = { sid?: string; principals: { type: string; identifiers: string[] }[]; condition?: unknown[] };
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
