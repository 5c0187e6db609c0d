import { TerraformStack, Testing } from 'cdktf';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { StateBackend } from '../modules/state-backend/state-backend';
import { resources, type StackJson } from './support/synth';

type Statement = {
  sid?: string;
  effect: string;
  actions: string[];
  resources?: string[];
  condition?: { test: string; variable: string; values: string[] }[];
};

describe('StateBackend', () => {
  let json: StackJson;
  const docs = () => json.data!.aws_iam_policy_document;
  const statementsOf = (nameFragment: string) =>
    Object.entries(docs()).find(([name]) => name.includes(nameFragment))![1].statement as Statement[];

  beforeAll(() => {
    const app = Testing.app();
    const stack = new TerraformStack(app, 'bootstrap');
    new AwsProvider(stack, 'aws', { region: 'us-east-1' });
    const replicaProvider = new AwsProvider(stack, 'replica', { region: 'eu-west-1', alias: 'replica' });
    new StateBackend(stack, 'state', {
      bucketName: 'acme-tfstate',
      replicaBucketName: 'acme-tfstate-replica',
      lockTableName: 'acme-tflock',
      kmsAliasName: 'acme-tfstate',
      region: 'us-east-1',
      replicaRegion: 'eu-west-1',
      replicaProvider,
      noncurrentVersionExpirationDays: 90,
      replicationRoleName: 'acme-tfstate-replication',
      accountId: '111111111111',
      partition: 'aws',
    });
    json = JSON.parse(Testing.synth(stack)) as StackJson;
  });

  test('two buckets, both protected from destroy, the replica in the replica region', () => {
    const buckets = resources(json, 'aws_s3_bucket');
    expect(buckets.map((b) => b.bucket).sort()).toEqual(['acme-tfstate', 'acme-tfstate-replica']);
    expect(buckets.every((b) => (b.lifecycle as { prevent_destroy: boolean }).prevent_destroy)).toBe(true);
    expect(buckets.find((b) => b.bucket === 'acme-tfstate-replica')!.provider).toBe('aws.replica');
  });

  test('versioned, SSE-KMS with bucket keys, public access fully blocked, owner enforced', () => {
    expect(resources(json, 'aws_s3_bucket_versioning').map((v) => v.versioning_configuration)).toEqual([
      { status: 'Enabled' },
      { status: 'Enabled' },
    ]);
    for (const sse of resources(json, 'aws_s3_bucket_server_side_encryption_configuration')) {
      expect(sse.rule).toEqual([
        expect.objectContaining({
          apply_server_side_encryption_by_default: expect.objectContaining({ sse_algorithm: 'aws:kms' }),
          bucket_key_enabled: true,
        }),
      ]);
    }
    for (const pab of resources(json, 'aws_s3_bucket_public_access_block')) {
      expect(pab).toMatchObject({
        block_public_acls: true,
        block_public_policy: true,
        ignore_public_acls: true,
        restrict_public_buckets: true,
      });
    }
    expect(resources(json, 'aws_s3_bucket_ownership_controls')).toHaveLength(2);
  });

  test('both bucket policies refuse non-TLS and pre-1.2 TLS; the state bucket refuses writes without SSE-KMS', () => {
    const policies = Object.entries(docs()).filter(([name]) => name.includes('policy-document'));
    expect(policies).toHaveLength(2);
    for (const [, doc] of policies) {
      const sids = (doc.statement as Statement[]).map((s) => s.sid);
      expect(sids).toEqual(expect.arrayContaining(['DenyInsecureTransport', 'DenyOutdatedTls']));
    }
    const state = policies.find(([name]) => !name.includes('replica'))![1].statement as Statement[];
    expect(state.find((s) => s.sid === 'DenyWritesWithoutStateKmsEncryption')).toMatchObject({
      effect: 'Deny',
      actions: ['s3:PutObject'],
      condition: [{ test: 'StringNotEquals', variable: 's3:x-amz-server-side-encryption', values: ['aws:kms'] }],
    });
  });

  test('expires noncurrent state versions and aborts stale uploads', () => {
    const lifecycle = resources(json, 'aws_s3_bucket_lifecycle_configuration')[0];
    expect(lifecycle.rule).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ noncurrent_version_expiration: [{ noncurrent_days: 90 }] }),
        expect.objectContaining({ abort_incomplete_multipart_upload: [{ days_after_initiation: 7 }] }),
      ]),
    );
  });

  test('replicates KMS-encrypted objects, not delete markers, to the replica with its own key', () => {
    const [replication] = resources(json, 'aws_s3_bucket_replication_configuration');
    const [rule] = replication.rule as Record<string, Record<string, unknown>>[];
    expect(rule).toMatchObject({
      status: 'Enabled',
      delete_marker_replication: { status: 'Disabled' },
      source_selection_criteria: { sse_kms_encrypted_objects: { status: 'Enabled' } },
    });
    expect(rule.destination.encryption_configuration).toEqual({
      replica_kms_key_id: expect.stringMatching(/^\$\{aws_kms_key\.state_replica-key_\w+\.arn\}$/),
    });
    expect(replication.depends_on).toHaveLength(2);
  });

  test('the replication role can read the source, write the replica and use each key only via S3', () => {
    const statements = statementsOf('replication-permissions');
    expect(statements.map((s) => s.sid)).toEqual([
      'ReadSource',
      'ReadSourceVersions',
      'WriteReplica',
      'DecryptSource',
      'EncryptReplica',
    ]);
    expect(statements.flatMap((s) => s.actions).some((a) => a.endsWith('*'))).toBe(false);
    expect(statements.find((s) => s.sid === 'EncryptReplica')!.condition).toEqual([
      { test: 'StringEquals', variable: 'kms:ViaService', values: ['s3.eu-west-1.amazonaws.com'] },
    ]);
  });

  test('the lock table: LockID, on demand, PITR, KMS, deletion protection, prevent_destroy', () => {
    expect(resources(json, 'aws_dynamodb_table')).toEqual([
      expect.objectContaining({
        name: 'acme-tflock',
        hash_key: 'LockID',
        attribute: [{ name: 'LockID', type: 'S' }],
        billing_mode: 'PAY_PER_REQUEST',
        point_in_time_recovery: { enabled: true },
        server_side_encryption: expect.objectContaining({ enabled: true }),
        deletion_protection_enabled: true,
        lifecycle: { prevent_destroy: true },
      }),
    ]);
  });

  test('the same KMS alias exists in both regions so the backend can point at either', () => {
    expect(resources(json, 'aws_kms_alias').map((a) => a.name)).toEqual(['alias/acme-tfstate', 'alias/acme-tfstate']);
  });
});
