import { isCustomerManagedKey, isTrue, nested, preventsDestroy } from '../attributes';
import { problemUnless, resourceRule } from './define';

const SERVICE = 'DynamoDB';
const TABLES = ['aws_dynamodb_table'];

export const dynamodbRules = [
  resourceRule({
    id: 'MRP-DDB-1',
    service: SERVICE,
    rationale: 'Point-in-time recovery is on, so a table can be restored to any second of the last 35 days.',
    appliesTo: TABLES,
    check: (r) =>
      problemUnless(
        isTrue(nested(r.attributes, 'point_in_time_recovery')?.enabled),
        'point_in_time_recovery is not enabled',
      ),
  }),
  resourceRule({
    id: 'MRP-DDB-2',
    service: SERVICE,
    rationale: 'Tables have deletion_protection_enabled and lifecycle.prevent_destroy.',
    appliesTo: TABLES,
    check: (r) => [
      ...problemUnless(isTrue(r.attributes.deletion_protection_enabled), 'deletion_protection_enabled is not true'),
      ...problemUnless(preventsDestroy(r), 'lifecycle.prevent_destroy is not true'),
    ],
  }),
  resourceRule({
    id: 'MRP-DDB-3',
    service: SERVICE,
    rationale: 'Tables are encrypted with a customer-managed KMS key (server_side_encryption.kms_key_arn).',
    appliesTo: TABLES,
    check: (r) => {
      const sse = nested(r.attributes, 'server_side_encryption');
      return problemUnless(
        isTrue(sse?.enabled) && isCustomerManagedKey(sse?.kms_key_arn),
        'server_side_encryption is not enabled with a customer-managed kms_key_arn',
      );
    },
  }),
];
