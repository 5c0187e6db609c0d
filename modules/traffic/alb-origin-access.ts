import { TerraformIterator } from 'cdktf';
import { Construct } from 'constructs';
import { DataAwsEc2ManagedPrefixList } from '@cdktf/provider-aws/lib/data-aws-ec2-managed-prefix-list';
import { DataAwsIpRanges } from '@cdktf/provider-aws/lib/data-aws-ip-ranges';
import { SecurityGroup } from '@cdktf/provider-aws/lib/security-group';
import {
  VpcSecurityGroupIngressRule,
  type VpcSecurityGroupIngressRuleConfig,
} from '@cdktf/provider-aws/lib/vpc-security-group-ingress-rule';
import { setComponent } from '../common/context';
import { internetFacingLoadBalancerTags } from '../common/policy';

/** AWS-managed prefix list of the addresses CloudFront connects to origins from. */
export const CLOUDFRONT_ORIGIN_PREFIX_LIST = 'com.amazonaws.global.cloudfront.origin-facing';

export interface AlbOriginAccessProps {
  /** Prefix of the security group names. */
  readonly name: string;
  readonly vpcId: string;
  /** Regions Route 53 health checkers probe from (their published IP ranges are allowed). */
  readonly healthCheckerRegions: readonly string[];
  /** Other networks allowed to reach the load balancer directly. @default - none */
  readonly directAccessCidrs?: readonly string[];
  /** Listener port. @default 443 */
  readonly port?: number;
}

/**
 * Ingress-only security groups for the API load balancer, one per source, because the CloudFront
 * prefix list alone weighs 55 rules against the 60-rule quota of a group:
 * - `cloudfront`: CloudFront's origin-facing managed prefix list;
 * - `health-checkers`: the Route 53 health checker ranges of the configured checker regions, read
 *   from AWS's published ip-ranges.json at plan time (no managed prefix list exists for them);
 * - `direct`: the configured direct-access networks (only when there are any).
 * Attach every group in `securityGroupIds` to the load balancer; none has egress rules.
 */
export class AlbOriginAccess extends Construct {
  readonly securityGroups: SecurityGroup[];

  constructor(scope: Construct, id: string, props: AlbOriginAccessProps) {
    super(scope, id);
    setComponent(this, 'ingress');
    const port = props.port ?? 443;
    const cloudfront = new DataAwsEc2ManagedPrefixList(this, 'cloudfront-prefix-list', {
      name: CLOUDFRONT_ORIGIN_PREFIX_LIST,
    });
    const checkers = new DataAwsIpRanges(this, 'health-checker-ranges', {
      services: ['route53_healthchecks'],
      regions: [...props.healthCheckerRegions],
    });
    const group = (suffix: string, description: string, worldOpen = false) =>
      new SecurityGroup(this, suffix, {
        name: `${props.name}-alb-${suffix}`,
        description,
        vpcId: props.vpcId,
        // A world-open direct group is a deliberate choice (docs/traffic.md); the policy pack needs the mark.
        tags: { Name: `${props.name}-alb-${suffix}`, ...(worldOpen ? internetFacingLoadBalancerTags() : {}) },
      });
    const rule = (
      id: string,
      sg: SecurityGroup,
      description: string,
      source: Partial<VpcSecurityGroupIngressRuleConfig>,
    ) =>
      new VpcSecurityGroupIngressRule(this, id, {
        securityGroupId: sg.id,
        description,
        ipProtocol: 'tcp',
        fromPort: port,
        toPort: port,
        ...source,
      });

    const fromCloudFront = group('cloudfront', 'HTTPS from CloudFront origin-facing servers');
    rule('cloudfront-https', fromCloudFront, 'CloudFront origin-facing prefix list', { prefixListId: cloudfront.id });

    const fromCheckers = group('health-checkers', 'HTTPS from Route 53 health checkers');
    // The ranges are read at plan time, so the rule set follows AWS's published list on every plan.
    const ranges = TerraformIterator.fromList(checkers.cidrBlocks);
    rule('health-checkers-https', fromCheckers, 'Route 53 health checker range', {
      forEach: ranges,
      cidrIpv4: ranges.value,
    });
    this.securityGroups = [fromCloudFront, fromCheckers];

    const direct = props.directAccessCidrs ?? [];
    if (direct.length > 0) {
      const fromDirect = group('direct', 'HTTPS from direct-access networks', direct.includes('0.0.0.0/0'));
      direct.forEach((cidr, i) => rule(`direct-https-${i}`, fromDirect, `Direct access ${cidr}`, { cidrIpv4: cidr }));
      this.securityGroups.push(fromDirect);
    }
  }

  get securityGroupIds(): string[] {
    return this.securityGroups.map((g) => g.id);
  }
}
