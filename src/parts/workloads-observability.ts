import { Fn } from 'cdktf';
import { Construct } from 'constructs';
import type { Release } from '@cdktf/provider-helm/lib/release';
import { ConfigMapV1 } from '@cdktf/provider-kubernetes/lib/config-map-v1';
import { setComponent } from '../../modules/common/context';
import { multiRegionOverview } from '../../modules/observability/grafana-overview';
import { GRAFANA_SERVICE_ACCOUNT, PROMETHEUS_SERVICE_ACCOUNT } from '../../modules/observability/prometheus-workspace';
import type { PlatformConfig } from '../config/types';
import type { GlobalExports } from './exports';

/** UID of the AMP data source in every region's Grafana. */
export const AMP_DATASOURCE_UID = 'amp-global';

/** What this part needs of its scope (a workloads stack): the Helm release it configures. */
export interface WorkloadsObservabilityScope extends Construct {
  readonly releases: Readonly<Record<string, Release>>;
}

export interface WorkloadsObservabilityProps {
  readonly config: PlatformConfig;
  readonly regionKey: string;
  /** The global Prometheus (AMP workspace in the primary region, global stack). */
  readonly prometheus: GlobalExports['prometheus'];
  /** Region code of the workspace (SigV4 signing region). */
  readonly workspaceRegion: string;
}

/**
 * Observability inside one region's cluster (docs/observability.md): kube-prometheus-stack's
 * Prometheus remote-writes to the global AMP workspace (SigV4 through IRSA) while keeping its
 * local 15 days; Grafana gets AMP as a SigV4 data source and the multi-region overview dashboard
 * (ConfigMap picked up by the Grafana sidecar). Adds `values` to the release the workloads stack
 * defines; its `set` entries stay as they are.
 */
export class WorkloadsObservability extends Construct {
  readonly dashboard: ConfigMapV1;
  /** Helm values added to kube-prometheus-stack (references as tokens). */
  readonly values: Record<string, unknown>;

  constructor(scope: WorkloadsObservabilityScope, id: string, props: WorkloadsObservabilityProps) {
    super(scope, id);
    setComponent(this, 'observability');
    const release = scope.releases['kube-prometheus-stack'];
    if (!release) throw new Error(`${scope.node.path}: no kube-prometheus-stack release to configure`);
    const { prometheus, regionKey, config } = props;
    const writer = prometheus.writerRoleArns[regionKey];
    const reader = prometheus.readerRoleArns[regionKey];
    if (!writer || !reader)
      throw new Error(`${this.node.path}: the Prometheus workspace has no roles for ${regionKey}`);
    const thresholds = config.observability.thresholds;
    this.values = kubePrometheusStackValues({
      remoteWriteUrl: prometheus.remoteWriteUrl,
      queryUrl: prometheus.queryUrl,
      region: props.workspaceRegion,
      writerRoleArn: writer,
      readerRoleArn: reader,
    });
    // jsonencode (JSON is YAML): a JSON string holding references breaks cdktf's HCL output.
    release.values = [Fn.jsonencode(this.values)];
    this.dashboard = new ConfigMapV1(this, 'grafana-dashboard', {
      metadata: {
        name: 'multi-region-overview',
        namespace: config.workloads.monitoringNamespace,
        labels: { grafana_dashboard: '1' },
      },
      data: {
        'multi-region-overview.json': JSON.stringify(
          multiRegionOverview({
            datasourceUid: AMP_DATASOURCE_UID,
            kafkaLagWarningMs: thresholds.kafkaLagWarningMs,
            kafkaLagCriticalMs: thresholds.kafkaLagCriticalMs,
          }),
        ),
      },
      dependsOn: [release],
    });
  }
}

export interface KubePrometheusStackValuesInput {
  readonly remoteWriteUrl: string;
  readonly queryUrl: string;
  readonly region: string;
  readonly writerRoleArn: string;
  readonly readerRoleArn: string;
}

/** Helm values (JSON is YAML) adding remote write, IRSA service accounts and the AMP data source. */
export function kubePrometheusStackValues(v: KubePrometheusStackValuesInput): Record<string, unknown> {
  const irsa = (name: string, roleArn: string) => ({
    create: true,
    name,
    annotations: { 'eks.amazonaws.com/role-arn': roleArn },
  });
  return {
    prometheus: {
      serviceAccount: irsa(PROMETHEUS_SERVICE_ACCOUNT, v.writerRoleArn),
      prometheusSpec: {
        remoteWrite: [
          {
            url: v.remoteWriteUrl,
            sigv4: { region: v.region },
            // AMP accepts up to 1 MB per request; keep batches well below and retry with backoff.
            queueConfig: { maxSamplesPerSend: 1000, maxShards: 200, capacity: 2500 },
          },
        ],
      },
    },
    grafana: {
      serviceAccount: irsa(GRAFANA_SERVICE_ACCOUNT, v.readerRoleArn),
      'grafana.ini': { auth: { sigv4_auth_enabled: true } },
      sidecar: { dashboards: { enabled: true, label: 'grafana_dashboard', labelValue: '1' } },
      additionalDataSources: [
        {
          name: 'AMP (all regions)',
          uid: AMP_DATASOURCE_UID,
          type: 'prometheus',
          access: 'proxy',
          url: v.queryUrl,
          jsonData: { sigV4Auth: true, sigV4AuthType: 'default', sigV4Region: v.region },
        },
      ],
    },
  };
}
