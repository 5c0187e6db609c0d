/** Typed platform configuration. One object per environment, see ./environments. */
import type { NatGatewayMode } from '../../modules/network/types';
import type {
  AuroraSettings,
  ClickHouseSettings,
  DataConfig,
  ElastiCacheSettings,
  MaintenanceSettings,
} from './data-types';
import type { EdgeConfig, RecoveryObjectives, TrafficConfig } from './traffic-types';
import type { EksSettings, IngressSettings, WorkloadsConfig } from './compute-types';
import type { EventBridgeSettings, MskSettings, StreamingConfig } from './streaming-types';
import type { ObservabilityConfig } from './observability-types';
import type { SecurityConfig } from './security-types';
import type { DeliveryConfig } from './delivery-types';

export { NAT_GATEWAY_MODES, type NatGatewayMode } from '../../modules/network/types';
export * from './data-types';
export * from './compute-types';
export * from './streaming-types';
export * from './observability-types';
export * from './security-types';
export * from './delivery-types';

export const REGION_ROLES = ['primary', 'secondary'] as const;
export type RegionRole = (typeof REGION_ROLES)[number];

/** CloudWatch Logs accepts only these retention periods. */
export const LOG_RETENTION_DAYS = [
  1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653,
] as const;

/** Settings of the regional network. Defaults in `PlatformConfig.defaults.network`, per-region overrides allowed. */
export interface NetworkSettings {
  /** NAT gateway layout. */
  readonly natGateways: NatGatewayMode;
  /** Retention of the VPC flow log group, days (a CloudWatch Logs retention value). */
  readonly flowLogRetentionDays: number;
  /**
   * Interface endpoints (service suffixes such as `sts`, `logs`, `ecr.api`) that keep AWS API traffic
   * inside the VPC. S3 and DynamoDB always get gateway endpoints.
   */
  readonly interfaceEndpoints: readonly string[];
  /**
   * Buckets of other accounts that nodes and pods may read (`s3:GetObject`) through the S3 gateway
   * endpoint, besides ECR's layer bucket, the Amazon Linux repositories and registry.k8s.io's mirror
   * (docs/security.md, "Inside the perimeter"): e.g. a registry that redirects layers to S3.
   * @default - none
   */
  readonly endpointReadBuckets?: readonly string[];
}

/**
 * Everything a region may tune. Each later module adds its own section here, with defaults in
 * `PlatformConfig.defaults` and optional per-region overrides in `RegionConfig.overrides`.
 */
export interface RegionalSettings {
  readonly network: NetworkSettings;
  /** Weekly maintenance window of the region's data stores (local time). */
  readonly maintenance: MaintenanceSettings;
  readonly aurora: AuroraSettings;
  readonly elasticache: ElastiCacheSettings;
  readonly clickhouse: ClickHouseSettings;
  readonly eks: EksSettings;
  readonly ingress: IngressSettings;
  readonly msk: MskSettings;
  readonly eventBridge: EventBridgeSettings;
}

export type RegionOverrides = {
  readonly [K in keyof RegionalSettings]?: Partial<RegionalSettings[K]>;
};

export interface RegionConfig {
  /** Short, stable key used in names and stack ids, e.g. `us-east`. */
  readonly key: string;
  /** AWS region code, e.g. `us-east-1`. */
  readonly code: string;
  readonly role: RegionRole;
  /** IPv4 CIDR of the VPC, /16 to /20; must not overlap any other region (peering). */
  readonly vpcCidr: string;
  /** Availability zones to span, 2..6 and no more than the region offers. */
  readonly azCount: number;
  /** Per-region overrides of `PlatformConfig.defaults`. */
  readonly overrides?: RegionOverrides;
}

export const BOOTSTRAP_BACKENDS = ['local', 's3'] as const;
/** Where the bootstrap stack keeps its own state: `local` until the bucket exists, then `s3`. */
export type BootstrapBackend = (typeof BOOTSTRAP_BACKENDS)[number];

export const STATE_MODES = ['s3', 'terraform-cloud'] as const;
/** Where stack state lives: the S3 bucket of the bootstrap stack, or one Terraform Cloud workspace per stack. */
export type StateMode = (typeof STATE_MODES)[number];

