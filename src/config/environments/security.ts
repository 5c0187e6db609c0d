import type { SecurityConfig } from '../security-types';

/**
 * Access logs kept a year; the log archive locked in governance mode for a year (the replica in the
 * next region keeps every log for the archive's whole expiry, see docs/security.md); the ClickHouse
 * backups locked without a default retention until clickhouse-backup can upload to such a bucket.
 * The break-glass and deploy roles are created outside this project: set their real names.
 */
export function securityDefaults(prefix: string, overrides: Partial<SecurityConfig> = {}): SecurityConfig {
  return {
    accessLogs: { enabled: true, retentionDays: 365 },
    objectLock: { mode: 'governance', logArchiveDays: 365, clickhouseBackupDays: 0 },
    breakGlassRoleName: `${prefix}-break-glass`,
    deployRoleNames: [`${prefix}-deploy`],
    ...overrides,
  };
}
