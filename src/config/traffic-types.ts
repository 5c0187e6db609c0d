/**
 * Settings of global traffic management: the Route 53 zone, health checks and routing policies
 * (`PlatformConfig.traffic`), the CloudFront + WAF edge (`PlatformConfig.edge`) and the recovery
 * objectives the failover paths are checked against (`PlatformConfig.recovery`). See docs/traffic.md.
 */
import type { OriginVerifySettings } from '../../modules/traffic/origin-verify-settings';

/** Regions Route 53 runs health checkers from (the API's `HealthCheckRegion` values). */
export const HEALTH_CHECKER_REGIONS = [
  'us-east-1',
  'us-west-1',
  'us-west-2',
  'eu-west-1',
  'ap-southeast-1',
  'ap-southeast-2',
  'ap-northeast-1',
  'sa-east-1',
] as const;
export type HealthCheckerRegion = (typeof HEALTH_CHECKER_REGIONS)[number];
/** Route 53 needs at least this many checker regions when they are listed. */
export const MIN_HEALTH_CHECKER_REGIONS = 3;

/** Route 53 health checks probe every 10 s (fast, extra cost) or every 30 s (standard). */
export const HEALTH_CHECK_INTERVALS = [10, 30] as const;

/** Continent codes Route 53 geolocation routing accepts. */
export const GEO_CONTINENTS = ['AF', 'AN', 'AS', 'EU', 'NA', 'OC', 'SA'] as const;

/** Policy of the main `api` name: failover (seed 000) or latency-based (seed 003). */
export const API_ROUTING_POLICIES = ['failover', 'latency'] as const;
export type ApiRoutingPolicy = (typeof API_ROUTING_POLICIES)[number];

/**
 * How routed names point at a region's load balancer.
 * - `alias`: Route 53 alias to the ALB. Queries are free, but Route 53 answers with the ALB's fixed
 *   60 s TTL, which the failover budget must absorb.
 * - `cname`: a CNAME to the ALB's DNS name with `recordTtlSeconds`. Billed per query, but the TTL
 *   is ours to lower.
 */
export const RECORD_TARGETS = ['alias', 'cname'] as const;
export type RecordTargetMode = (typeof RECORD_TARGETS)[number];

/** TTL Route 53 answers alias records to an Elastic Load Balancer with (not configurable). */
export const ELB_ALIAS_TTL_SECONDS = 60;

export type HostedZoneSettings =
  /** Create the public hosted zone for `domainName` (delegate to its name servers afterwards). */
  | { readonly mode: 'create' }
  /** Use an existing public hosted zone for `domainName`, by id. */
  | { readonly mode: 'adopt'; readonly zoneId: string };

export interface HealthCheckSettings {
  /** Path probed over HTTPS on port 443 (seed 001: the Spring readiness probe). */
  readonly resourcePath: string;
  /** Seconds between checks from each checker: 10 or 30. */
  readonly requestIntervalSeconds: number;
  /** Consecutive failures before a checker reports the endpoint unhealthy (1-10). */
  readonly failureThreshold: number;
  /** Record the round-trip latency in CloudWatch (cannot be changed after creation). */
  readonly measureLatency: boolean;
  /** Checker regions (at least 3 of HEALTH_CHECKER_REGIONS); their IP ranges may reach the ALBs. */
  readonly checkerRegions: readonly string[];
}

export interface TrafficConfig {
  readonly hostedZone: HostedZoneSettings;
  readonly recordTarget: RecordTargetMode;
  /** TTL of the CNAME records when `recordTarget` is `cname` (ignored for `alias`: 60 s). */
  readonly recordTtlSeconds: number;
  readonly healthCheck: HealthCheckSettings;
  /** Routing policy of `api.<domain>`. */
  readonly apiPolicy: ApiRoutingPolicy;
  /**
   * `api-geo` routing: `continent:<code>` or `country:<ISO 3166 alpha-2>` to a region key. Users
   * matching no entry, or whose region is unhealthy, get the default record, which routes by
   * latency over every healthy region.
   */
  readonly geoRouting: Readonly<Record<string, string>>;
  /** `api-weighted` weights by region key (0-255); a region not listed gets the mean of the listed weights (src/plan/resolve.ts). */
  readonly weights: Readonly<Record<string, number>>;
  /** Region key `api-dr.<domain>` points at; not the primary. Also CloudFront's failover origin. */
  readonly drRegion: string;
  /**
   * Networks allowed to reach the ALBs directly through the Route 53 names (besides CloudFront and
   * the Route 53 health checkers). `0.0.0.0/0` opens the direct names to everyone, bypassing the WAF.
   */
  readonly directAccessCidrs: readonly string[];
  /**
   * Route 53 Application Recovery Controller routing controls (docs/traffic.md, "Routing controls"):
   * traffic moves through ARC's data plane instead of health-check changes. Costs a cluster-hour.
   * @default { enabled: false }
   */
  readonly recoveryControl?: RecoveryControlSettings;
}

