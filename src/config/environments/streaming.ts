import type { EventBridgeSettings, MskSettings, StreamingConfig } from '../streaming-types';

/** Seed 000: 3 x kafka.m5.large per region, one per AZ. */
export function mskDefaults(overrides: Partial<MskSettings> = {}): MskSettings {
  return {
    kafkaVersion: '3.8.x',
    instanceType: 'kafka.m5.large',
    brokerCount: 3,
    volumeSizeGiB: 500,
    maxVolumeSizeGiB: 4000,
    storageTargetUtilizationPercent: 60,
    enhancedMonitoring: 'PER_TOPIC_PER_BROKER',
    logRetentionDays: 365,
    ...overrides,
  };
}

/** Seed 004: FIFO ordering, retries, DLQs. */
export function eventBridgeDefaults(overrides: Partial<EventBridgeSettings> = {}): EventBridgeSettings {
  return {
    lambdaReservedConcurrency: 20,
    lambdaMemoryMiB: 256,
    lambdaTimeoutSeconds: 30,
    logRetentionDays: 365,
    maxRetryAttempts: 185,
    maxEventAgeSeconds: 86400,
    maxReceiveCount: 5,
    deadLetterRetentionDays: 14,
    idempotencyTtlHours: 72,
    ...overrides,
  };
}

/** Seeds 000 and 004: business topics `genai-demo.<environment>.*`, RF 3, 2 tasks per connector. */
export function streamingDefaults(environment: string): StreamingConfig {
  return {
    replication: {
      mode: 'mirrormaker2',
      topicsPattern: `genai-demo\\.${environment}\\..*`,
      groupsPattern: '.*',
      replicationFactor: 3,
      tasksPerConnector: 2,
      mirrorMakerReplicas: 2,
      scramCredentialVersion: 1,
      // One MirrorMaker 2 pod (1 vCPU, 2 GiB requested) per m6i.large next to the node DaemonSets;
      // twice the nodes as headroom, like every group.
      nodes: { instanceTypes: ['m6i.large'], minSize: 2, desiredSize: 2, maxSize: 4, diskSizeGiB: 50 },
    },
    events: {
      sources: ['genai-demo.customer', 'genai-demo.order', 'genai-demo.payment', 'genai-demo.inventory'],
      detailTypes: ['EntityCreated', 'EntityUpdated', 'EntityDeleted', 'StateChanged'],
      entityIdPath: '$.detail.entityId',
    },
  };
}
