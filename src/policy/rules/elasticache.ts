import { asNumber, blocks, isCustomerManagedKey, isSet, isTrue } from '../attributes';
import { problemUnless, resourceRule } from './define';

const SERVICE = 'ElastiCache';
const GROUPS = ['aws_elasticache_replication_group'];

/** A secondary member of a global datastore inherits encryption settings from the global datastore. */
const isGlobalMember = (a: Readonly<Record<string, unknown>>) => isSet(a.global_replication_group_id);

export const elasticacheRules = [
  resourceRule({
    id: 'MRP-EC-1',
    service: SERVICE,
    rationale: 'Cache data at rest is encrypted with a customer-managed KMS key.',
    appliesTo: [...GROUPS, 'aws_elasticache_serverless_cache'],
    check: (r) => {
      const a = r.attributes;
      if (r.type === 'aws_elasticache_serverless_cache') {
        return problemUnless(isCustomerManagedKey(a.kms_key_id), 'kms_key_id is not a customer-managed key');
      }
      return [
        ...problemUnless(
          isTrue(a.at_rest_encryption_enabled) || isGlobalMember(a),
          'at_rest_encryption_enabled is not true',
        ),
        ...problemUnless(isCustomerManagedKey(a.kms_key_id), 'kms_key_id is not a customer-managed key'),
      ];
    },
  }),
  resourceRule({
    id: 'MRP-EC-2',
    service: SERVICE,
    rationale: 'Clients and replicas talk to the cache over TLS (transit_encryption_enabled).',
    appliesTo: GROUPS,
    check: (r) =>
      problemUnless(
        isTrue(r.attributes.transit_encryption_enabled) || isGlobalMember(r.attributes),
        'transit_encryption_enabled is not true',
      ),
  }),
  resourceRule({
    id: 'MRP-EC-3',
    service: SERVICE,
    rationale: 'Automatic snapshots are kept (snapshot_retention_limit > 0), so a cache can be restored.',
    appliesTo: GROUPS,
    check: (r) => {
      const days = asNumber(r.attributes.snapshot_retention_limit);
      return problemUnless(days !== undefined && days > 0, 'snapshot_retention_limit is unset or 0');
    },
  }),
  resourceRule({
    id: 'MRP-EC-4',
    service: SERVICE,
    rationale: 'Slow and engine logs are delivered (log_delivery_configuration).',
    appliesTo: GROUPS,
    check: (r) =>
      problemUnless(blocks(r.attributes.log_delivery_configuration).length > 0, 'no log_delivery_configuration'),
  }),
  resourceRule({
    id: 'MRP-EC-5',
    service: SERVICE,
    rationale: 'No AUTH token in configuration or state: authenticate with RBAC user groups (IAM auth).',
    appliesTo: GROUPS,
    check: (r) => problemUnless(!isSet(r.attributes.auth_token), 'auth_token is set (it would be stored in state)'),
  }),
];
