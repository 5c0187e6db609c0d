import type { TerraformProvider } from 'cdktf';
import { Construct } from 'constructs';
import { DynamodbTable } from '@cdktf/provider-aws/lib/dynamodb-table';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
import { S3BucketReplicationConfigurationA } from '@cdktf/provider-aws/lib/s3-bucket-replication-configuration';
import { setComponent } from '../common/context';
import { PolicyDocument, serviceTrust } from '../common/iam';
import { RegionalKey } from '../kms/regional-key';
import { AccessLogSink } from '../storage/access-log-sink';
import { SecureBucket } from '../storage/secure-bucket';

export interface StateBackendProps {
  readonly bucketName: string;
  readonly replicaBucketName: string;
  readonly lockTableName: string;
  /** Alias of the state keys without `alias/`; the same alias is created in both regions. */
  readonly kmsAliasName: string;
  readonly region: string;
  readonly replicaRegion: string;
  /** Provider for the replica region (the stack's default provider serves `region`). */
  readonly replicaProvider: TerraformProvider;
  readonly noncurrentVersionExpirationDays: number;
  /** Name of the replication role. */
  readonly replicationRoleName: string;
  readonly accountId: string;
  readonly partition: string;
  /**
   * S3 server access logs of the state bucket and its replica, each into a sink of its own region
   * (S3 delivers within a region only; the regional stacks' sinks deploy after this stack).
   * @default - no access logging
   */
  readonly accessLogs?: {
    readonly bucketName: string;
    readonly replicaBucketName: string;
    readonly retentionDays: number;
  };
}

/**
 * What Terraform's S3 backend needs: a KMS-encrypted, versioned state bucket replicated to a
 * second region, and a DynamoDB lock table. Everything stateful here has `prevent_destroy`.
 *
 * Writes must ask for SSE-KMS: the backend sets `kms_key_id` to the state key's alias, and a bucket
 * policy refuses any other encryption header (the S3 backend would otherwise write with SSE-S3).
 */
export class StateBackend extends Construct {
  readonly key: RegionalKey;
  readonly replicaKey: RegionalKey;
  readonly bucket: SecureBucket;
  readonly replicaBucket: SecureBucket;
  readonly lockTable: DynamodbTable;
  /** Access-log sinks of the state region and the replica region, when `accessLogs` is set. */
  readonly accessLogSinks?: { readonly primary: AccessLogSink; readonly replica: AccessLogSink };

