import type { AuroraSettings } from '../data-types';
import { checkLogRetention, isInt } from './util';
import type { SectionValidator } from './section';

/** Aurora global databases run on memory-optimized classes only (no burstable db.t*). */
const INSTANCE_CLASS_RE = /^db\.(r[5-8][a-z]*|x2[a-z]*)\.(large|xlarge|[1-9]\d?xlarge)$/;
export const MONITORING_INTERVALS = [1, 5, 10, 15, 30, 60] as const;

export function isPerformanceInsightsRetention(v: unknown): boolean {
  return isInt(v) && (v === 7 || v === 731 || (v >= 31 && v <= 713 && v % 31 === 0));
}

export const validateAuroraSettings: SectionValidator<AuroraSettings> = (a, at, issues, complete) => {
  const has = (k: keyof AuroraSettings) => complete || a[k] !== undefined;
  if (has('instanceClass')) {
    issues.check(
      typeof a.instanceClass === 'string' && INSTANCE_CLASS_RE.test(a.instanceClass),
      `${at}.instanceClass`,
      a.instanceClass,
      'expected a memory-optimized class such as "db.r6g.large" (global databases do not support burstable db.t* classes)',
    );
  }
  if (has('primaryInstances')) {
    issues.check(
      isInt(a.primaryInstances) && a.primaryInstances >= 2 && a.primaryInstances <= 16,
      `${at}.primaryInstances`,
      a.primaryInstances,
      'expected 2 to 16 instances: a writer and at least one reader to fail over to',
    );
  }
  if (has('secondaryInstances')) {
    issues.check(
      isInt(a.secondaryInstances) && a.secondaryInstances >= 1 && a.secondaryInstances <= 16,
      `${at}.secondaryInstances`,
      a.secondaryInstances,
      'expected 1 to 16 instances (a secondary cluster needs at least one to serve reads and be promotable)',
    );
  }
  if (has('backupRetentionDays')) {
    issues.check(
      isInt(a.backupRetentionDays) && a.backupRetentionDays >= 1 && a.backupRetentionDays <= 35,
      `${at}.backupRetentionDays`,
      a.backupRetentionDays,
      'expected a whole number of days from 1 to 35',
    );
  }
  if (has('logRetentionDays')) {
    checkLogRetention(issues, `${at}.logRetentionDays`, a.logRetentionDays);
  }
  if (has('performanceInsightsRetentionDays')) {
    issues.check(
      isPerformanceInsightsRetention(a.performanceInsightsRetentionDays),
      `${at}.performanceInsightsRetentionDays`,
      a.performanceInsightsRetentionDays,
      'expected 7, or a multiple of 31 up to 731 (months)',
    );
  }
  if (has('monitoringIntervalSeconds')) {
    issues.check(
      (MONITORING_INTERVALS as readonly number[]).includes(a.monitoringIntervalSeconds as number),
      `${at}.monitoringIntervalSeconds`,
      a.monitoringIntervalSeconds,
      `expected one of ${MONITORING_INTERVALS.join(', ')} (enhanced monitoring stays on)`,
    );
  }
};
