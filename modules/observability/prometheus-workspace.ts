import { Fn, type TerraformProvider } from 'cdktf';
import { Construct } from 'constructs';
import { CloudwatchLogGroup } from '@cdktf/provider-aws/lib/cloudwatch-log-group';
import { PrometheusAlertManagerDefinition } from '@cdktf/provider-aws/lib/prometheus-alert-manager-definition';
import { PrometheusRuleGroupNamespace } from '@cdktf/provider-aws/lib/prometheus-rule-group-namespace';
import { PrometheusWorkspace } from '@cdktf/provider-aws/lib/prometheus-workspace';
import { PrometheusWorkspaceConfiguration } from '@cdktf/provider-aws/lib/prometheus-workspace-configuration';
import { setComponent } from '../common/context';
import { MM2_METRICS } from '../msk/mirrormaker-metrics';
import { IrsaRole } from '../eks/irsa-role';
import type { OidcIdentity } from '../eks/irsa-role';

/** Service accounts the kube-prometheus-stack release runs Prometheus and Grafana as (set in its values). */
export const PROMETHEUS_SERVICE_ACCOUNT = 'prometheus-remote-write';
export const GRAFANA_SERVICE_ACCOUNT = 'grafana-amp-query';

/**
 * Maximum MirrorMaker 2 replication latency (ms, labels source, target, topic, partition; the
 * remote-write adds region), as the JMX exporter rules of modules/msk/mirrormaker-metrics.ts name it.
 */
export const MM2_LATENCY_METRIC = MM2_METRICS.replicationLatencyMax;

export interface PrometheusCluster {
  readonly key: string;
  readonly oidc: OidcIdentity;
}

export interface PrometheusWorkspaceProps {
  /** `<project>-<environment>`. */
  readonly name: string;
  /** Region of the workspace (the primary region). */
  readonly region: string;
  readonly kmsKeyArn: string;
  readonly retentionDays: number;
  readonly logRetentionDays: number;
  /** Every region's cluster: its Prometheus writes here, its Grafana reads from here. */
  readonly clusters: readonly PrometheusCluster[];
  /** Namespace of kube-prometheus-stack. */
  readonly namespace: string;
  readonly partition: string;
  /** Kafka lag alert thresholds, ms. */
  readonly kafkaLagWarningMs: number;
  readonly kafkaLagCriticalMs: number;
  /** SNS topics of the workspace's region that Alertmanager publishes to. */
  readonly topics: { readonly warning: string; readonly critical: string };
  readonly provider?: TerraformProvider;
}

/**
 * The global Prometheus: an Amazon Managed Service for Prometheus workspace in the primary region
 * that every region's in-cluster Prometheus remote-writes to (SigV4, IRSA), with the alert rules
 * on metrics only Prometheus has (MirrorMaker 2 replication latency: warning at 10 s, critical at
 * 5 minutes) and its Alertmanager publishing to the primary region's alert topics.
 * Encrypted with the primary key, logs to an encrypted, retained log group.
 */
export class PrometheusGlobalWorkspace extends Construct {
  readonly workspace: PrometheusWorkspace;
  /** IRSA roles per region key: remote write (Prometheus) and query (Grafana). */
  readonly writers = new Map<string, IrsaRole>();
  readonly readers = new Map<string, IrsaRole>();

