/** Typed platform configuration. One object per environment, see ./environments. */
import type { NatGatewayMode } from '../../modules/network/types';

export { NAT_GATEWAY_MODES, type NatGatewayMode } from '../../modules/network/types';

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
}

/**
 * Everything a region may tune. Each later module adds its own section here, with defaults in
 * `PlatformConfig.defaults` and optional per-region overrides in `RegionConfig.overrides`.
 */
export interface RegionalSettings {
  readonly network: NetworkSettings;
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

export interface StateBackendConfig {
  /** S3 bucket holding every stack's state (created by the bootstrap stack). */
  readonly bucket: string;
  /** Region of the state bucket and lock table. */
  readonly region: string;
  /** DynamoDB lock table (created by the bootstrap stack). */
  readonly lockTable: string;
  /** KMS alias (`alias/...`) of the state key; the same alias exists in the replica region. */
  readonly kmsKeyAlias: string;
  /** Bucket the state is replicated to, in `replicaRegion`: point the backend here in a regional outage. */
  readonly replicaBucket: string;
  readonly replicaRegion: string;
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
}

/** A region with its settings merged from defaults and overrides. */
export interface ResolvedRegion extends Omit<RegionConfig, 'overrides'> {
  readonly settings: RegionalSettings;
}
