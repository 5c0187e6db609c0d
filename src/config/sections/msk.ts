import { MSK_ENHANCED_MONITORING, type MskSettings } from '../streaming-types';
import type { SectionValidator } from './section';
import { checkLogRetention, isInt, isIntIn } from './util';

const KAFKA_VERSION_RE = /^\d+\.\d+\.(\d+|x)(\.kraft|\.tiered)?$/;
const INSTANCE_RE = /^kafka\.[a-z0-9]+\.[a-z0-9]+$/;
/** MSK limit of EBS storage per broker, GiB. */
export const MSK_MAX_VOLUME_GIB = 16384;

/** Checks the fields present; with `complete` every field must be present (the defaults). */
export const validateMskSettings: SectionValidator<MskSettings> = (m, at, issues, complete) => {
  const has = (k: keyof MskSettings) => complete || m[k] !== undefined;
  if (has('kafkaVersion')) {
    issues.check(
      typeof m.kafkaVersion === 'string' && KAFKA_VERSION_RE.test(m.kafkaVersion),
      `${at}.kafkaVersion`,
      m.kafkaVersion,
      'expected an MSK Kafka version such as "3.8.x" or "3.6.0"',
    );
  }
  if (has('instanceType')) {
    issues.check(
      typeof m.instanceType === 'string' && INSTANCE_RE.test(m.instanceType) && !m.instanceType.startsWith('kafka.t3.'),
      `${at}.instanceType`,
      m.instanceType,
      'expected an MSK broker type such as "kafka.m5.large" (kafka.t3 brokers support neither multi-VPC connectivity nor storage autoscaling)',
    );
  }
  if (has('brokerCount')) {
    issues.check(
      isIntIn(m.brokerCount, 3, 30),
      `${at}.brokerCount`,
      m.brokerCount,
      'expected 3 to 30 brokers: replication factor 3 with min.insync.replicas 2 needs at least 3',
    );
  }
  if (has('volumeSizeGiB')) {
    issues.check(
      isIntIn(m.volumeSizeGiB, 1, MSK_MAX_VOLUME_GIB),
      `${at}.volumeSizeGiB`,
      m.volumeSizeGiB,
      `expected 1 to ${MSK_MAX_VOLUME_GIB} GiB`,
    );
  }
  if (has('maxVolumeSizeGiB')) {
    issues.check(
      isIntIn(m.maxVolumeSizeGiB, 1, MSK_MAX_VOLUME_GIB),
      `${at}.maxVolumeSizeGiB`,
      m.maxVolumeSizeGiB,
      `expected 1 to ${MSK_MAX_VOLUME_GIB} GiB`,
    );
  }
  if (isInt(m.volumeSizeGiB) && isInt(m.maxVolumeSizeGiB) && m.maxVolumeSizeGiB <= m.volumeSizeGiB) {
    issues.add(
      `${at}.maxVolumeSizeGiB`,
      m.maxVolumeSizeGiB,
      `expected more than volumeSizeGiB (${m.volumeSizeGiB}) so storage autoscaling has room`,
    );
  }
  if (has('storageTargetUtilizationPercent')) {
    issues.check(
      isIntIn(m.storageTargetUtilizationPercent, 10, 80),
      `${at}.storageTargetUtilizationPercent`,
      m.storageTargetUtilizationPercent,
      'expected 10 to 80 (percent of disk used before storage scales out)',
    );
  }
  if (has('enhancedMonitoring')) {
    issues.check(
      MSK_ENHANCED_MONITORING.includes(m.enhancedMonitoring as never),
      `${at}.enhancedMonitoring`,
      m.enhancedMonitoring,
      `expected one of ${MSK_ENHANCED_MONITORING.join(', ')}`,
    );
  }
  if (has('logRetentionDays')) {
    checkLogRetention(issues, `${at}.logRetentionDays`, m.logRetentionDays);
  }
};
