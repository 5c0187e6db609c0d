/** Typed configuration of regional compute (EKS, ingress) and of the in-cluster workloads. */
import type { NodeGroupSpec } from '../../modules/eks/node-group';

export { NODE_GROUP_KINDS, type NodeGroupKind } from '../../modules/eks/types';

/** One managed node group (defined with the EKS module, which takes it as is). */
export type NodeGroupSettings = NodeGroupSpec;

/** Versions of the EKS managed add-ons, e.g. `v1.21.1-eksbuild.3` (`aws eks describe-addon-versions`). */
export interface EksAddonVersions {
  readonly vpcCni: string;
  readonly coredns: string;
  readonly kubeProxy: string;
  readonly ebsCsiDriver: string;
  readonly podIdentityAgent: string;
}

/** Settings of a region's EKS cluster. Defaults in `PlatformConfig.defaults.eks`. */
export interface EksSettings {
  /** Kubernetes minor version in EKS standard support, e.g. `1.35`. */
  readonly kubernetesVersion: string;
  /** Public API endpoint (the private endpoint is always on). */
  readonly endpointPublicAccess: boolean;
  /** CIDRs allowed to the public endpoint; required when it is on, never `0.0.0.0/0`. */
  readonly publicAccessCidrs: readonly string[];
  /** IAM role names (this account) given cluster-admin through EKS access entries. Include the deploy role. */
  readonly adminRoleNames: readonly string[];
  /** Give the identity that creates the cluster cluster-admin (EKS `bootstrapClusterCreatorAdminPermissions`). */
  readonly clusterCreatorAdmin: boolean;
  /** Retention of the control-plane log group, days (a CloudWatch Logs retention value). */
  readonly logRetentionDays: number;
  readonly addonVersions: EksAddonVersions;
  /** Cluster autoscaler image tag; its minor version must equal `kubernetesVersion`. */
  readonly clusterAutoscalerImageTag: string;
  /** Replaced as a whole by a region override (lists do not merge). */
  readonly nodeGroups: readonly NodeGroupSettings[];
}

/**
 * Settings of a region's internet-facing application load balancer. Its certificate is issued by
 * ACM in the regional stack (traffic issue), not configured.
 */
export interface IngressSettings {
  /** ELB TLS policy of the HTTPS listener; TLS 1.2 or later only. */
  readonly sslPolicy: string;
  /** Days access-log objects are kept. */
  readonly accessLogRetentionDays: number;
}

/** A Helm chart pinned to a repository and an exact version. */
export interface HelmChartPin {
  /** `https://` chart repository or `oci://` registry path. */
  readonly repository: string;
  readonly chart: string;
  /** Exact chart version (no ranges). */
  readonly version: string;
}

/** The Helm releases every cluster runs, pinned; the same versions in every region. */
export interface WorkloadCharts {
  readonly awsLoadBalancerController: HelmChartPin;
  readonly clusterAutoscaler: HelmChartPin;
  readonly metricsServer: HelmChartPin;
  readonly kubePrometheusStack: HelmChartPin;
  readonly nvidiaDevicePlugin: HelmChartPin;
  readonly strimziKafkaOperator: HelmChartPin;
  /** The `market-intelligence` application chart. */
  readonly application: HelmChartPin;
}

/** What runs inside every cluster (global: one set of versions for all regions). */
export interface WorkloadsConfig {
  readonly charts: WorkloadCharts;
  readonly application: {
    /** Namespace of the application release. */
    readonly namespace: string;
    /** Container port the pods serve HTTP on: the target group's port and health-check port. */
    readonly port: number;
    /** Readiness endpoint used by Kubernetes and the load balancer health check. */
    readonly readinessPath: string;
  };
  /** Namespace of kube-prometheus-stack. */
  readonly monitoringNamespace: string;
  /** Namespace of the Strimzi operator (and the Kafka resources it watches). */
  readonly kafkaNamespace: string;
}
