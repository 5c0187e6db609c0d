import type { KubeObject } from './kube-object';
import { jmxMetricsConfig, mirrorMakerMetricsObjects } from './mirrormaker-metrics';
import { assertServedByOperator, strimziV1 } from './strimzi-models';

/** DefaultReplicationPolicy: remote topics are `<source alias>.<topic>`, so a mesh cannot loop. */
export const REPLICATION_POLICY = 'org.apache.kafka.connect.mirror.DefaultReplicationPolicy';
export const HEARTBEAT_CONNECTOR = 'org.apache.kafka.connect.mirror.MirrorHeartbeatConnector';
/** MirrorMaker 2 copies bytes: a heartbeat must be written as the raw bytes MM2 tools read back. */
export const BYTE_ARRAY_CONVERTER = 'org.apache.kafka.connect.converters.ByteArrayConverter';
/** Where Strimzi mounts a KafkaConnect's SCRAM password Secret (KafkaConnectCluster.PASSWORD_VOLUME_MOUNT). */
export const CONNECT_PASSWORD_MOUNT = '/opt/kafka/connect-password';

/** One MSK cluster as MirrorMaker 2 sees it: SCRAM-SHA-512 over TLS (port 9096). */
export interface KafkaClusterRef {
  /** Cluster alias: the region key, prefix of the remote topics it produces. */
  readonly alias: string;
  /** SCRAM bootstrap brokers (`host:9096,...`). */
  readonly bootstrapServers: string;
  /** Kubernetes Secret holding the SCRAM password of this cluster under the key `password`. */
  readonly passwordSecretName: string;
}

export interface MirrorMakerSpecProps {
  /** Name of the KafkaMirrorMaker2 (and prefix of the heartbeat Connect cluster). */
  readonly name: string;
  readonly namespace: string;
  /** SCRAM user on every cluster. */
  readonly username: string;
  /** The local cluster: MirrorMaker 2 writes here and keeps its Connect state here. */
  readonly target: KafkaClusterRef;
  /** Every other region's cluster. */
  readonly sources: readonly KafkaClusterRef[];
  readonly topicsPattern: string;
  readonly groupsPattern: string;
  readonly replicationFactor: number;
  readonly tasksPerConnector: number;
  readonly replicas: number;
  /**
   * Version of the Strimzi operator chart the cluster runs: rendering fails when it does not serve the
   * `kafka.strimzi.io/v1` objects built here (modules/msk/strimzi-models.ts, STRIMZI_RELEASES).
   * @default - not checked here (the workloads stacks always pass the pinned chart version)
   */
  readonly operatorVersion?: string;
  /**
   * Where the MirrorMaker 2 pods run: nodes carrying every label (required node affinity), with
   * the tolerations of those nodes' taints. The heartbeat Connect writes to the local cluster only
   * and stays on the general nodes. @default - anywhere
   */
  readonly placement?: PodPlacement;
}

/** Node labels a pod requires and the taints it tolerates. */
export interface PodPlacement {
  readonly nodeLabels: Readonly<Record<string, string>>;
  readonly tolerations: readonly {
    readonly key: string;
    readonly operator: 'Equal';
    readonly value: string;
    readonly effect: 'NoSchedule';
  }[];
}

/** The Strimzi pod template of a placement: required node affinity, tolerations, one pod per node if it can. */
function podTemplate(placement: PodPlacement, clusterName: string) {
  return {
    affinity: {
      nodeAffinity: {
        requiredDuringSchedulingIgnoredDuringExecution: {
          nodeSelectorTerms: [
            {
              matchExpressions: Object.entries(placement.nodeLabels).map(([key, value]) => ({
                key,
                operator: 'In',
                values: [value],
              })),
            },
          ],
        },
      },
    },
    tolerations: placement.tolerations.map((t) => ({ ...t })),
    topologySpreadConstraints: [
      {
        maxSkew: 1,
        topologyKey: 'kubernetes.io/hostname',
        whenUnsatisfiable: 'ScheduleAnyway',
        labelSelector: { matchLabels: { 'strimzi.io/cluster': clusterName } },
      },
    ],
  };
}

const PASSWORD_KEY = 'password';

function auth(username: string, c: KafkaClusterRef) {
  return {
    type: 'scram-sha-512' as const,
    username,
    passwordSecret: { secretName: c.passwordSecretName, password: PASSWORD_KEY },
  };
}

