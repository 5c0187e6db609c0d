/** Kubernetes objects as plain JSON (what the Helm chart renders). */
export type KubeObject = Record<string, unknown> & { apiVersion: string; kind: string };
