import type { KubeObject } from './kube-object';

/**
 * Prometheus names of the MirrorMaker 2 metrics the JMX exporter rules below publish. The AMP
 * alert rules and the Grafana dashboard import these, so the exporter and its consumers cannot
 * drift apart. Labels: `source` (source cluster alias), `target`, `topic` (the remote topic,
 * `<source>.<topic>`), `partition`; checkpoint metrics also `group`.
 */
export const MM2_METRICS = {
  /** Source timestamp to write on the target, ms (average / maximum over the sample window). */
  replicationLatencyAvg: 'kafka_connect_mirror_source_connector_replication_latency_ms_avg',
  replicationLatencyMax: 'kafka_connect_mirror_source_connector_replication_latency_ms_max',
  /** Age of the records when MirrorMaker 2 consumes them, ms (last / maximum). */
  recordAge: 'kafka_connect_mirror_source_connector_record_age_ms',
  recordAgeMax: 'kafka_connect_mirror_source_connector_record_age_ms_max',
  /** Bytes/s and records replicated. */
  byteRate: 'kafka_connect_mirror_source_connector_byte_rate',
  recordCount: 'kafka_connect_mirror_source_connector_record_count',
  /** Consumer-group checkpoint latency, ms (last / maximum). */
  checkpointLatency: 'kafka_connect_mirror_checkpoint_connector_checkpoint_latency_ms',
  checkpointLatencyMax: 'kafka_connect_mirror_checkpoint_connector_checkpoint_latency_ms_max',
} as const;

export type Mm2MetricName = (typeof MM2_METRICS)[keyof typeof MM2_METRICS];

/** Name Strimzi gives the metrics port (9404) of Connect and MirrorMaker 2 pods with `metricsConfig`. */
export const STRIMZI_METRICS_PORT = 'tcp-prometheus';
/** Key of the exporter configuration in the metrics ConfigMap. */
export const METRICS_CONFIG_KEY = 'metrics-config.yml';

/** One Prometheus JMX exporter rule (the subset of fields used here). */
export interface JmxExporterRule {
  readonly pattern: string;
  readonly name: string;
  readonly type: 'GAUGE';
  readonly help: string;
  readonly labels: Readonly<Record<string, string>>;
}

export interface JmxExporterConfig {
  readonly lowercaseOutputName: boolean;
  readonly lowercaseOutputLabelNames: boolean;
  readonly rules: readonly JmxExporterRule[];
}

// Kafka's MirrorSourceMetrics / MirrorCheckpointMetrics MBeans, as the exporter prints them
// (`domain<key=value, ...><>attribute: value`). The remote topic is `<source>.<topic>` (default
// replication policy, separator `.`; region keys contain no dot), so its prefix is the source.
const SOURCE_BEAN =
  'kafka\\.connect\\.mirror<type=MirrorSourceConnector, target=([^,]+), topic=(([^.,]+)\\.[^,]+), partition=([0-9]+)><>';
const CHECKPOINT_BEAN =
  'kafka\\.connect\\.mirror<type=MirrorCheckpointConnector, source=([^,]+), target=([^,]+), group=([^,]+), topic=([^,]+), partition=([0-9]+)><>';
const SOURCE_LABELS = { source: '$3', target: '$1', topic: '$2', partition: '$4' };
const CHECKPOINT_LABELS = { source: '$1', target: '$2', group: '$3', topic: '$4', partition: '$5' };

// The exporter wraps each pattern in `^.*(?:...).*$`: the trailing `:` keeps `record-age-ms` from
// also matching `record-age-ms-max`. Attributes without a rule are not exported (cardinality).
const rule = (bean: string, attribute: string, name: Mm2MetricName, labels: Record<string, string>, help: string) => ({
  pattern: `${bean}${attribute}:`,
  name,
  type: 'GAUGE' as const,
  help,
  labels,
});

