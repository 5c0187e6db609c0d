import type { TerraformProvider } from 'cdktf';
import { Construct } from 'constructs';
import { CloudwatchEventRule } from '@cdktf/provider-aws/lib/cloudwatch-event-rule';
import { CloudwatchEventTarget } from '@cdktf/provider-aws/lib/cloudwatch-event-target';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
import { setComponent } from '../common/context';
import { PolicyDocument, serviceTrust } from '../common/iam';
import { ALARM_STATE_CHANGE_PATTERN } from './alert-hub';

export interface AlarmForwarderProps {
  /** Name prefix of this region, e.g. `mi-production-eu-west`. */
  readonly name: string;
  readonly accountId: string;
  /** ARN of the alert bus in the primary region (computed from its name: no cross-stack reference). */
  readonly hubBusArn: string;
  readonly provider?: TerraformProvider;
}

/**
 * Forwards every alarm state change of this region (default bus) to the alert bus in the primary
 * region. Cross-region bus targets need a role: it may put events on that one bus only.
 */
export class AlarmForwarder extends Construct {
  readonly rule: CloudwatchEventRule;
  readonly role: IamRole;

  constructor(scope: Construct, id: string, props: AlarmForwarderProps) {
    super(scope, id);
    setComponent(this, 'observability');
    const { provider } = props;
    this.role = new IamRole(this, 'role', {
      provider,
      name: `${props.name}-alert-forwarder`,
      assumeRolePolicy: new PolicyDocument(
        this,
        'trust',
        serviceTrust('events.amazonaws.com', props.accountId),
        provider,
      ).json,
    });
    new IamRolePolicy(this, 'policy', {
      provider,
      role: this.role.id,
      name: 'put-on-alert-bus',
      policy: new PolicyDocument(
        this,
        'permissions',
        [{ Sid: 'AlertBus', Effect: 'Allow', Action: 'events:PutEvents', Resource: props.hubBusArn }],
        provider,
      ).json,
    });
    this.rule = new CloudwatchEventRule(this, 'rule', {
      provider,
      name: `${props.name}-alarm-state-changes`,
      description: 'Alarm state changes of this region, forwarded to the alert timeline in the primary region',
      eventPattern: JSON.stringify(ALARM_STATE_CHANGE_PATTERN),
    });
    new CloudwatchEventTarget(this, 'to-hub', {
      provider,
      rule: this.rule.name,
      targetId: 'alert-hub',
      arn: props.hubBusArn,
      roleArn: this.role.arn,
    });
  }
}
