import { Construct } from 'constructs';
import { BackupPlan } from '@cdktf/provider-aws/lib/backup-plan';
import { BackupRestoreTestingPlan } from '@cdktf/provider-aws/lib/backup-restore-testing-plan';
import { BackupRestoreTestingSelection } from '@cdktf/provider-aws/lib/backup-restore-testing-selection';
import { BackupSelection } from '@cdktf/provider-aws/lib/backup-selection';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
import { IamRolePolicyAttachment } from '@cdktf/provider-aws/lib/iam-role-policy-attachment';
import { setComponent } from '../common/context';
import { PolicyDocument } from '../common/iam';
import type { RegionalBackupVault } from './backup-vault';

/** Where a region's recovery points are copied. */
export interface BackupCopyTarget {
  /** ARN of the other region's vault (by name: it lives in another stack). */
  readonly vaultArn: string;
  /** AWS region code of that vault, for the KMS grant on its keys. */
  readonly regionCode: string;
  readonly retentionDays: number;
}

export interface AuroraBackupPlanProps {
  /** Prefix of the plan, role and restore-testing names. */
  readonly name: string;
  /** The region's vault: daily recovery points land here, and restore tests pick from it. */
  readonly vault: RegionalBackupVault;
  readonly clusterArn: string;
  /** Subnet group restore tests restore into (the cluster's own: the account may have no default VPC). */
  readonly subnetGroupName: string;
  /** AWS Backup `cron(...)` expression in UTC, outside the cluster's backup and maintenance windows. */
  readonly schedule: string;
  readonly retentionDays: number;
  readonly copy: BackupCopyTarget;
  /** Region's key: Aurora snapshots stay under the cluster's key in the source region. */
  readonly kmsKeyArn: string;
  /**
   * A weekly restore test of the newest recovery point of the cluster.
   * @default true
   */
  readonly restoreTesting?: boolean;
  readonly accountId: string;
  readonly partition: string;
  /** AWS region code of the plan and its key (scopes the key grant to RDS and AWS Backup there). */
  readonly regionCode: string;
}

/** Restore tests run Sunday 06:00 UTC, after every region's daily backup (they start in the local night). */
export const RESTORE_TEST_SCHEDULE = 'cron(0 6 ? * SUN *)';

/**
 * A daily AWS Backup plan for one Aurora cluster, with a copy to another region's vault, the
 * service role AWS Backup assumes, and (by default) a weekly restore test.
 *
 * The role carries the AWS managed `AWSBackupServiceRolePolicyForBackup` and `...ForRestores`:
 * AWS keeps them current as Backup adds features (snapshot copy, restore-test cleanup), their
 * resource scoping is AWS's, and IAM cannot narrow `rds:CopyDBClusterSnapshot` by the source
 * cluster anyway. Aurora snapshots stay under the cluster's key; the inline policy lets the role
 * use this region's key and, through RDS only, the keys of the copy's region.
 */
export class AuroraBackupPlan extends Construct {
  readonly role: IamRole;
  readonly plan: BackupPlan;
  readonly selection: BackupSelection;
  readonly restoreTestingPlan?: BackupRestoreTestingPlan;

