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
  /**
   * A second condition per region key (every region), e.g. its ARC routing control's health check:
   * records then carry a CALCULATED check that is healthy only while the region's own check AND
   * the gate are, instead of the region's check alone.
   * @default - records carry the region's check
   */
  readonly gates?: ReadonlyMap<string, RecordGate>;
}

/** A health check that must also be healthy for a region's records to answer. */
export interface RecordGate {
  readonly healthCheckId: string;
  /** `Name` tag of the combined (CALCULATED) check. */
  readonly combinedName: string;
}

/**
 * One HTTPS health check per region and the records of the routed API names. Every routed record
 * that answers with a region carries that region's health check; records that answer with another
 * name of the zone follow that name's health (alias `evaluate_target_health`, or for CNAMEs the
 * target set's own checks).
 */
export class ApiRouting extends Construct {
  /** The HTTPS check of every region (what the DR CLI inverts and fences, what alarms watch). */
  readonly healthChecks: ReadonlyMap<string, Route53HealthCheck>;
  /** The check each region's routed records carry: its HTTPS check, or the gated CALCULATED check. */
  readonly recordHealthChecks: ReadonlyMap<string, Route53HealthCheck>;
  readonly records: ReadonlyMap<string, Route53Record>;

  constructor(scope: Construct, id: string, props: ApiRoutingProps) {
    super(scope, id);
    setComponent(this, 'dns');
    const regions = new Map(props.regions.map((r) => [r.key, r]));
    const hc = props.healthCheck;

    const checks = new Map<string, Route53HealthCheck>();
    const recordChecks = new Map<string, Route53HealthCheck>();
    for (const region of props.regions) {
      const scope = new Construct(this, region.key);
      setRegion(scope, region.key);
      const check = new Route53HealthCheck(scope, 'health-check', {
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
      });
      checks.set(region.key, check);
      const gate = props.gates?.get(region.key);
      if (props.gates && !gate) throw new Error(`ApiRouting: no gate for region ${region.key}`);
      recordChecks.set(
        region.key,
        gate
          ? // Healthy only while both children are: the region answers when its application is
            // healthy AND its gate (routing control) is on. Inverting or fencing the HTTPS child
            // (drill, switchover, failover without ARC) still takes the region out.
            new Route53HealthCheck(scope, 'gated-health-check', {
              type: 'CALCULATED',
              childHealthchecks: [check.id, gate.healthCheckId],
              childHealthThreshold: 2,
              tags: { Name: gate.combinedName },
            })
          : check,
      );
    }
    this.healthChecks = checks;
    this.recordHealthChecks = recordChecks;

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
      const healthCheckId = spec.healthCheckRegion ? recordChecks.get(spec.healthCheckRegion)?.id : undefined;
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
