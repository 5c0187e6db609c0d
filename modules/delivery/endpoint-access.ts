import { Construct } from 'constructs';
import { SecurityGroup } from '@cdktf/provider-aws/lib/security-group';
import { VpcSecurityGroupEgressRule } from '@cdktf/provider-aws/lib/vpc-security-group-egress-rule';
import { VpcSecurityGroupIngressRule } from '@cdktf/provider-aws/lib/vpc-security-group-ingress-rule';

/** The only port a runner or agent opens: HTTPS (the Kubernetes API, AWS APIs, GitHub, Terraform Cloud, registries). */
export const DELIVERY_EGRESS_PORT = 443;

/** Where a runner or agent runs and what it is encrypted and admitted with (both delivery modules). */
export interface DeliveryPlacement {
  readonly vpcId: string;
  /** Private subnets with a NAT route: no public IP, and the runner or agent reaches the internet. */
  readonly subnetIds: readonly string[];
  /** Encrypts the log group (and the agent's token secret). */
  readonly kmsKeyArn: string;
  /** The EKS cluster security group, which admits the runner or agent on 443 (the private API endpoint). */
  readonly clusterSecurityGroupId: string;
  readonly region: string;
  readonly accountId: string;
  readonly partition: string;
}

export interface ApiEndpointAccessProps {
  /** Name of the runner's or agent's own group, created here. */
  readonly securityGroupName: string;
  /** What the group is for (its description). */
  readonly description: string;
  readonly vpcId: string;
  /** The EKS cluster security group (on the control-plane ENIs behind the private endpoint). */
  readonly clusterSecurityGroupId: string;
  /** Who, for the rule descriptions, e.g. `Terraform Cloud agents`. */
  readonly who: string;
}

/**
 * The network path of a runner or agent: its own security group, HTTPS out and nothing else (DNS goes to the VPC resolver,
 * which security groups do not filter), and the cluster security group admitting it on 443, so the
 * kubernetes and helm providers reach the private API endpoint. The deploy-readiness check proves
 * both rules (src/readiness/delivery.ts).
 */
export class ApiEndpointAccess extends Construct {
  readonly securityGroup: SecurityGroup;
  readonly egress: VpcSecurityGroupEgressRule;
  readonly clusterIngress: VpcSecurityGroupIngressRule;

  constructor(scope: Construct, id: string, props: ApiEndpointAccessProps) {
    super(scope, id);
    this.securityGroup = new SecurityGroup(this, 'sg', {
      name: props.securityGroupName,
      description: props.description,
      vpcId: props.vpcId,
      tags: { Name: props.securityGroupName },
    });
    this.egress = new VpcSecurityGroupEgressRule(this, 'egress-https', {
      securityGroupId: this.securityGroup.id,
      description: `${props.who}: HTTPS only (Kubernetes API, AWS APIs through the endpoints or NAT, GitHub or Terraform Cloud, registries)`,
      ipProtocol: 'tcp',
      fromPort: DELIVERY_EGRESS_PORT,
      toPort: DELIVERY_EGRESS_PORT,
      cidrIpv4: '0.0.0.0/0',
    });
    this.clusterIngress = new VpcSecurityGroupIngressRule(this, 'cluster-ingress', {
      securityGroupId: props.clusterSecurityGroupId,
      description: `${props.who} to the Kubernetes API (workloads stacks)`,
      ipProtocol: 'tcp',
      fromPort: DELIVERY_EGRESS_PORT,
      toPort: DELIVERY_EGRESS_PORT,
      referencedSecurityGroupId: this.securityGroup.id,
    });
  }
}
