import type { TerraformProvider } from 'cdktf';
import { Construct } from 'constructs';
import { S3BucketLoggingA } from '@cdktf/provider-aws/lib/s3-bucket-logging';
import { suppress } from '../common/policy';
import { SecureBucket } from './secure-bucket';

export interface AccessLogSinkProps {
  readonly bucketName: string;
  /** Account whose buckets log here (`aws:SourceAccount`). */
  readonly accountId: string;
  /** Days an access-log object is kept. */
  readonly retentionDays: number;
  readonly provider?: TerraformProvider;
}

/**
 * Where the S3 server access logs of one region's buckets land: a SecureBucket on SSE-S3 (private,
 * versioned, TLS-only, prevent_destroy) that only `logging.s3.amazonaws.com` writes to, each
 * source bucket under its own prefix and only for that bucket (`aws:SourceArn`, `aws:SourceAccount`).
 *
 * Exempt from what it provides: the sink does not log its own access (S3 advises against a target
 * that logs, since every delivery would be logged again); reads of the logs show up as CloudTrail
 * management events only. SSE-S3, not SSE-KMS: S3 documents SSE-S3 as the only default encryption
 * of a server-access-log target. No Object Lock: S3 refuses a target with a default retention.
 */
export class AccessLogSink extends Construct {
  readonly bucket: SecureBucket;
  private readonly props: AccessLogSinkProps;
  private readonly sources = new Set<string>();

  constructor(scope: Construct, id: string, props: AccessLogSinkProps) {
    super(scope, id);
    this.props = props;
    this.bucket = new SecureBucket(this, 'bucket', {
      provider: props.provider,
      bucketName: props.bucketName,
      encryption: 's3-managed',
      lifecycleRules: [
        {
          id: 'expire-access-logs',
          status: 'Enabled',
          filter: [{}],
          expiration: [{ days: props.retentionDays }],
          noncurrentVersionExpiration: [{ noncurrentDays: 1 }],
        },
      ],
    });
    suppress(
      this.bucket,
      'MRP-S3-1',
      'S3 server access logs can only be delivered to a bucket whose default encryption is SSE-S3 (S3 documents SSE-KMS as unsupported for log targets)',
    );
  }

  get name(): string {
    return this.bucket.name;
  }

  get arn(): string {
    return this.bucket.arn;
  }

  /**
   * Turns on server access logging of `source` into this sink under `<id>/` and admits the S3
   * logging service for that source only. `id` is a short, unique label (the prefix).
   */
  logFrom(source: SecureBucket, id: string): S3BucketLoggingA {
    if (!/^[a-z0-9][a-z0-9-]*$/.test(id)) throw new Error(`access-log prefix must be lower-case words, got "${id}"`);
    if (this.sources.has(id)) throw new Error(`access-log prefix "${id}" is used twice in ${this.props.bucketName}`);
    this.sources.add(id);
    const prefix = `${id}/`;
    this.bucket.addToPolicy({
      Sid: `S3ServerAccessLogs${this.sources.size}`,
      Effect: 'Allow',
      Principal: { Service: 'logging.s3.amazonaws.com' },
      Action: 's3:PutObject',
      Resource: `${this.bucket.arn}/${prefix}*`,
      Condition: {
        StringEquals: { 'aws:SourceAccount': this.props.accountId },
        ArnEquals: { 'aws:SourceArn': source.arn },
      },
    });
    return new S3BucketLoggingA(source, 'access-logging', {
      provider: this.props.provider,
      bucket: source.bucket.id,
      targetBucket: this.bucket.bucket.id,
      targetPrefix: prefix,
      // Date-partitioned keys (`<prefix><account>/<region>/<bucket>/yyyy/mm/dd/`): Athena prunes by day.
      targetObjectKeyFormat: { partitionedPrefix: { partitionDateSource: 'EventTime' } },
      // S3 checks the target's policy when logging is turned on.
      dependsOn: [this.bucket.bucketPolicy],
    });
  }
}
