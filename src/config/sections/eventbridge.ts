import type { EventBridgeSettings } from '../streaming-types';
import type { SectionValidator } from './section';
import { checkLogRetention, isIntIn } from './util';

/** Checks the fields present; with `complete` every field must be present (the defaults). */
export const validateEventBridgeSettings: SectionValidator<EventBridgeSettings> = (e, at, issues, complete) => {
  const has = (k: keyof EventBridgeSettings) => complete || e[k] !== undefined;
  const range = (k: keyof EventBridgeSettings, min: number, max: number, what: string) => {
    if (has(k)) issues.check(isIntIn(e[k], min, max), `${at}.${k}`, e[k], `expected ${min} to ${max} ${what}`);
  };
  range('lambdaReservedConcurrency', 2, 1000, '(concurrent executions reserved for the replication Lambda)');
  range('lambdaMemoryMiB', 128, 10240, 'MiB');
  range('lambdaTimeoutSeconds', 1, 900, 'seconds');
  range('maxRetryAttempts', 0, 185, '(EventBridge target retry attempts)');
  range('maxEventAgeSeconds', 60, 86400, 'seconds (EventBridge maximum event age)');
  range('maxReceiveCount', 1, 1000, 'deliveries before a message is dead-lettered');
  range('deadLetterRetentionDays', 1, 14, 'days (SQS message retention)');
  range('idempotencyTtlHours', 1, 24 * 30, 'hours');
  if (has('logRetentionDays')) {
    checkLogRetention(issues, `${at}.logRetentionDays`, e.logRetentionDays);
  }
};