/**
 * The replication objects of one region, built with the typed Strimzi v1 models and validated
 * against the CRD schema (throws on any violation):
 * - a KafkaMirrorMaker2 whose `spec.target` is the local cluster and whose `mirrors` pull from
 *   every other region (source + checkpoint connectors, group offset sync);
 * - a one-pod KafkaConnect plus a MirrorHeartbeatConnector emitting heartbeats into the local
 *   cluster (the v1 API moved heartbeats out of KafkaMirrorMaker2); the other regions' mirrors
 *   replicate that `heartbeats` topic, which MirrorMaker 2 always does;
 * - the JMX exporter rules of the MirrorMaker 2 pods (ConfigMap, `spec.metricsConfig`) and a
 *   PodMonitor so kube-prometheus-stack scrapes them (docs/streaming.md, "Metrics").
 */
export function renderReplicationObjects(p: MirrorMakerSpecProps): KubeObject[] {
  const { KafkaMirrorMaker2, KafkaConnect, KafkaConnector } = strimziV1();
  const rf = p.replicationFactor;
  const storage = (suffix: string) => `mirrormaker2-${p.target.alias}-${suffix}`;
  const policy = { 'replication.policy.class': REPLICATION_POLICY, 'replication.policy.separator': '.' };
  const resources = { requests: { cpu: '1', memory: '2Gi' }, limits: { memory: '2Gi' } };
  const labels = { 'app.kubernetes.io/part-of': 'kafka-replication' };
  const metricsConfigMap = `${p.name}-metrics`;

  const mm2 = new KafkaMirrorMaker2({
    metadata: { name: p.name, namespace: p.namespace, labels },
    spec: {
      replicas: p.replicas,
      resources,
      ...(p.placement ? { template: { pod: podTemplate(p.placement, p.name) } } : {}),
      metricsConfig: jmxMetricsConfig(metricsConfigMap),
      target: {
        alias: p.target.alias,
        bootstrapServers: p.target.bootstrapServers,
        groupId: `${p.name}-connect`,
        configStorageTopic: storage('configs'),
        offsetStorageTopic: storage('offsets'),
        statusStorageTopic: storage('status'),
        tls: {},
        authentication: auth(p.username, p.target),
        config: {
          'config.storage.replication.factor': rf,
          'offset.storage.replication.factor': rf,
          'status.storage.replication.factor': rf,
        },
      },
      mirrors: p.sources.map((source) => ({
        source: {
          alias: source.alias,
          bootstrapServers: source.bootstrapServers,
          tls: {},
          authentication: auth(p.username, source),
        },
        sourceConnector: {
          tasksMax: p.tasksPerConnector,
          autoRestart: { enabled: true },
          config: {
            ...policy,
            'replication.factor': rf,
            'offset-syncs.topic.replication.factor': rf,
            'sync.topic.acls.enabled': 'false',
            'sync.topic.configs.enabled': 'true',
            'refresh.topics.interval.seconds': 60,
          },
        },
        checkpointConnector: {
          tasksMax: p.tasksPerConnector,
          autoRestart: { enabled: true },
          config: {
            ...policy,
            'checkpoints.topic.replication.factor': rf,
            'emit.checkpoints.enabled': 'true',
            'emit.checkpoints.interval.seconds': 60,
            'sync.group.offsets.enabled': 'true',
            'sync.group.offsets.interval.seconds': 60,
            'refresh.groups.interval.seconds': 60,
          },
        },
        topicsPattern: p.topicsPattern,
        groupsPattern: p.groupsPattern,
      })),
    },
  });

  const heartbeatConnect = `${p.name}-heartbeats`;
  const connect = new KafkaConnect({
    metadata: {
      name: heartbeatConnect,
      namespace: p.namespace,
      labels,
      annotations: { 'strimzi.io/use-connector-resources': 'true' },
    },
    spec: {
      replicas: 1,
      resources: { requests: { cpu: '250m', memory: '512Mi' }, limits: { memory: '512Mi' } },
      bootstrapServers: p.target.bootstrapServers,
      groupId: `${heartbeatConnect}-connect`,
      configStorageTopic: `${heartbeatConnect}-configs`,
      offsetStorageTopic: `${heartbeatConnect}-offsets`,
      statusStorageTopic: `${heartbeatConnect}-status`,
      tls: {},
      authentication: auth(p.username, p.target),
      config: {
        'config.storage.replication.factor': rf,
        'offset.storage.replication.factor': rf,
        'status.storage.replication.factor': rf,
      },
    },
  });
  const heartbeat = new KafkaConnector({
    metadata: {
      name: `${p.name}-heartbeat`,
      namespace: p.namespace,
      labels: { 'strimzi.io/cluster': heartbeatConnect, ...labels },
    },
    spec: {
      class: HEARTBEAT_CONNECTOR,
      tasksMax: 1,
      autoRestart: { enabled: true },
      config: heartbeatConnectorConfig(p),
    },
  });

  // Model methods come from @kubernetes-models/base, whose types this CommonJS build cannot resolve.
  const objects = [mm2, connect, heartbeat] as unknown as {
    apiVersion: string;
    kind: string;
    metadata: { name: string };
    validate(): void;
    toJSON(): unknown;
  }[];
  if (p.operatorVersion !== undefined) assertServedByOperator(p.operatorVersion, objects);
  for (const o of objects) o.validate();
  return [
    ...objects.map((o) => JSON.parse(JSON.stringify(o.toJSON())) as KubeObject),
    ...mirrorMakerMetricsObjects({
      configMapName: metricsConfigMap,
      podMonitorName: `${p.name}-metrics`,
      namespace: p.namespace,
      clusters: [p.name],
      labels,
    }),
  ];
}

