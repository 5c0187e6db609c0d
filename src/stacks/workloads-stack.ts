import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { AssetType, Fn, TerraformAsset, type ITerraformDependable } from 'cdktf';
import type { Construct } from 'constructs';
import { HelmProvider } from '@cdktf/provider-helm/lib/provider';
import { Release, type ReleaseSet } from '@cdktf/provider-helm/lib/release';
import { NamespaceV1 } from '@cdktf/provider-kubernetes/lib/namespace-v1';
import { KubernetesProvider } from '@cdktf/provider-kubernetes/lib/provider';
import { ServiceAccountV1 } from '@cdktf/provider-kubernetes/lib/service-account-v1';
import { StorageClassV1 } from '@cdktf/provider-kubernetes/lib/storage-class-v1';
import { GPU_TAINT, NODE_KIND_LABEL } from '../../modules/eks/types';
import { nodeAgentsNamespaceLabels, podSecurityLabels, type PodSecurityLevel } from '../../modules/eks/pod-security';
import { PlatformNetworkPolicies } from '../../modules/eks/network-policies';
import { CLICKHOUSE_NAMESPACE } from '../../modules/clickhouse/backup-storage';
import { planSubnets } from '../../modules/network/subnets';
import { CLUSTER_AUTOSCALER_SA, LOAD_BALANCER_CONTROLLER_SA } from '../../modules/eks/workload-roles';
import type { HelmChartPin } from '../config/types';
import type { PlatformPlan, RegionPlan } from '../plan/types';
import type { RegionalExports } from '../parts/exports';
import { PlatformStack } from './platform-stack';

/** Local chart that renders the TargetGroupBinding (see docs/compute.md, "TargetGroupBinding"). */
export const TARGET_GROUP_BINDING_CHART = resolve(__dirname, '../../charts/target-group-binding');
/** Default StorageClass: gp3, encrypted with the regional key. */
export const ENCRYPTED_STORAGE_CLASS = 'gp3-encrypted';

