/**
 * S3 rules of the storage and audit controls (docs/security.md), and the readers the KMS and
 * CloudTrail rules share: which buckets are protected, which are access-log sinks, and how a
 * statement is bound to its source.
 */
import { DATA_CLASS_TAG, KEY_PURPOSE_TAG } from '../../../modules/storage/settings';
import { block, blocks, isSet, isTrue } from '../attributes';
import { coversAction, type Statement } from '../statements';
import type { ResourceView, StackView } from '../types';
import { problemUnless, resourceRule, stackRule } from './define';
import { bucketConfigs, policyStatements } from './s3';

const tagsOf = (r: ResourceView | undefined) => (r?.attributes.tags ?? {}) as Record<string, unknown>;

/** The bucket's `data-class` tag (`audit`, `backup`), if any. */
export function dataClassOf(bucket: ResourceView): string | undefined {
  const value = tagsOf(bucket)[DATA_CLASS_TAG];
  return typeof value === 'string' ? value : undefined;
}

/** The key's `key-purpose` tag, if any. */
export function keyPurposeOf(key: ResourceView | undefined): string | undefined {
  const value = tagsOf(key)[KEY_PURPOSE_TAG];
  return typeof value === 'string' ? value : undefined;
}

/** Statements of every bucket policy attached to `bucket` in the stack. */
export function bucketPolicyStatements(stack: StackView, bucket: ResourceView): Statement[] {
  return bucketConfigs(stack, 'aws_s3_bucket_policy', bucket).flatMap((p) =>
    policyStatements(stack, p.attributes.policy),
  );
}

/** A server-access-log sink: its policy lets the S3 logging service write. */
export function isAccessLogSink(stack: StackView, bucket: ResourceView): boolean {
  return bucketPolicyStatements(stack, bucket).some(
    (s) => s.effect === 'Allow' && s.principals.includes('Service:logging.s3.amazonaws.com'),
  );
}

/** The statement names the principals it exempts (`aws:PrincipalArn` in a negated ARN or string test). */
export function exemptsNamedPrincipals(s: Statement): boolean {
  return s.conditions.some(
    (c) =>
      /^(ArnNotLike|ArnNotEquals|StringNotLike|StringNotEquals)$/.test(c.test) && c.variable === 'aws:PrincipalArn',
  );
}

/**
 * A service-principal grant is bound to the resource that uses it: `aws:SourceArn`, an encryption
 * context naming the resource's ARN (CloudWatch Logs, CloudTrail, SNS), or a CreateGrant limited to
 * grants for AWS resources.
 */
export function boundToSource(s: Statement): boolean {
  if (s.conditions.some((c) => c.variable.toLowerCase() === 'aws:sourcearn' && c.values.length > 0)) return true;
  if (s.conditions.some((c) => /^kms:EncryptionContext:aws:.+arn$/i.test(c.variable) && c.values.length > 0)) {
    return true;
  }
  return (
    s.actions.length > 0 &&
    s.actions.every((a) => a === 'kms:CreateGrant') &&
    s.conditions.some((c) => c.variable === 'kms:GrantIsForAWSResource' && c.values.includes('true'))
  );
}

const SERVICE = 'S3';

/** The object and configuration actions a protected bucket's policy must deny to all but named principals. */
const MUST_DENY = [
  's3:DeleteObjectVersion',
  's3:BypassGovernanceRetention',
  's3:PutLifecycleConfiguration',
  's3:PutReplicationConfiguration',
  's3:PutBucketObjectLockConfiguration',
  's3:PutBucketPolicy',
];

function protectedBuckets(stack: StackView): ResourceView[] {
  return stack.ofType('aws_s3_bucket').filter((b) => dataClassOf(b) !== undefined);
}

export const s3ProtectionRules = [
  stackRule({
    id: 'MRP-S3-9',
    service: SERVICE,
    rationale:
      'Every bucket writes S3 server access logs to a sink bucket; only a sink (its policy admits logging.s3.amazonaws.com) is exempt.',
    check: (stack) =>
      stack.ofType('aws_s3_bucket').flatMap((b) => {
        if (isAccessLogSink(stack, b) || blocks(b.attributes.logging).length > 0) return [];
        return bucketConfigs(stack, 'aws_s3_bucket_logging', b).some((l) => isSet(l.attributes.target_bucket))
          ? []
          : [
              {
                resource: b,
                problem: 'bucket has no aws_s3_bucket_logging (server access logs) and is no access-log sink',
              },
            ];
      }),
  }),
  stackRule({
    id: 'MRP-S3-10',
    service: SERVICE,
    rationale: 'Audit and backup buckets (tag data-class) have S3 Object Lock enabled.',
    check: (stack) =>
      protectedBuckets(stack).flatMap((b) => {
        const locked =
          isTrue(b.attributes.object_lock_enabled) ||
          bucketConfigs(stack, 'aws_s3_bucket_object_lock_configuration', b).some(
            (l) => (l.attributes.object_lock_enabled ?? 'Enabled') === 'Enabled',
          );
        return locked ? [] : [{ resource: b, problem: `${dataClassOf(b)} bucket has no Object Lock configuration` }];
      }),
  }),
  stackRule({
    id: 'MRP-S3-11',
    service: SERVICE,
    rationale:
      'Audit and backup buckets deny version deletes, retention bypass and lifecycle, replication, lock or policy changes to all but named principals.',
    check: (stack) =>
      protectedBuckets(stack).flatMap((b) => {
        const denies = bucketPolicyStatements(stack, b).filter(
          (s) => s.effect === 'Deny' && s.principals.includes('*:*') && exemptsNamedPrincipals(s),
        );
        const missing = MUST_DENY.filter((a) => !denies.some((s) => coversAction(s, a)));
        return missing.length === 0
          ? []
          : [{ resource: b, problem: `bucket policy does not deny ${missing.join(', ')} to all but named principals` }];
      }),
  }),
  resourceRule({
    id: 'MRP-S3-12',
    service: SERVICE,
    rationale: 'Replication never copies delete markers, so a delete in one region leaves the other copy current.',
    appliesTo: ['aws_s3_bucket_replication_configuration'],
    check: (r) => {
      const copying = blocks(r.attributes.rule).filter(
        (rule) => block(rule.delete_marker_replication)?.status === 'Enabled',
      );
      return problemUnless(
        copying.length === 0,
        `rule ${copying.map((rule) => String(rule.id)).join(', ')} replicates delete markers`,
      );
    },
  }),
];