  constructor(scope: Construct, id: string, props: PrometheusWorkspaceProps) {
    super(scope, id);
    setComponent(this, 'observability');
    const { provider } = props;
    const logGroup = new CloudwatchLogGroup(this, 'logs', {
      provider,
      name: `/aws/prometheus/${props.name}`,
      retentionInDays: props.logRetentionDays,
      kmsKeyId: props.kmsKeyArn,
    });
    this.workspace = new PrometheusWorkspace(this, 'workspace', {
      provider,
      alias: props.name,
      kmsKeyArn: props.kmsKeyArn,
      loggingConfiguration: { logGroupArn: `${logGroup.arn}:*` },
    });
    new PrometheusWorkspaceConfiguration(this, 'configuration', {
      provider,
      workspaceId: this.workspace.id,
      retentionPeriodInDays: props.retentionDays,
    });
    new PrometheusRuleGroupNamespace(this, 'rules', {
      provider,
      workspaceId: this.workspace.id,
      name: 'multi-region',
      data: kafkaLagRules(props.kafkaLagWarningMs, props.kafkaLagCriticalMs),
    });
    new PrometheusAlertManagerDefinition(this, 'alertmanager', {
      provider,
      workspaceId: this.workspace.id,
      // jsonencode (JSON is YAML): a JSON string holding references breaks cdktf's HCL output.
      definition: Fn.jsonencode({ alertmanager_config: Fn.jsonencode(alertManagerConfig(props.region, props.topics)) }),
    });

    const ws = this.workspace.arn;
    for (const cluster of props.clusters) {
      const common = { oidc: cluster.oidc, namespace: props.namespace, partition: props.partition };
      this.writers.set(
        cluster.key,
        new IrsaRole(this, `writer-${cluster.key}`, {
          ...common,
          roleName: `${props.name}-${cluster.key}-prometheus-write`,
          serviceAccount: PROMETHEUS_SERVICE_ACCOUNT,
          statements: [{ Sid: 'RemoteWrite', Effect: 'Allow', Action: 'aps:RemoteWrite', Resource: ws }],
        }),
      );
      this.readers.set(
        cluster.key,
        new IrsaRole(this, `reader-${cluster.key}`, {
          ...common,
          roleName: `${props.name}-${cluster.key}-grafana-query`,
          serviceAccount: GRAFANA_SERVICE_ACCOUNT,
          statements: [
            {
              Sid: 'Query',
              Effect: 'Allow',
              Action: ['aps:QueryMetrics', 'aps:GetSeries', 'aps:GetLabels', 'aps:GetMetricMetadata'],
              Resource: ws,
            },
          ],
        }),
      );
    }
  }

  /** Remote-write URL (the endpoint ends with a slash). */
  get remoteWriteUrl(): string {
    return `${this.workspace.prometheusEndpoint}api/v1/remote_write`;
  }

  get queryUrl(): string {
    return this.workspace.prometheusEndpoint;
  }
}

/** Rule file (JSON is YAML) with the MirrorMaker 2 lag alerts, by severity label. */
export function kafkaLagRules(warningMs: number, criticalMs: number): string {
  const alert = (severity: string, ms: number, forDuration: string) => ({
    alert: `KafkaReplicationLag${severity === 'critical' ? 'Critical' : 'Warning'}`,
    expr: `max by (region, source, target, topic) (${MM2_LATENCY_METRIC}) > ${ms}`,
    for: forDuration,
    labels: { severity },
    annotations: {
      summary: `MirrorMaker 2 replication latency above ${ms / 1000} s`,
      description:
        '{{ $labels.source }} -> {{ $labels.target }} topic {{ $labels.topic }} in {{ $labels.region }}: {{ $value }} ms',
    },
  });
  return JSON.stringify({
    groups: [
      {
        name: 'kafka-replication',
        rules: [alert('warning', warningMs, '2m'), alert('critical', criticalMs, '1m')],
      },
    ],
  });
}

/** Alertmanager configuration: one SNS receiver per severity, critical routed by label. */
export function alertManagerConfig(
  region: string,
  topics: { readonly warning: string; readonly critical: string },
): Record<string, unknown> {
  const receiver = (name: string, topicArn: string) => ({
    name,
    sns_configs: [{ topic_arn: topicArn, sigv4: { region }, attributes: { severity: name } }],
  });
  return {
    route: {
      receiver: 'warning',
      group_by: ['alertname', 'region'],
      // Unquoted matcher value: quotes inside jsonencode arguments are not escaped by cdktf.
      routes: [{ matchers: ['severity=critical'], receiver: 'critical' }],
    },
    receivers: [receiver('warning', topics.warning), receiver('critical', topics.critical)],
  };
}
