/** Vocabulary of the EKS module: fixed sets config and constructs share. */

export const NODE_GROUP_KINDS = ['general', 'gpu', 'replication'] as const;
/**
 * `general`: untainted nodes for every workload; `gpu`: NVIDIA nodes tainted
 * `nvidia.com/gpu=true:NoSchedule`; `replication`: nodes in the VPC's replication subnets, tainted
 * `platform/dedicated=kafka-replication:NoSchedule`, for MirrorMaker 2 only (the other regions'
 * brokers admit those subnets and nothing else of this VPC).
 */
export type NodeGroupKind = (typeof NODE_GROUP_KINDS)[number];

/**
 * Kubernetes minor versions in EKS standard support, with the date standard support ends
 * (EKS calendar: 14 months after release). Past that date a cluster moves to paid extended
 * support, which the cluster's upgrade policy refuses (`support_type = STANDARD`), so remove a
 * version here once its date has passed and upgrade the regions still on it (docs/compute.md).
 */
export const EKS_STANDARD_SUPPORT: Readonly<Record<string, string>> = {
  '1.34': '2026-12-02',
  '1.35': '2027-03-27',
};

/** Every control-plane log type EKS can send to CloudWatch Logs. */
export const CONTROL_PLANE_LOG_TYPES = ['api', 'audit', 'authenticator', 'controllerManager', 'scheduler'] as const;

/**
 * x86_64 instance families with NVIDIA GPUs that the AL2023 NVIDIA AMI supports. Graviton GPU
 * families (g5g) would need the ARM NVIDIA AMI and are not offered.
 */
export const GPU_INSTANCE_FAMILIES = [
  'g4dn',
  'g5',
  'g6',
  'g6e',
  'gr6',
  'p4d',
  'p4de',
  'p5',
  'p5e',
  'p5en',
  'p6-b200',
] as const;

export type CpuArchitecture = 'x86_64' | 'arm64';

/** `m6i.xlarge` -> `m6i`; `p6-b200.48xlarge` -> `p6-b200`. */
export function instanceFamily(instanceType: string): string {
  return instanceType.split('.')[0];
}

/** Graviton families carry a `g` right after the generation digit (m7g, c6gn, r8g, g5g). */
export function architectureOf(instanceType: string): CpuArchitecture {
  return /^[a-z]+\d+g/.test(instanceFamily(instanceType)) ? 'arm64' : 'x86_64';
}

export function isGpuInstanceType(instanceType: string): boolean {
  return (GPU_INSTANCE_FAMILIES as readonly string[]).includes(instanceFamily(instanceType));
}

/** EKS managed node group AMI type for a group (Amazon Linux 2023; AL2 has no AMIs past 1.32). */
export function amiTypeFor(kind: NodeGroupKind, architecture: CpuArchitecture): string {
  if (kind === 'gpu') return 'AL2023_x86_64_NVIDIA';
  return architecture === 'arm64' ? 'AL2023_ARM_64_STANDARD' : 'AL2023_x86_64_STANDARD';
}

/** Label and taint the GPU group carries; the NVIDIA device plugin selects and tolerates them. */
export const GPU_TAINT = { key: 'nvidia.com/gpu', value: 'true', effect: 'NO_SCHEDULE' } as const;
/** Taint of the `replication` group: only pods that tolerate it (MirrorMaker 2, node DaemonSets) land there. */
export const REPLICATION_TAINT = {
  key: 'platform/dedicated',
  value: 'kafka-replication',
  effect: 'NO_SCHEDULE',
} as const;

/** A node group's taint as the Kubernetes API names the effect (`NoSchedule`), for pod tolerations. */
export function tolerationOf(taint: { readonly key: string; readonly value: string; readonly effect: 'NO_SCHEDULE' }) {
  return { key: taint.key, operator: 'Equal' as const, value: taint.value, effect: 'NoSchedule' as const };
}

/** The taint a group of this kind carries, if any. */
export function taintOf(kind: NodeGroupKind): typeof GPU_TAINT | typeof REPLICATION_TAINT | undefined {
  if (kind === 'gpu') return GPU_TAINT;
  if (kind === 'replication') return REPLICATION_TAINT;
  return undefined;
}

/** Name of the node group MirrorMaker 2 runs on (`<cluster>-replication`). */
export const REPLICATION_NODE_GROUP = 'replication';

/** The `replication` node group of a shape (name, kind and labels fixed). */
export function replicationNodeGroup<T extends object>(
  shape: T,
): T & { readonly name: string; readonly kind: 'replication'; readonly labels: Readonly<Record<string, string>> } {
  return { ...shape, name: REPLICATION_NODE_GROUP, kind: 'replication', labels: {} };
}

export const NODE_KIND_LABEL = 'platform/node-kind';
export const NODE_GROUP_LABEL = 'platform/node-group';
export const GPU_PRESENT_LABEL = 'nvidia.com/gpu.present';
