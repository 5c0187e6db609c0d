// Backup settings and names, without constructs: the configuration's validation reads them, and
// the plan must load no construct library (test/architecture.test.ts).

/**
 * How a vault lock holds. AWS Backup has no mode argument: a lock without `changeable_for_days` is
 * in governance mode (a principal allowed backup:DeleteBackupVaultLockConfiguration can remove it);
 * with it, the lock becomes compliance mode once that many days have passed (immutable, even for
 * the root user and AWS).
 */
export const BACKUP_VAULT_LOCK_MODES = ['governance', 'compliance'] as const;
export type BackupVaultLockMode = (typeof BACKUP_VAULT_LOCK_MODES)[number];
/** AWS Backup's shortest grace period before a compliance lock is fixed. */
export const MIN_CHANGEABLE_FOR_DAYS = 3;

export interface BackupVaultLock {
  readonly mode: BackupVaultLockMode;
  readonly minRetentionDays: number;
  readonly maxRetentionDays: number;
  /** Required in compliance mode, refused in governance mode. */
  readonly changeableForDays?: number;
}

/** Name of a region's backup vault, known to every region without a cross-stack reference. */
export const backupVaultName = (regionBase: string): string => `${regionBase}-backup`;

/** The ARN of a vault by name: copy actions name the other region's vault this way. */
export function backupVaultArn(partition: string, regionCode: string, accountId: string, name: string): string {
  return `arn:${partition}:backup:${regionCode}:${accountId}:backup-vault:${name}`;
}
