import type { ITerraformDependable, TerraformProvider } from 'cdktf';
import { Construct } from 'constructs';
import { S3Bucket } from '@cdktf/provider-aws/lib/s3-bucket';
import {
  S3BucketLifecycleConfiguration,
  type S3BucketLifecycleConfigurationRule,
} from '@cdktf/provider-aws/lib/s3-bucket-lifecycle-configuration';
import { S3BucketObjectLockConfigurationA } from '@cdktf/provider-aws/lib/s3-bucket-object-lock-configuration';
import { S3BucketOwnershipControls } from '@cdktf/provider-aws/lib/s3-bucket-ownership-controls';
import { S3BucketPolicy } from '@cdktf/provider-aws/lib/s3-bucket-policy';
import { S3BucketPublicAccessBlock } from '@cdktf/provider-aws/lib/s3-bucket-public-access-block';
import { S3BucketServerSideEncryptionConfigurationA } from '@cdktf/provider-aws/lib/s3-bucket-server-side-encryption-configuration';
import { S3BucketVersioningA } from '@cdktf/provider-aws/lib/s3-bucket-versioning';
import { PolicyDocument, tlsOnlyStatements, type PolicyStatement } from '../common/iam';
import { protectionStatements, type BucketProtection } from './protection';
import { dataClassTags, type DataClass, type ObjectLockMode } from './settings';

/** S3 Object Lock of a bucket: always enabled; a default retention for every new object when `days` > 0. */
export interface BucketObjectLock {
  readonly mode: ObjectLockMode;
  /** Default retention in days; 0: Object Lock on, no default retention. */
  readonly days: number;
}

export interface SecureBucketProps {
  readonly bucketName: string;
  /** ARN of the customer-managed key used for default encryption; required unless `encryption` is `s3-managed`. */
  readonly kmsKeyArn?: string;
  /**
   * Default encryption. `s3-managed` (SSE-S3) only for writers that cannot use KMS keys, such as
   * ALB access logs, which support SSE-S3 only.
   * @default 'kms' - SSE-KMS with `kmsKeyArn` and a bucket key
   */
  readonly encryption?: 'kms' | 's3-managed';
  /** Provider to create the bucket with. @default - the stack's default provider */
  readonly provider?: TerraformProvider;
  /** Lifecycle rules; an abort-incomplete-uploads rule is always added. @default - none */
  readonly lifecycleRules?: readonly S3BucketLifecycleConfigurationRule[];
  /**
   * Refuse `terraform destroy` of the bucket.
   * @default true - buckets hold state, backups or audit logs
   */
  readonly preventDestroy?: boolean;
  /** What the bucket holds (tag `data-class`; the policy pack requires Object Lock and a protection policy). @default - neither */
  readonly dataClass?: DataClass;
  /** Object Lock (on an existing bucket too: versioning is on first). @default - none */
  readonly objectLock?: BucketObjectLock;
  /** Deny destructive and weakening actions to every principal but the listed ones. @default - none */
  readonly protection?: BucketProtection;
}

/**
 * An S3 bucket that is private, versioned, SSE-KMS encrypted with a bucket key, owner-enforced,
 * and reachable over TLS 1.2+ only. Other modules add policy statements with `addToPolicy`.
 */
export class SecureBucket extends Construct {
  readonly bucket: S3Bucket;
  readonly versioning: S3BucketVersioningA;
  readonly publicAccessBlock: S3BucketPublicAccessBlock;
  /** The bucket policy (TLS-only plus `addToPolicy` statements); writers that check access depend on it. */
  readonly bucketPolicy: S3BucketPolicy;
  /** Object Lock configuration, when `objectLock` is set. */
  readonly objectLock?: S3BucketObjectLockConfigurationA;
  private readonly policy: PolicyDocument;

  constructor(scope: Construct, id: string, props: SecureBucketProps) {
    super(scope, id);
    const provider = props.provider;
    this.bucket = new S3Bucket(this, 'bucket', {
      provider,
      bucket: props.bucketName,
      lifecycle: { preventDestroy: props.preventDestroy ?? true },
      tags: props.dataClass ? dataClassTags(props.dataClass) : undefined,
    });
    const bucket = this.bucket.id;
    this.versioning = new S3BucketVersioningA(this, 'versioning', {
      provider,
      bucket,
      versioningConfiguration: { status: 'Enabled' },
    });
    new S3BucketServerSideEncryptionConfigurationA(this, 'encryption', {
      provider,
      bucket,
      rule: [
        props.encryption === 's3-managed'
          ? { applyServerSideEncryptionByDefault: { sseAlgorithm: 'AES256' } }
          : {
              applyServerSideEncryptionByDefault: { sseAlgorithm: 'aws:kms', kmsMasterKeyId: requireKey(props) },
              bucketKeyEnabled: true,
            },
      ],
    });
    this.publicAccessBlock = new S3BucketPublicAccessBlock(this, 'public-access-block', {
      provider,
      bucket,
      blockPublicAcls: true,
      blockPublicPolicy: true,
      ignorePublicAcls: true,
      restrictPublicBuckets: true,
    });
    new S3BucketOwnershipControls(this, 'ownership', {
      provider,
      bucket,
      rule: { objectOwnership: 'BucketOwnerEnforced' },
    });
    this.policy = new PolicyDocument(
      this,
      'policy-document',
      [
        ...tlsOnlyStatements(this.bucket.arn),
        ...(props.protection ? protectionStatements(this.bucket.arn, props.protection) : []),
      ],
      provider,
    );
    this.bucketPolicy = new S3BucketPolicy(this, 'policy', {
      provider,
      bucket,
      policy: this.policy.json,
      dependsOn: [this.publicAccessBlock],
    });
    new S3BucketLifecycleConfiguration(this, 'lifecycle', {
      provider,
      bucket,
      rule: [
        {
          id: 'abort-incomplete-multipart-uploads',
          status: 'Enabled',
          filter: [{}],
          abortIncompleteMultipartUpload: [{ daysAfterInitiation: 7 }],
        },
        ...(props.lifecycleRules ?? []),
      ],
      dependsOn: [this.versioning],
    });
    if (props.objectLock) {
      // PutObjectLockConfiguration enables Object Lock on an existing bucket once versioning is on
      // (no AWS Support token since 2023); it cannot be disabled afterwards, only its default retention.
      const { mode, days } = props.objectLock;
      if (!Number.isInteger(days) || days < 0) {
        throw new Error(`SecureBucket ${props.bucketName}: objectLock.days must be a whole number >= 0, got ${days}`);
      }
      this.objectLock = new S3BucketObjectLockConfigurationA(this, 'object-lock', {
        provider,
        bucket,
        objectLockEnabled: 'Enabled',
        rule: days > 0 ? { defaultRetention: { mode: mode.toUpperCase(), days } } : undefined,
        dependsOn: [this.versioning],
      });
    }
  }

  get arn(): string {
    return this.bucket.arn;
  }

  get name(): string {
    return this.bucket.bucket;
  }

  /** Resources that must exist before objects are replicated or written here (replicas of locked objects need a locked destination). */
  get readiness(): ITerraformDependable[] {
    return this.objectLock ? [this.versioning, this.objectLock] : [this.versioning];
  }

  addToPolicy(statement: PolicyStatement): void {
    this.policy.add(statement);
  }
}

function requireKey(props: SecureBucketProps): string {
  if (!props.kmsKeyArn) throw new Error(`SecureBucket ${props.bucketName}: kmsKeyArn is required with KMS encryption`);
  return props.kmsKeyArn;
}