/** One of the five endpoints of an ARC cluster, as the global stack's `recovery_control_cluster_endpoints` output lists it. */
export interface RecoveryClusterEndpoint {
  readonly region: string;
  /** e.g. `https://abcd1234.route53-recovery-cluster.us-east-1.amazonaws.com/v1` */
  readonly endpoint: string;
}

export interface RecoveryControlSettings {
  /**
   * Create the ARC cluster, its control panel, one routing control per region, the safety rule (at
   * least one region on) and a RECOVERY_CONTROL health check per routing control, in the global stack.
   */
  readonly enabled: boolean;
  /**
   * Every routed record answers with a region only while its routing control is on AND its
   * application is healthy; the DR CLI then moves traffic with routing controls. Needs `enabled`
   * and `clusterEndpoints`, and the routing controls turned on once before: they are created off.
   * @default false
   */
  readonly gateTraffic?: boolean;
  /**
   * The cluster's endpoints, copied from the global stack's `recovery_control_cluster_endpoints`
   * output after its first apply: the DR CLI calls them during an outage, without reading Terraform
   * state or ARC's control plane (us-west-2).
   * @default []
   */
  readonly clusterEndpoints?: readonly RecoveryClusterEndpoint[];
}

export const PRICE_CLASSES = ['PriceClass_All', 'PriceClass_200', 'PriceClass_100'] as const;
export type PriceClass = (typeof PRICE_CLASSES)[number];

export type GeoRestriction =
  { readonly type: 'none' } | { readonly type: 'whitelist' | 'blacklist'; readonly countries: readonly string[] };

export interface EdgeConfig {
  /** Label of the distribution's name: `<hostname>.<domainName>`. */
  readonly hostname: string;
  /** Seconds CloudFront waits to connect to an origin (1-10). */
  readonly originConnectionTimeoutSeconds: number;
  /** Connection attempts per origin before failing over (1-3). */
  readonly originConnectionAttempts: number;
  /**
   * Path patterns that accept writes (POST, PUT, PATCH, DELETE). CloudFront origin groups fail over
   * only GET/HEAD/OPTIONS and refuse other methods, so these paths go to `api.<domain>` instead and
   * fail over through Route 53 (the DNS budget). Everything else uses the origin group, read-only.
   */
  readonly writePathPatterns: readonly string[];
  /** Seconds CloudFront waits for an origin response (1-60). */
  readonly originReadTimeoutSeconds: number;
  readonly priceClass: PriceClass;
  readonly geoRestriction: GeoRestriction;
  /** HSTS `max-age` sent to viewers (at least one year). */
  readonly hstsMaxAgeSeconds: number;
  /** Requests per client IP per 5 minutes before the WAF rate rule blocks (10 - 2,000,000,000). */
  readonly wafRateLimitPer5Minutes: number;
  /** Retention of the CloudFront access log and WAF log groups (a CloudWatch Logs retention value). */
  readonly logRetentionDays: number;
  /**
   * Origin secret rotation (docs/traffic.md, "Origin secret"): bump `version` together with a new
   * `ORIGIN_VERIFY_SECRET`, with `acceptPrevious: true` until the global stack sends the new value.
   * @default { version: 1, acceptPrevious: false }
   */
  readonly originVerify?: OriginVerifySettings;
}

export interface RecoveryObjectives {
  /** Longest acceptable time to move traffic off a failed region, seconds (seed 000: 60). */
  readonly rtoSeconds: number;
}

/** Region keys that would make `api-<key>` collide with a routed name. */
export const RESERVED_REGION_KEYS = ['latency', 'geo', 'weighted', 'dr', 'secondary'] as const;

/** Splits a `continent:EU` / `country:JP` geo key. */
export function parseGeoKey(key: string): { continent: string } | { country: string } | undefined {
  const m = /^(continent|country):([A-Z]{2})$/.exec(key);
  if (!m) return undefined;
  return m[1] === 'continent' ? { continent: m[2] } : { country: m[2] };
}
