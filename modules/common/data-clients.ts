/** Shared by the data-store modules: member roles of global stores and who may connect to a store. */
import type { TerraformProvider } from 'cdktf';
import type { Construct } from 'constructs';
import type { SecurityGroup } from '@cdktf/provider-aws/lib/security-group';
import { VpcSecurityGroupIngressRule } from '@cdktf/provider-aws/lib/vpc-security-group-ingress-rule';

export const MEMBER_ROLES = ['primary', 'secondary'] as const;
/** Role of a regional member of a global store: `primary` takes writes, `secondary` replicates. */
export type MemberRole = (typeof MEMBER_ROLES)[number];

/** Who may connect to a data store: security groups (EKS nodes/pods) and, rarely, CIDR ranges. */
export interface DataClients {
  /** Security groups whose members may connect (EKS cluster and node security groups). */
  readonly securityGroupIds: readonly string[];
  /** Extra IPv4 ranges allowed to connect. @default - none */
  readonly cidrs?: readonly string[];
}

/** Ingress on one TCP port from each client security group and CIDR, nothing else. */
export function allowClients(
  scope: Construct,
  sg: SecurityGroup,
  port: number,
  clients: DataClients,
  provider?: TerraformProvider,
): void {
  clients.securityGroupIds.forEach((source, i) => {
    new VpcSecurityGroupIngressRule(scope, `ingress-sg-${i}`, {
      provider,
      securityGroupId: sg.id,
      description: `Port ${port} from client security group ${i}`,
      ipProtocol: 'tcp',
      fromPort: port,
      toPort: port,
      referencedSecurityGroupId: source,
    });
  });
  (clients.cidrs ?? []).forEach((cidr, i) => {
    new VpcSecurityGroupIngressRule(scope, `ingress-cidr-${i}`, {
      provider,
      securityGroupId: sg.id,
      description: `Port ${port} from ${cidr}`,
      ipProtocol: 'tcp',
      fromPort: port,
      toPort: port,
      cidrIpv4: cidr,
    });
  });
}
