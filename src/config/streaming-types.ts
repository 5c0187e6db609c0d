/** Typed configuration of streaming: MSK per region, cross-region replication, EventBridge replication. */
import type { EventReplicationSettings } from '../../modules/events/event-replication';
import type { NodeGroupSpec } from '../../modules/eks/node-group';
import type { MskClusterSettings } from '../../modules/msk/settings';

export const REPLICATION_MODES = ['mirrormaker2', 'msk-replicator'] as const;
/**
 * How Kafka topics cross regions: `mirrormaker2` runs Strimzi MirrorMaker 2 on each region's EKS
 * (SCRAM-SHA-512 over TLS); `msk-replicator` uses one managed MSK Replicator per ordered region
 * pair (IAM auth). See docs/streaming.md.
 */
export type ReplicationMode = (typeof REPLICATION_MODES)[number];

/**
 * A region's MSK cluster, defined with the module that takes it (`modules/msk/settings.ts`).
 * Defaults in `PlatformConfig.defaults.msk`, per-region overrides allowed.
 */
export type MskSettings = MskClusterSettings;
export { MSK_ENHANCED_MONITORING, type MskEnhancedMonitoring } from '../../modules/msk/settings';

/**
 * A region's EventBridge replication tuning, defined with the module that takes it. Defaults in
 * `PlatformConfig.defaults.eventBridge`.
 */
export type EventBridgeSettings = EventReplicationSettings;

/** Cross-region Kafka replication (global: one mesh for all regions). */
export interface KafkaReplicationConfig {
  readonly mode: ReplicationMode;
  /** Regular expression of the topics replicated between regions (MirrorMaker 2 and MSK Replicator syntax). */
  readonly topicsPattern: string;
  /** Regular expression of the consumer groups whose offsets are translated and synced. */
  readonly groupsPattern: string;
  /** Replication factor of the replicated and internal topics (at most the smallest broker count). */
  readonly replicationFactor: number;
  /** `tasksMax` of each MirrorMaker 2 source and checkpoint connector. */
  readonly tasksPerConnector: number;
  /** MirrorMaker 2 (Kafka Connect) pods per region. */
  readonly mirrorMakerReplicas: number;
  /**
   * Version of the write-only SCRAM password (`mirrormaker2` mode): bump it together with a new
   * `msk_scram_password` value to rotate the credential (docs/streaming.md).
   */
  readonly scramCredentialVersion: number;
  /**
   * The node group MirrorMaker 2 runs on in each region (`mirrormaker2` mode): its own subnets and a
   * taint, so the other regions' brokers admit those subnets alone (docs/streaming.md, "Listener
   * exposure across regions"). Added to every region's node groups by the plan.
   */
  readonly nodes: ReplicationNodesSettings;
}

/** Shape of the MirrorMaker 2 node group (name, kind and labels are fixed: `replication`). */
export type ReplicationNodesSettings = Omit<NodeGroupSpec, 'name' | 'kind' | 'labels'>;

/** Which events the EventBridge replication forwards (global). */
export interface EventReplicationConfig {
  /** Event `source` values replicated, e.g. `genai-demo.order`. */
  readonly sources: readonly string[];
  /** Event `detail-type` values replicated (the consistency events). */
  readonly detailTypes: readonly string[];
  /**
   * JSON path of the entity id in an event: the FIFO message group (per-entity ordering).
   * Must start with `$.detail.`.
   */
  readonly entityIdPath: string;
}

export interface StreamingConfig {
  readonly replication: KafkaReplicationConfig;
  readonly events: EventReplicationConfig;
}
