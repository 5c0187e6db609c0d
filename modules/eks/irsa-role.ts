import { Construct } from 'constructs';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
import { IamRolePolicyAttachment } from '@cdktf/provider-aws/lib/iam-role-policy-attachment';
import { PolicyDocument, type PolicyStatement } from '../common/iam';

/** What a role for service accounts needs to know about the cluster's OIDC identity provider. */
export interface OidcIdentity {
  /** ARN of the IAM OIDC provider of the cluster. */
  readonly providerArn: string;
  /** Issuer without `https://`, e.g. `oidc.eks.us-east-1.amazonaws.com/id/ABC`; prefix of the condition keys. */
  readonly issuerHost: string;
}

export interface IrsaRoleProps {
  readonly roleName: string;
  readonly oidc: OidcIdentity;
  readonly namespace: string;
  readonly serviceAccount: string;
  readonly partition: string;
  /** AWS managed policies (names after `policy/`) to attach. @default - none */
  readonly managedPolicies?: readonly string[];
  /** Inline policy statements. @default - none */
  readonly statements?: readonly PolicyStatement[];
}

/**
 * An IAM role that exactly one Kubernetes service account can assume through the cluster's OIDC
 * provider (IRSA): the trust pins both the subject and the audience.
 */
export class IrsaRole extends Construct {
  readonly role: IamRole;
  readonly namespace: string;
  readonly serviceAccount: string;

  constructor(scope: Construct, id: string, props: IrsaRoleProps) {
    super(scope, id);
    this.namespace = props.namespace;
    this.serviceAccount = props.serviceAccount;
    const trust = new PolicyDocument(this, 'trust', [
      {
        Effect: 'Allow',
        Principal: { Federated: props.oidc.providerArn },
        Action: 'sts:AssumeRoleWithWebIdentity',
        Condition: {
          StringEquals: {
            [`${props.oidc.issuerHost}:sub`]: `system:serviceaccount:${props.namespace}:${props.serviceAccount}`,
            [`${props.oidc.issuerHost}:aud`]: 'sts.amazonaws.com',
          },
        },
      },
    ]);
    this.role = new IamRole(this, 'role', {
      name: props.roleName,
      description: `IRSA role of ${props.namespace}/${props.serviceAccount}`,
      assumeRolePolicy: trust.json,
    });
    for (const name of props.managedPolicies ?? []) {
      new IamRolePolicyAttachment(this, `managed-${name}`, {
        role: this.role.name,
        policyArn: `arn:${props.partition}:iam::aws:policy/${name}`,
      });
    }
    if (props.statements?.length) {
      new IamRolePolicy(this, 'policy', {
        role: this.role.id,
        name: 'least-privilege',
        policy: new PolicyDocument(this, 'permissions', props.statements).json,
      });
    }
  }

  get arn(): string {
    return this.role.arn;
  }
}
