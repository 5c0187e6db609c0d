import type { ObservabilityConfig } from '../observability-types';

/**
 * Seeds 000 and 001: thresholds of the alarms and the hot 7 d / warm 30 d / cold 365+ d archive.
 * Subscriptions are empty until the on-call addresses are known (topics exist either way).
 */
export function observabilityDefaults(overrides: Partial<ObservabilityConfig> = {}): ObservabilityConfig {
  return {
    alertSubscriptions: { critical: [], warning: [] },
    thresholds: {
      auroraReplicationLagMs: 5000,
      cacheReplicationLagSeconds: 5,
      kafkaLagWarningMs: 10_000,
      kafkaLagCriticalMs: 300_000,
      healthCheckLatencyMs: 5000,
      alb5xxPercent: 5,
      targetResponseTimeSeconds: 2,
      deadLetterMessages: 0,
    },
    logRetentionDays: 365,
    archive: {
      hotDays: 7,
      warmDays: 30,
      // STANDARD_IA needs objects 30 days old: a 7-day hot tier moves to Glacier Instant Retrieval.
      warmStorageClass: 'GLACIER_IR',
      coldStorageClass: 'GLACIER',
      // Seven years of audit logs.
      expirationDays: 2557,
      noncurrentVersionExpirationDays: 30,
    },
    cloudTrail: { cloudWatchLogs: true, notifications: true, dataEvents: true },
    prometheus: { retentionDays: 150 },
    ...overrides,
  };
}
