import { Construct } from 'constructs';
import { IrsaRole, type OidcIdentity } from '../eks/irsa-role';
import { setComponent } from '../common/context';

/** Service account of the ACL Job (`acl-job.ts`), in the Kafka namespace. */
export const MSK_ACL_ADMIN_SERVICE_ACCOUNT = 'msk-acl-admin';

/** IAM role name of a cluster's ACL admin: built from the cluster name, so both stacks derive it. */
export function mskAclAdminRoleName(clusterName: string): string {
  return `${clusterName}-acl-admin`;
}

export interface MskAclAdminRoleProps {
  /** MSK cluster name (`<prefix>-msk`) and ARN: the only cluster the role may manage. */
  readonly clusterName: string;
  readonly clusterArn: string;
  readonly oidc: OidcIdentity;
  readonly partition: string;
  /** Namespace of the Job's service account. */
  readonly namespace: string;
}

/**
 * The IRSA role of the ACL Job: connect to one MSK cluster as an IAM client and manage its Kafka
 * ACLs (CreateAcls/DeleteAcls need ALTER on the cluster, which MSK maps to
 * `kafka-cluster:AlterCluster`; DescribeAcls needs `kafka-cluster:DescribeCluster`). No topic,
 * group or data action: the Job cannot read or write messages.
 */
export class MskAclAdminRole extends Construct {
  readonly role: IrsaRole;

  constructor(scope: Construct, id: string, props: MskAclAdminRoleProps) {
    super(scope, id);
    setComponent(this, 'msk');
    this.role = new IrsaRole(this, 'role', {
      roleName: mskAclAdminRoleName(props.clusterName),
      oidc: props.oidc,
      partition: props.partition,
      namespace: props.namespace,
      serviceAccount: MSK_ACL_ADMIN_SERVICE_ACCOUNT,
      statements: [
        {
          Sid: 'ManageKafkaAcls',
          Effect: 'Allow',
          Action: ['kafka-cluster:Connect', 'kafka-cluster:DescribeCluster', 'kafka-cluster:AlterCluster'],
          Resource: props.clusterArn,
        },
      ],
    });
  }

  get arn(): string {
    return this.role.arn;
  }
}
