import type { TerraformProvider } from 'cdktf';
import { Construct } from 'constructs';
import { setComponent } from '../common/context';
import type { PolicyStatement } from '../common/iam';
import { IrsaRole, type OidcIdentity } from '../eks/irsa-role';
import type { BucketProtection } from '../storage/protection';
import { SecureBucket, type BucketObjectLock } from '../storage/secure-bucket';

export const CLICKHOUSE_NAMESPACE = 'clickhouse';
/** Service account the ClickHouse pods run as (set in the installation's pod template). */
export const CLICKHOUSE_SERVICE_ACCOUNT = 'clickhouse';

/**
 * The key prefix one region's ClickHouse writes its backups under, in its own bucket and, through
 * replication, in the next region's: `backups/<AWS region code>/`. Every region used to write
 * `backups/`, so a replica landed on the destination region's own keys and the two regions
 * overwrote (and, with delete-marker replication, deleted) each other's backups. The region code
 * is unique per configuration (validation refuses duplicates) and is what both the data stack
 * (IRSA role) and the workloads stack (installation) already know.
 */
export function clickhouseBackupPrefix(region: string): string {
  if (!/^[a-z]{2}(-[a-z]+)+-\d$/.test(region)) throw new Error(`expected an AWS region code, got ${region}`);
  return `backups/${region}/`;
}

export interface ClickHouseBackupBucketProps {
  readonly bucketName: string;
  /** The region's backup key: bucket encryption. */
  readonly kmsKeyArn: string;
  /** Days a backup object, and each noncurrent version, is kept. */
  readonly retentionDays: number;
  readonly provider?: TerraformProvider;
  /** Object Lock of the bucket. @default - none */
  readonly objectLock?: BucketObjectLock;
  /**
   * Who alone may delete versions or weaken the bucket. Give it `allowDeleteMarkers`: ClickHouse
   * deletes its disk access-check object at every start (on this versioned bucket: a delete marker).
   * @default - no deny statements
   */
  readonly protection?: BucketProtection;
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
      dataClass: 'backup',
      objectLock: props.objectLock,
      protection: props.protection,
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

/**
 * IRSA role of the ClickHouse pods: read and write their region's prefix of its backup bucket
 * (`clickhouseBackupPrefix`), nothing else, so a region can never overwrite or delete the
 * replicas of another region's backups that share the bucket.
 */
export class ClickHouseBackupRole extends Construct {
  readonly role: IrsaRole;

  constructor(scope: Construct, id: string, props: ClickHouseBackupRoleProps) {
    super(scope, id);
    setComponent(this, 'clickhouse');
    const prefix = clickhouseBackupPrefix(props.region);
    const statements: PolicyStatement[] = [
      {
        Sid: 'LocateBucket',
        Effect: 'Allow',
        Action: 's3:GetBucketLocation',
        Resource: props.bucketArn,
      },
      {
        Sid: 'ListBackups',
        Effect: 'Allow',
        Action: 's3:ListBucket',
        Resource: props.bucketArn,
        Condition: { StringLike: { 's3:prefix': [`${prefix}*`] } },
      },
      {
        // DeleteObject stays: ClickHouse's S3 disk writes and deletes an access-check object at
        // every start, native BACKUP removes its lock file, and clickhouse-backup deletes what it
        // no longer keeps. On this versioned bucket a delete only adds a delete marker: the version
        // stays (s3:DeleteObjectVersion is denied to all but the break-glass role) and replication
        // does not copy the marker.
        Sid: 'ReadWriteBackups',
        Effect: 'Allow',
        Action: ['s3:GetObject', 's3:PutObject', 's3:DeleteObject', 's3:AbortMultipartUpload'],
        Resource: `${props.bucketArn}/${prefix}*`,
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
