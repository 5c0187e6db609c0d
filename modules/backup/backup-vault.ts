import { Construct } from 'constructs';
import { BackupVault } from '@cdktf/provider-aws/lib/backup-vault';
import { BackupVaultLockConfiguration } from '@cdktf/provider-aws/lib/backup-vault-lock-configuration';
import { setComponent } from '../common/context';

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

export interface BackupVaultProps {
  readonly name: string;
  /** Customer-managed key of the region: recovery points of fully managed types and copies land under it. */
  readonly kmsKeyArn: string;
  readonly lock: BackupVaultLock;
}

/**
 * A region's AWS Backup vault, encrypted with the region's key and locked: recovery points can
 * neither be deleted before `minRetentionDays` nor kept past `maxRetentionDays`, whoever asks.
 * Never force-destroyed and protected from `terraform destroy`: the vault is the last copy.
 */
export class RegionalBackupVault extends Construct {
  readonly vault: BackupVault;
  readonly lock: BackupVaultLockConfiguration;

  constructor(scope: Construct, id: string, props: BackupVaultProps) {
    super(scope, id);
    setComponent(this, 'backup');
    const { lock } = props;
    if (lock.mode === 'compliance' && (lock.changeableForDays ?? 0) < MIN_CHANGEABLE_FOR_DAYS) {
      throw new Error(`${props.name}: a compliance lock needs changeableForDays >= ${MIN_CHANGEABLE_FOR_DAYS}`);
    }
    if (lock.mode === 'governance' && lock.changeableForDays !== undefined) {
      throw new Error(`${props.name}: changeableForDays turns a governance lock into compliance mode`);
    }
    if (lock.minRetentionDays > lock.maxRetentionDays) {
      throw new Error(
        `${props.name}: minRetentionDays ${lock.minRetentionDays} > maxRetentionDays ${lock.maxRetentionDays}`,
      );
    }

    this.vault = new BackupVault(this, 'vault', {
      name: props.name,
      kmsKeyArn: props.kmsKeyArn,
      forceDestroy: false,
      lifecycle: { preventDestroy: true },
    });
    this.lock = new BackupVaultLockConfiguration(this, 'lock', {
      backupVaultName: this.vault.name,
      minRetentionDays: lock.minRetentionDays,
      maxRetentionDays: lock.maxRetentionDays,
      changeableForDays: lock.mode === 'compliance' ? lock.changeableForDays : undefined,
    });
  }

  get arn(): string {
    return this.vault.arn;
  }

  get name(): string {
    return this.vault.name;
  }
}
