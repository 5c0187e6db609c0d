/**
 * Settings of the global data layer (Aurora PostgreSQL Global Database, ElastiCache Global Datastore,
 * regional ClickHouse). Split in two: what AWS owns at the global level (one value for every region,
 * `PlatformConfig.data`) and what each region may size on its own (`RegionalSettings`).
 */

import type { PostgresLoggingSettings } from '../../modules/aurora-global/logging';
import type { BackupVaultLockMode } from '../../modules/backup/settings';

export const WEEKDAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] as const;
export type Weekday = (typeof WEEKDAYS)[number];

/**
 * Weekly maintenance window of a region's data stores, in the region's local (standard) time.
 * Converted to UTC with the region catalog's offset; windows of different regions never overlap.
 */
export interface MaintenanceSettings {
  readonly day: Weekday;
  /** Local start time `HH:MM`, on the hour or half hour. */
  readonly localStart: string;
  /** Length of the window in whole hours (ElastiCache needs at least 1). */
  readonly durationHours: number;
}

/** Per-region sizing of the region's Aurora cluster. */
export interface AuroraSettings {
  /** Instance class of every instance; global databases need memory-optimized classes (db.r*, db.x*). */
  readonly instanceClass: string;
  /** Instances when this region is the primary: a writer and readers (seed 001: writer + 2 readers). */
  readonly primaryInstances: number;
  /** Instances when this region is a secondary (read-only, write forwarding on). */
  readonly secondaryInstances: number;
  /** Days automated backups are kept (1-35). */
  readonly backupRetentionDays: number;
  /** Retention of the exported `postgresql` log group (a CloudWatch Logs retention value). */
  readonly logRetentionDays: number;
  /** Performance Insights retention: 7, or a multiple of 31 up to 731. */
  readonly performanceInsightsRetentionDays: number;
  /** Enhanced monitoring granularity in seconds (1, 5, 10, 15, 30 or 60; never off). */
  readonly monitoringIntervalSeconds: number;
}

/** Per-region sizing of the region's ElastiCache replication group. */
export interface ElastiCacheSettings {
  /** Nodes in the (single) node group: a primary and replicas; at least 2 for multi-AZ failover. */
  readonly nodes: number;
  /** Days automatic snapshots are kept (1-35). */
  readonly snapshotRetentionDays: number;
  /**
   * Hold a member of the global datastore. A datastore spans at most three regions (primary + two
   * secondaries): the plan lets secondaries join in configuration order while there is room, and a
   * region that does not join reads the nearest member (src/plan/placement.ts).
   */
  readonly joinGlobalDatastore: boolean;
  /** Retention of the slow-log and engine-log groups, days (a CloudWatch Logs retention value). */
  readonly logRetentionDays: number;
}

/** Per-region sizing of the region's ClickHouse installation. */
export interface ClickHouseSettings {
  readonly shards: number;
  readonly replicas: number;
  /** CPU request and limit of each ClickHouse pod, Kubernetes quantity (e.g. `2`, `500m`). */
  readonly cpu: string;
  /** Memory request and limit of each ClickHouse pod, Kubernetes quantity (e.g. `8Gi`). */
  readonly memory: string;
  /** Persistent volume size of each replica, GiB. */
  readonly storageGiB: number;
  /** Days a backup object (and each noncurrent version) is kept in the backup bucket. */
  readonly backupRetentionDays: number;
}

export const CACHE_ENGINES = ['valkey', 'redis'] as const;
export type CacheEngine = (typeof CACHE_ENGINES)[number];

/** What the global objects fix for every member. */
export interface DataConfig {
  readonly aurora: {
    /** `aurora-postgresql` engine version `<major>.<minor>`, e.g. `15.4`; upgrades go through the global cluster. */
    readonly engineVersion: string;
    /** Database created in the primary cluster. */
    readonly databaseName: string;
    /** Master user name (the password comes from a sensitive, write-only variable). */
    readonly masterUsername: string;
    /** Bump to push a new master password from the variable (write-only arguments are not diffed). */
    readonly masterPasswordVersion: number;
    /** Statement and slow-query logging of every member's cluster parameter group (docs/data.md). */
    readonly logging: PostgresLoggingSettings;
  };
  readonly elasticache: {
    readonly engine: CacheEngine;
    /** Engine version `<major>.<minor>`, e.g. `7.1` (redis) or `8.0` (valkey). */
    readonly engineVersion: string;
    /** Node type of every member (the datastore requires one type): large or bigger of m5/m6g/m7g/r5/r6g/r6gd/r7g/c7gn. */
    readonly nodeType: string;
  };
  /** AWS Backup of each region's Aurora member, with a copy in another region (docs/data.md). */
  readonly backup: BackupConfig;
  readonly clickhouse: {
    /** Version of the Altinity `altinity-clickhouse-operator` Helm chart, pinned. */
    readonly operatorChartVersion: string;
    /** ClickHouse server image, pinned by tag. */
    readonly image: string;
  };
}

/** AWS Backup in every region: a locked, KMS-encrypted vault and a daily plan for the Aurora member. */
export interface BackupConfig {
  /** Build the vaults and plans (off: no AWS Backup resources at all). */
  readonly enabled: boolean;
  /** Days each daily recovery point is kept in the region's own vault. */
  readonly retentionDays: number;
  /** Days the copy in the other region's vault is kept. */
  readonly copyRetentionDays: number;
  /**
   * Region that receives a region's copies, by region key (`{ 'us-east': 'eu-west' }`); a region
   * not listed copies to the region its other data replicates to (the next one in config order).
   */
  readonly copyTo?: Readonly<Record<string, string>>;
  readonly vaultLock: {
    /**
     * `governance`: principals with backup:DeleteBackupVaultLockConfiguration can lift the lock.
     * `compliance`: after `changeableForDays` nobody can, AWS included; retention can then only grow.
     */
    readonly mode: BackupVaultLockMode;
    /** Shortest retention a recovery point in the vault may have. */
    readonly minRetentionDays: number;
    /** Longest retention a recovery point in the vault may have. */
    readonly maxRetentionDays: number;
    /** Compliance mode only: grace period (at least 3 days) before the lock becomes immutable. */
    readonly changeableForDays?: number;
  };
  /** A weekly restore test of the latest Aurora recovery point (aws_backup_restore_testing_plan). */
  readonly restoreTesting: boolean;
}
