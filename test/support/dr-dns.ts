import { ListHostedZonesByNameCommand, TestDNSAnswerCommand, type Route53Client } from '@aws-sdk/client-route-53';
import type { AwsClientStub } from 'aws-sdk-client-mock';
import type { DrTargets } from '../../src/dr/targets';
import type { FakeAws } from './dr-mocks';

/** The public zone the fake answers for. */
export const ZONE_ID = 'Z0FAKEZONE';

/** The ALB name a region's direct record points at (a CNAME target). */
export const albOf = (key: string) => `${key}-alb.elb.amazonaws.com`;

/**
 * Route 53's authoritative answers on top of `fakeAws`'s world, for `drill`: each region's direct
 * name answers its ALB; the failover API name answers the primary's ALB while its health check is
 * healthy (probes succeed against its own name and the region is up, the result flipped when
 * inverted), else the first healthy other region's (the `api-secondary` latency set).
 */
export function fakeDns(r53: AwsClientStub<Route53Client>, world: FakeAws, targets: DrTargets): void {
  const healthy = (key: string) => {
    const region = targets.regions.find((r) => r.key === key)!;
    const hc = world.healthChecks[key];
    const probes = hc.fqdn === region.directName && !world.down.has(region.code);
    return probes !== hc.inverted;
  };
  r53.on(ListHostedZonesByNameCommand).callsFake(() => {
    world.calls.push({ service: 'route53', region: 'global', api: 'ListHostedZonesByName', input: {} });
    return { HostedZones: [{ Id: `/hostedzone/${ZONE_ID}`, Name: `${targets.domainName}.`, CallerReference: 'x' }] };
  });
  r53.on(TestDNSAnswerCommand).callsFake((input: { HostedZoneId: string; RecordName: string; RecordType: string }) => {
    world.calls.push({ service: 'route53', region: 'global', api: 'TestDNSAnswer', input });
    if (input.HostedZoneId !== ZONE_ID || input.RecordType !== targets.recordType) return { RecordData: [] };
    const direct = targets.regions.find((r) => r.directName === input.RecordName);
    if (direct) return { RecordData: [albOf(direct.key)] };
    if (input.RecordName === targets.apiName) {
      const primary = targets.regions.find((r) => r.role === 'primary')!;
      const serving = healthy(primary.key) ? primary : targets.regions.find((r) => r !== primary && healthy(r.key));
      return { RecordData: serving ? [albOf(serving.key)] : [] };
    }
    return { RecordData: [] };
  });
}
