import type { TerraformProvider } from 'cdktf';
import { Construct } from 'constructs';
import type { S3BucketLifecycleConfigurationRule } from '@cdktf/provider-aws/lib/s3-bucket-lifecycle-configuration';
import { setComponent } from '../common/context';
import type { RegionalKey } from '../kms/regional-key';
import type { BucketProtection } from '../storage/protection';
import { SecureBucket, type BucketObjectLock } from '../storage/secure-bucket';

/** Tiers by object age in days (config `observability.archive`). */
export interface ArchiveTiers {
  readonly hotDays: number;
  readonly warmDays: number;
  readonly warmStorageClass: string;
  readonly coldStorageClass: string;
  readonly expirationDays: number;
  readonly noncurrentVersionExpirationDays: number;
}

/** Key prefixes of what lands in the archive. */
export const ARCHIVE_PREFIXES = {
  cloudwatch: 'cloudwatch',
  cloudtrail: 'cloudtrail',
  firehoseErrors: 'firehose-errors',
} as const;

export interface LogArchiveProps {
  readonly bucketName: string;
  readonly kmsKey: RegionalKey;
  readonly tiers: ArchiveTiers;
  readonly provider?: TerraformProvider;
  /** Object Lock of the archive. @default - none */
  readonly objectLock?: BucketObjectLock;
  /** Who alone may delete versions or weaken the bucket. @default - no deny statements */
  readonly protection?: BucketProtection;
}

/**
 * The log archive of one region (seed 000: hot -> warm -> cold): a SecureBucket (SSE-KMS with the
 * region's audit key, versioned, TLS-only, prevent_destroy, Object Lock, tagged `data-class=audit`)
 * whose lifecycle moves every object from STANDARD to the warm class at `hotDays`, to the cold
 * class at `warmDays`, and deletes it at `expirationDays`. Replicated to the next region by the
 * global stack (delete markers stay behind).
 */
export class LogArchive extends Construct {
  readonly bucket: SecureBucket;

  constructor(scope: Construct, id: string, props: LogArchiveProps) {
    super(scope, id);
    setComponent(this, 'audit');
    this.bucket = new SecureBucket(this, 'bucket', {
      provider: props.provider,
      bucketName: props.bucketName,
      kmsKeyArn: props.kmsKey.arn,
      lifecycleRules: [archiveLifecycleRule(props.tiers)],
      dataClass: 'audit',
      objectLock: props.objectLock,
      protection: props.protection,
    });
  }

  get arn(): string {
    return this.bucket.arn;
  }

  get name(): string {
    return this.bucket.name;
  }
}

/** The tiering rule: one rule over the whole bucket, transitions in age order, then expiry. */
export function archiveLifecycleRule(t: ArchiveTiers): S3BucketLifecycleConfigurationRule {
  if (!(t.hotDays < t.warmDays && t.warmDays < t.expirationDays)) {
    throw new Error(
      `archive tiers must run hot < warm < expiry, got ${t.hotDays} / ${t.warmDays} / ${t.expirationDays}`,
    );
  }
  return {
    id: 'hot-warm-cold',
    status: 'Enabled',
    filter: [{}],
    transition: [
      { days: t.hotDays, storageClass: t.warmStorageClass },
      { days: t.warmDays, storageClass: t.coldStorageClass },
    ],
    expiration: [{ days: t.expirationDays }],
    noncurrentVersionExpiration: [{ noncurrentDays: t.noncurrentVersionExpirationDays }],
  };
}