/** JMX exporter configuration of the MirrorMaker 2 pods: exactly the metrics of {@link MM2_METRICS}. */
export function mirrorMakerExporterConfig(): JmxExporterConfig {
  const src = (attribute: string, name: Mm2MetricName, help: string) =>
    rule(SOURCE_BEAN, attribute, name, SOURCE_LABELS, help);
  const cp = (attribute: string, name: Mm2MetricName, help: string) =>
    rule(CHECKPOINT_BEAN, attribute, name, CHECKPOINT_LABELS, help);
  return {
    lowercaseOutputName: true,
    lowercaseOutputLabelNames: true,
    rules: [
      src('replication-latency-ms-avg', MM2_METRICS.replicationLatencyAvg, 'MM2 replication latency, average (ms)'),
      src('replication-latency-ms-max', MM2_METRICS.replicationLatencyMax, 'MM2 replication latency, maximum (ms)'),
      src('record-age-ms', MM2_METRICS.recordAge, 'Age of the last record consumed by MM2 (ms)'),
      src('record-age-ms-max', MM2_METRICS.recordAgeMax, 'Age of consumed records, maximum (ms)'),
      src('byte-rate', MM2_METRICS.byteRate, 'Bytes replicated per second'),
      src('record-count', MM2_METRICS.recordCount, 'Records replicated'),
      cp('checkpoint-latency-ms', MM2_METRICS.checkpointLatency, 'Consumer group checkpoint latency (ms)'),
      cp('checkpoint-latency-ms-max', MM2_METRICS.checkpointLatencyMax, 'Checkpoint latency, maximum (ms)'),
    ],
  };
}

/** `spec.metricsConfig` of a Strimzi v1 KafkaMirrorMaker2 reading the exporter rules from a ConfigMap. */
export function jmxMetricsConfig(configMapName: string) {
  return {
    type: 'jmxPrometheusExporter' as const,
    valueFrom: { configMapKeyRef: { name: configMapName, key: METRICS_CONFIG_KEY } },
  };
}

export interface MirrorMakerMetricsProps {
  /** Name of the ConfigMap (referenced by the KafkaMirrorMaker2's `metricsConfig`). */
  readonly configMapName: string;
  /** Name of the PodMonitor. */
  readonly podMonitorName: string;
  readonly namespace: string;
  /** Names of the KafkaMirrorMaker2 resources whose pods are scraped. */
  readonly clusters: readonly string[];
  readonly labels: Readonly<Record<string, string>>;
  /** @default '30s' */
  readonly scrapeInterval?: string;
}

/**
 * The ConfigMap holding the exporter rules and a PodMonitor (monitoring.coreos.com/v1) for the
 * MirrorMaker 2 pods (Strimzi labels `strimzi.io/kind` + `strimzi.io/cluster`, port `tcp-prometheus`).
 */
export function mirrorMakerMetricsObjects(p: MirrorMakerMetricsProps): KubeObject[] {
  return [
    {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: p.configMapName, namespace: p.namespace, labels: { ...p.labels } },
      // JSON is YAML: the exporter reads it as is.
      data: { [METRICS_CONFIG_KEY]: JSON.stringify(mirrorMakerExporterConfig(), null, 2) },
    },
    {
      apiVersion: 'monitoring.coreos.com/v1',
      kind: 'PodMonitor',
      metadata: { name: p.podMonitorName, namespace: p.namespace, labels: { ...p.labels } },
      spec: {
        namespaceSelector: { matchNames: [p.namespace] },
        selector: {
          matchLabels: { 'strimzi.io/kind': 'KafkaMirrorMaker2' },
          matchExpressions: [{ key: 'strimzi.io/cluster', operator: 'In', values: [...p.clusters] }],
        },
        podMetricsEndpoints: [{ port: STRIMZI_METRICS_PORT, path: '/metrics', interval: p.scrapeInterval ?? '30s' }],
      },
    },
  ];
}
