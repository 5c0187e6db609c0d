import type { TerraformProvider } from 'cdktf';
import { Construct } from 'constructs';
import { Cloudtrail } from '@cdktf/provider-aws/lib/cloudtrail';
import { CloudwatchLogGroup } from '@cdktf/provider-aws/lib/cloudwatch-log-group';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
import { SnsTopic } from '@cdktf/provider-aws/lib/sns-topic';
import { SnsTopicPolicy } from '@cdktf/provider-aws/lib/sns-topic-policy';
import { setComponent } from '../common/context';
import { PolicyDocument, type PolicyStatement } from '../common/iam';
import { ARCHIVE_PREFIXES } from './log-archive';

/** ARN of a trail, computed so the bucket and key policies need no reference to the trail's stack. */
export function trailArn(partition: string, region: string, accountId: string, name: string): string {
  return `arn:${partition}:cloudtrail:${region}:${accountId}:trail/${name}`;
}

/** ARN of the trail's notification topic (same name rule: the key policy names it before it exists). */
export function trailTopicArn(partition: string, region: string, accountId: string, name: string): string {
  return `arn:${partition}:sns:${region}:${accountId}:${name}`;
}

/**
 * Statements the key of the trail's notification topic needs: CloudTrail (this trail only)
 * encrypts the messages it publishes to that topic (SNS server-side encryption on its behalf).
 */
export function cloudTrailNotificationKeyStatements(trail: string, topic: string): PolicyStatement[] {
  return [
    {
      Sid: 'CloudTrailNotifications',
      Effect: 'Allow',
      Principal: { Service: 'cloudtrail.amazonaws.com' },
      Action: ['kms:GenerateDataKey*', 'kms:Decrypt'],
      Resource: '*',
      Condition: {
        StringEquals: { 'aws:SourceArn': trail, 'kms:EncryptionContext:aws:sns:topicArn': topic },
      },
    },
  ];
}

/** Statements the archive bucket needs so CloudTrail (this trail only) can deliver into it. */
export function cloudTrailBucketStatements(bucketArn: string, accountId: string, arn: string): PolicyStatement[] {
  const fromTrail = { StringEquals: { 'aws:SourceArn': arn } };
  return [
    {
      Sid: 'CloudTrailAclCheck',
      Effect: 'Allow',
      Principal: { Service: 'cloudtrail.amazonaws.com' },
      Action: 's3:GetBucketAcl',
      Resource: bucketArn,
      Condition: fromTrail,
    },
    {
      Sid: 'CloudTrailWrite',
      Effect: 'Allow',
      Principal: { Service: 'cloudtrail.amazonaws.com' },
      Action: 's3:PutObject',
      Resource: `${bucketArn}/${ARCHIVE_PREFIXES.cloudtrail}/AWSLogs/${accountId}/*`,
      Condition: { StringEquals: { 'aws:SourceArn': arn, 's3:x-amz-acl': 'bucket-owner-full-control' } },
    },
  ];
}

/** Statements the trail's KMS key needs: CloudTrail encrypts log files for this trail, the account reads them. */
export function cloudTrailKeyStatements(accountId: string, partition: string, arn: string): PolicyStatement[] {
  return [
    {
      Sid: 'CloudTrailEncrypt',
      Effect: 'Allow',
      Principal: { Service: 'cloudtrail.amazonaws.com' },
      Action: 'kms:GenerateDataKey*',
      Resource: '*',
      Condition: {
        StringEquals: { 'aws:SourceArn': arn },
        StringLike: {
          'kms:EncryptionContext:aws:cloudtrail:arn': `arn:${partition}:cloudtrail:*:${accountId}:trail/*`,
        },
      },
    },
    {
      Sid: 'CloudTrailDescribeKey',
      Effect: 'Allow',
      Principal: { Service: 'cloudtrail.amazonaws.com' },
      Action: 'kms:DescribeKey',
      Resource: '*',
      Condition: { StringEquals: { 'aws:SourceArn': arn } },
    },
  ];
}

export interface AuditTrailProps {
  readonly name: string;
  /** Home region of the trail (the primary region). */
  readonly region: string;
  readonly accountId: string;
  readonly partition: string;
  /** Archive bucket of the home region; its policy must carry `cloudTrailBucketStatements`. */
  readonly bucketName: string;
  /** Key of the home region; its policy must carry `cloudTrailKeyStatements`. */
  readonly kmsKeyArn: string;
  /** Also deliver to a CloudWatch log group with this retention, days. @default - S3 only */
  readonly cloudWatchLogsRetentionDays?: number;
  /**
   * Announce every delivered log file on an SNS topic of this name, encrypted with `kmsKeyArn`
   * (whose policy must carry `cloudTrailNotificationKeyStatements`). @default - no topic
   */
  readonly notificationTopicName?: string;
  /**
   * Buckets (ARNs) whose S3 data events the trail records: every read, write and delete of their
   * objects, whoever makes it. @default - management events only
   */
  readonly dataEventBucketArns?: readonly string[];
  readonly provider?: TerraformProvider;
}