/** `version:` of a local chart's Chart.yaml, so the release pins what is shipped. */
export function localChartVersion(chartDir: string): string {
  const m = /^version:\s*['"]?([^'"\s]+)/m.exec(readFileSync(join(chartDir, 'Chart.yaml'), 'utf8'));
  if (!m) throw new Error(`${chartDir}/Chart.yaml has no version`);
  return m[1];
}

const str = (name: string, value: string): ReleaseSet => ({ name, value, type: 'string' });
const auto = (name: string, value: string | number | boolean): ReleaseSet => ({ name, value: String(value) });

/**
 * Everything inside one region's cluster: namespaces, IRSA-bound service accounts, the default
 * encrypted StorageClass and the pinned Helm releases. Talks to the cluster through the kubernetes
 * and helm providers only (no AWS resources): both authenticate with short-lived tokens from
 * `aws eks get-token`, run at plan/apply time with the caller's AWS identity, so no token is ever
 * stored in configuration or state.
 */
export interface WorkloadsStackProps {
  readonly plan: PlatformPlan;
  readonly region: RegionPlan;
  readonly regional: RegionalExports;
}

export class WorkloadsStack extends PlatformStack {
  readonly region: RegionPlan;
  readonly releases: Readonly<Record<string, Release>>;

  constructor(scope: Construct, id: string, props: WorkloadsStackProps) {
    const { plan, region, regional } = props;
    const { key, code } = region;
    super(scope, id, { plan, regionKey: key });
    this.region = region;
    const config = plan.config;
    const cluster = regional.eks;
    const w = config.workloads;
    const roles = regional.workloadRoleArns;

    const host = cluster.endpoint;
    const clusterCaCertificate = Fn.base64decode(cluster.certificateAuthorityData);
    const exec = {
      apiVersion: 'client.authentication.k8s.io/v1beta1',
      command: 'aws',
      args: ['eks', 'get-token', '--cluster-name', cluster.clusterName, '--region', code, '--output', 'json'],
    };
    new KubernetesProvider(this, 'kubernetes', { host, clusterCaCertificate, exec: [exec] });
    new HelmProvider(this, 'helm', { kubernetes: { host, clusterCaCertificate, exec } });

    const namespace = (name: string, podSecurity: PodSecurityLevel, labels: Record<string, string> = {}) =>
      new NamespaceV1(this, `ns-${name}`, {
        metadata: { name, labels: { ...podSecurityLabels(podSecurity), ...labels } },
      });
    // Pod security (docs/security.md, "Pod security"): only the node agents (host network, host
    // PID, host paths) run privileged, in a namespace of their own. kube-prometheus-stack's
    // Prometheus, Alertmanager, Grafana, kube-state-metrics, operator and webhook jobs set
    // restricted-compliant security contexts by default (chart 75.0.0, Grafana 9.2.4 without
    // persistence, so no root chown init container); Strimzi's operands and the application
    // chart are held at baseline.
    const agentsNs = namespace(w.nodeAgentsNamespace, 'privileged', nodeAgentsNamespaceLabels());
    const monitoringNs = namespace(w.monitoringNamespace, 'restricted');
    const kafkaNs = namespace(w.kafkaNamespace, 'baseline');
    const appNs = namespace(w.application.namespace, 'baseline');

    const serviceAccount = (
      id: string,
      ns: string,
      name: string,
      roleArn: string,
      dependsOn?: ITerraformDependable[],
    ) =>
      new ServiceAccountV1(this, `sa-${id}`, {
        metadata: { name, namespace: ns, annotations: { 'eks.amazonaws.com/role-arn': roleArn } },
        dependsOn,
      });
    const lbcSa = serviceAccount(
      'lb-controller',
      LOAD_BALANCER_CONTROLLER_SA.namespace,
      LOAD_BALANCER_CONTROLLER_SA.name,
      roles.loadBalancerController,
    );
    const caSa = serviceAccount(
      'cluster-autoscaler',
      CLUSTER_AUTOSCALER_SA.namespace,
      CLUSTER_AUTOSCALER_SA.name,
      roles.clusterAutoscaler,
    );
    const appSaName = w.charts.application.chart;
    const appSa = serviceAccount('application', w.application.namespace, appSaName, roles.application, [appNs]);

    const storageClass = new StorageClassV1(this, 'storage-class', {
      metadata: {
        name: ENCRYPTED_STORAGE_CLASS,
        annotations: { 'storageclass.kubernetes.io/is-default-class': 'true' },
      },
      storageProvisioner: 'ebs.csi.aws.com',
      volumeBindingMode: 'WaitForFirstConsumer',
      allowVolumeExpansion: true,
      reclaimPolicy: 'Delete',
      parameters: { type: 'gp3', encrypted: 'true', kmsKeyId: regional.kmsKeyArn },
    });

    const releases: Record<string, Release> = {};
    const release = (
      id: string,
      pin: HelmChartPin,
      ns: string,
      set: ReleaseSet[],
      dependsOn: ITerraformDependable[] = [],
    ): Release =>
      (releases[id] = new Release(this, id, {
        name: id,
        repository: pin.repository,
        chart: pin.chart,
        version: pin.version,
        namespace: ns,
        set,
        atomic: true,
        cleanupOnFail: true,
        maxHistory: 10,
        timeout: 900,
        dependsOn,
      }));

    const charts = w.charts;
    const lbc = release(
      'aws-load-balancer-controller',
      charts.awsLoadBalancerController,
      LOAD_BALANCER_CONTROLLER_SA.namespace,
      [
        str('clusterName', cluster.clusterName),
        // Region and VPC are given, so the controller never needs the instance metadata service.
        str('region', code),
        str('vpcId', regional.network.vpcId),
        auto('serviceAccount.create', false),
        str('serviceAccount.name', LOAD_BALANCER_CONTROLLER_SA.name),
        auto('replicaCount', 2),
        // Its IAM role can only bind targets: no Ingress class, no Service hijacking.
        auto('createIngressClassResource', false),
        auto('enableServiceMutatorWebhook', false),
      ],
      [lbcSa],
    );

    release(
      'cluster-autoscaler',
      charts.clusterAutoscaler,
      CLUSTER_AUTOSCALER_SA.namespace,
      [
        str('autoDiscovery.clusterName', cluster.clusterName),
        str('awsRegion', code),
        str('image.tag', region.settings.eks.clusterAutoscalerImageTag),
        auto('rbac.serviceAccount.create', false),
        str('rbac.serviceAccount.name', CLUSTER_AUTOSCALER_SA.name),
        str('extraArgs.balance-similar-node-groups', 'true'),
        str('extraArgs.expander', 'least-waste'),
      ],
      [caSa],
    );

    release('metrics-server', charts.metricsServer, 'kube-system', [auto('replicas', 2)]);

    release(
      'kube-prometheus-stack',
      charts.kubePrometheusStack,
      w.monitoringNamespace,
      [
        // Federated and global views tell series apart by region.
        str('prometheus.prometheusSpec.externalLabels.region', key),
        str('prometheus.prometheusSpec.retention', '15d'),
        // Select PodMonitors without the chart's `release` label (e.g. MirrorMaker 2 in the kafka
        // namespace, charts/kafka-replication); the namespace selector already spans all namespaces.
        auto('prometheus.prometheusSpec.podMonitorSelectorNilUsesHelmValues', false),
        str('prometheus.prometheusSpec.storageSpec.volumeClaimTemplate.spec.storageClassName', ENCRYPTED_STORAGE_CLASS),
        str('prometheus.prometheusSpec.storageSpec.volumeClaimTemplate.spec.accessModes[0]', 'ReadWriteOnce'),
        str('prometheus.prometheusSpec.storageSpec.volumeClaimTemplate.spec.resources.requests.storage', '100Gi'),
        // node-exporter needs the host: it runs in the node agents' namespace, the one that is
        // privileged. Its ServiceMonitor goes with it; Prometheus selects ServiceMonitors in every
        // namespace (serviceMonitorNamespaceSelector {}), by the release label.
        str('prometheus-node-exporter.namespaceOverride', w.nodeAgentsNamespace),
        auto('grafana.enabled', true),
        // Empty: the Grafana chart generates a random admin password inside the cluster, so it is
        // never in Terraform configuration or state (kubectl get secret, docs/compute.md).
        str('grafana.adminPassword', ''),
      ],
      [monitoringNs, agentsNs, storageClass],
    );

    if (cluster.hasGpuNodes) {
      // A node agent (host paths of the kubelet's device plugins): in the privileged namespace.
      release(
        'nvidia-device-plugin',
        charts.nvidiaDevicePlugin,
        w.nodeAgentsNamespace,
        [
          str(`nodeSelector.${NODE_KIND_LABEL}`, 'gpu'),
          str('tolerations[0].key', GPU_TAINT.key),
          str('tolerations[0].operator', 'Exists'),
          str('tolerations[0].effect', 'NoSchedule'),
        ],
        [agentsNs],
      );
    }

    release(
      'strimzi-kafka-operator',
      charts.strimziKafkaOperator,
      w.kafkaNamespace,
      // Watches its own namespace only: Kafka resources live in the kafka namespace.
      [auto('watchAnyNamespace', false), auto('replicas', 1)],
      [kafkaNs],
    );

    const appName = charts.application.chart;
    const app = release(
      appName,
      charts.application,
      w.application.namespace,
      [
        // As the seed deploys it: helm install ... --set region=<key> --set global.multiRegion=true
        str('region', key),
        auto('global.multiRegion', true),
        str('fullnameOverride', appName),
        auto('serviceAccount.create', false),
        str('serviceAccount.name', appSaName),
        auto('service.port', w.application.port),
        str('readinessProbe.httpGet.path', w.application.readinessPath),
        auto('readinessProbe.httpGet.port', w.application.port),
      ],
      [appNs, appSa],
    );

    // The CRD arrives with the controller chart: a Helm release of a local chart is rendered at
    // apply time, after the controller, so the first apply works (kubernetes_manifest would need
    // the CRD while planning).
    const chart = new TerraformAsset(this, 'target-group-binding-chart', {
      path: TARGET_GROUP_BINDING_CHART,
      type: AssetType.DIRECTORY,
    });
    releases['target-group-binding'] = new Release(this, 'target-group-binding', {
      name: `${appName}-tgb`,
      chart: chart.path,
      version: localChartVersion(TARGET_GROUP_BINDING_CHART),
      namespace: w.application.namespace,
      set: [
        str('name', appName),
        str('serviceName', appName),
        auto('servicePort', w.application.port),
        str('targetGroupArn', regional.ingress.targetGroupArn),
      ],
      atomic: true,
      cleanupOnFail: true,
      maxHistory: 10,
      dependsOn: [lbc, app],
    });
    this.releases = releases;

    // --- Network policies (docs/compute.md, "Network policies"): default-deny ingress per namespace ---
    const subnets = planSubnets(region.vpcCidr, region.azCount);
    new PlatformNetworkPolicies(this, 'network-policies', {
      namespaces: {
        application: w.application.namespace,
        kafka: w.kafkaNamespace,
        clickhouse: CLICKHOUSE_NAMESPACE,
        monitoring: w.monitoringNamespace,
        nodeAgents: w.nodeAgentsNamespace,
      },
      applicationPort: w.application.port,
      loadBalancerCidrs: subnets.public,
      controlPlaneCidrs: subnets.private,
    });
    // --- end network policies ---
  }
}