export const STATE_COPIES = ['primary', 'replica'] as const;
/**
 * Which copy of the S3 state the stacks use: `bucket` in `region` (primary), or its replica
 * `replicaBucket` in `replicaRegion` while `region` is down (README: "If the state region is down").
 */
export type StateCopy = (typeof STATE_COPIES)[number];

/** Terraform Cloud (or Enterprise) settings, used when `state.mode` is `terraform-cloud`. */
export interface TerraformCloudSettings {
  /** Organization owning the workspaces. */
  readonly organization: string;
  /** Project the workspaces belong to. */
  readonly project: string;
  /** Host of Terraform Cloud (`app.terraform.io`) or of a Terraform Enterprise installation. */
  readonly hostname: string;
}

export interface StateBackendConfig {
  /**
   * `s3`: every stack keeps its state in `bucket` (below). `terraform-cloud`: every stack gets a
   * `cloud` block naming its own workspace, `<project>-<environment>-<stack id>` (see docs/delivery.md).
   */
  readonly mode: StateMode;
  /** Required when `mode` is `terraform-cloud`, ignored otherwise. */
  readonly terraformCloud?: TerraformCloudSettings;
  /** S3 bucket holding every stack's state (created by the bootstrap stack). */
  readonly bucket: string;
  /** Region of the state bucket and lock table. */
  readonly region: string;
  /** DynamoDB lock table (created by the bootstrap stack). */
  readonly lockTable: string;
  /** KMS alias (`alias/...`) of the state key; the same alias exists in the replica region. */
  readonly kmsKeyAlias: string;
  /** Bucket the state is replicated to (one way), in `replicaRegion`: see `use`. */
  readonly replicaBucket: string;
  readonly replicaRegion: string;
  /**
   * The copy every S3 backend and every cross-stack reader (`terraform_remote_state`) uses.
   * `replica`: `replicaBucket` in `replicaRegion`, same key and KMS alias, locked with the S3 lock
   * file only (the lock table lives in `region`). For an outage of `region`; set it for a run with
   * `PLATFORM_STATE_COPY=replica` (src/config/load.ts) rather than in the environment file. S3 mode
   * only.
   * @default 'primary'
   */
  readonly use?: StateCopy;
  /** Days a superseded state version is kept before it expires. */
  readonly noncurrentVersionExpirationDays: number;
  /** Backend of the bootstrap stack itself (see README: first deploy). */
  readonly bootstrapBackend: BootstrapBackend;
}

export interface PlatformConfig {
  /** Short project name, prefix of every resource name. */
  readonly project: string;
  /** Environment name, e.g. `production`. */
  readonly environment: string;
  /** Apex domain the platform serves, e.g. `example.org`. */
  readonly domainName: string;
  /** Optional AWS account id; when set, every provider refuses to run against another account. */
  readonly accountId?: string;
  readonly regions: readonly RegionConfig[];
  readonly state: StateBackendConfig;
  /** Extra tags applied to every taggable resource. */
  readonly tags: Readonly<Record<string, string>>;
  /** Defaults for every region, overridable per region. */
  readonly defaults: RegionalSettings;
  /** Route 53 zone, health checks and routing policies (docs/traffic.md). */
  readonly traffic: TrafficConfig;
  /** CloudFront distribution and WAF in front of the API. */
  readonly edge: EdgeConfig;
  /** Recovery objectives the failover paths are checked against. */
  readonly recovery: RecoveryObjectives;
  /** Settings the global data stores fix for every region (engine versions, node type, chart pins). */
  readonly data: DataConfig;
  /** Helm releases and application settings of the workloads stacks (same in every region). */
  readonly workloads: WorkloadsConfig;
  /** Cross-region Kafka replication and EventBridge event replication (global). */
  readonly streaming: StreamingConfig;
  /** Alert topics and thresholds, log archive tiers, CloudTrail, Prometheus (docs/observability.md). */
  readonly observability: ObservabilityConfig;
  /** Access logging, Object Lock and who may change the audit and backup buckets (docs/security.md). */
  readonly security: SecurityConfig;
  /** Runners and agents inside the VPCs that reach the private EKS endpoints (docs/delivery.md). */
  readonly delivery: DeliveryConfig;
}
