import { Construct } from 'constructs';
import { DataAwsRoute53Zone } from '@cdktf/provider-aws/lib/data-aws-route53-zone';
import { Route53Zone } from '@cdktf/provider-aws/lib/route53-zone';
import { setComponent } from '../common/context';

export interface HostedZoneProps {
  /** Apex domain of the zone, e.g. `example.org`. */
  readonly domainName: string;
  /**
   * Id of an existing public zone for `domainName` to adopt (read, never managed here).
   * @default - a new public zone is created, protected from destroy
   */
  readonly existingZoneId?: string;
  readonly comment?: string;
}

/** The public hosted zone every platform record lives in: created here, or adopted by id. */
export class HostedZone extends Construct {
  readonly zoneId: string;
  readonly nameServers: string[];
  /** Whether this construct manages the zone (false when adopted). */
  readonly managed: boolean;

  constructor(scope: Construct, id: string, props: HostedZoneProps) {
    super(scope, id);
    setComponent(this, 'dns');
    if (props.existingZoneId) {
      const zone = new DataAwsRoute53Zone(this, 'zone', { zoneId: props.existingZoneId, privateZone: false });
      this.zoneId = zone.zoneId;
      this.nameServers = zone.nameServers;
      this.managed = false;
    } else {
      const zone = new Route53Zone(this, 'zone', {
        name: props.domainName,
        comment: props.comment,
        // Records of every stack live here; deleting the zone would orphan the delegation.
        forceDestroy: false,
        lifecycle: { preventDestroy: true },
      });
      this.zoneId = zone.zoneId;
      this.nameServers = zone.nameServers;
      this.managed = true;
    }
  }
}
