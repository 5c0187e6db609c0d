import { CloudBackend, type S3BackendConfig } from 'cdktf';
import type { Construct } from 'constructs';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { DataAwsCallerIdentity } from '@cdktf/provider-aws/lib/data-aws-caller-identity';
import { DataAwsPartition } from '@cdktf/provider-aws/lib/data-aws-partition';
import { setRegion } from '../../modules/common/context';
import {
  enableS3NativeLocking,
  followAppHclOutput,
  FrozenTerraformStack,
  NamedCloudWorkspaceWithHclProject,
  portableLocalBackend,
  S3BackendWithPlainReaders,
} from '../cdktf-workarounds';
import type { PlatformConfig, StateBackendConfig } from '../config/types';
import { Naming } from '../plan/naming';
import type { PlatformPlan } from '../plan/types';

export interface PlatformStackProps {
  /** The resolved plan (src/plan): every stack reads its facts from here. */
  readonly plan: PlatformPlan;
  /** Region key for tagging; omitted for stacks that span regions. */
  readonly regionKey?: string;
  /**
   * Keep state in the S3 backend.
   * @default true - only the bootstrap stack starts on local state
   */
  readonly remoteState?: boolean;
}

/**
 * Base of every stack: S3 backend with its own key, DynamoDB and S3-native locking, KMS-encrypted
 * state (on the replica copy, `state.use: 'replica'`, S3-native locking only); and the helpers every
 * stack needs (providers pinned to the account, account facts). The cdktf workarounds it relies on
 * are in ../cdktf-workarounds (`freezeTerraform` comes from `FrozenTerraformStack`).
 */
export abstract class PlatformStack extends FrozenTerraformStack {
  readonly plan: PlatformPlan;
  readonly config: PlatformConfig;
  readonly naming: Naming;
  private accountData?: { identity: DataAwsCallerIdentity; partition: DataAwsPartition };

  constructor(scope: Construct, id: string, props: PlatformStackProps) {
    super(scope, id);
    followAppHclOutput(this);
    if (props.regionKey) setRegion(this, props.regionKey);
    this.plan = props.plan;
    this.config = props.plan.config;
    this.naming = new Naming(this.config);
    if ((props.remoteState ?? true) && this.config.state.mode === 'terraform-cloud') {
      new PlatformCloudBackend(this, this.config, this.naming.workspace(id));
    } else if (props.remoteState ?? true) {
      // Cross-stack readers copy the producing stack's settings, so they read the same copy.
      new S3BackendWithPlainReaders(this, s3BackendSettings(this.config.state, this.naming.stateKey(id)));
      enableS3NativeLocking(this);
    } else {
      portableLocalBackend(this);
    }
  }

  /** An AWS provider for `region`, refusing any account but the configured one. */
  protected awsProvider(id: string, region: string, alias?: string): AwsProvider {
    return new AwsProvider(this, id, {
      region,
      alias,
      allowedAccountIds: this.config.accountId ? [this.config.accountId] : undefined,
    });
  }

  /** Account id of the credentials in use (read at plan time, never at synth). */
  get accountId(): string {
    return this.account().identity.accountId;
  }

  get partition(): string {
    return this.account().partition.partition;
  }

  private account() {
    this.accountData ??= {
      identity: new DataAwsCallerIdentity(this, 'caller'),
      partition: new DataAwsPartition(this, 'partition'),
    };
    return this.accountData;
  }
}

/**
 * The S3 backend of the stack whose state is `key`, on the copy `state.use` selects. The primary
 * copy locks with the DynamoDB table and the S3 lock file; the replica (`replicaBucket` in
 * `replicaRegion`, the same key, the state key's alias, which exists in both regions) with the S3
 * lock file only, because the lock table lives in the region that is down.
 */
function s3BackendSettings(state: StateBackendConfig, key: string): S3BackendConfig {
  if (state.use === 'replica') {
    return {
      bucket: state.replicaBucket,
      key,
      region: state.replicaRegion,
      encrypt: true,
      kmsKeyId: state.kmsKeyAlias,
    };
  }
  return {
    bucket: state.bucket,
    key,
    region: state.region,
    encrypt: true,
    kmsKeyId: state.kmsKeyAlias,
    dynamodbTable: state.lockTable,
  };
}

/**
 * Terraform Cloud mode: a `cloud` block naming the stack's own workspace. Readers of its outputs get
 * cdktf's `terraform_remote_state` with the `remote` backend on the same organization and workspace
 * (the source workspace must share its state with them, see docs/delivery.md).
 */
class PlatformCloudBackend extends CloudBackend {
  constructor(scope: Construct, config: PlatformConfig, workspace: string) {
    const cloud = config.state.terraformCloud;
    if (!cloud) throw new Error('state.terraformCloud is required in terraform-cloud mode (validateConfig checks it)');
    super(scope, {
      organization: cloud.organization,
      hostname: cloud.hostname,
      // Keeps `project` in HCL output too (cdktf 0.21 drops it there).
      workspaces: new NamedCloudWorkspaceWithHclProject(workspace, cloud.project),
    });
  }
}
