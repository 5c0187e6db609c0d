import { production } from '../src/config/environments/production';
import {
  BYTE_ARRAY_CONVERTER,
  CONNECT_PASSWORD_MOUNT,
  HEARTBEAT_CONNECTOR,
  orderedPairs,
  renderReplicationObjects,
  REPLICATION_POLICY,
  type KafkaClusterRef,
} from '../modules/msk/mirrormaker';
import type { KubeObject } from '../modules/msk/kube-object';
import {
  METRICS_CONFIG_KEY,
  MM2_METRICS,
  STRIMZI_METRICS_PORT,
  type JmxExporterConfig,
} from '../modules/msk/mirrormaker-metrics';
import { STRIMZI_RELEASES, strimziV1 } from '../modules/msk/strimzi-models';
import {
  CHECKPOINT_ATTRIBUTES,
  checkpointBean,
  exportedMirrorMakerNames,
  exportSample,
  SOURCE_ATTRIBUTES,
  sourceBean,
} from './support/jmx-exporter';
import { decodeJsonencode } from './support/jsonencode';
import { defaultSynth } from './support/shared-synth';
import { resources, type StackJson } from './support/stack-json';

const cluster = (alias: string): KafkaClusterRef => ({
  alias,
  bootstrapServers: `b-1.${alias}.kafka.example:9096,b-2.${alias}.kafka.example:9096`,
  passwordSecretName: `msk-scram-${alias}`,
});

const OPERATOR = production.workloads.charts.strimziKafkaOperator.version;

/** Renders every region's objects for a region list, like the workloads stacks do. */
function mesh(keys: readonly string[], operatorVersion = OPERATOR): Map<string, KubeObject[]> {
  return new Map(
    keys.map((key) => [
      key,
      renderReplicationObjects({
        name: `mi-${key}-mm2`,
        namespace: 'kafka',
        username: 'mirrormaker',
        target: cluster(key),
        sources: keys.filter((k) => k !== key).map(cluster),
        topicsPattern: 'genai-demo\\.production\\..*',
        groupsPattern: '.*',
        replicationFactor: 3,
        tasksPerConnector: 2,
        replicas: 2,
        operatorVersion,
      }),
    ]),
  );
}

/** Validates a plain object against the Strimzi v1 CRD schema of its kind. */
function validateAgainstCrd(object: KubeObject): void {
  const models = strimziV1() as unknown as Record<string, new (data: unknown) => { validate(): void }>;
  const Model = models[object.kind];
  if (!Model) throw new Error(`no model for ${object.kind}`);
  new Model(object).validate();
}

const STRIMZI_KINDS = ['KafkaMirrorMaker2', 'KafkaConnect', 'KafkaConnector'];
const ALL_KINDS = [...STRIMZI_KINDS, 'ConfigMap', 'PodMonitor'];
const byKind = (objects: readonly KubeObject[], kind: string) => objects.filter((o) => o.kind === kind);
type Meta = { metadata: { name: string; namespace: string; labels?: Record<string, string> } };
type ConfigMap = Meta & { data: Record<string, string> };
type PodMonitor = Meta & {
  spec: {
    namespaceSelector: { matchNames: string[] };
    selector: {
      matchLabels: Record<string, string>;
      matchExpressions: { key: string; operator: string; values: string[] }[];
    };
    podMetricsEndpoints: { port: string; path: string; interval: string }[];
  };
};

type Mm2 = {
  metadata: { name: string; namespace: string };
  spec: {
    metricsConfig: { type: string; valueFrom: { configMapKeyRef: { name: string; key: string } } };
    target: { alias: string; bootstrapServers: string; authentication: { type: string } };
    mirrors: {
      source: { alias: string; authentication: { type: string; passwordSecret: { secretName: string } }; tls: object };
      sourceConnector: { tasksMax: number; config: Record<string, unknown> };
      checkpointConnector: { tasksMax: number; config: Record<string, unknown> };
      topicsPattern: string;
    }[];
  };
};

