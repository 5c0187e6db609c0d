import { isTrue, preventsDestroy } from '../attributes';
import { problemUnless, resourceRule } from './define';

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
];
