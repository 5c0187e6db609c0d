import type { IssueCollector } from '../errors';
import { OBJECT_LOCK_MODES, type SecurityConfig } from '../security-types';
import type { PlatformConfig } from '../types';
import { isIntIn } from './util';

/** IAM role names (with an optional path), `*` allowed for a generated suffix such as an SSO role's. */
const ROLE_RE = /^([\w+=,.@*-]+\/)*[\w+=,.@*-]{1,64}$/;
/** S3 Object Lock accepts default retentions up to 100 years. */
const MAX_LOCK_DAYS = 36500;

/** Validates the global `security` section (docs/security.md). */
export function validateSecurity(config: PlatformConfig, issues: IssueCollector): void {
  const s = (config as { security?: SecurityConfig }).security;
  if (!s || typeof s !== 'object') {
    issues.add('security', s, 'expected the security settings (accessLogs, objectLock, breakGlassRoleName, ...)');
    return;
  }
  issues.check(
    typeof s.accessLogs?.enabled === 'boolean',
    'security.accessLogs.enabled',
    s.accessLogs?.enabled,
    'expected true or false',
  );
  issues.check(
    isIntIn(s.accessLogs?.retentionDays, 1, 3650),
    'security.accessLogs.retentionDays',
    s.accessLogs?.retentionDays,
    'expected 1 to 3650 days',
  );
  const lock = s.objectLock;
  issues.check(
    OBJECT_LOCK_MODES.includes(lock?.mode as never),
    'security.objectLock.mode',
    lock?.mode,
    `expected one of ${OBJECT_LOCK_MODES.join(', ')}`,
  );
  const archiveExpiry = config.observability?.archive?.expirationDays;
  if (
    issues.check(
      isIntIn(lock?.logArchiveDays, 0, MAX_LOCK_DAYS),
      'security.objectLock.logArchiveDays',
      lock?.logArchiveDays,
      `expected 0 (no default retention) to ${MAX_LOCK_DAYS} days`,
    ) &&
    typeof archiveExpiry === 'number'
  ) {
    issues.check(
      lock.logArchiveDays <= archiveExpiry,
      'security.objectLock.logArchiveDays',
      lock.logArchiveDays,
      `expected at most observability.archive.expirationDays (${archiveExpiry}): a locked version outlives its expiry`,
    );
  }
  if (
    issues.check(
      isIntIn(lock?.clickhouseBackupDays, 0, MAX_LOCK_DAYS),
      'security.objectLock.clickhouseBackupDays',
      lock?.clickhouseBackupDays,
      `expected 0 (no default retention) to ${MAX_LOCK_DAYS} days`,
    )
  ) {
    // The shortest backup retention of any region bounds the lock (a locked backup outlives its expiry).
    const retentions = [config.defaults?.clickhouse, ...(config.regions ?? []).map((r) => r.overrides?.clickhouse)]
      .map((c) => c?.backupRetentionDays)
      .filter((d): d is number => typeof d === 'number');
    const shortest = Math.min(...retentions);
    issues.check(
      retentions.length === 0 || lock.clickhouseBackupDays <= shortest,
      'security.objectLock.clickhouseBackupDays',
      lock.clickhouseBackupDays,
      `expected at most the shortest clickhouse.backupRetentionDays of any region (${shortest})`,
    );
  }
  issues.check(
    typeof s.breakGlassRoleName === 'string' &&
      ROLE_RE.test(s.breakGlassRoleName) &&
      !s.breakGlassRoleName.includes('*'),
    'security.breakGlassRoleName',
    s.breakGlassRoleName,
    'expected an IAM role name (optionally with its path), without wildcards',
  );
  if (
    issues.check(
      Array.isArray(s.deployRoleNames) && s.deployRoleNames.length > 0,
      'security.deployRoleNames',
      s.deployRoleNames,
      'expected at least one role name: the identity that applies Terraform must keep managing the protected buckets',
    )
  ) {
    s.deployRoleNames.forEach((name, i) =>
      issues.check(
        typeof name === 'string' && ROLE_RE.test(name) && name.replace(/[*/]/g, '').length > 0,
        `security.deployRoleNames[${i}]`,
        name,
        'expected an IAM role name, optionally with its path and `*` wildcards',
      ),
    );
  }
}
