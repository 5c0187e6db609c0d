import { TerraformOutput } from 'cdktf';
import type { Construct } from 'constructs';
import { StateBackend } from '../../modules/state-backend/state-backend';
import type { PlatformPlan } from '../plan/types';
import { PlatformStack } from './platform-stack';

/**
 * Creates the state bucket, its cross-region replica and the lock table. Starts on local state
 * (nothing exists to hold it yet) until `state.bootstrapBackend` is switched to `s3`; see README.
 */
export class BootstrapStack extends PlatformStack {
  readonly backend: StateBackend;

  constructor(scope: Construct, id: string, props: { readonly plan: PlatformPlan }) {
    super(scope, id, {
      plan: props.plan,
      regionKey: props.plan.primary.key,
      remoteState: props.plan.config.state.bootstrapBackend === 's3',
    });
    const state = this.config.state;
    this.awsProvider('aws', state.region);
    const replicaProvider = this.awsProvider('aws-replica', state.replicaRegion, 'replica');
    this.backend = new StateBackend(this, 'state', {
      bucketName: state.bucket,
      replicaBucketName: state.replicaBucket,
      lockTableName: state.lockTable,
      kmsAliasName: state.kmsKeyAlias.replace(/^alias\//, ''),
      region: state.region,
      replicaRegion: state.replicaRegion,
      replicaProvider,
      noncurrentVersionExpirationDays: state.noncurrentVersionExpirationDays,
      replicationRoleName: this.naming.global('tfstate-replication'),
      accountId: this.accountId,
      partition: this.partition,
      accessLogs: this.config.security.accessLogs.enabled
        ? {
            bucketName: props.plan.names.stateAccessLogs.primary,
            replicaBucketName: props.plan.names.stateAccessLogs.replica,
            retentionDays: this.config.security.accessLogs.retentionDays,
          }
        : undefined,
    });
    new TerraformOutput(this, 'state_bucket_name', { value: this.backend.bucket.name });
    new TerraformOutput(this, 'state_replica_bucket_name', { value: this.backend.replicaBucket.name });
    new TerraformOutput(this, 'state_lock_table_name', { value: this.backend.lockTable.name });
    new TerraformOutput(this, 'state_kms_key_arn', { value: this.backend.key.arn });
  }
}
