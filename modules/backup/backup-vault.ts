import { Construct } from 'constructs';
import { BackupVault } from '@cdktf/provider-aws/lib/backup-vault';
import { BackupVaultLockConfiguration } from '@cdktf/provider-aws/lib/backup-vault-lock-configuration';
import { setComponent } from '../common/context';

export {
  BACKUP_VAULT_LOCK_MODES,
  MIN_CHANGEABLE_FOR_DAYS,
  backupVaultArn,
  backupVaultName,
  type BackupVaultLock,
  type BackupVaultLockMode,
} from './settings';
import { MIN_CHANGEABLE_FOR_DAYS, type BackupVaultLock } from './settings';

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
