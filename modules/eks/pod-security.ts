/**
 * Pod Security Admission labels of the namespaces the platform creates (docs/security.md, "Pod
 * security"). `enforce` rejects pods above the level; `warn` tells whoever applies a pod what
 * `restricted` would reject, so a namespace can be tightened once nothing warns.
 */

/** The Pod Security Standards levels, most to least permissive. */
export const POD_SECURITY_LEVELS = ['privileged', 'baseline', 'restricted'] as const;
export type PodSecurityLevel = (typeof POD_SECURITY_LEVELS)[number];

export const POD_SECURITY_ENFORCE_LABEL = 'pod-security.kubernetes.io/enforce';
export const POD_SECURITY_WARN_LABEL = 'pod-security.kubernetes.io/warn';

/**
 * Marks the namespace of the node agents (node-exporter, the NVIDIA device plugin): the only kind
 * of namespace allowed to enforce `privileged` (policy rule MRP-K8S-1), and at most one per cluster.
 */
export const NODE_AGENTS_NAMESPACE_LABEL = 'platform/node-agents';

/** The labels of a namespace enforcing `level` and warning about anything `restricted` rejects. */
export function podSecurityLabels(level: PodSecurityLevel): Record<string, string> {
  return { [POD_SECURITY_ENFORCE_LABEL]: level, [POD_SECURITY_WARN_LABEL]: 'restricted' };
}

/** The marker label of the node agents' namespace. */
export function nodeAgentsNamespaceLabels(): Record<string, string> {
  return { [NODE_AGENTS_NAMESPACE_LABEL]: 'true' };
}
