import { asNumber, isCustomerManagedKey, isExpression } from '../attributes';
import { problemUnless, resourceRule } from './define';

const SERVICE = 'CloudWatch Logs';

export const logsRules = [
  resourceRule({
    id: 'MRP-LOG-1',
    service: SERVICE,
    rationale: 'Log groups are encrypted with a customer-managed KMS key (kms_key_id).',
    appliesTo: ['aws_cloudwatch_log_group'],
    check: (r) => problemUnless(isCustomerManagedKey(r.attributes.kms_key_id), 'kms_key_id is not set'),
  }),
  resourceRule({
    id: 'MRP-LOG-2',
    service: SERVICE,
    rationale: 'Log groups have an explicit retention (retention_in_days), never "keep forever" by omission.',
    appliesTo: ['aws_cloudwatch_log_group'],
    check: (r) => {
      const value = r.attributes.retention_in_days;
      const days = asNumber(value);
      return problemUnless(
        isExpression(value) || (days !== undefined && days > 0),
        `retention_in_days is ${String(value ?? 'unset')}`,
      );
    },
  }),
];
