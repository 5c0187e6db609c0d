/**
 * The container security context of the platform's own Jobs (kubernetes provider field names): the
 * Kubernetes `restricted` pod-security profile's container rules, plus a read-only root filesystem.
 * A fresh object each call (the provider's types take mutable arrays).
 */
export function restrictedContainer() {
  return {
    allowPrivilegeEscalation: false,
    readOnlyRootFilesystem: true,
    runAsNonRoot: true,
    capabilities: { drop: ['ALL'] },
    seccompProfile: { type: 'RuntimeDefault' },
  };
}
