import { blocks, isFalse, isSet, nested, strings } from '../attributes';
import { problemUnless, resourceRule } from './define';

const SERVICE = 'EKS';
export const REQUIRED_CLUSTER_LOG_TYPES = ['api', 'audit', 'authenticator'] as const;

export const eksRules = [
  resourceRule({
    id: 'MRP-EKS-1',
    service: SERVICE,
    rationale: 'The API endpoint is private, or public only to listed CIDRs (never 0.0.0.0/0).',
    appliesTo: ['aws_eks_cluster'],
    check: (r) => {
      const vpc = nested(r.attributes, 'vpc_config');
      // endpoint_public_access defaults to true and public_access_cidrs to 0.0.0.0/0.
      if (isFalse(vpc?.endpoint_public_access)) return [];
      const cidrs = strings(vpc?.public_access_cidrs);
      return problemUnless(
        cidrs.length > 0 && !cidrs.includes('0.0.0.0/0'),
        'the public endpoint is open to 0.0.0.0/0 (set endpoint_public_access = false or public_access_cidrs)',
      );
    },
  }),
  resourceRule({
    id: 'MRP-EKS-2',
    service: SERVICE,
    rationale: `Control-plane logs ${REQUIRED_CLUSTER_LOG_TYPES.join(', ')} go to CloudWatch Logs.`,
    appliesTo: ['aws_eks_cluster'],
    check: (r) => {
      const enabled = strings(r.attributes.enabled_cluster_log_types);
      const missing = REQUIRED_CLUSTER_LOG_TYPES.filter((t) => !enabled.includes(t));
      return problemUnless(missing.length === 0, `enabled_cluster_log_types lacks ${missing.join(', ')}`);
    },
  }),
  resourceRule({
    id: 'MRP-EKS-3',
    service: SERVICE,
    rationale: 'Kubernetes secrets are envelope-encrypted with a customer-managed KMS key.',
    appliesTo: ['aws_eks_cluster'],
    check: (r) =>
      problemUnless(
        blocks(r.attributes.encryption_config).some(
          (c) => strings(c.resources).includes('secrets') && isSet(nested(c, 'provider')?.key_arn),
        ),
        'no encryption_config for secrets with provider.key_arn',
      ),
  }),
  resourceRule({
    id: 'MRP-EKS-4',
    service: SERVICE,
    rationale: 'Node groups allow no SSH remote access (use SSM Session Manager).',
    appliesTo: ['aws_eks_node_group'],
    check: (r) => problemUnless(blocks(r.attributes.remote_access).length === 0, 'remote_access is configured'),
  }),
];