describe('MirrorMaker 2 objects (kafka.strimzi.io/v1)', () => {
  const keys = production.regions.map((r) => r.key);
  const objects = mesh(keys);

  test.each(keys)('%s: every rendered object passes the CRD schema', (key) => {
    const rendered = objects.get(key)!;
    expect(rendered.map((o) => `${o.apiVersion}/${o.kind}`)).toEqual([
      'kafka.strimzi.io/v1/KafkaMirrorMaker2',
      'kafka.strimzi.io/v1/KafkaConnect',
      'kafka.strimzi.io/v1/KafkaConnector',
      'v1/ConfigMap',
      'monitoring.coreos.com/v1/PodMonitor',
    ]);
    const strimzi = rendered.filter((o) => o.apiVersion === 'kafka.strimzi.io/v1');
    expect(strimzi).toHaveLength(3);
    for (const object of strimzi) expect(() => validateAgainstCrd(object)).not.toThrow();
  });

  test('the schema check can fail: wrong types, missing required fields and unknown auth types are rejected', () => {
    const mm2 = structuredClone(objects.get('us-east')![0]) as KubeObject & { spec: Record<string, unknown> };
    // (The CRD, like every structural schema, prunes unknown fields instead of rejecting them.)
    expect(() => validateAgainstCrd({ ...mm2, spec: { ...mm2.spec, replicas: 'two' } })).toThrow(/replicas/);
    const noTarget = { ...mm2.spec };
    delete noTarget.target;
    expect(() => validateAgainstCrd({ ...mm2, spec: noTarget })).toThrow(/target/);
    const badAuth = structuredClone(mm2) as unknown as Mm2;
    (badAuth.spec.mirrors[0].source.authentication as { type: string }).type = 'aws-msk-iam';
    expect(() => validateAgainstCrd(badAuth as unknown as KubeObject)).toThrow();
    const badMetrics = structuredClone(mm2) as unknown as Mm2;
    badMetrics.spec.metricsConfig.type = 'prometheus';
    expect(() => validateAgainstCrd(badMetrics as unknown as KubeObject)).toThrow(/metricsConfig/);
  });

  test.each(keys)('%s: MirrorMaker 2 exposes JMX exporter metrics from the ConfigMap rendered with it', (key) => {
    const rendered = objects.get(key)!;
    const [mm2] = byKind(rendered, 'KafkaMirrorMaker2') as unknown as Mm2[];
    const [configMap] = byKind(rendered, 'ConfigMap') as unknown as ConfigMap[];
    expect(mm2.spec.metricsConfig).toEqual({
      type: 'jmxPrometheusExporter',
      valueFrom: { configMapKeyRef: { name: configMap.metadata.name, key: METRICS_CONFIG_KEY } },
    });
    expect(configMap.metadata.namespace).toBe(mm2.metadata.namespace);
    expect(Object.keys(configMap.data)).toEqual([METRICS_CONFIG_KEY]);
  });

  test.each(keys)('%s: a PodMonitor scrapes exactly this MirrorMaker 2 on the Strimzi metrics port', (key) => {
    const rendered = objects.get(key)!;
    const [mm2] = byKind(rendered, 'KafkaMirrorMaker2') as unknown as Mm2[];
    const [monitor] = byKind(rendered, 'PodMonitor') as unknown as PodMonitor[];
    expect(monitor.metadata.namespace).toBe('kafka');
    expect(monitor.spec).toEqual({
      namespaceSelector: { matchNames: ['kafka'] },
      selector: {
        matchLabels: { 'strimzi.io/kind': 'KafkaMirrorMaker2' },
        matchExpressions: [{ key: 'strimzi.io/cluster', operator: 'In', values: [mm2.metadata.name] }],
      },
      podMetricsEndpoints: [{ port: STRIMZI_METRICS_PORT, path: '/metrics', interval: '30s' }],
    });
    expect(STRIMZI_METRICS_PORT).toBe('tcp-prometheus');
  });

  test.each(keys)('%s: target is the local cluster, mirrors pull from every other region', (key) => {
    const mm2 = objects.get(key)![0] as unknown as Mm2;
    expect(mm2.spec.target.alias).toBe(key);
    expect(mm2.spec.mirrors.map((m) => m.source.alias).sort()).toEqual(keys.filter((k) => k !== key).sort());
    for (const m of mm2.spec.mirrors) {
      expect(m.topicsPattern).toBe('genai-demo\\.production\\..*');
      expect(m.source.authentication).toMatchObject({
        type: 'scram-sha-512',
        passwordSecret: { secretName: `msk-scram-${m.source.alias}` },
      });
      expect(m.source.tls).toEqual({});
      expect(m.sourceConnector).toMatchObject({
        tasksMax: 2,
        config: { 'replication.factor': 3, 'replication.policy.class': REPLICATION_POLICY },
      });
      expect(m.checkpointConnector).toMatchObject({
        tasksMax: 2,
        config: { 'sync.group.offsets.enabled': 'true', 'emit.checkpoints.enabled': 'true' },
      });
    }
  });

  describe('JMX exporter rules (as deployed in the ConfigMap)', () => {
    const [configMap] = byKind(objects.get('us-east')!, 'ConfigMap') as unknown as ConfigMap[];
    const config = JSON.parse(configMap.data[METRICS_CONFIG_KEY]) as JmxExporterConfig;

    test('publish exactly the MM2_METRICS names for the MirrorMaker 2 attributes, nothing else', () => {
      expect([...exportedMirrorMakerNames(config)].sort()).toEqual(Object.values(MM2_METRICS).sort());
    });

    test.each([
      ['replication-latency-ms-max', MM2_METRICS.replicationLatencyMax],
      ['replication-latency-ms-avg', MM2_METRICS.replicationLatencyAvg],
      ['record-age-ms', MM2_METRICS.recordAge],
      ['record-age-ms-max', MM2_METRICS.recordAgeMax],
      ['byte-rate', MM2_METRICS.byteRate],
      ['record-count', MM2_METRICS.recordCount],
    ])('source connector %s -> %s with source, target, topic, partition labels', (attribute, name) => {
      expect(exportSample(config, sourceBean('us-east', 'eu-west.genai-demo.production.orders', 2, attribute))).toEqual(
        {
          name,
          labels: {
            source: 'eu-west',
            target: 'us-east',
            topic: 'eu-west.genai-demo.production.orders',
            partition: '2',
          },
        },
      );
    });

    test('replicated heartbeats (also multi-hop) are labelled with the cluster they came from', () => {
      const sample = exportSample(
        config,
        sourceBean('apac', 'eu-west.us-east.heartbeats', 0, 'replication-latency-ms-max'),
      );
      expect(sample?.labels).toEqual(expect.objectContaining({ source: 'eu-west', target: 'apac' }));
    });

    test('checkpoint latency carries source, target, group and topic', () => {
      expect(
        exportSample(
          config,
          checkpointBean('eu-west', 'us-east', 'orders', 'genai-demo.production.orders', 'checkpoint-latency-ms'),
        ),
      ).toEqual({
        name: MM2_METRICS.checkpointLatency,
        labels: {
          source: 'eu-west',
          target: 'us-east',
          group: 'orders',
          topic: 'genai-demo.production.orders',
          partition: '0',
        },
      });
    });

    test('attributes without a rule and other MBeans are not exported', () => {
      const unexported = [
        ...SOURCE_ATTRIBUTES.filter((a) =>
          /-min$|record-rate|byte-count|^replication-latency-ms$|record-age-ms-avg/.test(a),
        ),
        ...CHECKPOINT_ATTRIBUTES.filter((a) => /-min$|-avg$/.test(a)),
      ];
      expect(unexported).toHaveLength(8);
      for (const a of unexported) {
        expect(exportSample(config, sourceBean('us-east', 'eu-west.t', 0, a))).toBeUndefined();
        expect(exportSample(config, checkpointBean('eu-west', 'us-east', 'g', 't', a))).toBeUndefined();
      }
      expect(exportSample(config, 'kafka.connect<type=connect-worker-metrics><>task-count: 4.0')).toBeUndefined();
    });
  });

  describe('heartbeat connector', () => {
    type Connect = {
      metadata: { name: string };
      spec: {
        bootstrapServers: string;
        authentication: { type: string; username: string; passwordSecret: { secretName: string; password: string } };
      };
    };
    type Connector = {
      metadata: { labels: Record<string, string> };
      spec: { class: string; config: Record<string, unknown> };
    };
    const [, connectObject, connectorObject] = objects.get('eu-west')!;
    const connect = connectObject as unknown as Connect;
    const connector = connectorObject as unknown as Connector;
    const config = connector.spec.config;
    /** Kafka's MirrorConnectorConfig.targetAdminConfig: the `target.cluster.` properties, prefix removed. */
    const targetAdminConfig = Object.fromEntries(
      Object.entries(config)
        .filter(([k]) => k.startsWith('target.cluster.') && k !== 'target.cluster.alias')
        .map(([k, v]) => [k.slice('target.cluster.'.length), v]),
    );

    test('runs in the local heartbeat KafkaConnect and emits heartbeats of this region', () => {
      expect(connector.metadata.labels['strimzi.io/cluster']).toBe(connect.metadata.name);
      expect(connector.spec.class).toBe(HEARTBEAT_CONNECTOR);
      expect(config).toMatchObject({
        'source.cluster.alias': 'eu-west',
        'target.cluster.alias': 'eu-west',
        'heartbeats.topic.replication.factor': 3,
        'emit.heartbeats.enabled': 'true',
        'replication.policy.class': REPLICATION_POLICY,
      });
    });

    test('its admin client (created on start, from target.cluster.* alone) reaches the local cluster with SCRAM', () => {
      // Without bootstrap.servers the connector's start() throws a ConfigException.
      expect(targetAdminConfig['bootstrap.servers']).toBe(connect.spec.bootstrapServers);
      expect(targetAdminConfig).toMatchObject({ 'security.protocol': 'SASL_SSL', 'sasl.mechanism': 'SCRAM-SHA-512' });
      const { username, passwordSecret } = connect.spec.authentication;
      expect(connect.spec.authentication.type).toBe('scram-sha-512');
      // The password is the file Strimzi mounts for the KafkaConnect's own authentication.
      expect(targetAdminConfig['sasl.jaas.config']).toBe(
        'org.apache.kafka.common.security.scram.ScramLoginModule required ' +
          `username="${username}" password="\${strimzidir:${CONNECT_PASSWORD_MOUNT}/${passwordSecret.secretName}:${passwordSecret.password}}";`,
      );
    });

    test('writes raw bytes (the KafkaConnect default JsonConverter would wrap every heartbeat)', () => {
      expect(config).toMatchObject({
        'key.converter': BYTE_ARRAY_CONVERTER,
        'value.converter': BYTE_ARRAY_CONVERTER,
        'header.converter': BYTE_ARRAY_CONVERTER,
      });
    });
  });

  describe('operator version', () => {
    test('the pinned operator serves kafka.strimzi.io/v1 with exactly the models schema', () => {
      expect(STRIMZI_RELEASES[OPERATOR]).toEqual({ served: ['v1'], modelSchema: 'same' });
    });

    test.each([
      [
        '0.47.0',
        /KafkaMirrorMaker2 mi-us-east-mm2: apiVersion kafka\.strimzi\.io\/v1 is not served by the pinned Strimzi operator 0\.47\.0 \(it serves kafka\.strimzi\.io\/v1beta2\)/,
      ],
      [
        '0.50.1',
        /KafkaConnect mi-us-east-mm2-heartbeats: Strimzi 0\.50\.1 serves a different kafka\.strimzi\.io\/v1 schema/,
      ],
      ['9.9.9', /Strimzi operator 9\.9\.9 is not in STRIMZI_RELEASES/],
    ])('rendering for operator %s fails, naming the object', (version, message) => {
      expect(() => mesh(['us-east', 'eu-west'], version)).toThrow(message);
    });
  });

  test.each([
    [['us-east', 'eu-west', 'apac']],
    [['us-east', 'eu-west', 'apac', 'us-west']],
    [['us-east', 'eu-west', 'apac', 'us-west', 'sa-east']],
  ])('the mesh of %j covers every ordered pair: N(N-1) flows', (keys) => {
    const flows = [...mesh(keys)].flatMap(([target, o]) =>
      (o[0] as unknown as Mm2).spec.mirrors.map((m) => `${m.source.alias}->${target}`),
    );
    const n = keys.length;
    expect(flows).toHaveLength(n * (n - 1));
    expect(new Set(flows)).toEqual(new Set(orderedPairs(keys).map(([s, t]) => `${s}->${t}`)));
  });
});

