import type { TerraformProvider } from 'cdktf';
import { Construct } from 'constructs';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
import { S3BucketReplicationConfigurationA } from '@cdktf/provider-aws/lib/s3-bucket-replication-configuration';
import { setComponent } from '../common/context';
import { PolicyDocument, serviceTrust } from '../common/iam';

/** One end of a replication: a versioned bucket in a region, SSE-KMS with `kmsKeyArn` or else SSE-S3. */
export interface ReplicationEnd {
  readonly bucketName: string;
  readonly bucketArn: string;
  /** Key of the bucket's default encryption; omitted for an SSE-S3 bucket (ALB access logs). */
  readonly kmsKeyArn?: string;
  readonly region: string;
}

export interface BucketReplicationProps {
  readonly source: ReplicationEnd;
  readonly destination: ReplicationEnd;
  readonly roleName: string;
  readonly accountId: string;
  /** Provider of the source region. */
  readonly provider?: TerraformProvider;
  /** Component tag of the replication's resources. @default 'clickhouse' */
  readonly component?: string;
  /** Name of the role's inline policy. @default 'replicate-backups' */
  readonly policyName?: string;
}

/**
 * Replicates every object of `source` to `destination` in another region, re-encrypted with the
 * destination's key (SSE-KMS ends), with replication time control (15 minutes) and metrics. Delete
 * markers stay behind: a delete in one region (by mistake or by an intruder) leaves the other
 * region's copy current, and the role gets no s3:ReplicateDelete. Object Lock retention travels
 * with each replica (the role reads it). Lives where both buckets are visible (the global stack),
 * so regional stacks stay independent.
 */
export class BucketReplication extends Construct {
  readonly role: IamRole;
  readonly configuration: S3BucketReplicationConfigurationA;

  constructor(scope: Construct, id: string, props: BucketReplicationProps) {
    super(scope, id);
    setComponent(this, props.component ?? 'clickhouse');
    const { source, destination, provider } = props;
    this.role = new IamRole(this, 'role', {
      provider,
      name: props.roleName,
      assumeRolePolicy: new PolicyDocument(this, 'trust', serviceTrust('s3.amazonaws.com', props.accountId), provider)
        .json,
    });
    new IamRolePolicy(this, 'policy', {
      provider,
      role: this.role.id,
      name: props.policyName ?? 'replicate-backups',
      policy: new PolicyDocument(
        this,
        'permissions',
        [
          {
            Sid: 'ReadSource',
            Effect: 'Allow',
            Action: ['s3:GetReplicationConfiguration', 's3:ListBucket'],
            Resource: source.bucketArn,
          },
          {
            Sid: 'ReadSourceVersions',
            Effect: 'Allow',
            Action: [
              's3:GetObjectVersionForReplication',
              's3:GetObjectVersionAcl',
              's3:GetObjectVersionTagging',
              's3:GetObjectRetention',
              's3:GetObjectLegalHold',
            ],
            Resource: `${source.bucketArn}/*`,
          },
          {
            Sid: 'WriteReplica',
            Effect: 'Allow',
            Action: ['s3:ReplicateObject', 's3:ReplicateTags'],
            Resource: `${destination.bucketArn}/*`,
          },
          ...(source.kmsKeyArn
            ? [
                {
                  Sid: 'DecryptSource',
                  Effect: 'Allow' as const,
                  Action: 'kms:Decrypt',
                  Resource: source.kmsKeyArn,
                  Condition: { StringEquals: { 'kms:ViaService': `s3.${source.region}.amazonaws.com` } },
                },
              ]
            : []),
          ...(destination.kmsKeyArn
            ? [
                {
                  Sid: 'EncryptReplica',
                  Effect: 'Allow' as const,
                  Action: ['kms:Encrypt', 'kms:GenerateDataKey'],
                  Resource: destination.kmsKeyArn,
                  Condition: { StringEquals: { 'kms:ViaService': `s3.${destination.region}.amazonaws.com` } },
                },
              ]
            : []),
        ],
        provider,
      ).json,
    });
    this.configuration = new S3BucketReplicationConfigurationA(this, 'replication', {
      provider,
      bucket: source.bucketName,
      role: this.role.arn,
      rule: [
        {
          id: `to-${destination.region}`,
          status: 'Enabled',
          priority: 1,
          filter: {},
          deleteMarkerReplication: { status: 'Disabled' },
          sourceSelectionCriteria: source.kmsKeyArn ? { sseKmsEncryptedObjects: { status: 'Enabled' } } : undefined,
          destination: {
            bucket: destination.bucketArn,
            storageClass: 'STANDARD_IA',
            encryptionConfiguration: destination.kmsKeyArn ? { replicaKmsKeyId: destination.kmsKeyArn } : undefined,
            replicationTime: { status: 'Enabled', time: { minutes: 15 } },
            metrics: { status: 'Enabled', eventThreshold: { minutes: 15 } },
          },
        },
      ],
    });
  }
}
