/**
 * Compute and workloads settings shared by the environments: EKS defaults, node group shapes from
 * the three-region design (seed 003: us-east 3 general + 2 GPU nodes, eu-west 3 general, apac 2
 * general) with 2x headroom (seed 001), and the pinned Helm charts.
 */
import type { EksSettings, IngressSettings, NodeGroupSettings, WorkloadsConfig } from '../compute-types';

/** A general-purpose group of `desired` nodes that may grow to twice that. */
export function generalNodes(desired: number, instanceTypes: readonly string[] = ['m6i.xlarge']): NodeGroupSettings {
  return {
    name: 'general',
    kind: 'general',
    instanceTypes,
    minSize: desired,
    desiredSize: desired,
    maxSize: 2 * desired,
    diskSizeGiB: 100,
    labels: {},
  };
}

/** An NVIDIA GPU group of `desired` nodes that may grow to twice that. */
export function gpuNodes(desired: number, instanceTypes: readonly string[] = ['g5.xlarge']): NodeGroupSettings {
  return {
    name: 'gpu',
    kind: 'gpu',
    instanceTypes,
    minSize: desired,
    desiredSize: desired,
    maxSize: 2 * desired,
    // NVIDIA driver and CUDA images are large.
    diskSizeGiB: 200,
    labels: {},
  };
}

/**
 * EKS defaults. Kubernetes 1.35 is in standard support until 2027-03-27; add-on versions are the
 * EKS builds for 1.35 (check `aws eks describe-addon-versions --kubernetes-version 1.35` when bumping).
 */
export function eksDefaults(overrides: Partial<EksSettings> = {}): EksSettings {
  return {
    kubernetesVersion: '1.35',
    endpointPublicAccess: false,
    publicAccessCidrs: [],
    // IAM roles of this account that administer the clusters. The deploy roles
    // (security.deployRoleNames) are added to them by the regional stack: the workloads stacks reach
    // the cluster API with their identity (docs/compute.md).
    adminRoleNames: ['platform-admin'],
    clusterCreatorAdmin: false,
    logRetentionDays: 365,
    addonVersions: {
      vpcCni: 'v1.21.1-eksbuild.3',
      coredns: 'v1.13.2-eksbuild.1',
      kubeProxy: 'v1.35.0-eksbuild.2',
      ebsCsiDriver: 'v1.57.1-eksbuild.1',
      podIdentityAgent: 'v1.3.10-eksbuild.3',
    },
    clusterAutoscalerImageTag: 'v1.35.0',
    nodeGroups: [generalNodes(3)],
    ...overrides,
  };
}

export function ingressDefaults(overrides: Partial<IngressSettings> = {}): IngressSettings {
  return {
    sslPolicy: 'ELBSecurityPolicy-TLS13-1-2-2021-06',
    accessLogRetentionDays: 365,
    ...overrides,
  };
}

/** Helm charts, pinned to exact versions and repositories. */
export const WORKLOADS: WorkloadsConfig = {
  charts: {
    awsLoadBalancerController: {
      repository: 'https://aws.github.io/eks-charts',
      chart: 'aws-load-balancer-controller',
      version: '1.13.0',
    },
    // The image tag comes from `eks.clusterAutoscalerImageTag` (its minor must match Kubernetes).
    clusterAutoscaler: {
      repository: 'https://kubernetes.github.io/autoscaler',
      chart: 'cluster-autoscaler',
      version: '9.46.6',
    },
    metricsServer: {
      repository: 'https://kubernetes-sigs.github.io/metrics-server/',
      chart: 'metrics-server',
      version: '3.12.2',
    },
    kubePrometheusStack: {
      repository: 'https://prometheus-community.github.io/helm-charts',
      chart: 'kube-prometheus-stack',
      version: '75.0.0',
    },
    nvidiaDevicePlugin: {
      repository: 'https://nvidia.github.io/k8s-device-plugin',
      chart: 'nvidia-device-plugin',
      version: '0.17.1',
    },
    // 1.0.1 serves kafka.strimzi.io/v1 only, with exactly the v1 schema of the models the
    // MirrorMaker 2 objects are validated with (modules/msk/strimzi-models.ts, STRIMZI_RELEASES).
    strimziKafkaOperator: {
      repository: 'oci://quay.io/strimzi-helm',
      chart: 'strimzi-kafka-operator',
      version: '1.0.1',
    },
    application: {
      repository: 'https://charts.254carbon.com',
      chart: 'market-intelligence',
      version: '1.0.0',
    },
  },
  application: {
    namespace: 'market-intelligence',
    port: 8080,
    readinessPath: '/actuator/health/readiness',
  },
  monitoringNamespace: 'monitoring',
  nodeAgentsNamespace: 'node-agents',
  kafkaNamespace: 'kafka',
};
