import type { PolicyStatement } from '../common/iam';
import { DESTRUCTIVE_OBJECT_ACTIONS, PROTECTED_CONFIGURATION_ACTIONS } from './settings';

/** Who may still destroy or weaken a protected bucket. */
export interface BucketProtection {
  /**
   * ArnLike patterns of the exempt principals: the break-glass role and every role that applies
   * Terraform (it creates and later changes the bucket's lifecycle, replication, lock and policy).
   */
  readonly adminPrincipalArns: readonly string[];
  /**
   * Let other principals `s3:DeleteObject`. On a versioned bucket that only adds a delete marker
   * (the version stays, and replication does not copy the marker); for writers that delete as part
   * of their work, such as ClickHouse's disk access check.
   * @default false
   */
  readonly allowDeleteMarkers?: boolean;
}

/** The IAM role ARN pattern of a role name, or `path/name` (`*` allowed), in this account. */
export function roleArnPattern(partition: string, accountId: string, name: string): string {
  return `arn:${partition}:iam::${accountId}:role/${name}`;
}

/**
 * Deny statements of a protected bucket: deleting object versions, lifting or changing retention,
 * and every configuration change that would weaken the bucket, for every principal whose ARN is
 * not one of `adminPrincipalArns` (`aws:PrincipalArn` is the role's ARN for its sessions).
 *
 * Explicit denies win over any identity policy, so an administrator of the account cannot erase
 * audit logs or backups with one permission. The exempt deploy role must be listed or Terraform
 * loses the bucket after the first apply; the account's root user can still replace the policy
 * (S3 never lets a bucket policy lock out the root user), which is the way back if every listed
 * role is gone.
 */
export function protectionStatements(bucketArn: string, protection: BucketProtection): PolicyStatement[] {
  if (protection.adminPrincipalArns.length === 0) {
    throw new Error('bucket protection needs at least one exempt principal (the deploy role)');
  }
  const notAdmin = { ArnNotLike: { 'aws:PrincipalArn': [...protection.adminPrincipalArns] } };
  const objectActions = [...(protection.allowDeleteMarkers ? [] : ['s3:DeleteObject']), ...DESTRUCTIVE_OBJECT_ACTIONS];
  return [
    {
      Sid: 'DenyObjectDestruction',
      Effect: 'Deny',
      Principal: '*',
      Action: objectActions,
      Resource: `${bucketArn}/*`,
      Condition: notAdmin,
    },
    {
      Sid: 'DenyProtectionChanges',
      Effect: 'Deny',
      Principal: '*',
      Action: [...PROTECTED_CONFIGURATION_ACTIONS],
      Resource: bucketArn,
      Condition: notAdmin,
    },
  ];
}
