import { alertManagerConfig, kafkaLagRules, MM2_LATENCY_METRIC } from '../modules/observability/prometheus-workspace';
import { renderReplicationObjects } from '../modules/msk/mirrormaker';
import { METRICS_CONFIG_KEY, MM2_METRICS, type JmxExporterConfig } from '../modules/msk/mirrormaker-metrics';
import { multiRegionOverview, type GrafanaPanel } from '../modules/observability/grafana-overview';
import { production } from '../src/config/environments/production';
import { exportedMirrorMakerNames } from './support/jmx-exporter';
import { resolvePlan } from '../src/plan/resolve';
import { decodeJsonencode } from './support/jsonencode';
import { defaultSynth } from './support/shared-synth';
import { resources } from './support/stack-json';

type Body = Record<string, unknown>;
type Rule = { alert: string; expr: string; for: string; labels: { severity: string } };

/** The metric names a PromQL expression reads (identifiers other than functions, keywords, labels). */
const PROMQL_WORDS = new Set(['max', 'by', 'region', 'source', 'target', 'topic']);
const metricsIn = (expr: string) =>
  [...new Set(expr.match(/\b[a-zA-Z_:][a-zA-Z0-9_:]*\b/g) ?? [])].filter((w) => !PROMQL_WORDS.has(w));

/** Names the JMX exporter publishes with the rules the MirrorMaker 2 chart actually deploys. */
function deployedExporterNames(): Set<string> {
  const objects = renderReplicationObjects({
    name: 'mi-us-east-mm2',
    namespace: 'kafka',
    username: 'mirrormaker',
    target: { alias: 'us-east', bootstrapServers: 'b-1:9096', passwordSecretName: 'msk-scram-us-east' },
    sources: [{ alias: 'eu-west', bootstrapServers: 'b-2:9096', passwordSecretName: 'msk-scram-eu-west' }],
    topicsPattern: '.*',
    groupsPattern: '.*',
    replicationFactor: 3,
    tasksPerConnector: 2,
    replicas: 1,
  });
  const configMap = objects.find((o) => o.kind === 'ConfigMap') as unknown as { data: Record<string, string> };
  return exportedMirrorMakerNames(JSON.parse(configMap.data[METRICS_CONFIG_KEY]) as JmxExporterConfig);
}

describe('global Prometheus (AMP) and remote write (production synth)', () => {
  const synth = defaultSynth('production');
  const global = synth.stack('global');
  const keys = resolvePlan(production).regions.map((r) => r.key);

  test('one KMS-encrypted workspace in the primary region, logging and retained per config', () => {
    const [ws] = resources(global, 'aws_prometheus_workspace');
    expect(ws).toEqual(
      expect.objectContaining({
        alias: 'mi-production',
        provider: 'aws.us-east',
        kms_key_arn: expect.stringMatching(/region-us-east/),
      }),
    );
    expect(resources(global, 'aws_prometheus_workspace_configuration')[0].retention_period_in_days).toBe(150);
  });

  test.each(keys)('%s: Prometheus remote-writes with SigV4 through its own IRSA role', (key) => {
    const [release] = resources(synth.stack(`workloads-${key}`), 'helm_release').filter(
      (r) => r.name === 'kube-prometheus-stack',
    );
    expect((release.values as string[])[0]).toMatch(/^\$\{jsonencode\(/);
    // References read as `${...}`: the workspace and this region's roles, from the global stack's outputs.
    const fromGlobal = (output: string) =>
      new RegExp(
        `^\\$\\{data\\.terraform_remote_state\\.cross-stack-reference-input-global\\.outputs\\.[^}]*${output}\\}`,
      );
    const values = decodeJsonencode((release.values as string[])[0]) as {
      prometheus: { serviceAccount: Body; prometheusSpec: { remoteWrite: Body[] } };
      grafana: { additionalDataSources: Body[]; serviceAccount: Body };
    };
    const [rw] = values.prometheus.prometheusSpec.remoteWrite;
    expect(rw.url).toMatch(fromGlobal('prometheus_endpoint'));
    expect(rw.url).toMatch(/\}api\/v1\/remote_write$/);
    expect(rw.sigv4).toEqual({ region: 'us-east-1' });
    expect(values.prometheus.serviceAccount).toEqual(
      expect.objectContaining({
        name: 'prometheus-remote-write',
        annotations: { 'eks.amazonaws.com/role-arn': expect.stringMatching(fromGlobal(`writer-${key}_role_\\w+arn`)) },
      }),
    );
    expect(values.grafana.serviceAccount).toEqual(
      expect.objectContaining({
        name: 'grafana-amp-query',
        annotations: { 'eks.amazonaws.com/role-arn': expect.stringMatching(fromGlobal(`reader-${key}_role_\\w+arn`)) },
      }),
    );
    expect(values.grafana.additionalDataSources[0]).toEqual(
      expect.objectContaining({
        type: 'prometheus',
        jsonData: { sigV4Auth: true, sigV4AuthType: 'default', sigV4Region: 'us-east-1' },
      }),
    );
    // Existing `set` values stay (external region label for the global view).
    expect(release.set).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ name: 'prometheus.prometheusSpec.externalLabels.region', value: key }),
      ]),
    );
    const dashboard = resources(synth.stack(`workloads-${key}`), 'kubernetes_config_map_v1').find(
      (c) => (c.metadata as Body).name === 'multi-region-overview',
    )!;
    expect((dashboard.metadata as Body).labels).toEqual({ grafana_dashboard: '1' });
    expect(JSON.parse((dashboard.data as Record<string, string>)['multi-region-overview.json']).uid).toBe(
      'multi-region-overview',
    );
  });

  test('the workspace alerts on Kafka replication lag with the configured thresholds (10 s / 300 s)', () => {
    const [namespace] = resources(global, 'aws_prometheus_rule_group_namespace');
    const rules = (JSON.parse(namespace.data as string) as { groups: { rules: Rule[] }[] }).groups[0].rules;
    expect(rules.map((r) => [r.labels.severity, r.expr])).toEqual([
      ['warning', `max by (region, source, target, topic) (${MM2_METRICS.replicationLatencyMax}) > 10000`],
      ['critical', `max by (region, source, target, topic) (${MM2_METRICS.replicationLatencyMax}) > 300000`],
    ]);
    expect(production.observability.thresholds).toEqual(
      expect.objectContaining({ kafkaLagWarningMs: 10_000, kafkaLagCriticalMs: 300_000 }),
    );
  });

  test('IRSA roles trust exactly one service account each and may only write or query the workspace', () => {
    const statements = Object.values(global.data!.aws_iam_policy_document).flatMap(
      (d) => (d.statement as Body[]) ?? [],
    );
    const write = statements.filter((s) => s.sid === 'RemoteWrite');
    expect(write).toHaveLength(keys.length);
    expect(write[0]).toEqual(
      expect.objectContaining({
        actions: ['aps:RemoteWrite'],
        resources: [expect.stringContaining('aws_prometheus_workspace')],
      }),
    );
    const subjects = statements
      .flatMap((s) => (s.condition as Body[] | undefined) ?? [])
      .filter((c) => String(c.variable).endsWith(':sub'))
      .map((c) => (c.values as string[])[0]);
    expect(subjects).toEqual(
      expect.arrayContaining([
        'system:serviceaccount:monitoring:prometheus-remote-write',
        'system:serviceaccount:monitoring:grafana-amp-query',
      ]),
    );
  });
});

