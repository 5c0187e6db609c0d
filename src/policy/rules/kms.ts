import { blocks, isTrue, preventsDestroy } from '../attributes';
import { coversAction, documentStatements, isIdentityStatement, jsonStatements } from '../statements';
import type { ResourceView } from '../types';
import { problemUnless, resourceRule, stackRule } from './define';
import { bucketConfigs, policyStatements } from './s3';
import { boundToSource, dataClassOf, keyPurposeOf } from './s3-protection';

/** Data-key and crypto actions a role uses a key with (what kms:ViaService must scope). */
const KEY_USE_ACTIONS = ['kms:Decrypt', 'kms:Encrypt', 'kms:GenerateDataKey', 'kms:ReEncryptFrom', 'kms:ReEncryptTo'];

const SERVICE = 'KMS';

export const kmsRules = [
  resourceRule({
    id: 'MRP-KMS-1',
    service: SERVICE,
    rationale: 'Symmetric keys rotate automatically (enable_key_rotation).',
    appliesTo: ['aws_kms_key'],
    check: (r) => {
      const spec = r.attributes.customer_master_key_spec ?? 'SYMMETRIC_DEFAULT';
      // Only symmetric encryption keys support automatic rotation.
      if (spec !== 'SYMMETRIC_DEFAULT') return [];
      return problemUnless(isTrue(r.attributes.enable_key_rotation), 'enable_key_rotation is not true');
    },
  }),
  resourceRule({
    id: 'MRP-KMS-2',
    service: SERVICE,
    rationale: 'Keys have lifecycle.prevent_destroy: losing a key loses every byte encrypted with it.',
    appliesTo: ['aws_kms_key', 'aws_kms_replica_key'],
    check: (r) => problemUnless(preventsDestroy(r), 'lifecycle.prevent_destroy is not true'),
  }),
  stackRule({
    id: 'MRP-KMS-3',
    service: SERVICE,
    rationale:
      'Audit and backup buckets are encrypted with a key of their own class (tag key-purpose), never the key of everything else.',
    check: (stack) =>
      stack.ofType('aws_s3_bucket').flatMap((bucket) => {
        const dataClass = dataClassOf(bucket);
        if (dataClass === undefined) return [];
        const keys = bucketConfigs(stack, 'aws_s3_bucket_server_side_encryption_configuration', bucket).flatMap((c) =>
          blocks(c.attributes.rule).map((rule) =>
            stack.referenced(blocks(rule.apply_server_side_encryption_by_default)[0]?.kms_master_key_id),
          ),
        );
        return keys.length > 0 && keys.every((k) => keyPurposeOf(k) === dataClass)
          ? []
          : [
              {
                resource: bucket,
                problem: `${dataClass} bucket is not encrypted with a key of this stack tagged key-purpose=${dataClass}`,
              },
            ];
      }),
  }),
  stackRule({
    id: 'MRP-KMS-4',
    service: SERVICE,
    rationale:
      'Key-policy grants to AWS services are bound to the resource using them (aws:SourceArn, or its ARN in the encryption context).',
    check: (stack) =>
      stack.ofType('aws_kms_key').flatMap((key) => {
        const loose = policyStatements(stack, key.attributes.policy).filter(
          (s) => s.effect === 'Allow' && s.principals.some((p) => p.startsWith('Service:')) && !boundToSource(s),
        );
        return loose.length === 0
          ? []
          : [
              {
                resource: key,
                problem: `key policy grants ${loose.flatMap((s) => s.principals).join(', ')} without aws:SourceArn or an ARN in the encryption context`,
              },
            ];
      }),
  }),
  resourceRule({
    id: 'MRP-KMS-5',
    service: SERVICE,
    rationale:
      'Role grants to encrypt, decrypt or generate data keys carry kms:ViaService: the key works only through the service that needs it.',
    appliesTo: ['data.aws_iam_policy_document', 'aws_iam_policy', 'aws_iam_role_policy'],
    check: (r: ResourceView) => {
      const statements = r.kind === 'data' ? documentStatements(r.attributes) : jsonStatements(r.attributes.policy);
      const loose = statements.filter(
        (s) =>
          s.effect === 'Allow' &&
          isIdentityStatement(s) &&
          KEY_USE_ACTIONS.some((a) => coversAction(s, a)) &&
          !s.conditions.some((c) => c.variable === 'kms:ViaService'),
      );
      return problemUnless(
        loose.length === 0,
        `a statement allows ${loose.flatMap((s) => s.actions).join(', ')} without a kms:ViaService condition`,
      );
    },
  }),
];
