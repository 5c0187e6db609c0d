import { Construct } from 'constructs';
import { Route53HealthCheck } from '@cdktf/provider-aws/lib/route53-health-check';
import { Route53Record, type Route53RecordConfig } from '@cdktf/provider-aws/lib/route53-record';
import { setComponent, setRegion } from '../common/context';
import type { LoadBalancerTarget, RecordSpec, RoutingPolicy } from './types';

export interface RoutedRegion {
  /** Region key used by the record specs. */
  readonly key: string;
  /** The region's load balancer. */
  readonly target: LoadBalancerTarget;
  /** Name the health check probes (the region's direct name, covered by its certificate). */
  readonly healthCheckFqdn: string;
  /** `Name` tag of the health check: operational tools find the check by it. */
  readonly healthCheckName: string;
}

export interface ApiHealthCheckSettings {
  readonly resourcePath: string;
  readonly requestIntervalSeconds: number;
  readonly failureThreshold: number;
  readonly measureLatency: boolean;
  readonly checkerRegions: readonly string[];
}

export interface ApiRoutingProps {
  readonly zoneId: string;
  /** Apex of the zone, e.g. `example.org`. */
  readonly domainName: string;
  readonly regions: readonly RoutedRegion[];
  readonly records: readonly RecordSpec[];
  readonly healthCheck: ApiHealthCheckSettings;
  /** `alias`: aliases to the load balancers (60 s TTL); `cname`: CNAMEs with `ttlSeconds`. */
  readonly recordTarget: 'alias' | 'cname';
  /** TTL of CNAME records; unused with aliases. */
  readonly ttlSeconds: number;
}

/**
 * One HTTPS health check per region and the records of the routed API names. Every routed record
 * that answers with a region carries that region's health check; records that answer with another
 * name of the zone follow that name's health (alias `evaluate_target_health`, or for CNAMEs the
 * target set's own checks).
 */
export class ApiRouting extends Construct {
  readonly healthChecks: ReadonlyMap<string, Route53HealthCheck>;
  readonly records: ReadonlyMap<string, Route53Record>;

  constructor(scope: Construct, id: string, props: ApiRoutingProps) {
    super(scope, id);
    setComponent(this, 'dns');
    const regions = new Map(props.regions.map((r) => [r.key, r]));
    const hc = props.healthCheck;

    const checks = new Map<string, Route53HealthCheck>();
    for (const region of props.regions) {
      const scope = new Construct(this, region.key);
      setRegion(scope, region.key);
      checks.set(
        region.key,
        new Route53HealthCheck(scope, 'health-check', {
          type: 'HTTPS',
          fqdn: region.healthCheckFqdn,
          port: 443,
          enableSni: true,
          resourcePath: hc.resourcePath,
          requestInterval: hc.requestIntervalSeconds,
          failureThreshold: hc.failureThreshold,
          measureLatency: hc.measureLatency,
          regions: [...hc.checkerRegions],
          tags: { Name: region.healthCheckName },
        }),
      );
    }
    this.healthChecks = checks;

    const fqdn = (label: string) => `${label}.${props.domainName}`;
    const alias = props.recordTarget === 'alias';
    const built = new Map<string, Route53Record>();
    for (const spec of props.records) {
      let answer: Partial<Route53RecordConfig>;
      if (spec.target.kind === 'region') {
        const region = regions.get(spec.target.region);
        if (!region) throw new Error(`record ${spec.id} targets unknown region ${spec.target.region}`);
        answer = alias
          ? {
              type: 'A',
              alias: { name: region.target.dnsName, zoneId: region.target.zoneId, evaluateTargetHealth: true },
            }
          : { type: 'CNAME', ttl: props.ttlSeconds, records: [region.target.dnsName] };
      } else {
        answer = alias
          ? { type: 'A', alias: { name: fqdn(spec.target.label), zoneId: props.zoneId, evaluateTargetHealth: true } }
          : { type: 'CNAME', ttl: props.ttlSeconds, records: [fqdn(spec.target.label)] };
      }
      const healthCheckId = spec.healthCheckRegion ? checks.get(spec.healthCheckRegion)?.id : undefined;
      if (spec.healthCheckRegion && !healthCheckId) {
        throw new Error(`record ${spec.id} needs the health check of unknown region ${spec.healthCheckRegion}`);
      }
      built.set(
        spec.id,
        new Route53Record(this, spec.id, {
          zoneId: props.zoneId,
          name: fqdn(spec.label),
          setIdentifier: spec.setIdentifier,
          healthCheckId,
          ...answer,
          ...policyBlock(spec.policy),
          type: answer.type!,
        }),
      );
    }
    this.records = built;
  }
}

function policyBlock(policy: RoutingPolicy): Partial<Route53RecordConfig> {
  switch (policy.kind) {
    case 'simple':
      return {};
    case 'latency':
      return { latencyRoutingPolicy: { region: policy.awsRegion } };
    case 'weighted':
      return { weightedRoutingPolicy: { weight: policy.weight } };
    case 'geo':
      return { geolocationRoutingPolicy: { continent: policy.continent, country: policy.country } };
    case 'failover':
      return { failoverRoutingPolicy: { type: policy.role } };
  }
}
