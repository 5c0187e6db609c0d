import { MAX_MIN_DURATION_STATEMENT_MS, POSTGRES_LOG_STATEMENTS } from '../../../modules/aurora-global/logging';
import { BACKUP_VAULT_LOCK_MODES, MIN_CHANGEABLE_FOR_DAYS } from '../../../modules/backup/settings';
import { CACHE_ENGINES, type BackupConfig } from '../data-types';
import type { IssueCollector } from '../errors';
import type { PlatformConfig } from '../types';
import { isInt, isIntIn } from './util';
import type { ConfigCheck } from './section';

/** Aurora PostgreSQL majors that support global databases and that this code has been written against. */
export const AURORA_POSTGRES_MAJORS = [13, 14, 15, 16, 17] as const;
/** Engine versions that support a global datastore with RBAC users authenticating through IAM. */
export const CACHE_ENGINE_VERSIONS: Readonly<Record<(typeof CACHE_ENGINES)[number], readonly string[]>> = {
  redis: ['7.0', '7.1'],
  valkey: ['7.2', '8.0', '8.1'],
};
/** Node families a global datastore accepts, size large and above. */
const CACHE_NODE_TYPE_RE = /^cache\.(m5|m6g|m7g|r5|r6g|r6gd|r7g|c7gn)\.(large|xlarge|[1-9]\d?xlarge)$/;

const PG_IDENTIFIER_RE = /^[a-z][a-z0-9_]{0,62}$/;
const PG_USER_RE = /^[a-z][a-z0-9_]{0,15}$/;
const RESERVED_USERS = ['rdsadmin', 'rdsrepladmin', 'rds_superuser', 'admin'];
const SEMVER_RE = /^\d+\.\d+\.\d+$/;
const IMAGE_RE = /^[a-z0-9][a-z0-9./_-]*:[A-Za-z0-9._-]+$/;

/** Validates `PlatformConfig.data`, the settings every member of a global store shares. */
export const validateDataConfig: ConfigCheck = (config, issues) => {
  const data = config.data;
  if (!data || typeof data !== 'object') {
    issues.add('data', data, 'expected the data layer settings (aurora, elasticache, clickhouse)');
    return;
  }
  const a = data.aurora ?? ({} as Partial<PlatformConfig['data']['aurora']>);
  const major = typeof a.engineVersion === 'string' ? Number(a.engineVersion.split('.')[0]) : NaN;
  issues.check(
    typeof a.engineVersion === 'string' &&
      /^\d+\.\d+$/.test(a.engineVersion) &&
      (AURORA_POSTGRES_MAJORS as readonly number[]).includes(major),
    'data.aurora.engineVersion',
    a.engineVersion,
    `expected an aurora-postgresql version "<major>.<minor>" with major ${AURORA_POSTGRES_MAJORS.join(', ')}, e.g. "15.14"`,
  );
  issues.check(
    typeof a.databaseName === 'string' && PG_IDENTIFIER_RE.test(a.databaseName),
    'data.aurora.databaseName',
    a.databaseName,
    'expected a PostgreSQL identifier: lowercase letter, then up to 62 lowercase letters, digits or underscores',
  );
  issues.check(
    typeof a.masterUsername === 'string' &&
      PG_USER_RE.test(a.masterUsername) &&
      !RESERVED_USERS.includes(a.masterUsername),
    'data.aurora.masterUsername',
    a.masterUsername,
    `expected 1-16 lowercase letters, digits or underscores starting with a letter, not one of ${RESERVED_USERS.join(', ')}`,
  );
  issues.check(
    isInt(a.masterPasswordVersion) && a.masterPasswordVersion >= 1,
    'data.aurora.masterPasswordVersion',
    a.masterPasswordVersion,
    'expected a whole number from 1 (bump it to apply a new password)',
  );
  const logging = a.logging ?? ({} as Partial<PlatformConfig['data']['aurora']['logging']>);
  issues.check(
    isIntIn(logging.minDurationStatementMs, 0, MAX_MIN_DURATION_STATEMENT_MS),
    'data.aurora.logging.minDurationStatementMs',
    logging.minDurationStatementMs,
    `expected whole milliseconds from 0 (log every statement) to ${MAX_MIN_DURATION_STATEMENT_MS}, e.g. 1000`,
  );
  issues.check(
    POSTGRES_LOG_STATEMENTS.includes(logging.logStatement as never),
    'data.aurora.logging.logStatement',
    logging.logStatement,
    `expected one of ${POSTGRES_LOG_STATEMENTS.join(', ')} (ddl records schema and role changes)`,
  );
  issues.check(
    typeof logging.pgaudit === 'boolean',
    'data.aurora.logging.pgaudit',
    logging.pgaudit,
    'expected true or false',
  );

  validateBackup(config, data.backup, issues);

  const e = data.elasticache ?? ({} as Partial<PlatformConfig['data']['elasticache']>);
  if (
    issues.check(
      CACHE_ENGINES.includes(e.engine as never),
      'data.elasticache.engine',
      e.engine,
      `expected one of ${CACHE_ENGINES.join(', ')}`,
    )
  ) {
    const versions = CACHE_ENGINE_VERSIONS[e.engine!];
    issues.check(
      versions.includes(e.engineVersion as string),
      'data.elasticache.engineVersion',
      e.engineVersion,
      `expected one of ${versions.join(', ')} for ${e.engine} (global datastore with IAM-authenticated RBAC users)`,
    );
  }
  issues.check(
    typeof e.nodeType === 'string' && CACHE_NODE_TYPE_RE.test(e.nodeType),
    'data.elasticache.nodeType',
    e.nodeType,
    'expected a node type a global datastore accepts: m5, m6g, m7g, r5, r6g, r6gd, r7g or c7gn, size large or above, e.g. "cache.r7g.large"',
  );

  const c = data.clickhouse ?? ({} as Partial<PlatformConfig['data']['clickhouse']>);
  issues.check(
    typeof c.operatorChartVersion === 'string' && SEMVER_RE.test(c.operatorChartVersion),
    'data.clickhouse.operatorChartVersion',
    c.operatorChartVersion,
    'expected a pinned chart version "x.y.z"',
  );
  issues.check(
    typeof c.image === 'string' && IMAGE_RE.test(c.image) && !c.image.endsWith(':latest'),
    'data.clickhouse.image',
    c.image,
    'expected an image pinned by tag, e.g. "altinity/clickhouse-server:24.8.14.10459.altinitystable" (not :latest)',
  );
};

