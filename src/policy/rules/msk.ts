import { isCustomerManagedKey, isFalse, isTrue, nested, preventsDestroy } from '../attributes';
import { problemUnless, resourceRule } from './define';

const SERVICE = 'MSK';
const CLUSTERS = ['aws_msk_cluster'];

export const mskRules = [
  resourceRule({
    id: 'MRP-MSK-1',
    service: SERVICE,
    rationale: 'Broker storage is encrypted with a customer-managed KMS key (encryption_at_rest_kms_key_arn).',
    appliesTo: CLUSTERS,
    check: (r) =>
      problemUnless(
        isCustomerManagedKey(nested(r.attributes, 'encryption_info')?.encryption_at_rest_kms_key_arn),
        'encryption_info.encryption_at_rest_kms_key_arn is not set',
      ),
  }),
  resourceRule({
    id: 'MRP-MSK-2',
    service: SERVICE,
    rationale: 'Clients and brokers talk TLS only (client_broker TLS, in_cluster encryption on).',
    appliesTo: CLUSTERS,
    check: (r) => {
      const transit = nested(r.attributes, 'encryption_info', 'encryption_in_transit');
      // Both default to the secure value when omitted.
      const clientBroker = transit?.client_broker ?? 'TLS';
      return [
        ...problemUnless(clientBroker === 'TLS', `client_broker is ${String(clientBroker)}, expected TLS`),
        ...problemUnless(!isFalse(transit?.in_cluster), 'in_cluster encryption is off'),
      ];
    },
  }),
  resourceRule({
    id: 'MRP-MSK-3',
    service: SERVICE,
    rationale: 'Broker logs are delivered to CloudWatch Logs, S3 or Firehose.',
    appliesTo: CLUSTERS,
    check: (r) => {
      const logs = nested(r.attributes, 'logging_info', 'broker_logs');
      const enabled = ['cloudwatch_logs', 's3', 'firehose'].some((d) => isTrue(nested(logs, d)?.enabled));
      return problemUnless(enabled, 'logging_info.broker_logs has no enabled destination');
    },
  }),
  resourceRule({
    id: 'MRP-MSK-4',
    service: SERVICE,
    rationale: 'Brokers have no public IP addresses.',
    appliesTo: CLUSTERS,
    check: (r) => {
      const type = nested(r.attributes, 'broker_node_group_info', 'connectivity_info', 'public_access')?.type;
      return problemUnless(type === undefined || type === 'DISABLED', `public_access.type is ${String(type)}`);
    },
  }),
  resourceRule({
    id: 'MRP-MSK-5',
    service: SERVICE,
    rationale: 'Clients must authenticate (no unauthenticated access).',
    appliesTo: CLUSTERS,
    check: (r) =>
      problemUnless(
        !isTrue(nested(r.attributes, 'client_authentication')?.unauthenticated),
        'client_authentication.unauthenticated is true',
      ),
  }),
  resourceRule({
    id: 'MRP-MSK-6',
    service: SERVICE,
    rationale: 'Kafka clusters hold event history: lifecycle.prevent_destroy stops an accidental destroy.',
    appliesTo: CLUSTERS,
    check: (r) => problemUnless(preventsDestroy(r), 'lifecycle.prevent_destroy is not true'),
  }),
];
