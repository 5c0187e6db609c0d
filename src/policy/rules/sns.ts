import { isCustomerManagedKey } from '../attributes';
import { problemUnless, resourceRule } from './define';

export const snsRules = [
  resourceRule({
    id: 'MRP-SNS-1',
    service: 'SNS',
    rationale: 'Topics are encrypted with a customer-managed KMS key (kms_master_key_id, not alias/aws/sns).',
    appliesTo: ['aws_sns_topic'],
    check: (r) =>
      problemUnless(
        isCustomerManagedKey(r.attributes.kms_master_key_id),
        'kms_master_key_id is not a customer-managed key',
      ),
  }),
];
