/** Typed configuration of the storage, audit and key controls (docs/security.md). */

import type { ObjectLockMode } from '../../modules/storage/settings';

export { OBJECT_LOCK_MODES, type ObjectLockMode } from '../../modules/storage/settings';

export interface SecurityConfig {
  /** S3 server access logs: a sink bucket per region (and per state region) that every other bucket logs to. */
  readonly accessLogs: {
    readonly enabled: boolean;
    /** Days an access-log object is kept in the sink. */
    readonly retentionDays: number;
  };
  /** Object Lock of the log archive and ClickHouse backup buckets (always enabled on both). */
  readonly objectLock: {
    readonly mode: ObjectLockMode;
    /** Default retention of every new log-archive object, days (at most `observability.archive.expirationDays`); 0: none. */
    readonly logArchiveDays: number;
    /**
     * Default retention of every new ClickHouse backup object, days; 0 keeps Object Lock on
     * without a default retention. 0 by default: with a default retention S3 refuses uploads without
     * an integrity checksum, and the pinned clickhouse-backup cannot send one on multipart parts
     * (docs/security.md, "Object Lock").
     */
    readonly clickhouseBackupDays: number;
  };
  /**
   * Role (name, or `path/name`) that alone may delete object versions, bypass governance
   * retention and change the lifecycle, replication, Object Lock, versioning, logging or policy of
   * the archive and backup buckets. Created outside this project; it need not exist at apply.
   */
  readonly breakGlassRoleName: string;
  /**
   * Roles (name, or `path/name`; `*` allowed) that apply Terraform: they keep managing those
   * buckets' configuration, so every identity that runs `cdktf deploy` must be listed.
   */
  readonly deployRoleNames: readonly string[];
}
