/** Typed configuration of regional compute (EKS, ingress) and of the in-cluster workloads. */
import type { AddonVersions, EksClusterSettings } from '../../modules/eks/cluster';
import type { NodeGroupSpec } from '../../modules/eks/node-group';

export { NODE_GROUP_KINDS, type NodeGroupKind } from '../../modules/eks/types';

/** One managed node group (defined with the EKS module, which takes it as is). */
export type NodeGroupSettings = NodeGroupSpec;

/** Versions of the EKS managed add-ons (defined with the EKS module). */
export type EksAddonVersions = AddonVersions;

/**
 * Settings of a region's EKS cluster: the module's own settings (`EksClusterSettings`, taken as
 * they are) plus what the platform turns into other resources. Defaults in `PlatformConfig.defaults.eks`.
 */
export interface EksSettings extends Required<EksClusterSettings> {
  /** IAM role names (this account) given cluster-admin through EKS access entries. Include the deploy role. */
  readonly adminRoleNames: readonly string[];
  /** Cluster autoscaler image tag; its minor version must equal `kubernetesVersion`. */
  readonly clusterAutoscalerImageTag: string;
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
  /** Namespace of kube-prometheus-stack (Prometheus, Alertmanager, Grafana): pod security `restricted`. */
  readonly monitoringNamespace: string;
  /**
   * Namespace of the node agents that need the host (node-exporter, the NVIDIA device plugin): the
   * only namespace the platform creates at pod security `privileged` (docs/security.md).
   */
  readonly nodeAgentsNamespace: string;
  /** Namespace of the Strimzi operator (and the Kafka resources it watches). */
  readonly kafkaNamespace: string;
}
