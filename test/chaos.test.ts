import { Aspects, Testing, TerraformStack } from 'cdktf';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { FisExperiments, type FisExperimentsProps } from '../modules/chaos/fis-experiments';
import { PolicyAspect } from '../src/policy/policy-aspect';

const ALARM = 'arn:aws:cloudwatch:us-east-1:111122223333:alarm:mi-production-us-east-critical';
const base: FisExperimentsProps = {
  name: 'mi-production-us-east',
  region: 'us-east-1',
  peerRegions: ['eu-west-1', 'ap-southeast-1'],
  accountId: '111122223333',
  partition: 'aws',
  vpcId: 'vpc-1',
  subnetIdsByAz: [
    ['subnet-a1', 'subnet-a2'],
    ['subnet-b1', 'subnet-b2'],
  ],
  stopAlarmArns: [ALARM],
  kmsKeyArn: 'arn:aws:kms:us-east-1:111122223333:key/k',
  logRetentionDays: 90,
};

function synth(props: Partial<FisExperimentsProps> = {}) {
  const app = Testing.app();
  const stack = new TerraformStack(app, 'chaos');
  new AwsProvider(stack, 'aws', { region: 'us-east-1' });
  new FisExperiments(stack, 'fis', { ...base, ...props });
  Aspects.of(stack).add(new PolicyAspect());
  return {
    json: JSON.parse(Testing.synth(stack)) as { resource: Record<string, Record<string, Record<string, unknown>>> },
    app,
  };
}

describe('FisExperiments', () => {
  const { json } = synth();
  const templates = Object.values(json.resource.aws_fis_experiment_template);
  const az = templates.find((t) => String(t.description).startsWith('AZ drill'))!;
  const isolation = templates.find((t) => String(t.description).startsWith('Region isolation'))!;

  test('the AZ drill disrupts all connectivity of one AZ only, and stops on the critical alarm', () => {
    expect(az.action).toEqual([
      expect.objectContaining({
        action_id: 'aws:network:disrupt-connectivity',
        target: { key: 'Subnets', value: 'az-subnets' },
      }),
    ]);
    expect(az.target).toEqual([
      expect.objectContaining({
        resource_type: 'aws:ec2:subnet',
        resource_arns: [
          'arn:aws:ec2:us-east-1:111122223333:subnet/subnet-a1',
          'arn:aws:ec2:us-east-1:111122223333:subnet/subnet-a2',
        ],
      }),
    ]);
    expect(az.stop_condition).toEqual([{ source: 'aws:cloudwatch:alarm', value: ALARM }]);
  });

  test('the isolation drill cuts every peer region from every subnet', () => {
    const actions = isolation.action as { action_id: string; parameter: { key: string; value: string }[] }[];
    expect(actions.map((a) => a.action_id)).toEqual([
      'aws:network:route-table-disrupt-cross-region-connectivity',
      'aws:network:route-table-disrupt-cross-region-connectivity',
    ]);
    expect(actions.map((a) => a.parameter.find((p) => p.key === 'region')?.value)).toEqual([
      'eu-west-1',
      'ap-southeast-1',
    ]);
    expect((isolation.target as { resource_arns: string[] }[])[0].resource_arns).toHaveLength(4);
  });

  test('experiments log to an encrypted, retained log group', () => {
    const group = Object.values(json.resource.aws_cloudwatch_log_group)[0];
    expect(group).toEqual(expect.objectContaining({ kms_key_id: base.kmsKeyArn, retention_in_days: 90 }));
    expect(az.log_configuration).toEqual(
      expect.objectContaining({
        log_schema_version: 2,
        cloudwatch_logs_configuration: { log_group_arn: expect.stringMatching(/:\*$/) },
      }),
    );
  });

  test('passes the security policy pack', () => {
    expect(() => synth().app.synth()).not.toThrow();
  });

  test.each([
    [{ stopAlarmArns: [] }, /stopAlarmArns must name at least one alarm/],
    [{ azIndex: 2 }, /azIndex 2 has no subnets \(2 AZs given\)/],
  ])('refuses %j', (props, error) => {
    expect(() => synth(props)).toThrow(error);
  });
});
