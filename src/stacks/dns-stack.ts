import { TerraformOutput } from 'cdktf';
import type { Construct } from 'constructs';
import { HostedZone } from '../../modules/traffic/hosted-zone';
import { primaryRegion } from '../config/load';
import type { PlatformConfig } from '../config/types';
import { STACK_IDS } from '../naming';
import { PlatformStack } from './platform-stack';

/**
 * The public hosted zone of `domainName`, created or adopted. Its own stack so regional stacks can
 * write certificate validation records before the global stack (records, health checks) exists.
 */
export class DnsStack extends PlatformStack {
  readonly zone: HostedZone;

  constructor(scope: Construct, config: PlatformConfig) {
    super(scope, STACK_IDS.dns, { config });
    // Route 53 is global; the provider region only matters for the API endpoint.
    this.awsProvider('aws', primaryRegion(config).code);
    const zone = config.traffic.hostedZone;
    this.zone = new HostedZone(this, 'zone', {
      domainName: config.domainName,
      existingZoneId: zone.mode === 'adopt' ? zone.zoneId : undefined,
      comment: `${this.naming.prefix} public zone (managed by ${this.naming.prefix} dns stack)`,
    });
    new TerraformOutput(this, 'zone_id', { value: this.zone.zoneId });
    new TerraformOutput(this, 'zone_name_servers', {
      value: this.zone.nameServers,
      description: 'Delegate the domain to these name servers at the registrar or parent zone',
    });
  }
}