describe('MirrorMaker 2 lag alerts (AMP rules)', () => {
  test('warning at 10 s, critical at 5 minutes, on the Strimzi latency metric', () => {
    const { groups } = JSON.parse(kafkaLagRules(10_000, 300_000)) as { groups: { rules: Body[] }[] };
    expect(groups[0].rules.map((r) => [r.alert, (r.labels as Body).severity, r.expr])).toEqual([
      [
        'KafkaReplicationLagWarning',
        'warning',
        `max by (region, source, target, topic) (${MM2_LATENCY_METRIC}) > 10000`,
      ],
      [
        'KafkaReplicationLagCritical',
        'critical',
        `max by (region, source, target, topic) (${MM2_LATENCY_METRIC}) > 300000`,
      ],
    ]);
  });

  test('alert expressions and Grafana queries read exactly metrics the deployed exporter rules publish', () => {
    const exported = deployedExporterNames();
    expect(exported.has(MM2_LATENCY_METRIC)).toBe(true);
    const { groups } = JSON.parse(kafkaLagRules(10_000, 300_000)) as { groups: { rules: Rule[] }[] };
    for (const rule of groups[0].rules) expect(metricsIn(rule.expr)).toEqual([MM2_LATENCY_METRIC]);
    const dashboard = multiRegionOverview({ datasourceUid: 'x', kafkaLagWarningMs: 1, kafkaLagCriticalMs: 2 });
    const kafkaQueries = (dashboard.panels as GrafanaPanel[])
      .flatMap((p) => p.targets.map((t) => t.expr))
      .filter((e) => e.includes('kafka_connect_mirror'));
    expect(kafkaQueries).toHaveLength(2);
    for (const expr of kafkaQueries) for (const m of metricsIn(expr)) expect(exported).toContain(m);
    // The check can fail: a name the rules do not produce is caught.
    expect(exported.has('kafka_connect_mirror_mirrorsourceconnector_replication_latency_ms_max')).toBe(false);
  });

  test('Alertmanager routes critical to the critical topic, the rest to warning', () => {
    const config = alertManagerConfig('us-east-1', { warning: 'arn:w', critical: 'arn:c' }) as {
      route: Body;
      receivers: Body[];
    };
    expect(config.route).toEqual(
      expect.objectContaining({
        receiver: 'warning',
        routes: [{ matchers: ['severity=critical'], receiver: 'critical' }],
      }),
    );
    expect(config.receivers.map((r) => [r.name, (r.sns_configs as Body[])[0].topic_arn])).toEqual([
      ['warning', 'arn:w'],
      ['critical', 'arn:c'],
    ]);
  });
});
