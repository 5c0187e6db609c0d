// Storage-protection settings and names, without constructs: the configuration's validation reads
// them, and the plan must load no construct library (test/architecture.test.ts).

export const OBJECT_LOCK_MODES = ['governance', 'compliance'] as const;
/**
 * S3 Object Lock retention mode. `governance`: a principal allowed s3:BypassGovernanceRetention can
 * shorten or lift a retention (the protected buckets' policies deny that to all but the break-glass
 * role). `compliance`: nobody can, the root user included, until the retention ends.
 */
export type ObjectLockMode = (typeof OBJECT_LOCK_MODES)[number];

/** What a bucket holds, as the `data-class` tag says: the policy pack finds protected buckets by it. */
export const DATA_CLASS_TAG = 'data-class';
export type DataClass = 'audit' | 'backup';

/** Tag on every KMS key that serves one data class only (MRP-KMS-3 matches it against the bucket's class). */
export const KEY_PURPOSE_TAG = 'key-purpose';

/** The tags of a bucket of `dataClass`. */
export function dataClassTags(dataClass: DataClass): Record<string, string> {
  return { [DATA_CLASS_TAG]: dataClass };
}

/**
 * Configuration changes that would weaken a protected bucket: lifecycle (early expiry), replication
 * (stop copying), Object Lock, versioning, access logging, the policy itself, and the bucket.
 */
export const PROTECTED_CONFIGURATION_ACTIONS = [
  's3:PutLifecycleConfiguration',
  's3:PutReplicationConfiguration',
  's3:PutBucketObjectLockConfiguration',
  's3:PutBucketVersioning',
  's3:PutBucketLogging',
  's3:PutBucketPolicy',
  's3:DeleteBucketPolicy',
  's3:DeleteBucket',
] as const;

/** Object actions that destroy data for good: deleting a version, or lifting its retention. */
export const DESTRUCTIVE_OBJECT_ACTIONS = [
  's3:DeleteObjectVersion',
  's3:BypassGovernanceRetention',
  's3:PutObjectRetention',
] as const;
