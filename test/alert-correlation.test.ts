import { production } from '../src/config/environments/production';
import { resolvePlan } from '../src/plan/resolve';
import { defaultSynth } from './support/shared-synth';
import { resources } from './support/stack-json';

type Body = Record<string, unknown>;

describe('cross-region alert correlation (production synth)', () => {
  const synth = defaultSynth('production');
  const global = synth.stack('global');

  test.each(resolvePlan(production).regions.map((r) => r.key))(
    '%s forwards alarm state changes to the alert bus in us-east-1 with a role',
    (key) => {
      const stack = synth.stack(`region-${key}`);
      const rule = resources(stack, 'aws_cloudwatch_event_rule').find(
        (r) => r.name === `mi-production-${key}-alarm-state-changes`,
      )!;
      expect(JSON.parse(String(rule.event_pattern))).toEqual({
        source: ['aws.cloudwatch'],
        'detail-type': ['CloudWatch Alarm State Change'],
      });
      const target = resources(stack, 'aws_cloudwatch_event_target').find((t) => t.target_id === 'alert-hub')!;
      expect(target.arn).toMatch(
        /^arn:\$\{data\.aws_partition\.partition\.partition\}:events:us-east-1:.*:event-bus\/mi-production-alerts$/,
      );
      expect(target.role_arn).toMatch(/aws_iam_role\.observability_alarm-forwarder_role/);
      const docs = Object.values(stack.data!.aws_iam_policy_document).flatMap((d) => (d.statement as Body[]) ?? []);
      expect(docs.find((s) => s.sid === 'AlertBus')).toEqual(
        expect.objectContaining({ actions: ['events:PutEvents'], resources: [target.arn] }),
      );
    },
  );

  test('the hub in the primary region writes every forwarded event into one encrypted timeline', () => {
    const [bus] = resources(global, 'aws_cloudwatch_event_bus');
    expect(bus).toEqual(expect.objectContaining({ name: 'mi-production-alerts', provider: 'aws.us-east' }));
    const group = resources(global, 'aws_cloudwatch_log_group').find(
      (g) => g.name === '/aws/events/mi-production-alert-timeline',
    )!;
    expect(group).toEqual(
      expect.objectContaining({ kms_key_id: expect.stringMatching(/region-us-east/), retention_in_days: 365 }),
    );
    const rule = resources(global, 'aws_cloudwatch_event_rule').find((r) => r.name === 'mi-production-alert-timeline')!;
    expect(rule.event_bus_name).toMatch(/aws_cloudwatch_event_bus\./);
    const target = resources(global, 'aws_cloudwatch_event_target').find((t) => t.target_id === 'timeline')!;
    expect(target.arn).toMatch(/aws_cloudwatch_log_group\.observability_alert-hub_timeline_\w+\.arn/);
    expect(resources(global, 'aws_cloudwatch_log_resource_policy').map((p) => p.policy_name)).toContain(
      'mi-production-alert-timeline',
    );
  });
});