/**
 * One multi-region trail of the account: management events of every region, global service
 * events, log file validation (digest files), SSE-KMS with the primary region's key, delivered to
 * the primary region's log archive under `cloudtrail/` (and so replicated with the archive).
 */
export class AuditTrail extends Construct {
  readonly trail: Cloudtrail;
  readonly logGroup?: CloudwatchLogGroup;
  readonly topic?: SnsTopic;

  constructor(scope: Construct, id: string, props: AuditTrailProps) {
    super(scope, id);
    setComponent(this, 'audit');
    const { provider } = props;
    let cloudWatch: { cloudWatchLogsGroupArn: string; cloudWatchLogsRoleArn: string } | undefined;
    if (props.cloudWatchLogsRetentionDays !== undefined) {
      this.logGroup = new CloudwatchLogGroup(this, 'logs', {
        provider,
        name: `/aws/cloudtrail/${props.name}`,
        retentionInDays: props.cloudWatchLogsRetentionDays,
        kmsKeyId: props.kmsKeyArn,
      });
      const role = new IamRole(this, 'logs-role', {
        provider,
        name: `${props.name}-cloudtrail-logs`,
        assumeRolePolicy: new PolicyDocument(
          this,
          'logs-trust',
          [
            {
              Effect: 'Allow',
              Principal: { Service: 'cloudtrail.amazonaws.com' },
              Action: 'sts:AssumeRole',
              Condition: {
                StringEquals: { 'aws:SourceArn': trailArn(props.partition, props.region, props.accountId, props.name) },
              },
            },
          ],
          provider,
        ).json,
      });
      new IamRolePolicy(this, 'logs-policy', {
        provider,
        role: role.id,
        name: 'deliver-to-log-group',
        policy: new PolicyDocument(
          this,
          'logs-permissions',
          [
            {
              Sid: 'TrailLogGroup',
              Effect: 'Allow',
              Action: ['logs:CreateLogStream', 'logs:PutLogEvents'],
              Resource: `${this.logGroup.arn}:log-stream:*`,
            },
          ],
          provider,
        ).json,
      });
      cloudWatch = { cloudWatchLogsGroupArn: `${this.logGroup.arn}:*`, cloudWatchLogsRoleArn: role.arn };
    }
    const arn = trailArn(props.partition, props.region, props.accountId, props.name);
    let topicPolicy: SnsTopicPolicy | undefined;
    if (props.notificationTopicName !== undefined) {
      this.topic = new SnsTopic(this, 'notifications', {
        provider,
        name: props.notificationTopicName,
        displayName: `Log files delivered by ${props.name}`,
        kmsMasterKeyId: props.kmsKeyArn,
      });
      topicPolicy = new SnsTopicPolicy(this, 'notifications-policy', {
        provider,
        arn: this.topic.arn,
        policy: new PolicyDocument(
          this,
          'notifications-policy-document',
          [
            {
              Sid: 'CloudTrailPublish',
              Effect: 'Allow',
              Principal: { Service: 'cloudtrail.amazonaws.com' },
              Action: 'sns:Publish',
              Resource: this.topic.arn,
              Condition: { StringEquals: { 'aws:SourceArn': arn } },
            },
            {
              Sid: 'AccountSubscribes',
              Effect: 'Allow',
              Principal: { AWS: `arn:${props.partition}:iam::${props.accountId}:root` },
              Action: ['sns:GetTopicAttributes', 'sns:Subscribe', 'sns:ListSubscriptionsByTopic'],
              Resource: this.topic.arn,
            },
          ],
          provider,
        ).json,
      });
    }
    const buckets = props.dataEventBucketArns ?? [];
    this.trail = new Cloudtrail(this, 'trail', {
      provider,
      name: props.name,
      s3BucketName: props.bucketName,
      s3KeyPrefix: ARCHIVE_PREFIXES.cloudtrail,
      isMultiRegionTrail: true,
      includeGlobalServiceEvents: true,
      enableLogFileValidation: true,
      enableLogging: true,
      kmsKeyId: props.kmsKeyArn,
      ...cloudWatch,
      snsTopicName: this.topic?.name,
      // Advanced selectors replace the trail's default: management events are selected explicitly.
      advancedEventSelector:
        buckets.length > 0
          ? [
              { name: 'Management events', fieldSelector: [{ field: 'eventCategory', equalTo: ['Management'] }] },
              {
                name: 'S3 data events of state, audit and backup buckets',
                fieldSelector: [
                  { field: 'eventCategory', equalTo: ['Data'] },
                  { field: 'resources.type', equalTo: ['AWS::S3::Object'] },
                  { field: 'resources.ARN', startsWith: buckets.map((b) => `${b}/`) },
                ],
              },
            ]
          : undefined,
      // CloudTrail checks that it may publish when the topic is set.
      dependsOn: topicPolicy ? [topicPolicy] : undefined,
    });
  }
}
