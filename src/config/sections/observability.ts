import type { IssueCollector } from '../errors';
import {
  ALERT_PROTOCOLS,
  ALERT_SEVERITIES,
  COLD_STORAGE_CLASSES,
  WARM_STORAGE_CLASSES,
  type AlarmThresholds,
  type LogArchiveTiers,
  type ObservabilityConfig,
} from '../observability-types';
import { LOG_RETENTION_DAYS, type PlatformConfig } from '../types';
import { isInt, isIntIn } from './util';

const EMAIL_RE = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const HTTPS_RE = /^https:\/\/[^\s/]+(\/\S*)?$/;
const ARN_RE = (service: string) => new RegExp(`^arn:aws[a-z-]*:${service}:[a-z0-9-]+:\\d{12}:\\S+$`);
/** S3 lifecycle: objects must be 30 days old before they can move to STANDARD_IA. */
export const STANDARD_IA_MIN_DAYS = 30;

const ENDPOINTS: Record<(typeof ALERT_PROTOCOLS)[number], { ok: (e: string) => boolean; what: string }> = {
  email: { ok: (e) => EMAIL_RE.test(e), what: 'an email address' },
  https: { ok: (e) => HTTPS_RE.test(e), what: 'an https:// URL' },
  sqs: { ok: (e) => ARN_RE('sqs').test(e), what: 'an SQS queue ARN' },
  lambda: { ok: (e) => ARN_RE('lambda').test(e), what: 'a Lambda function ARN' },
};

const THRESHOLDS: { readonly [K in keyof AlarmThresholds]: readonly [number, number, string] } = {
  auroraReplicationLagMs: [100, 3_600_000, 'ms'],
  cacheReplicationLagSeconds: [1, 3600, 'seconds'],
  kafkaLagWarningMs: [1000, 3_600_000, 'ms'],
  kafkaLagCriticalMs: [1000, 3_600_000, 'ms'],
  healthCheckLatencyMs: [100, 60_000, 'ms'],
  alb5xxPercent: [1, 100, 'percent'],
  targetResponseTimeSeconds: [1, 60, 'seconds'],
  deadLetterMessages: [0, 1_000_000, 'messages'],
};

const isRetention = (v: unknown) => (LOG_RETENTION_DAYS as readonly number[]).includes(v as number);
const retentionText = `expected a CloudWatch Logs retention period (${LOG_RETENTION_DAYS.join(', ')})`;

/** Validates the global `observability` section: subscriptions, thresholds, retention, archive tiers. */
export function validateObservability(config: PlatformConfig, issues: IssueCollector): void {
  const o = (config as { observability?: ObservabilityConfig }).observability;
  if (!o || typeof o !== 'object') {
    issues.add(
      'observability',
      o,
      'expected the observability settings (alertSubscriptions, thresholds, archive, ...)',
    );
    return;
  }
  validateSubscriptions(o.alertSubscriptions, issues);
  validateThresholds(o.thresholds ?? ({} as AlarmThresholds), issues);
  issues.check(isRetention(o.logRetentionDays), 'observability.logRetentionDays', o.logRetentionDays, retentionText);
  validateArchive(o.archive ?? ({} as LogArchiveTiers), issues);
  for (const flag of ['cloudWatchLogs', 'notifications', 'dataEvents'] as const) {
    issues.check(
      typeof o.cloudTrail?.[flag] === 'boolean',
      `observability.cloudTrail.${flag}`,
      o.cloudTrail?.[flag],
      'expected true or false',
    );
  }
  // AMP keeps samples 1 to 1095 days.
  issues.check(
    isIntIn(o.prometheus?.retentionDays, 1, 1095),
    'observability.prometheus.retentionDays',
    o.prometheus?.retentionDays,
    'expected 1 to 1095 days (Amazon Managed Service for Prometheus retention)',
  );
}

