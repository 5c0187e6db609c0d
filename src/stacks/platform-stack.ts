import {
  App,
  CloudBackend,
  DataTerraformRemoteStateS3,
  LocalBackend,
  NamedCloudWorkspace,
  S3Backend,
  TerraformStack,
  type S3BackendConfig,
  type TerraformRemoteState,
} from 'cdktf';
import type { Construct } from 'constructs';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { DataAwsCallerIdentity } from '@cdktf/provider-aws/lib/data-aws-caller-identity';
import { DataAwsPartition } from '@cdktf/provider-aws/lib/data-aws-partition';
import { setRegion } from '../../modules/common/context';
import type { PlatformConfig } from '../config/types';
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
 * state; and the helpers every stack needs (providers pinned to the account, account facts).
 */
export abstract class PlatformStack extends TerraformStack {
  readonly plan: PlatformPlan;
  readonly config: PlatformConfig;
  readonly naming: Naming;
  private accountData?: { identity: DataAwsCallerIdentity; partition: DataAwsPartition };

  constructor(scope: Construct, id: string, props: PlatformStackProps) {
    super(scope, id);
    // cdktf stacks read HCL mode from SYNTH_HCL_OUTPUT only, while the manifest follows the App's
    // `hclOutput`; follow the App so both agree however the App was configured.
    // (StackSynthesizer is not exported, so its flag is set in place.)
    Reflect.set(this.synthesizer, 'hclOutput', App.of(this).hclOutput);
    if (props.regionKey) setRegion(this, props.regionKey);
    this.plan = props.plan;
    this.config = props.plan.config;
    this.naming = new Naming(this.config);
    if ((props.remoteState ?? true) && this.config.state.mode === 'terraform-cloud') {
      new PlatformCloudBackend(this, this.config, this.naming.workspace(id));
    } else if (props.remoteState ?? true) {
      const state = this.config.state;
      new PlatformS3Backend(this, {
        bucket: state.bucket,
        key: this.naming.stateKey(id),
        region: state.region,
        encrypt: true,
        kmsKeyId: state.kmsKeyAlias,
        dynamodbTable: state.lockTable,
      });
      // cdktf 0.21 has no typed option for S3-native locking (Terraform >= 1.10).
      this.addOverride('terraform.backend.s3.use_lockfile', true);
    } else {
      // cdktf's implicit local backend writes the absolute path of the synth's working directory
      // into the output. Relative to the stack folder (cdktf.out/stacks/<id>) this is the same file,
      // beside cdktf.out, and the output stays identical on every machine.
      new LocalBackend(this, { path: `../../../terraform.${id}.tfstate` });
    }
  }

  private frozenTerraform?: ReturnType<TerraformStack['toTerraform']>;

  /**
   * Resolves the stack's Terraform JSON once the tree is final (validation time, after every aspect
   * ran) and keeps it, so the policy pack and the synthesizer share one resolution.
   */
  freezeTerraform(): ReturnType<TerraformStack['toTerraform']> {
    this.frozenTerraform ??= super.toTerraform();
    return this.frozenTerraform;
  }

  toTerraform(): ReturnType<TerraformStack['toTerraform']> {
    return this.frozenTerraform ?? super.toTerraform();
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
 * The S3 backend, whose cross-stack readers (terraform_remote_state) get only what reading needs:
 * lock settings are meaningless there and `dynamodb_table` is deprecated in Terraform 1.11.
 */
class PlatformS3Backend extends S3Backend {
  constructor(
    scope: Construct,
    private readonly config: S3BackendConfig,
  ) {
    super(scope, config);
  }

  getRemoteStateDataSource(scope: Construct, name: string): TerraformRemoteState {
    const { bucket, key, region, encrypt, kmsKeyId } = this.config;
    return new DataTerraformRemoteStateS3(scope, name, { bucket, key, region, encrypt, kmsKeyId });
  }
}

/**
 * Terraform Cloud mode: a `cloud` block naming the stack's own workspace. Readers of its outputs get
 * cdktf's `terraform_remote_state` with the `remote` backend on the same organization and workspace
 * (the source workspace must share its state with them, see docs/delivery.md).
 */
class PlatformCloudBackend extends CloudBackend {
  private readonly project: string;

  constructor(scope: Construct, config: PlatformConfig, workspace: string) {
    const cloud = config.state.terraformCloud;
    if (!cloud) throw new Error('state.terraformCloud is required in terraform-cloud mode (validateConfig checks it)');
    super(scope, {
      organization: cloud.organization,
      hostname: cloud.hostname,
      workspaces: new NamedCloudWorkspace(workspace, cloud.project),
    });
    this.project = cloud.project;
  }

  /** cdktf 0.21 drops the workspace's `project` from HCL output (JSON keeps it): add it back. */
  protected synthesizeHclAttributes(): { [name: string]: unknown } {
    const attributes = super.synthesizeHclAttributes();
    const workspaces = attributes.workspaces as { value: Record<string, unknown> };
    return {
      ...attributes,
      workspaces: {
        ...workspaces,
        value: { ...workspaces.value, project: { value: this.project, type: 'simple', storageClassType: 'string' } },
      },
    };
  }
}