  constructor(scope: Construct, id: string, props: AuroraBackupPlanProps) {
    super(scope, id);
    setComponent(this, 'backup');
    const { name, partition, accountId } = props;
    const region = props.regionCode;

    this.role = new IamRole(this, 'role', {
      name: `${name}-backup`,
      // No aws:SourceAccount condition, unlike serviceTrust(): AWS Backup's own default role trusts
      // backup.amazonaws.com without one, and a key the service does not send would stop every job.
      assumeRolePolicy: new PolicyDocument(this, 'trust', [
        { Effect: 'Allow', Principal: { Service: 'backup.amazonaws.com' }, Action: 'sts:AssumeRole' },
      ]).json,
    });
    for (const policy of ['AWSBackupServiceRolePolicyForBackup', 'AWSBackupServiceRolePolicyForRestores']) {
      new IamRolePolicyAttachment(this, policy, {
        role: this.role.name,
        policyArn: `arn:${partition}:iam::aws:policy/service-role/${policy}`,
      });
    }
    new IamRolePolicy(this, 'keys', {
      role: this.role.id,
      name: 'backup-keys',
      policy: new PolicyDocument(this, 'keys-policy', [
        {
          Sid: 'RegionKey',
          Effect: 'Allow',
          Action: ['kms:Decrypt', 'kms:DescribeKey', 'kms:Encrypt', 'kms:GenerateDataKey*', 'kms:ReEncrypt*'],
          Resource: props.kmsKeyArn,
          // Snapshots and recovery points are made by RDS and AWS Backup, never by the role directly.
          Condition: {
            StringEquals: { 'kms:ViaService': [`rds.${region}.amazonaws.com`, `backup.${region}.amazonaws.com`] },
          },
        },
        {
          Sid: 'RegionKeyGrants',
          Effect: 'Allow',
          Action: 'kms:CreateGrant',
          Resource: props.kmsKeyArn,
          Condition: { Bool: { 'kms:GrantIsForAWSResource': 'true' } },
        },
        {
          // The copy is re-encrypted under a key of the destination region, which this stack does
          // not know by ARN: any key there, but only through RDS and AWS Backup.
          Sid: 'CopyRegionKeys',
          Effect: 'Allow',
          Action: ['kms:CreateGrant', 'kms:DescribeKey', 'kms:Encrypt', 'kms:GenerateDataKey*', 'kms:ReEncrypt*'],
          Resource: `arn:${partition}:kms:${props.copy.regionCode}:${accountId}:key/*`,
          Condition: {
            StringEquals: {
              'kms:ViaService': [
                `rds.${props.copy.regionCode}.amazonaws.com`,
                `backup.${props.copy.regionCode}.amazonaws.com`,
              ],
            },
          },
        },
      ]).json,
    });

    this.plan = new BackupPlan(this, 'plan', {
      name: `${name}-daily`,
      rule: [
        {
          ruleName: 'daily',
          targetVaultName: props.vault.name,
          schedule: props.schedule,
          startWindow: 60,
          completionWindow: 480,
          lifecycle: { deleteAfter: props.retentionDays },
          copyAction: [
            { destinationVaultArn: props.copy.vaultArn, lifecycle: { deleteAfter: props.copy.retentionDays } },
          ],
        },
      ],
    });
    this.selection = new BackupSelection(this, 'selection', {
      name: `${name}-cluster`,
      planId: this.plan.id,
      iamRoleArn: this.role.arn,
      resources: [props.clusterArn],
    });

    if (props.restoreTesting ?? true) {
      this.restoreTestingPlan = new BackupRestoreTestingPlan(this, 'restore-testing', {
        // Restore-testing plan names allow letters, digits and underscores only.
        name: `${name.replace(/[^A-Za-z0-9]/g, '_')}_restore_test`,
        scheduleExpression: RESTORE_TEST_SCHEDULE,
        startWindowHours: 24,
        recoveryPointSelection: [
          {
            algorithm: 'LATEST_WITHIN_WINDOW',
            includeVaults: [props.vault.arn],
            recoveryPointTypes: ['SNAPSHOT'],
            selectionWindowDays: 7,
          },
        ],
      });
      new BackupRestoreTestingSelection(this, 'restore-testing-selection', {
        name: 'aurora',
        restoreTestingPlanName: this.restoreTestingPlan.name,
        protectedResourceType: 'Aurora',
        protectedResourceArns: [props.clusterArn],
        iamRoleArn: this.role.arn,
        restoreMetadataOverrides: { dbSubnetGroupName: props.subnetGroupName },
      });
    }
  }
}

/**
 * A daily AWS Backup schedule two hours before the cluster's automated-backup window
 * (`hh24:mi-hh24:mi` UTC): the job's one-hour start window closes before RDS takes its own daily
 * snapshot, and the maintenance window (placed after the backup window) is never touched.
 */
export function dailyScheduleBefore(backupWindow: string): string {
  const match = /^(\d{2}):(\d{2})-/.exec(backupWindow);
  if (!match) throw new Error(`expected a backup window "hh24:mi-hh24:mi", got "${backupWindow}"`);
  const hour = (Number(match[1]) + 22) % 24;
  return `cron(${Number(match[2])} ${hour} * * ? *)`;
}
