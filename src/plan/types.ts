/**
 * The resolved platform plan: every fact derived from configuration, computed once by
 * `resolvePlan` (./resolve.ts) before any construct exists. Stacks, the DR CLI, `report`,
 * `deploy:plan` and the other tools read these facts; none derives them again.
 */
import type { OriginVerifySettings } from '../../modules/traffic/origin-verify-settings';
import type { RecordSpec } from '../../modules/traffic/types';
import type { MaintenanceSettings } from '../config/data-types';
import type { RecoveryClusterEndpoint } from '../config/traffic-types';
import type { PlatformConfig, RegionalSettings, RegionRole } from '../config/types';
import type { FailoverBudget } from './budget';
import type { UtcWindow } from './maintenance';

/** How a region takes part in the Aurora global cluster. */
export type AuroraRole = 'primary' | 'secondary';

/**
 * How a region takes part in the ElastiCache global datastore (AWS allows the primary and at most
 * two secondaries): `primary` and `secondary` hold a member; a `reader` holds none and reads the
 * nearest member over the peering mesh.
 */
export type CacheRole = 'primary' | 'secondary' | 'reader';

/** Stores the application uses; `msk` includes MirrorMaker 2 between regions. */
export type DataStore = 'aurora' | 'cache' | 'msk';

/** One connection the application (or MirrorMaker 2) opens: from a region's pods to a store. */
export interface DataPath {
  /** Region whose pods open the connection. */
  readonly from: string;
  readonly store: DataStore;
  /** Region that holds the store's endpoint. */
  readonly to: string;
  /** Which endpoint: the Aurora global writer, a regional reader, the cache primary, a broker list. */
  readonly endpoint: 'aurora-writer' | 'aurora-reader' | 'cache-primary' | 'cache-reader' | 'msk-iam' | 'msk-scram';
  readonly port: number;
  readonly access: 'read' | 'write';
  /** Who connects: the application, or MirrorMaker 2 pulling from another region. */
  readonly client: 'application' | 'mirrormaker2';
}

/** Where a region's data-store maintenance falls, and how it was chosen. */
export interface MaintenancePlan {
  /** Local-time setting actually used. */
  readonly local: MaintenanceSettings;
  readonly utc: UtcWindow;
  /** Weekly `ddd:hh24:mi-ddd:hh24:mi` (UTC), as RDS and ElastiCache take it. */
  readonly maintenanceWindow: string;
  /** Daily `hh24:mi-hh24:mi` (UTC), ending 30 minutes before maintenance starts. */
  readonly backupWindow: string;
  /** `override`: the region's own setting; `default`: the default fitted; `staggered`: moved to a free slot. */
  readonly source: 'override' | 'default' | 'staggered';
}

/** Names of one region's resources that something outside their stack looks up. */
export interface RegionNames {
  /** `<project>-<environment>-<key>`: VPC, EKS cluster and the prefix of the region's names. */
  readonly base: string;
  readonly eksCluster: string;
  /** Aurora regional cluster identifier (member of the global cluster). */
  readonly auroraCluster: string;
  /** ElastiCache replication group id (empty for a reader region: it has none). */
  readonly cacheReplicationGroup: string;
  /** `Name` tag of the region's Route 53 health check (set by the global stack). */
  readonly healthCheck: string;
  readonly mskCluster: string;
  readonly eventBus: string;
  readonly alertTopics: { readonly critical: string; readonly warning: string };
  /** Composite alarm that is in ALARM while any critical alarm of the region is. */
  readonly criticalAlarm: string;
  /** Bucket names are global: these are prefixes, `-<account id>` is appended at plan time. */
  readonly clickhouseBackupBucketPrefix: string;
  readonly logArchiveBucketPrefix: string;
  readonly albLogsBucketPrefix: string;
  /** The region's S3 server access-log sink (every other bucket of the region logs there). */
  readonly accessLogsBucketPrefix: string;
  /** IRSA role of the ClickHouse pods. */
  readonly clickhouseRole: string;
  /** Direct API hostname of the region (`api-<key>.<domain>`), probed by its health check. */
  readonly directHostname: string;
}

export interface RegionStackIds {
  readonly regional: string;
  readonly data: string;
  readonly workloads: string;
}

/** A peer region, as a region's network and firewall rules see it. */
export interface PeerPlan {
  readonly key: string;
  readonly code: string;
  readonly vpcCidr: string;
}

