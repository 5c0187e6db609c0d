import { TerraformOutput } from 'cdktf';
import type { Construct } from 'constructs';
import { HostedZone } from '../../modules/traffic/hosted-zone';
import { ROUTE53_CONTROL_REGION, ZoneSecurity } from '../../modules/traffic/zone-security';
import type { PlatformPlan } from '../plan/types';
import type { DnsExports } from '../parts/exports';
import { PlatformStack } from './platform-stack';

/**
 * The public hosted zone of `domainName`, created or adopted. Its own stack so regional stacks can
 * write certificate validation records before the global stack (records, health checks) exists.
 */
export class DnsStack extends PlatformStack {
  readonly zone: HostedZone;
  /** DNSSEC and query logging of the zone (created zones only: an adopted zone is signed by its owner). */
  readonly zoneSecurity?: ZoneSecurity;
  readonly exports: DnsExports;

  constructor(scope: Construct, id: string, props: { readonly plan: PlatformPlan }) {
    super(scope, id, props);
    const config = props.plan.config;
    // Route 53 is global; the provider region only matters for the API endpoint.
    this.awsProvider('aws', props.plan.primary.code);
    const zone = config.traffic.hostedZone;
    this.zone = new HostedZone(this, 'zone', {
      domainName: config.domainName,
      existingZoneId: zone.mode === 'adopt' ? zone.zoneId : undefined,
      comment: `${this.naming.prefix} public zone (managed by ${this.naming.prefix} dns stack)`,
    });
    if (this.zone.managed) {
      this.zoneSecurity = new ZoneSecurity(this, 'zone-security', {
        zoneId: this.zone.zoneId,
        domainName: config.domainName,
        namePrefix: this.naming.prefix,
        usEast1: this.awsProvider('aws-route53-control', ROUTE53_CONTROL_REGION, 'route53-control'),
        logRetentionDays: config.observability.logRetentionDays,
        accountId: this.accountId,
        partition: this.partition,
      });
    }
    this.exports = { zoneId: this.zone.zoneId };
    new TerraformOutput(this, 'zone_id', { value: this.zone.zoneId });
    new TerraformOutput(this, 'zone_name_servers', {
      value: this.zone.nameServers,
      description: 'Delegate the domain to these name servers at the registrar or parent zone',
    });
  }
}
