/** A load balancer a DNS record can point at: enough for an alias or a CNAME. */
export interface LoadBalancerTarget {
  readonly dnsName: string;
  /** Canonical hosted zone id of the load balancer (for aliases). */
  readonly zoneId: string;
}

export const FAILOVER_ROLES = ['PRIMARY', 'SECONDARY'] as const;
export type FailoverRole = (typeof FAILOVER_ROLES)[number];

/** How Route 53 picks among the records sharing a name. */
export type RoutingPolicy =
  | { readonly kind: 'simple' }
  | { readonly kind: 'latency'; readonly awsRegion: string }
  | { readonly kind: 'weighted'; readonly weight: number }
  /** `country: '*'` is the default record. */
  | { readonly kind: 'geo'; readonly continent?: string; readonly country?: string }
  | { readonly kind: 'failover'; readonly role: FailoverRole };

/** What a record answers with: a region's load balancer, or another name of the same zone. */
export type RecordTarget =
  { readonly kind: 'region'; readonly region: string } | { readonly kind: 'record'; readonly label: string };

/** One record of a routed name. */
export interface RecordSpec {
  /** Stable construct id, unique in the zone plan. */
  readonly id: string;
  /** Label under the zone, e.g. `api-latency`. */
  readonly label: string;
  /** Required for every policy but `simple`. */
  readonly setIdentifier?: string;
  readonly policy: RoutingPolicy;
  readonly target: RecordTarget;
  /**
   * Region whose health check guards the record: set on every routed record pointing at a region,
   * so Route 53 withdraws it when the region fails.
   */
  readonly healthCheckRegion?: string;
}