export interface RegionPlan {
  readonly key: string;
  /** AWS region code. */
  readonly code: string;
  readonly role: RegionRole;
  readonly isPrimary: boolean;
  readonly vpcCidr: string;
  readonly azCount: number;
  /** Defaults merged with the region's overrides; `maintenance` is the one the plan chose. */
  readonly settings: RegionalSettings;
  /** Every other region, in configuration order. */
  readonly peers: readonly PeerPlan[];
  readonly stackIds: RegionStackIds;
  readonly names: RegionNames;
  readonly maintenance: MaintenancePlan;
  readonly aurora: { readonly role: AuroraRole };
  readonly cache: {
    readonly role: CacheRole;
    /** Region whose cache member this region reads: itself, unless it is a reader. */
    readonly readsFrom: string;
    /** Node ids of the member (`<group>-001`...), for metrics; empty for a reader. */
    readonly nodeIds: readonly string[];
  };
  /** Region its ClickHouse backups and log archive replicate to (the next one in config order). */
  readonly replicatesTo: string;
}

export interface PlatformNames {
  /** `<project>-<environment>`: the prefix of every name. */
  readonly prefix: string;
  readonly auroraGlobalCluster: string;
  /** ElastiCache global datastore id suffix (AWS prepends a per-account prefix). */
  readonly cacheGlobalDatastoreSuffix: string;
  /** Prefix of the health checks' `Name` tags (`<prefix>-<key>`). */
  readonly healthCheckPrefix: string;
  readonly trail: string;
  /** SNS topic the trail announces each delivered log file on (`observability.cloudTrail.notifications`). */
  readonly trailNotifications: string;
  /** Access-log sinks of the state bucket and its replica (same region as each: S3 requires it). */
  readonly stateAccessLogs: { readonly primary: string; readonly replica: string };
  readonly alertBus: string;
  readonly alertTimelineLogGroup: string;
  /** MSK Replicator writing `source`'s topics into `target` (mode `msk-replicator`). */
  readonly mskReplicator: (source: string, target: string) => string;
}

export interface StackIds {
  readonly bootstrap: string;
  readonly dns: string;
  readonly global: string;
}

export interface TrafficPlan {
  readonly apiName: string;
  /** Every Route 53 record of the API names. */
  readonly records: readonly RecordSpec[];
  /** `api-weighted` weight per region key, with how each was decided. */
  readonly weights: readonly {
    readonly region: string;
    readonly weight: number;
    readonly source: 'config' | 'share';
  }[];
  /** Region the edge fails over to and `api-dr` points at. */
  readonly drRegion: string;
  readonly budgets: readonly FailoverBudget[];
  /** The origin secret CloudFront sends and the ALBs require (docs/traffic.md, "Origin secret"). */
  readonly originVerify: OriginVerifySettings & {
    /** Secrets Manager name, the same in every region. */
    readonly secretName: string;
    readonly headerName: string;
  };
  /** ARC routing controls; undefined when `traffic.recoveryControl` is off (the default). */
  readonly recoveryControl?: RecoveryControlPlan;
}

/** ARC routing controls of `traffic.recoveryControl` (src/plan/recovery-control.ts), when enabled. */
export interface RecoveryControlPlan {
  readonly clusterName: string;
  readonly controlPanelName: string;
  /** Assertion rule: at least one region's routing control stays on. */
  readonly safetyRuleName: string;
  /** Milliseconds the safety rule refuses further changes after one. */
  readonly safetyRuleWaitMs: number;
  /** Routed records answer with a region only while its routing control is on (and it is healthy). */
  readonly gateTraffic: boolean;
  /** The cluster's endpoints as configured (empty until copied from the global stack's output). */
  readonly clusterEndpoints: readonly RecoveryClusterEndpoint[];
  /** Every region, in configuration order. */
  readonly regions: readonly {
    readonly key: string;
    /** Routing control name. */
    readonly routingControl: string;
    /** `Name` tag of the RECOVERY_CONTROL health check of the routing control. */
    readonly controlHealthCheck: string;
    /** `Name` tag of the CALCULATED check the records carry when gated (routing control AND HTTPS check). */
    readonly gatedHealthCheck: string;
  }[];
}

export interface PlatformPlan {
  /** The validated configuration the plan was resolved from (for settings that pass through unchanged). */
  readonly config: PlatformConfig;
  readonly project: string;
  readonly environment: string;
  readonly domainName: string;
  readonly names: PlatformNames;
  readonly stackIds: StackIds;
  /** Every region, in configuration order. */
  readonly regions: readonly RegionPlan[];
  /** The one region with role `primary`: nothing else decides which region is primary. */
  readonly primary: RegionPlan;
  /** Stack ids in the order a first deploy applies them (bootstrap, by hand, first). */
  readonly applyOrder: readonly string[];
  readonly traffic: TrafficPlan;
  readonly dataPaths: readonly DataPath[];
}