function validateSubscriptions(subs: ObservabilityConfig['alertSubscriptions'] | undefined, issues: IssueCollector) {
  const at = 'observability.alertSubscriptions';
  if (!subs || typeof subs !== 'object') {
    issues.add(at, subs, `expected { ${ALERT_SEVERITIES.map((s) => `${s}: [...]`).join(', ')} } (lists may be empty)`);
    return;
  }
  for (const key of Object.keys(subs)) {
    issues.check(
      ALERT_SEVERITIES.includes(key as never),
      `${at}.${key}`,
      key,
      `expected only ${ALERT_SEVERITIES.join(', ')}`,
    );
  }
  for (const severity of ALERT_SEVERITIES) {
    const list = subs[severity];
    if (!issues.check(Array.isArray(list), `${at}.${severity}`, list, 'expected a list of { protocol, endpoint }'))
      continue;
    const seen = new Set<string>();
    list.forEach((s, i) => {
      const path = `${at}.${severity}[${i}]`;
      const rule = ENDPOINTS[s?.protocol as keyof typeof ENDPOINTS];
      if (
        !issues.check(
          rule !== undefined,
          `${path}.protocol`,
          s?.protocol,
          `expected one of ${ALERT_PROTOCOLS.join(', ')}`,
        )
      )
        return;
      issues.check(
        typeof s.endpoint === 'string' && rule.ok(s.endpoint),
        `${path}.endpoint`,
        s.endpoint,
        `expected ${rule.what}`,
      );
      const id = `${s.protocol}:${s.endpoint}`;
      issues.check(!seen.has(id), path, s, `expected each subscription once per severity`);
      seen.add(id);
    });
  }
}

function validateThresholds(t: AlarmThresholds, issues: IssueCollector) {
  for (const [key, [min, max, unit]] of Object.entries(THRESHOLDS)) {
    const value = t[key as keyof AlarmThresholds];
    issues.check(
      isIntIn(value, min, max),
      `observability.thresholds.${key}`,
      value,
      `expected an integer ${min} to ${max} ${unit}`,
    );
  }
  if (isInt(t.kafkaLagWarningMs) && isInt(t.kafkaLagCriticalMs)) {
    issues.check(
      t.kafkaLagWarningMs < t.kafkaLagCriticalMs,
      'observability.thresholds.kafkaLagCriticalMs',
      t.kafkaLagCriticalMs,
      `expected more than kafkaLagWarningMs (${t.kafkaLagWarningMs})`,
    );
  }
}

function validateArchive(a: LogArchiveTiers, issues: IssueCollector) {
  const at = 'observability.archive';
  const days = (k: keyof LogArchiveTiers, min: number, max: number) =>
    issues.check(isIntIn(a[k], min, max), `${at}.${k}`, a[k], `expected ${min} to ${max} days`);
  const hot = days('hotDays', 1, 3650);
  const warm = days('warmDays', 2, 3650);
  const expiry = days('expirationDays', 365, 36500);
  days('noncurrentVersionExpirationDays', 1, 3650);
  issues.check(
    WARM_STORAGE_CLASSES.includes(a.warmStorageClass as never),
    `${at}.warmStorageClass`,
    a.warmStorageClass,
    `expected one of ${WARM_STORAGE_CLASSES.join(', ')}`,
  );
  issues.check(
    COLD_STORAGE_CLASSES.includes(a.coldStorageClass as never),
    `${at}.coldStorageClass`,
    a.coldStorageClass,
    `expected one of ${COLD_STORAGE_CLASSES.join(', ')}`,
  );
  if (hot && warm)
    issues.check(
      a.hotDays < a.warmDays,
      `${at}.warmDays`,
      a.warmDays,
      `expected more than hotDays (${a.hotDays}): tiers run hot < warm < cold`,
    );
  if (warm && expiry)
    issues.check(
      a.warmDays < a.expirationDays,
      `${at}.expirationDays`,
      a.expirationDays,
      `expected more than warmDays (${a.warmDays}): tiers run hot < warm < cold`,
    );
  if (hot && a.warmStorageClass === 'STANDARD_IA') {
    issues.check(
      a.hotDays >= STANDARD_IA_MIN_DAYS,
      `${at}.hotDays`,
      a.hotDays,
      `expected at least ${STANDARD_IA_MIN_DAYS} with warmStorageClass STANDARD_IA (S3 moves objects to STANDARD_IA from day 30 only); use GLACIER_IR for a shorter hot tier`,
    );
  }
  // GLACIER and DEEP_ARCHIVE bill at least 90 and 180 days: expiring earlier costs the same as keeping.
  if (warm && expiry && a.coldStorageClass === 'DEEP_ARCHIVE') {
    issues.check(
      a.expirationDays - a.warmDays >= 180,
      `${at}.expirationDays`,
      a.expirationDays,
      `expected at least warmDays + 180 (${a.warmDays + 180}) with DEEP_ARCHIVE (180-day minimum storage)`,
    );
  }
}
