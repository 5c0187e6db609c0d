import type { TerraformProvider } from 'cdktf';
import { Construct } from 'constructs';
import { CloudwatchEventBus } from '@cdktf/provider-aws/lib/cloudwatch-event-bus';
import { CloudwatchEventRule } from '@cdktf/provider-aws/lib/cloudwatch-event-rule';
import { CloudwatchEventTarget } from '@cdktf/provider-aws/lib/cloudwatch-event-target';
import { CloudwatchLogGroup } from '@cdktf/provider-aws/lib/cloudwatch-log-group';
import { CloudwatchLogResourcePolicy } from '@cdktf/provider-aws/lib/cloudwatch-log-resource-policy';
import { setComponent } from '../common/context';
import { PolicyDocument } from '../common/iam';

/** Event pattern of alarm state changes (every alarm of the account in the rule's region). */
export const ALARM_STATE_CHANGE_PATTERN = {
  source: ['aws.cloudwatch'],
  'detail-type': ['CloudWatch Alarm State Change'],
} as const;

export interface AlertHubProps {
  /** `<project>-<environment>`. */
  readonly prefix: string;
  /** Name of the bus (computed by the caller, so forwarders in other regions need no reference). */
  readonly busName: string;
  /** Name of the timeline log group (EventBridge log targets must start with /aws/events/). */
  readonly timelineLogGroupName: string;
  readonly region: string;
  readonly accountId: string;
  readonly partition: string;
  /** Key of the primary region: encrypts the timeline log group. */
  readonly kmsKeyArn: string;
  readonly logRetentionDays: number;
  readonly provider?: TerraformProvider;
}

/**
 * Cross-region alert correlation, in the primary region: a custom bus receiving every region's
 * "CloudWatch Alarm State Change" events (forwarded by an AlarmForwarder per region), and a rule
 * writing all of them into one log group, the timeline an operator reads (Logs Insights:
 * `fields @timestamp, region, detail.alarmName, detail.state.value | sort @timestamp`).
 */
export class AlertHub extends Construct {
  readonly bus: CloudwatchEventBus;
  readonly timeline: CloudwatchLogGroup;
  readonly rule: CloudwatchEventRule;

  constructor(scope: Construct, id: string, props: AlertHubProps) {
    super(scope, id);
    setComponent(this, 'observability');
    const { provider, accountId } = props;
    this.bus = new CloudwatchEventBus(this, 'bus', { provider, name: props.busName });
    this.timeline = new CloudwatchLogGroup(this, 'timeline', {
      provider,
      name: props.timelineLogGroupName,
      retentionInDays: props.logRetentionDays,
      kmsKeyId: props.kmsKeyArn,
    });
    // EventBridge writes to log groups through a Logs resource policy, not a role.
    new CloudwatchLogResourcePolicy(this, 'timeline-policy', {
      provider,
      policyName: `${props.prefix}-alert-timeline`,
      policyDocument: new PolicyDocument(
        this,
        'timeline-policy-document',
        [
          {
            Sid: 'EventBridgeWritesTimeline',
            Effect: 'Allow',
            Principal: { Service: ['events.amazonaws.com', 'delivery.logs.amazonaws.com'] },
            Action: ['logs:CreateLogStream', 'logs:PutLogEvents'],
            Resource: `${this.timeline.arn}:*`,
            Condition: { StringEquals: { 'aws:SourceAccount': accountId } },
          },
        ],
        provider,
      ).json,
    });
    this.rule = new CloudwatchEventRule(this, 'to-timeline', {
      provider,
      name: `${props.prefix}-alert-timeline`,
      description: 'Every forwarded alarm state change into the alert timeline',
      eventBusName: this.bus.name,
      eventPattern: JSON.stringify({ source: ALARM_STATE_CHANGE_PATTERN.source }),
    });
    new CloudwatchEventTarget(this, 'timeline-target', {
      provider,
      rule: this.rule.name,
      eventBusName: this.bus.name,
      targetId: 'timeline',
      arn: this.timeline.arn,
    });
  }
}
