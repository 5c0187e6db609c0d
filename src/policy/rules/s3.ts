import {
  block,
  blocks,
  isCustomerManagedKey,
  isTrue,
  preventsDestroy,
  references,
  type Attributes,
} from '../attributes';
import { documentStatements, jsonStatements, type Statement } from '../statements';
import type { ResourceView, StackView } from '../types';
import { problemUnless, resourceRule, stackRule } from './define';

const SERVICE = 'S3';

/** Resources of `type` configuring `bucket` (by reference, or by literal bucket name). */
export function bucketConfigs(stack: StackView, type: string, bucket: ResourceView): ResourceView[] {
  const name = bucket.attributes.bucket;
  return stack
    .ofType(type)
    .filter(
      (r) => references(r.attributes.bucket, bucket) || (typeof name === 'string' && r.attributes.bucket === name),
    );
}

function everyBucket(stack: StackView, problem: (bucket: ResourceView) => string | undefined) {
  return stack.ofType('aws_s3_bucket').flatMap((resource) => {
    const text = problem(resource);
    return text ? [{ resource, problem: text }] : [];
  });
}

/** Statements of the policy a bucket policy resource applies (via a policy document or literal JSON). */
export function policyStatements(stack: StackView, policyValue: unknown): Statement[] {
  const document = stack.referenced(policyValue);
  if (document?.type === 'aws_iam_policy_document' && document.kind === 'data') {
    return documentStatements(document.attributes);
  }
  return jsonStatements(policyValue);
}

function deniesInsecureTransport(statements: readonly Statement[]): boolean {
  return statements.some(
    (s) =>
      s.effect === 'Deny' &&
      s.conditions.some((c) => c.test === 'Bool' && c.variable === 'aws:SecureTransport' && c.values.includes('false')),
  );
}

const kmsDefault = (rule: Attributes) => block(rule.apply_server_side_encryption_by_default);

export const s3Rules = [
  resourceRule({
    id: 'MRP-S3-1',
    service: SERVICE,
    rationale:
      'Default bucket encryption uses SSE-KMS with a customer-managed key, so access to data needs key access too.',
    appliesTo: ['aws_s3_bucket_server_side_encryption_configuration'],
    check: (r) => {
      const rules = blocks(r.attributes.rule);
      return problemUnless(
        rules.length > 0 &&
          rules.every((rule) => {
            const d = kmsDefault(rule);
            return (
              (d?.sse_algorithm === 'aws:kms' || d?.sse_algorithm === 'aws:kms:dsse') &&
              isCustomerManagedKey(d?.kms_master_key_id)
            );
          }),
        'default encryption is not SSE-KMS with a customer-managed kms_master_key_id',
      );
    },
  }),
  stackRule({
    id: 'MRP-S3-2',
    service: SERVICE,
    rationale: 'Every bucket has an explicit default-encryption configuration (checked by MRP-S3-1).',
    check: (stack) =>
      everyBucket(stack, (b) =>
        bucketConfigs(stack, 'aws_s3_bucket_server_side_encryption_configuration', b).length === 0
          ? 'bucket has no aws_s3_bucket_server_side_encryption_configuration'
          : undefined,
      ),
  }),
  resourceRule({
    id: 'MRP-S3-3',
    service: SERVICE,
    rationale: 'A public access block turns on all four settings, so no ACL or policy can make objects public.',
    appliesTo: ['aws_s3_bucket_public_access_block', 'aws_s3_account_public_access_block'],
    check: (r) => {
      const keys = ['block_public_acls', 'block_public_policy', 'ignore_public_acls', 'restrict_public_buckets'];
      const off = keys.filter((k) => !isTrue(r.attributes[k]));
      return problemUnless(off.length === 0, `public access block leaves ${off.join(', ')} off`);
    },
  }),
  stackRule({
    id: 'MRP-S3-4',
    service: SERVICE,
    rationale: 'Every bucket has its own public access block (account-level settings can be changed out of band).',
    check: (stack) =>
      everyBucket(stack, (b) =>
        bucketConfigs(stack, 'aws_s3_bucket_public_access_block', b).length === 0
          ? 'bucket has no aws_s3_bucket_public_access_block'
          : undefined,
      ),
  }),
  stackRule({
    id: 'MRP-S3-5',
    service: SERVICE,
    rationale: 'Every bucket policy denies requests without TLS (aws:SecureTransport = false).',
    check: (stack) =>
      everyBucket(stack, (b) => {
        const policies = bucketConfigs(stack, 'aws_s3_bucket_policy', b);
        if (policies.length === 0) return 'bucket has no aws_s3_bucket_policy denying insecure transport';
        return policies.some((p) => deniesInsecureTransport(policyStatements(stack, p.attributes.policy)))
          ? undefined
          : 'bucket policy has no Deny statement on aws:SecureTransport = false';
      }),
  }),
  resourceRule({
    id: 'MRP-S3-6',
    service: SERVICE,
    rationale: 'Buckets hold state, backups and audit logs: lifecycle.prevent_destroy stops an accidental destroy.',
    appliesTo: ['aws_s3_bucket'],
    check: (r) => problemUnless(preventsDestroy(r), 'lifecycle.prevent_destroy is not true'),
  }),
  stackRule({
    id: 'MRP-S3-7',
    service: SERVICE,
    rationale: 'Every bucket is versioned, so overwritten or deleted objects can be recovered.',
    check: (stack) =>
      everyBucket(stack, (b) =>
        bucketConfigs(stack, 'aws_s3_bucket_versioning', b).some(
          (v) => block(v.attributes.versioning_configuration)?.status === 'Enabled',
        )
          ? undefined
          : 'bucket has no aws_s3_bucket_versioning with status Enabled',
      ),
  }),
  resourceRule({
    id: 'MRP-S3-8',
    service: SERVICE,
    rationale: 'No canned ACL grants read or write to everyone or to all authenticated AWS users.',
    appliesTo: ['aws_s3_bucket_acl'],
    check: (r) =>
      problemUnless(
        !['public-read', 'public-read-write', 'authenticated-read'].includes(String(r.attributes.acl)),
        `canned ACL ${String(r.attributes.acl)} makes the bucket public`,
      ),
  }),
];
