import type { TerraformProvider } from 'cdktf';
import { Construct } from 'constructs';
import { setComponent } from '../common/context';
import type { PolicyStatement } from '../common/iam';
import { IrsaRole, type OidcIdentity } from '../eks/irsa-role';
import { SecureBucket } from '../storage/secure-bucket';

export const CLICKHOUSE_NAMESPACE = 'clickhouse';
/** Service account the ClickHouse pods run as (set in the installation's pod template). */
export const CLICKHOUSE_SERVICE_ACCOUNT = 'clickhouse';

export interface ClickHouseBackupBucketProps {
  readonly bucketName: string;
  /** Regional key: bucket encryption. */
  readonly kmsKeyArn: string;
  /** Days a backup object, and each noncurrent version, is kept. */
  readonly retentionDays: number;
  readonly provider?: TerraformProvider;
}

/**
 * Where one region's ClickHouse writes its backups: a SecureBucket (private, versioned, SSE-KMS,
 * TLS-only) whose objects and noncurrent versions expire after the retention. Lives in the regional
 * stack; its cross-region replication is configured in the global stack (BucketReplication), the
 * only stack that sees both ends without a cycle.
 */
export class ClickHouseBackupBucket extends Construct {
  readonly bucket: SecureBucket;

  constructor(scope: Construct, id: string, props: ClickHouseBackupBucketProps) {
    super(scope, id);
    setComponent(this, 'clickhouse');
    this.bucket = new SecureBucket(this, 'backups', {
      bucketName: props.bucketName,
      kmsKeyArn: props.kmsKeyArn,
      provider: props.provider,
      lifecycleRules: [
        {
          id: 'expire-backups',
          status: 'Enabled',
          filter: [{}],
          expiration: [{ days: props.retentionDays }],
          noncurrentVersionExpiration: [{ noncurrentDays: props.retentionDays }],
        },
      ],
    });
  }

  get arn(): string {
    return this.bucket.arn;
  }

  get name(): string {
    return this.bucket.name;
  }
}

export interface ClickHouseBackupRoleProps {
  readonly roleName: string;
  readonly bucketArn: string;
  readonly kmsKeyArn: string;
  /** AWS region code of the bucket and key (scopes the KMS grant to S3 in this region). */
  readonly region: string;
  /** The cluster's OIDC identity: only the ClickHouse service account may assume the role (IRSA). */
  readonly oidc: OidcIdentity;
  readonly partition: string;
}

/** IRSA role of the ClickHouse pods: read and write their region's backup bucket, nothing else. */
export class ClickHouseBackupRole extends Construct {
  readonly role: IrsaRole;

  constructor(scope: Construct, id: string, props: ClickHouseBackupRoleProps) {
    super(scope, id);
    setComponent(this, 'clickhouse');
    const statements: PolicyStatement[] = [
      {
        Sid: 'ListBackups',
        Effect: 'Allow',
        Action: ['s3:ListBucket', 's3:GetBucketLocation'],
        Resource: props.bucketArn,
      },
      {
        Sid: 'ReadWriteBackups',
        Effect: 'Allow',
        Action: ['s3:GetObject', 's3:PutObject', 's3:DeleteObject', 's3:AbortMultipartUpload'],
        Resource: `${props.bucketArn}/*`,
      },
      {
        Sid: 'UseBucketKey',
        Effect: 'Allow',
        Action: ['kms:Decrypt', 'kms:GenerateDataKey'],
        Resource: props.kmsKeyArn,
        Condition: { StringEquals: { 'kms:ViaService': `s3.${props.region}.amazonaws.com` } },
      },
    ];
    this.role = new IrsaRole(this, 'pod-role', {
      roleName: props.roleName,
      oidc: props.oidc,
      namespace: CLICKHOUSE_NAMESPACE,
      serviceAccount: CLICKHOUSE_SERVICE_ACCOUNT,
      partition: props.partition,
      statements,
    });
  }

  get arn(): string {
    return this.role.arn;
  }
}
