/** Typed configuration of observability: alerting, log archive and audit (docs/observability.md). */

export const ALERT_SEVERITIES = ['critical', 'warning'] as const;
/** Seed 000: critical pages someone now, warning is looked at in working hours. */
export type AlertSeverity = (typeof ALERT_SEVERITIES)[number];

export const ALERT_PROTOCOLS = ['email', 'https', 'sqs', 'lambda'] as const;
/** SNS protocols accepted for alert subscriptions (no plain `http`, no SMS: alerts leave over TLS only). */
export type AlertProtocol = (typeof ALERT_PROTOCOLS)[number];

export interface AlertSubscription {
  readonly protocol: AlertProtocol;
  /** Email address, `https://` URL, or the ARN of an SQS queue / Lambda function. */
  readonly endpoint: string;
}

export const WARM_STORAGE_CLASSES = ['STANDARD_IA', 'GLACIER_IR'] as const;
export type WarmStorageClass = (typeof WARM_STORAGE_CLASSES)[number];
export const COLD_STORAGE_CLASSES = ['GLACIER', 'DEEP_ARCHIVE'] as const;
export type ColdStorageClass = (typeof COLD_STORAGE_CLASSES)[number];

/**
 * Tiers of the log archive (seed 000: hot 7 days, warm 30 days, cold 365+ days). Each value is the
 * object age, in days, at which the tier ends.
 */
export interface LogArchiveTiers {
  /** Days in S3 STANDARD (hot). */
  readonly hotDays: number;
  /** Age at which warm ends and objects move to the cold class. */
  readonly warmDays: number;
  /**
   * Storage class of the warm tier. S3 refuses STANDARD_IA before day 30, so with a hot tier
   * shorter than 30 days use GLACIER_IR (instant retrieval, no minimum age).
   */
  readonly warmStorageClass: WarmStorageClass;
  readonly coldStorageClass: ColdStorageClass;
  /** Age at which archived logs are deleted: at least 365 (cold 365+). */
  readonly expirationDays: number;
  /** Days a superseded object version is kept. */
  readonly noncurrentVersionExpirationDays: number;
}

/** Thresholds of the CloudWatch alarms (seeds 000 and 001). */
export interface AlarmThresholds {
  /** AuroraGlobalDBReplicationLag, ms (seed 000: alert above 5000). */
  readonly auroraReplicationLagMs: number;
  /** ElastiCache GlobalDatastoreReplicationLag, seconds. */
  readonly cacheReplicationLagSeconds: number;
  /** Kafka cross-region replication latency raising a warning, ms (seed 001: 10 s). */
  readonly kafkaLagWarningMs: number;
  /** Kafka cross-region replication latency raising a critical alert, ms (seed 000: 5 minutes). */
  readonly kafkaLagCriticalMs: number;
  /** Route 53 health-check time to first byte, ms (seed 000: alert above 5000). */
  readonly healthCheckLatencyMs: number;
  /** ALB 5xx responses (load balancer + targets) as a percentage of requests (seed 000: 5 %). */
  readonly alb5xxPercent: number;
  /** ALB target response time, seconds (seed 000: application response alert above 2 s). */
  readonly targetResponseTimeSeconds: number;
  /** Messages visible in any dead-letter queue before alerting (0: the first one alerts). */
  readonly deadLetterMessages: number;
}

export interface ObservabilityConfig {
  /** Subscriptions of each severity's SNS topic, the same in every region. */
  readonly alertSubscriptions: Readonly<Record<AlertSeverity, readonly AlertSubscription[]>>;
  readonly thresholds: AlarmThresholds;
  /** Retention of the log groups this module creates (alert timeline, Firehose errors), days. */
  readonly logRetentionDays: number;
  readonly archive: LogArchiveTiers;
  /** CloudTrail: one multi-region trail delivering to the primary region's log archive. */
  readonly cloudTrail: {
    /** Also deliver to a CloudWatch log group (KMS, retained) for metric filters and Logs Insights. */
    readonly cloudWatchLogs: boolean;
    /** Publish a notification per delivered log file to an encrypted SNS topic (for a SIEM or queue to subscribe). */
    readonly notifications: boolean;
    /** S3 data events (reads, writes, deletes) of the state, log archive and ClickHouse backup buckets. */
    readonly dataEvents: boolean;
  };
  /** Prometheus remote write into the primary region's Amazon Managed Service for Prometheus. */
  readonly prometheus: {
    /** Days AMP keeps samples. */
    readonly retentionDays: number;
  };
}
