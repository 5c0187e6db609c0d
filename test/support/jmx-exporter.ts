import type { JmxExporterConfig } from '../../modules/msk/mirrormaker-metrics';

/** One sample as the Prometheus JMX exporter would publish it. */
export interface ExportedSample {
  readonly name: string;
  readonly labels: Record<string, string>;
}

const safe = (s: string) => s.replace(/[^a-zA-Z0-9:_]/g, '_').replace(/__+/g, '_');

/**
 * The JMX exporter's rule matching, reduced to what our rules use: the input is the exporter's
 * match string `domain<key=value, ...><>attribute: value`, each pattern is wrapped in
 * `^.*(?:pattern).*$`, the first matching rule wins, `$n` is substituted in name and labels, names
 * are lower-cased (lowercaseOutputName) and sanitized. Returns undefined when no rule matches
 * (the exporter then drops the attribute).
 */
export function exportSample(config: JmxExporterConfig, matchString: string): ExportedSample | undefined {
  for (const rule of config.rules) {
    const m = new RegExp(`^.*(?:${rule.pattern}).*$`).exec(matchString);
    if (!m) continue;
    const sub = (template: string) => template.replace(/\$(\d+)/g, (_, i: string) => m[Number(i)] ?? '');
    const name = safe(config.lowercaseOutputName ? sub(rule.name).toLowerCase() : sub(rule.name));
    const labels = Object.fromEntries(
      Object.entries(rule.labels).map(([k, v]) => [
        safe(config.lowercaseOutputLabelNames ? k.toLowerCase() : k),
        sub(v),
      ]),
    );
    return { name, labels };
  }
  return undefined;
}

/** Kafka's MirrorSourceMetrics MBean attribute, as the exporter prints it. */
export const sourceBean = (target: string, topic: string, partition: number, attribute: string) =>
  `kafka.connect.mirror<type=MirrorSourceConnector, target=${target}, topic=${topic}, partition=${partition}><>${attribute}: 12.0`;

/** Kafka's MirrorCheckpointMetrics MBean attribute, as the exporter prints it. */
export const checkpointBean = (source: string, target: string, group: string, topic: string, attribute: string) =>
  `kafka.connect.mirror<type=MirrorCheckpointConnector, source=${source}, target=${target}, group=${group}, topic=${topic}, partition=0><>${attribute}: 3.0`;

/** Every attribute Kafka's MirrorMaker 2 metrics expose (Kafka 3.x/4.x). */
export const SOURCE_ATTRIBUTES = [
  'record-count',
  'record-rate',
  'record-age-ms',
  'record-age-ms-min',
  'record-age-ms-max',
  'record-age-ms-avg',
  'replication-latency-ms',
  'replication-latency-ms-min',
  'replication-latency-ms-max',
  'replication-latency-ms-avg',
  'byte-rate',
  'byte-count',
] as const;
export const CHECKPOINT_ATTRIBUTES = [
  'checkpoint-latency-ms',
  'checkpoint-latency-ms-min',
  'checkpoint-latency-ms-max',
  'checkpoint-latency-ms-avg',
] as const;

/** Names the rules produce for every MirrorMaker 2 attribute of a sample topology. */
export function exportedMirrorMakerNames(config: JmxExporterConfig): Set<string> {
  const samples = [
    ...SOURCE_ATTRIBUTES.map((a) =>
      exportSample(config, sourceBean('us-east', 'eu-west.genai-demo.production.orders', 0, a)),
    ),
    ...CHECKPOINT_ATTRIBUTES.map((a) =>
      exportSample(config, checkpointBean('eu-west', 'us-east', 'orders-service', 'genai-demo.production.orders', a)),
    ),
  ];
  return new Set(samples.flatMap((s) => (s ? [s.name] : [])));
}