describe('MirrorMaker 2 deployment (workloads stacks)', () => {
  let stacks: Record<string, StackJson>;
  beforeAll(() => {
    const synth = defaultSynth('production');
    stacks = Object.fromEntries(production.regions.map((r) => [r.key, synth.stack(`workloads-${r.key}`)]));
  });

  test.each(production.regions.map((r) => r.key))(
    '%s: a local-chart Helm release carries the validated objects',
    (key) => {
      const [release] = resources(stacks[key], 'helm_release').filter((r) => r.name === 'kafka-replication');
      expect(release).toMatchObject({
        namespace: production.workloads.kafkaNamespace,
        chart: expect.stringMatching(/^assets\//),
      });
      const values = decodeJsonencode((release.values as string[])[0]) as { objects: KubeObject[] };
      expect(values.objects.map((o) => o.kind)).toEqual(ALL_KINDS);
      const mm2 = values.objects[0] as unknown as Mm2;
      expect(mm2.spec.target.alias).toBe(key);
      // Bootstrap brokers of every cluster come from the regional stacks' SCRAM listener.
      expect(mm2.spec.target.bootstrapServers).toContain('bootstrap_brokers_sasl_scram');
      expect(mm2.spec.mirrors).toHaveLength(production.regions.length - 1);
      expect(JSON.stringify(release.depends_on)).toContain('strimzi-kafka-operator');
      // The PodMonitor kind comes with kube-prometheus-stack's CRDs.
      expect(JSON.stringify(release.depends_on)).toContain('helm_release.kube-prometheus-stack');
      expect(mm2.spec.metricsConfig.type).toBe('jmxPrometheusExporter');
      const [monitor] = byKind(values.objects, 'PodMonitor') as unknown as PodMonitor[];
      expect(monitor.spec.selector.matchExpressions[0].values).toEqual([mm2.metadata.name]);
    },
  );

  test.each(production.regions.map((r) => r.key))(
    "%s: MirrorMaker 2 pods require the replication group's label and tolerate its taint; the heartbeat Connect stays off it",
    (key) => {
      const regional = defaultSynth('production').stack(`region-${key}`);
      const [group] = resources(regional, 'aws_eks_node_group').filter(
        (g) => (g.labels as Record<string, string>)['platform/node-kind'] === 'replication',
      );
      const [taint] = group.taint as { key: string; value: string; effect: string }[];
      const [release] = resources(stacks[key], 'helm_release').filter((r) => r.name === 'kafka-replication');
      const objects = (decodeJsonencode((release.values as string[])[0]) as { objects: KubeObject[] }).objects;
      type Pod = { affinity: { nodeAffinity: unknown }; tolerations: unknown[]; topologySpreadConstraints: unknown[] };
      const pod = (byKind(objects, 'KafkaMirrorMaker2')[0] as unknown as { spec: { template: { pod: Pod } } }).spec
        .template.pod;
      const required = pod.affinity.nodeAffinity as {
        requiredDuringSchedulingIgnoredDuringExecution: {
          nodeSelectorTerms: { matchExpressions: { key: string; operator: string; values: string[] }[] }[];
        };
      };
      // Every expression of the one term must hold on the group's nodes.
      const [term] = required.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms;
      const labels = group.labels as Record<string, string>;
      expect(term.matchExpressions.length).toBeGreaterThan(0);
      for (const e of term.matchExpressions) expect(e.values).toContain(labels[e.key]);
      // ... and on no other group's nodes.
      for (const other of resources(regional, 'aws_eks_node_group').filter((g) => g !== group)) {
        const otherLabels = other.labels as Record<string, string>;
        expect(term.matchExpressions.every((e) => e.values.includes(otherLabels[e.key]))).toBe(false);
      }
      expect(pod.tolerations).toEqual([
        {
          key: taint.key,
          operator: 'Equal',
          value: taint.value,
          effect: taint.effect === 'NO_SCHEDULE' ? 'NoSchedule' : taint.effect,
        },
      ]);
      expect(pod.topologySpreadConstraints).toEqual([
        expect.objectContaining({ topologyKey: 'kubernetes.io/hostname', maxSkew: 1 }),
      ]);
      for (const connect of byKind(objects, 'KafkaConnect'))
        expect((connect as unknown as { spec: { template?: unknown } }).spec.template).toBeUndefined();
    },
  );

  test("the heartbeat connector's config-provider reference is escaped for Terraform, bootstrap brokers are interpolated", () => {
    const [release] = resources(stacks['us-east'], 'helm_release').filter((r) => r.name === 'kafka-replication');
    const values = (release.values as string[])[0];
    // Escaped in the expression: Terraform would otherwise read `${strimzidir:...}` as an interpolation.
    expect(values).toContain('password=\\"$${strimzidir:/opt/kafka/connect-password/msk-scram-us-east:password}');
    expect(values).not.toMatch(/[^$]\$\{strimzidir/);
    const connector = (decodeJsonencode(values) as { objects: KubeObject[] }).objects.find(
      (o) => o.kind === 'KafkaConnector',
    )!;
    const config = (connector as unknown as { spec: { config: Record<string, string> } }).spec.config;
    // What Terraform hands to Helm: the placeholder as Kafka Connect resolves it.
    expect(config['target.cluster.sasl.jaas.config']).toBe(
      'org.apache.kafka.common.security.scram.ScramLoginModule required ' +
        'username="mirrormaker" password="${strimzidir:/opt/kafka/connect-password/msk-scram-us-east:password}";',
    );
    expect(config['target.cluster.bootstrap.servers']).toMatch(
      /^\$\{data\.terraform_remote_state\..*bootstrap_brokers_sasl_scram/,
    );
  });

  test('SCRAM passwords reach Kubernetes write-only from ephemeral variables', () => {
    const secrets = resources(stacks['us-east'], 'kubernetes_secret_v1').filter((s) =>
      String((s.metadata as { name: string }).name).startsWith('msk-scram-'),
    );
    // One per cluster MirrorMaker 2 connects to: every region's.
    expect(secrets).toHaveLength(production.regions.length);
    for (const s of secrets) {
      expect(s.data).toBeUndefined();
      expect((s.data_wo as { password: string }).password).toMatch(/^\$\{var\.msk_scram_password_/);
      expect(s.data_wo_revision).toBe(1);
    }
    const variables = (stacks['us-east'] as { variable?: Record<string, { ephemeral?: boolean; sensitive?: boolean }> })
      .variable!;
    expect(
      Object.keys(variables)
        .filter((v) => v.startsWith('msk_scram_password_'))
        .sort(),
    ).toEqual(production.regions.map((r) => `msk_scram_password_${r.key.replace(/-/g, '_')}`).sort());
    expect(Object.values(variables).every((v) => v.ephemeral && v.sensitive)).toBe(true);
  });
});