/**
 * Configuration of the MirrorHeartbeatConnector in the local heartbeat KafkaConnect. Heartbeats
 * originate here (source alias = target alias = this region); every other region's mirror
 * replicates the `heartbeats` topic as `<alias>.heartbeats`. What it needs to start and work
 * (Kafka's MirrorHeartbeatConnector / MirrorConnectorConfig):
 * - `target.cluster.*` client settings: on start the connector opens an admin client from the
 *   `target.cluster.`-prefixed properties alone (not the worker's) to create the `heartbeats` topic;
 *   without `target.cluster.bootstrap.servers` the connector fails to start. The SCRAM password is the
 *   file Strimzi mounts for the KafkaConnect's own authentication, read through Strimzi's `strimzidir`
 *   config provider, so it is never in the connector config;
 * - `heartbeats.topic.replication.factor` (MSK rejects topics with more replicas than brokers, and
 *   `auto.create.topics.enable` is off, so the connector must create it);
 * - byte-array converters: a KafkaConnect defaults to JsonConverter, which would wrap each heartbeat
 *   in a JSON envelope that MirrorMaker 2 tools (RemoteClusterUtils, Heartbeat) cannot read back;
 * - the same replication policy as the mirrors, so `heartbeats` is recognised as a heartbeats topic.
 */
export function heartbeatConnectorConfig(p: MirrorMakerSpecProps): Record<string, string | number> {
  const password = `\${strimzidir:${CONNECT_PASSWORD_MOUNT}/${p.target.passwordSecretName}:${PASSWORD_KEY}}`;
  return {
    'source.cluster.alias': p.target.alias,
    'target.cluster.alias': p.target.alias,
    'target.cluster.bootstrap.servers': p.target.bootstrapServers,
    'target.cluster.security.protocol': 'SASL_SSL',
    'target.cluster.sasl.mechanism': 'SCRAM-SHA-512',
    'target.cluster.sasl.jaas.config': `org.apache.kafka.common.security.scram.ScramLoginModule required username="${p.username}" password="${password}";`,
    'heartbeats.topic.replication.factor': p.replicationFactor,
    'emit.heartbeats.enabled': 'true',
    'emit.heartbeats.interval.seconds': 5,
    'key.converter': BYTE_ARRAY_CONVERTER,
    'value.converter': BYTE_ARRAY_CONVERTER,
    'header.converter': BYTE_ARRAY_CONVERTER,
    'replication.policy.class': REPLICATION_POLICY,
    'replication.policy.separator': '.',
  };
}

/** Every ordered (source, target) pair of a region list: N(N-1) replication flows. */
export function orderedPairs<T>(items: readonly T[]): [T, T][] {
  return items.flatMap((source) =>
    items.filter((target) => target !== source).map((target) => [source, target] as [T, T]),
  );
}
