import type { TerraformProvider } from 'cdktf';
import { Construct } from 'constructs';
import { KmsAlias } from '@cdktf/provider-aws/lib/kms-alias';
import { KmsKey } from '@cdktf/provider-aws/lib/kms-key';
import { setComponent } from '../common/context';
import { PolicyDocument, type PolicyStatement } from '../common/iam';
import { KEY_PURPOSE_TAG, type DataClass } from '../storage/settings';

export interface RegionalKeyProps {
  /** Alias without the `alias/` prefix. */
  readonly aliasName: string;
  readonly description: string;
  /** AWS region code the key lives in (scopes the CloudWatch Logs grant). */
  readonly region: string;
  readonly accountId: string;
  readonly partition: string;
  /**
   * Days KMS waits before deleting the key once scheduled.
   * @default 30 - the maximum, the longest window to cancel an accidental deletion
   */
  readonly deletionWindowInDays?: number;
  /**
   * Let CloudWatch Logs in this region encrypt this account's log groups with the key.
   * @default true
   */
  readonly allowCloudWatchLogs?: boolean;
  /** Provider to create the key with. @default - the stack's default provider */
  readonly provider?: TerraformProvider;
  /**
   * The one data class the key serves (tag `key-purpose`): audit logs or backups, kept apart from
   * the key of everything else so that a grant on one does not open the others.
   * @default - a general key (no tag)
   */
  readonly purpose?: DataClass;
}

/**
 * The customer-managed key of one region: rotation on, `prevent_destroy`, and a key policy that
 * gives the account's IAM control and lets CloudWatch Logs in this region use it for log groups
 * of this account only. Other modules add the service grants they need with `addToPolicy`.
 */
export class RegionalKey extends Construct {
  readonly key: KmsKey;
  readonly alias: KmsAlias;
  private readonly policy: PolicyDocument;

  constructor(scope: Construct, id: string, props: RegionalKeyProps) {
    super(scope, id);
    setComponent(this, 'kms');
    this.policy = new PolicyDocument(
      this,
      'policy',
      [
        {
          Sid: 'AccountAdministration',
          Effect: 'Allow',
          Principal: { AWS: `arn:${props.partition}:iam::${props.accountId}:root` },
          Action: 'kms:*',
          Resource: '*',
        },
      ],
      props.provider,
    );
    if (props.allowCloudWatchLogs ?? true) {
      this.policy.add({
        Sid: 'CloudWatchLogs',
        Effect: 'Allow',
        Principal: { Service: `logs.${props.region}.amazonaws.com` },
        Action: ['kms:Encrypt*', 'kms:Decrypt*', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:Describe*'],
        Resource: '*',
        Condition: {
          ArnLike: {
            'kms:EncryptionContext:aws:logs:arn': `arn:${props.partition}:logs:${props.region}:${props.accountId}:*`,
          },
        },
      });
    }
    this.key = new KmsKey(this, 'key', {
      description: props.description,
      enableKeyRotation: true,
      rotationPeriodInDays: 365,
      deletionWindowInDays: props.deletionWindowInDays ?? 30,
      provider: props.provider,
      policy: this.policy.json,
      lifecycle: { preventDestroy: true },
      tags: props.purpose ? { [KEY_PURPOSE_TAG]: props.purpose } : undefined,
    });
    this.alias = new KmsAlias(this, 'alias', {
      provider: props.provider,
      name: `alias/${props.aliasName}`,
      targetKeyId: this.key.keyId,
    });
  }

  get arn(): string {
    return this.key.arn;
  }

  /** Adds a statement to the key policy (for service principals that need a key-policy grant). */
  addToPolicy(statement: PolicyStatement): void {
    this.policy.add(statement);
  }
}

/** A service-linked role, named the way IAM names them: `role/aws-service-role/<service>/<name>`. */
export interface ServiceLinkedRole {
  /** Service principal that owns the role, e.g. `autoscaling.amazonaws.com`. */
  readonly service: string;
  /** Role name, e.g. `AWSServiceRoleForAutoScaling`. */
  readonly roleName: string;
}

export function serviceLinkedRoleArn(partition: string, accountId: string, role: ServiceLinkedRole): string {
  return `arn:${partition}:iam::${accountId}:role/aws-service-role/${role.service}/${role.roleName}`;
}

/**
 * A key-policy statement for a service-linked role that may not exist yet.
 *
 * KMS checks every principal ARN of a key policy when the policy is set and refuses the policy
 * (MalformedPolicyDocumentException) when a named role does not exist. Service-linked roles appear
 * only when the service first needs them (EC2 Auto Scaling creates `AWSServiceRoleForAutoScaling`
 * with the first Auto Scaling group, here: the EKS node group, created after the key), so naming
 * the role in `Principal` fails in a fresh account. Instead the statement names every principal
 * (`AWS: *`) and admits only the role's ARN through `aws:PrincipalArn`, which KMS evaluates per
 * request: nothing to resolve when the policy is set, the same effect once the role exists.
 *
 * Not `Principal: <account root>` with the same condition: the account principal only delegates
 * to IAM, so the role would also need an identity policy allowing the key, and service-linked
 * roles carry the service's fixed policy (none allows KMS on our key). Not an
 * `aws_iam_service_linked_role` either: the role is per account and usually exists already
 * (creating it again fails), and the regional stacks that own the keys would all have to wait for
 * the one stack that creates it.
 */
export function serviceLinkedRoleKeyStatement(
  partition: string,
  accountId: string,
  role: ServiceLinkedRole,
  statement: Omit<PolicyStatement, 'Principal' | 'Effect'>,
): PolicyStatement {
  return {
    ...statement,
    Effect: 'Allow',
    Principal: { AWS: '*' },
    Condition: {
      ...statement.Condition,
      ArnLike: { 'aws:PrincipalArn': serviceLinkedRoleArn(partition, accountId, role) },
    },
  };
}