/** AWS Backup retention may not exceed 100 years (the service's own ceiling). */
const MAX_BACKUP_DAYS = 36500;

function validateBackup(config: PlatformConfig, backup: BackupConfig | undefined, issues: IssueCollector): void {
  if (!backup || typeof backup !== 'object') {
    issues.add('data.backup', backup, 'expected the AWS Backup settings (enabled, retentionDays, vaultLock, ...)');
    return;
  }
  issues.check(typeof backup.enabled === 'boolean', 'data.backup.enabled', backup.enabled, 'expected true or false');
  issues.check(
    typeof backup.restoreTesting === 'boolean',
    'data.backup.restoreTesting',
    backup.restoreTesting,
    'expected true or false',
  );
  const lock = backup.vaultLock ?? ({} as Partial<BackupConfig['vaultLock']>);
  const modeOk = issues.check(
    BACKUP_VAULT_LOCK_MODES.includes(lock.mode as never),
    'data.backup.vaultLock.mode',
    lock.mode,
    `expected one of ${BACKUP_VAULT_LOCK_MODES.join(', ')}`,
  );
  const minOk = issues.check(
    isIntIn(lock.minRetentionDays, 1, MAX_BACKUP_DAYS),
    'data.backup.vaultLock.minRetentionDays',
    lock.minRetentionDays,
    `expected whole days from 1 to ${MAX_BACKUP_DAYS}`,
  );
  const maxOk = issues.check(
    isIntIn(lock.maxRetentionDays, 1, MAX_BACKUP_DAYS) && (!minOk || lock.maxRetentionDays >= lock.minRetentionDays!),
    'data.backup.vaultLock.maxRetentionDays',
    lock.maxRetentionDays,
    `expected whole days from data.backup.vaultLock.minRetentionDays (${String(lock.minRetentionDays)}) to ${MAX_BACKUP_DAYS}`,
  );
  if (modeOk && lock.mode === 'compliance') {
    issues.check(
      isIntIn(lock.changeableForDays, MIN_CHANGEABLE_FOR_DAYS, MAX_BACKUP_DAYS),
      'data.backup.vaultLock.changeableForDays',
      lock.changeableForDays,
      `expected whole days from ${MIN_CHANGEABLE_FOR_DAYS} (the grace period before a compliance lock is immutable)`,
    );
  } else if (modeOk) {
    issues.check(
      lock.changeableForDays === undefined,
      'data.backup.vaultLock.changeableForDays',
      lock.changeableForDays,
      'expected no value in governance mode (setting it turns the lock into compliance mode)',
    );
  }
  // Recovery points outside the vault lock's range fail their backup and copy jobs.
  const range = minOk && maxOk ? ` within the vault lock (${lock.minRetentionDays}-${lock.maxRetentionDays})` : '';
  for (const field of ['retentionDays', 'copyRetentionDays'] as const) {
    const days = backup[field];
    issues.check(
      isIntIn(days, 1, MAX_BACKUP_DAYS) &&
        (!minOk || !maxOk || (days >= lock.minRetentionDays! && days <= lock.maxRetentionDays!)),
      `data.backup.${field}`,
      days,
      `expected whole days${range}`,
    );
  }
  const keys = (config.regions ?? []).map((r) => r.key);
  for (const [from, to] of Object.entries(backup.copyTo ?? {})) {
    issues.check(
      keys.includes(from),
      `data.backup.copyTo.${from}`,
      from,
      `expected a region key of this configuration (${keys.join(', ')})`,
    );
    issues.check(
      keys.includes(to) && to !== from,
      `data.backup.copyTo.${from}`,
      to,
      `expected another region key of this configuration (${keys.filter((k) => k !== from).join(', ')})`,
    );
  }
}
