import {
  asNumber,
  isCustomerManagedKey,
  isFalse,
  isSet,
  isTrue,
  nested,
  preventsDestroy,
  referrers,
  strings,
} from '../attributes';
import type { StackFinding, StackView } from '../types';
import { problemUnless, resourceRule, stackRule } from './define';

const SERVICE = 'MSK';
const CLUSTERS = ['aws_msk_cluster'];
/** The SASL/SCRAM listener: the one MirrorMaker 2 of the other regions pulls from. */
const SCRAM_PORT = 9096;

/**
 * Ingress rules on a cluster's security groups that admit an address range (IPv4, IPv6 or a prefix
 * list) on anything but TCP 9096.
 */
function rangeIngressFindings(stack: StackView): StackFinding[] {
  return stack.ofType('aws_msk_cluster').flatMap((cluster) =>
    strings(nested(cluster.attributes, 'broker_node_group_info')?.security_groups)
      .map((value) => stack.referenced(value))
      .filter((group) => group !== undefined)
      .flatMap((group) => referrers(stack, 'aws_vpc_security_group_ingress_rule', 'security_group_id', group))
      .filter((rule) => ['cidr_ipv4', 'cidr_ipv6', 'prefix_list_id'].some((k) => isSet(rule.attributes[k])))
      .filter((rule) => {
        const a = rule.attributes;
        const tcp = a.ip_protocol === 'tcp' || a.ip_protocol === '6';
        return !(tcp && asNumber(a.from_port) === SCRAM_PORT && asNumber(a.to_port) === SCRAM_PORT);
      })
      .map((resource) => {
        const a = resource.attributes;
        const range = String(a.cidr_ipv4 ?? a.cidr_ipv6 ?? a.prefix_list_id);
        const ports = a.from_port === a.to_port ? String(a.from_port) : `${String(a.from_port)}-${String(a.to_port)}`;
        const what = String(a.ip_protocol) === '-1' ? 'every protocol' : `${String(a.ip_protocol)} ${ports}`;
        return {
          resource,
          problem: `admits ${range} on ${what} of ${cluster.address}: address ranges reach brokers on the SCRAM port ${SCRAM_PORT} only`,
        };
      }),
  );
}

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
  stackRule({
    id: 'MRP-MSK-7',
    service: SERVICE,
    rationale:
      'Address ranges reach the brokers only on the SCRAM port (9096) of MirrorMaker 2 in other regions; clients of the region come by security group.',
    check: rangeIngressFindings,
  }),
];
