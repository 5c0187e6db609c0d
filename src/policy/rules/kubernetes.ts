import {
  NODE_AGENTS_NAMESPACE_LABEL,
  POD_SECURITY_ENFORCE_LABEL,
  POD_SECURITY_LEVELS,
} from '../../../modules/eks/pod-security';
import { nested } from '../attributes';
import type { ResourceView } from '../types';
import { problemUnless, resourceRule, stackRule } from './define';

const SERVICE = 'Kubernetes';
const NAMESPACES = ['kubernetes_namespace_v1', 'kubernetes_namespace'];

const labelsOf = (r: ResourceView) =>
  (nested(r.attributes, 'metadata')?.labels ?? {}) as Readonly<Record<string, unknown>>;

export const kubernetesRules = [
  resourceRule({
    id: 'MRP-K8S-1',
    service: SERVICE,
    rationale: `Every namespace enforces a pod security level; only the node agents' namespace (label ${NODE_AGENTS_NAMESPACE_LABEL}) may enforce privileged.`,
    appliesTo: NAMESPACES,
    check: (r) => {
      const labels = labelsOf(r);
      const level = labels[POD_SECURITY_ENFORCE_LABEL];
      if (!POD_SECURITY_LEVELS.includes(level as never))
        return [
          `label ${POD_SECURITY_ENFORCE_LABEL} is ${JSON.stringify(level)}, expected one of ${POD_SECURITY_LEVELS.join(', ')}`,
        ];
      return problemUnless(
        level !== 'privileged' || labels[NODE_AGENTS_NAMESPACE_LABEL] === 'true',
        `enforces privileged but is not the node agents' namespace (${NODE_AGENTS_NAMESPACE_LABEL}=true)`,
      );
    },
  }),
  stackRule({
    id: 'MRP-K8S-2',
    service: SERVICE,
    rationale: 'A cluster has at most one node agents namespace, so privileged pods stay in one place.',
    check: (stack) => {
      const agents = NAMESPACES.flatMap((t) => stack.ofType(t)).filter(
        (r) => labelsOf(r)[NODE_AGENTS_NAMESPACE_LABEL] === 'true',
      );
      return agents.slice(1).map((resource) => ({
        resource,
        problem: `a second node agents namespace (after ${agents[0].address})`,
      }));
    },
  }),
];
