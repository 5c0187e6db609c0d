import type { TerraformProvider } from 'cdktf';
import { Construct } from 'constructs';
import { SnsTopic } from '@cdktf/provider-aws/lib/sns-topic';
import { SnsTopicPolicy } from '@cdktf/provider-aws/lib/sns-topic-policy';
import { SnsTopicSubscription } from '@cdktf/provider-aws/lib/sns-topic-subscription';
import { setComponent } from '../common/context';
import { PolicyDocument } from '../common/iam';
import type { RegionalKey } from '../kms/regional-key';

export const SEVERITIES = ['critical', 'warning'] as const;
export type Severity = (typeof SEVERITIES)[number];

export interface TopicSubscription {
  /** SNS protocol: `email`, `https`, `sqs` or `lambda` (validated in config). */
  readonly protocol: string;
  readonly endpoint: string;
}

/** AWS services allowed to publish alerts (each scoped to this account). */
export const ALERT_PUBLISHERS = ['cloudwatch.amazonaws.com', 'events.amazonaws.com', 'aps.amazonaws.com'] as const;

export interface AlertTopicsProps {
  /** Name prefix, e.g. `mi-production-us-east`: topics are `<name>-alerts-<severity>`. */
  readonly name: string;
  readonly region: string;
  readonly accountId: string;
  readonly partition: string;
  /** Regional key: encrypts the topics and gets the publishers' key-policy grant. */
  readonly kmsKey: RegionalKey;
  /** Subscriptions per severity. @default - none */
  readonly subscriptions?: Partial<Record<Severity, readonly TopicSubscription[]>>;
  readonly provider?: TerraformProvider;
}

/**
 * One SNS topic per severity (seed 000: critical, warning), encrypted with the regional key.
 * CloudWatch alarms, EventBridge rules and Amazon Managed Prometheus of this account publish to
 * them; encrypted topics need those services to use the key, so the key policy grants
 * GenerateDataKey/Decrypt to them for this account only.
 */
export class AlertTopics extends Construct {
  readonly topics: Readonly<Record<Severity, SnsTopic>>;

  constructor(scope: Construct, id: string, props: AlertTopicsProps) {
    super(scope, id);
    setComponent(this, 'observability');
    const { provider, accountId, partition } = props;
    props.kmsKey.addToPolicy({
      Sid: 'AlertPublishers',
      Effect: 'Allow',
      Principal: { Service: [...ALERT_PUBLISHERS] },
      Action: ['kms:Decrypt', 'kms:GenerateDataKey*'],
      Resource: '*',
      // Only alarms, rules and Prometheus workspaces of this account (confused-deputy guard).
      Condition: {
        StringEquals: { 'aws:SourceAccount': accountId },
        ArnLike: {
          'aws:SourceArn': [
            `arn:${partition}:cloudwatch:*:${accountId}:alarm:*`,
            `arn:${partition}:events:*:${accountId}:rule/*`,
            `arn:${partition}:aps:*:${accountId}:workspace/*`,
          ],
        },
      },
    });
    const topics = {} as Record<Severity, SnsTopic>;
    for (const severity of SEVERITIES) {
      const topic = new SnsTopic(this, severity, {
        provider,
        name: `${props.name}-alerts-${severity}`,
        displayName: `${severity} alerts ${props.name}`,
        kmsMasterKeyId: props.kmsKey.arn,
      });
      new SnsTopicPolicy(this, `${severity}-policy`, {
        provider,
        arn: topic.arn,
        policy: new PolicyDocument(
          this,
          `${severity}-policy-document`,
          [
            {
              Sid: 'AccountServicesPublish',
              Effect: 'Allow',
              Principal: { Service: [...ALERT_PUBLISHERS] },
              Action: 'sns:Publish',
              Resource: topic.arn,
              Condition: { StringEquals: { 'aws:SourceAccount': accountId } },
            },
            {
              Sid: 'AccountManages',
              Effect: 'Allow',
              Principal: { AWS: `arn:${partition}:iam::${accountId}:root` },
              Action: [
                'sns:GetTopicAttributes',
                'sns:SetTopicAttributes',
                'sns:Subscribe',
                'sns:ListSubscriptionsByTopic',
                'sns:Publish',
              ],
              Resource: topic.arn,
            },
            {
              Sid: 'DenyInsecureTransport',
              Effect: 'Deny',
              Principal: '*',
              Action: 'sns:Publish',
              Resource: topic.arn,
              Condition: { Bool: { 'aws:SecureTransport': 'false' } },
            },
          ],
          provider,
        ).json,
      });
      (props.subscriptions?.[severity] ?? []).forEach((s, i) => {
        new SnsTopicSubscription(this, `${severity}-subscription-${i}`, {
          provider,
          topicArn: topic.arn,
          protocol: s.protocol,
          endpoint: s.endpoint,
        });
      });
      topics[severity] = topic;
    }
    this.topics = topics;
  }

  arn(severity: Severity): string {
    return this.topics[severity].arn;
  }
}
