/** Settings of the MSK module that configuration sets (src/config reuses these types). */

export const MSK_ENHANCED_MONITORING = [
  'DEFAULT',
  'PER_BROKER',
  'PER_TOPIC_PER_BROKER',
  'PER_TOPIC_PER_PARTITION',
] as const;
export type MskEnhancedMonitoring = (typeof MSK_ENHANCED_MONITORING)[number];

/** Sizing and tuning of one MSK cluster: what a platform team sets per environment or region. */
export interface MskClusterSettings {
  /** Apache Kafka version MSK runs, e.g. `3.8.x` (`aws kafka list-kafka-versions`). */
  readonly kafkaVersion: string;
  /** Broker instance type, `kafka.<family>.<size>` (t3 brokers cannot run IAM + multi-VPC + storage autoscaling). */
  readonly instanceType: string;
  /**
   * Brokers in the cluster: at least 3 (replication factor 3, `min.insync.replicas` 2) and a
   * multiple of the zones MSK spans (the region's AZ count, at most 3).
   */
  readonly brokerCount: number;
  /** Initial EBS volume per broker, GiB. */
  readonly volumeSizeGiB: number;
  /** Ceiling of storage autoscaling per broker, GiB (MSK maximum 16384). */
  readonly maxVolumeSizeGiB: number;
  /** Disk utilization (%) storage autoscaling keeps brokers under. */
  readonly storageTargetUtilizationPercent: number;
  readonly enhancedMonitoring: MskEnhancedMonitoring;
  /** Retention of the broker log group, days (a CloudWatch Logs retention value). */
  readonly logRetentionDays: number;
}
