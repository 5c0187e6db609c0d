import type { TerraformProvider } from 'cdktf';
import { Construct } from 'constructs';
import { Cloudtrail } from '@cdktf/provider-aws/lib/cloudtrail';
import { CloudwatchLogGroup } from '@cdktf/provider-aws/lib/cloudwatch-log-group';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
import { setComponent } from '../common/context';
import { PolicyDocument, type PolicyStatement } from '../common/iam';
import { ARCHIVE_PREFIXES } from './log-archive';

/** ARN of a trail, computed so the bucket and key policies need no reference to the trail's stack. */
export function trailArn(partition: string, region: string, accountId: string, name: string): string {
  return `arn:${partition}:cloudtrail:${region}:${accountId}:trail/${name}`;
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
    });
  }
}