  constructor(scope: Construct, id: string, props: StateBackendProps) {
    super(scope, id);
    setComponent(this, 'state');
    const { accountId, partition } = props;
    const lifecycleRules = [
      {
        id: 'expire-noncurrent-state-versions',
        status: 'Enabled',
        filter: [{}],
        noncurrentVersionExpiration: [{ noncurrentDays: props.noncurrentVersionExpirationDays }],
      },
    ];

    this.key = new RegionalKey(this, 'key', {
      aliasName: props.kmsAliasName,
      description: 'Terraform state encryption',
      region: props.region,
      accountId,
      partition,
      allowCloudWatchLogs: false,
    });
    this.replicaKey = new RegionalKey(this, 'replica-key', {
      aliasName: props.kmsAliasName,
      description: 'Terraform state encryption (replica)',
      region: props.replicaRegion,
      accountId,
      partition,
      allowCloudWatchLogs: false,
      provider: props.replicaProvider,
    });

    this.bucket = new SecureBucket(this, 'bucket', {
      bucketName: props.bucketName,
      kmsKeyArn: this.key.arn,
      lifecycleRules,
    });
    this.bucket.addToPolicy({
      Sid: 'DenyWritesWithoutStateKmsEncryption',
      Effect: 'Deny',
      Principal: '*',
      Action: 's3:PutObject',
      Resource: `${this.bucket.arn}/*`,
      Condition: { StringNotEquals: { 's3:x-amz-server-side-encryption': 'aws:kms' } },
    });
    this.replicaBucket = new SecureBucket(this, 'replica-bucket', {
      bucketName: props.replicaBucketName,
      kmsKeyArn: this.replicaKey.arn,
      provider: props.replicaProvider,
      lifecycleRules,
    });

    if (props.accessLogs) {
      const logs = props.accessLogs;
      const primary = new AccessLogSink(this, 'access-logs', {
        bucketName: logs.bucketName,
        accountId,
        retentionDays: logs.retentionDays,
      });
      const replica = new AccessLogSink(this, 'replica-access-logs', {
        bucketName: logs.replicaBucketName,
        accountId,
        retentionDays: logs.retentionDays,
        provider: props.replicaProvider,
      });
      primary.logFrom(this.bucket, 'tfstate');
      replica.logFrom(this.replicaBucket, 'tfstate-replica');
      this.accessLogSinks = { primary, replica };
    }

    const role = new IamRole(this, 'replication-role', {
      name: props.replicationRoleName,
      assumeRolePolicy: new PolicyDocument(this, 'replication-trust', serviceTrust('s3.amazonaws.com', accountId)).json,
    });
    new IamRolePolicy(this, 'replication-policy', {
      role: role.id,
      name: 'replicate-state',
      policy: new PolicyDocument(this, 'replication-permissions', [
        {
          Sid: 'ReadSource',
          Effect: 'Allow',
          Action: ['s3:GetReplicationConfiguration', 's3:ListBucket'],
          Resource: this.bucket.arn,
        },
        {
          Sid: 'ReadSourceVersions',
          Effect: 'Allow',
          Action: ['s3:GetObjectVersionForReplication', 's3:GetObjectVersionAcl', 's3:GetObjectVersionTagging'],
          Resource: `${this.bucket.arn}/*`,
        },
        {
          Sid: 'WriteReplica',
          Effect: 'Allow',
          Action: ['s3:ReplicateObject', 's3:ReplicateTags'],
          Resource: `${this.replicaBucket.arn}/*`,
        },
        {
          Sid: 'DecryptSource',
          Effect: 'Allow',
          Action: 'kms:Decrypt',
          Resource: this.key.arn,
          Condition: { StringEquals: { 'kms:ViaService': `s3.${props.region}.amazonaws.com` } },
        },
        {
          Sid: 'EncryptReplica',
          Effect: 'Allow',
          Action: ['kms:Encrypt', 'kms:GenerateDataKey'],
          Resource: this.replicaKey.arn,
          Condition: { StringEquals: { 'kms:ViaService': `s3.${props.replicaRegion}.amazonaws.com` } },
        },
      ]).json,
    });
    new S3BucketReplicationConfigurationA(this, 'replication', {
      bucket: this.bucket.bucket.id,
      role: role.arn,
      rule: [
        {
          id: 'state-to-replica-region',
          status: 'Enabled',
          priority: 1,
          filter: {},
          // A deleted state object stays current in the replica (the copy for an outage, README).
          deleteMarkerReplication: { status: 'Disabled' },
          sourceSelectionCriteria: { sseKmsEncryptedObjects: { status: 'Enabled' } },
          destination: {
            bucket: this.replicaBucket.arn,
            storageClass: 'STANDARD',
            encryptionConfiguration: { replicaKmsKeyId: this.replicaKey.arn },
            replicationTime: { status: 'Enabled', time: { minutes: 15 } },
            metrics: { status: 'Enabled', eventThreshold: { minutes: 15 } },
          },
        },
      ],
      dependsOn: [...this.bucket.readiness, ...this.replicaBucket.readiness],
    });

    this.lockTable = new DynamodbTable(this, 'lock-table', {
      name: props.lockTableName,
      billingMode: 'PAY_PER_REQUEST',
      hashKey: 'LockID',
      attribute: [{ name: 'LockID', type: 'S' }],
      pointInTimeRecovery: { enabled: true },
      serverSideEncryption: { enabled: true, kmsKeyArn: this.key.arn },
      deletionProtectionEnabled: true,
      lifecycle: { preventDestroy: true },
    });
  }
}
