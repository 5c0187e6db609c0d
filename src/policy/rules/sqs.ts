import { isCustomerManagedKey } from '../attributes';
import { problemUnless, resourceRule } from './define';

export const sqsRules = [
  resourceRule({
    id: 'MRP-SQS-1',
    service: 'SQS',
    rationale:
      'Queues (dead-letter queues included) are encrypted with a customer-managed KMS key (kms_master_key_id).',
    appliesTo: ['aws_sqs_queue'],
    check: (r) =>
      problemUnless(
        isCustomerManagedKey(r.attributes.kms_master_key_id),
        'kms_master_key_id is not a customer-managed key',
      ),
  }),
];
