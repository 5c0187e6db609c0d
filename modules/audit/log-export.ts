import type { TerraformProvider } from 'cdktf';
import { Construct } from 'constructs';
import { CloudwatchLogGroup } from '@cdktf/provider-aws/lib/cloudwatch-log-group';
import { CloudwatchLogStream } from '@cdktf/provider-aws/lib/cloudwatch-log-stream';
import { CloudwatchLogSubscriptionFilter } from '@cdktf/provider-aws/lib/cloudwatch-log-subscription-filter';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
import { KinesisFirehoseDeliveryStream } from '@cdktf/provider-aws/lib/kinesis-firehose-delivery-stream';
import { setComponent } from '../common/context';
import { PolicyDocument } from '../common/iam';
import type { RegionalKey } from '../kms/regional-key';
import { ARCHIVE_PREFIXES } from './log-archive';

/** Where a log group streams to: the Firehose stream and the role CloudWatch Logs writes with. */
export interface LogExportTarget {
  readonly streamArn: string;
  readonly roleArn: string;
}

/**
 * Streams each log group (all events) into a region's archive, from any stack deployed after the
 * one that holds the stream. Subscription filters must be in the log group's region.
 */
export function subscribeLogGroups(
  scope: Construct,
  target: LogExportTarget,
  logGroups: readonly CloudwatchLogGroup[],
  provider?: TerraformProvider,
): CloudwatchLogSubscriptionFilter[] {
  return logGroups.map(
    (group) =>
      new CloudwatchLogSubscriptionFilter(scope, `archive-${group.node.path.replace(/[^A-Za-z0-9]+/g, '-')}`, {
        provider,
        name: 'to-log-archive',
        logGroupName: group.name,
        filterPattern: '',
        destinationArn: target.streamArn,
        roleArn: target.roleArn,
      }),
  );
}

export interface LogExportProps {
  /** Name prefix of the region, e.g. `mi-production-us-east`. */
  readonly name: string;
  /** Region key, first path element under `cloudwatch/` in the archive. */
  readonly regionKey: string;
  readonly region: string;
  readonly accountId: string;
  readonly partition: string;
  readonly bucketArn: string;
  readonly kmsKey: RegionalKey;
  /** Retention of the delivery-error log group, days. */
  readonly logRetentionDays: number;
  readonly provider?: TerraformProvider;
}

/**
 * Streams CloudWatch Logs into the region's log archive: subscription filters (added with
 * `subscribe`) -> one Firehose stream (encrypted with the regional key) -> S3 under
 * `cloudwatch/<region key>/<yyyy/MM/dd>/`, the records as CloudWatch Logs delivers them (gzip).
 * Two least-privilege roles: CloudWatch Logs may only put records into this stream, Firehose may
 * only write the archive's prefixes with the regional key (through S3) and its own error log.
 */
export class LogExport extends Construct {
  readonly stream: KinesisFirehoseDeliveryStream;
  readonly errorLogGroup: CloudwatchLogGroup;
  readonly subscriptionRole: IamRole;
  private readonly props: LogExportProps;

