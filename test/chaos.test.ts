import { Aspects, Testing, TerraformStack } from 'cdktf';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { FisExperiments, type FisExperimentsProps } from '../modules/chaos/fis-experiments';
import { PolicyAspect } from '../src/policy/policy-aspect';
import { concurrentOverlaps, type SynthesizedTemplate } from './support/fis';
import { defaultSynth } from './support/shared-synth';
import { resources } from './support/stack-json';

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

  test('no two actions that can run at the same time touch the same subnets', () => {
    for (const template of templates)
      expect(concurrentOverlaps(template as unknown as SynthesizedTemplate)).toEqual([]);
    // The isolation drill chains its actions: each peer after the previous one.
    const actions = isolation.action as { name: string; start_after?: string[] }[];
    expect(actions.map((a) => [a.name, a.start_after])).toEqual([
      ['isolate-from-eu-west-1', undefined],
      ['isolate-from-ap-southeast-1', ['isolate-from-eu-west-1']],
    ]);
    expect(isolation.description).toMatch(/eu-west-1, then ap-southeast-1, PT10M each, one at a time/);
  });

  test('four peers: a chain of four, still no overlap', () => {
    const peers = ['eu-west-1', 'ap-southeast-1', 'us-west-2', 'sa-east-1'];
    const wide = Object.values(synth({ peerRegions: peers }).json.resource.aws_fis_experiment_template).find((t) =>
      String(t.description).startsWith('Region isolation'),
    )!;
    expect(concurrentOverlaps(wide as unknown as SynthesizedTemplate)).toEqual([]);
    expect((wide.action as { start_after?: string[] }[]).map((a) => a.start_after?.[0])).toEqual([
      undefined,
      'isolate-from-eu-west-1',
      'isolate-from-ap-southeast-1',
      'isolate-from-us-west-2',
    ]);
  });

  describe('concurrentOverlaps (the check above)', () => {
    const target = (name: string, arns?: string[]) => ({ name, resource_arns: arns });
    const action = (name: string, on: string, after?: string[]) => ({
      name,
      target: { key: 'Subnets', value: on },
      start_after: after,
    });

    test('finds parallel actions on one target (the old isolation drill) and on shared ARNs', () => {
      expect(
        concurrentOverlaps({
          target: [target('t', ['s1'])],
          action: [action('a', 't'), action('b', 't')],
        }),
      ).toEqual([['a', 'b', 'target t']]);
      expect(
        concurrentOverlaps({
          target: [target('t1', ['s1', 's2']), target('t2', ['s2', 's3'])],
          action: [action('a', 't1'), action('b', 't2')],
        }),
      ).toEqual([['a', 'b', 's2']]);
    });

    test('accepts chained actions (also transitively) and disjoint targets; tag-selected targets overlap', () => {
      expect(
        concurrentOverlaps({
          target: [target('t', ['s1'])],
          action: [action('a', 't'), action('b', 't', ['a']), action('c', 't', ['b'])],
        }),
      ).toEqual([]);
      expect(
        concurrentOverlaps({
          target: [target('t1', ['s1']), target('t2', ['s2'])],
          action: [action('a', 't1'), action('b', 't2')],
        }),
      ).toEqual([]);
      expect(
        concurrentOverlaps({
          target: [target('t1', ['s1']), target('t2')],
          action: [action('a', 't1'), action('b', 't2')],
        }),
      ).toHaveLength(1);
    });
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

describe('drills of the production synth (wiring)', () => {
  test('the AZ drill cuts one AZ of every tier the platform runs in, MirrorMaker 2 nodes included', () => {
    const stack = defaultSynth('production').stack('region-eu-west');
    const [az] = resources(stack, 'aws_fis_experiment_template').filter((t) =>
      String(t.description).startsWith('AZ drill'),
    );
    const arns = (az.target as { resource_arns: string[] }[])[0].resource_arns;
    const tiers = arns.map((arn) => {
      const name = /aws_subnet\.([^.]+)\.id/.exec(arn)![1];
      const subnet = stack.resource!.aws_subnet[name];
      return `${(subnet.tags as Record<string, string>).tier}:${String(subnet.availability_zone).replace(/.*, (\d+)\)\}$/, '$1')}`;
    });
    expect(tiers.sort()).toEqual(['data:0', 'private:0', 'replication:0']);
  });
});