  constructor(scope: Construct, id: string, props: LogExportProps) {
    super(scope, id);
    setComponent(this, 'audit');
    this.props = props;
    const { provider, accountId, partition, region } = props;
    const streamName = `${props.name}-logs-to-archive`;
    const streamArn = `arn:${partition}:firehose:${region}:${accountId}:deliverystream/${streamName}`;

    this.errorLogGroup = new CloudwatchLogGroup(this, 'errors', {
      provider,
      name: `/aws/kinesisfirehose/${streamName}`,
      retentionInDays: props.logRetentionDays,
      kmsKeyId: props.kmsKey.arn,
    });
    const errorStream = new CloudwatchLogStream(this, 'errors-s3', {
      provider,
      name: 'S3Delivery',
      logGroupName: this.errorLogGroup.name,
    });

    const firehoseRole = new IamRole(this, 'firehose-role', {
      provider,
      name: `${props.name}-logs-firehose`,
      assumeRolePolicy: new PolicyDocument(
        this,
        'firehose-trust',
        [
          {
            Effect: 'Allow',
            Principal: { Service: 'firehose.amazonaws.com' },
            Action: 'sts:AssumeRole',
            Condition: { StringEquals: { 'aws:SourceAccount': accountId } },
          },
        ],
        provider,
      ).json,
    });
    new IamRolePolicy(this, 'firehose-policy', {
      provider,
      role: firehoseRole.id,
      name: 'deliver-to-archive',
      policy: new PolicyDocument(
        this,
        'firehose-permissions',
        [
          {
            Sid: 'Bucket',
            Effect: 'Allow',
            Action: ['s3:GetBucketLocation', 's3:ListBucket', 's3:ListBucketMultipartUploads'],
            Resource: props.bucketArn,
          },
          {
            Sid: 'Objects',
            Effect: 'Allow',
            Action: ['s3:PutObject', 's3:AbortMultipartUpload'],
            Resource: [
              `${props.bucketArn}/${ARCHIVE_PREFIXES.cloudwatch}/${props.regionKey}/*`,
              `${props.bucketArn}/${ARCHIVE_PREFIXES.firehoseErrors}/${props.regionKey}/*`,
            ],
          },
          {
            Sid: 'KeyThroughS3',
            Effect: 'Allow',
            Action: ['kms:GenerateDataKey', 'kms:Decrypt'],
            Resource: props.kmsKey.arn,
            Condition: {
              StringEquals: { 'kms:ViaService': `s3.${region}.amazonaws.com` },
              StringLike: { 'kms:EncryptionContext:aws:s3:arn': `${props.bucketArn}/*` },
            },
          },
          {
            Sid: 'ErrorLog',
            Effect: 'Allow',
            Action: 'logs:PutLogEvents',
            Resource: `${this.errorLogGroup.arn}:log-stream:*`,
          },
        ],
        provider,
      ).json,
    });
    // Firehose encrypts its buffer with the key through a grant it creates as the caller.
    props.kmsKey.addToPolicy({
      Sid: 'FirehoseLogExport',
      Effect: 'Allow',
      Principal: { Service: 'firehose.amazonaws.com' },
      Action: ['kms:GenerateDataKey*', 'kms:Decrypt'],
      Resource: '*',
      Condition: { StringEquals: { 'aws:SourceAccount': accountId, 'aws:SourceArn': streamArn } },
    });

    this.stream = new KinesisFirehoseDeliveryStream(this, 'stream', {
      provider,
      name: streamName,
      destination: 'extended_s3',
      serverSideEncryption: { enabled: true, keyType: 'CUSTOMER_MANAGED_CMK', keyArn: props.kmsKey.arn },
      extendedS3Configuration: {
        roleArn: firehoseRole.arn,
        bucketArn: props.bucketArn,
        prefix: `${ARCHIVE_PREFIXES.cloudwatch}/${props.regionKey}/!{timestamp:yyyy/MM/dd}/`,
        errorOutputPrefix: `${ARCHIVE_PREFIXES.firehoseErrors}/${props.regionKey}/!{firehose:error-output-type}/!{timestamp:yyyy/MM/dd}/`,
        bufferingSize: 64,
        bufferingInterval: 300,
        // Records arrive gzip-compressed from CloudWatch Logs already.
        compressionFormat: 'UNCOMPRESSED',
        kmsKeyArn: props.kmsKey.arn,
        cloudwatchLoggingOptions: {
          enabled: true,
          logGroupName: this.errorLogGroup.name,
          logStreamName: errorStream.name,
        },
      },
    });

    this.subscriptionRole = new IamRole(this, 'subscription-role', {
      provider,
      name: `${props.name}-logs-subscription`,
      assumeRolePolicy: new PolicyDocument(
        this,
        'subscription-trust',
        [
          {
            Effect: 'Allow',
            Principal: { Service: `logs.${region}.amazonaws.com` },
            Action: 'sts:AssumeRole',
            Condition: {
              StringLike: { 'aws:SourceArn': `arn:${partition}:logs:${region}:${accountId}:*` },
            },
          },
        ],
        provider,
      ).json,
    });
    new IamRolePolicy(this, 'subscription-policy', {
      provider,
      role: this.subscriptionRole.id,
      name: 'put-into-stream',
      policy: new PolicyDocument(
        this,
        'subscription-permissions',
        [
          {
            Sid: 'Stream',
            Effect: 'Allow',
            Action: ['firehose:PutRecord', 'firehose:PutRecordBatch'],
            Resource: streamArn,
          },
        ],
        provider,
      ).json,
    });
  }

  /** Stream and role, for stacks deployed after this one (see `subscribeLogGroups`). */
  get target(): LogExportTarget {
    return { streamArn: this.stream.arn, roleArn: this.subscriptionRole.arn };
  }

  /** Streams the log groups of this stack into the archive; the stream's own error log is skipped (loop). */
  subscribe(
    scope: Construct,
    logGroups: readonly CloudwatchLogGroup[],
    /** Provider of the stream's region in `scope`'s stack. @default - the props' provider */
    provider: TerraformProvider | undefined = this.props.provider,
  ): CloudwatchLogSubscriptionFilter[] {
    return subscribeLogGroups(
      scope,
      this.target,
      logGroups.filter((group) => group !== this.errorLogGroup),
      provider,
    );
  }
}
