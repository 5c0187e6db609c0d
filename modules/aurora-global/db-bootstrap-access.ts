import { Construct } from 'constructs';
import { SecretsmanagerSecret } from '@cdktf/provider-aws/lib/secretsmanager-secret';
import { SecretsmanagerSecretVersion } from '@cdktf/provider-aws/lib/secretsmanager-secret-version';
import { setComponent } from '../common/context';
import { IrsaRole, type OidcIdentity } from '../eks/irsa-role';

/** Service account the database bootstrap Job runs as (`db-bootstrap-job.ts`), in the application namespace. */
export const DB_BOOTSTRAP_SERVICE_ACCOUNT = 'db-bootstrap';

/** Names of the bootstrap's secret and role, built from the Aurora cluster identifier of the region. */
export function dbBootstrapNames(clusterName: string): { readonly secret: string; readonly role: string } {
  return { secret: `${clusterName}-master-password`, role: `${clusterName}-db-bootstrap` };
}

export interface DbBootstrapAccessProps {
  /** Identifier of the primary region's Aurora cluster: prefix of the secret and role names. */
  readonly clusterName: string;
  /**
   * The master password as a write-only value (the ephemeral variable `aurora_master_password`):
   * it reaches Secrets Manager through `secret_string_wo` and is in neither state nor plan.
   */
  readonly masterPassword: string;
  /** Write-only values are sent only when this changes: the same number as the cluster's `master_password_wo_version`. */
  readonly masterPasswordVersion: number;
  /** Regional key: encrypts the secret. The Job may decrypt with it through Secrets Manager only. */
  readonly kmsKeyArn: string;
  /** AWS region code of the secret and key (scopes the KMS grant to Secrets Manager in this region). */
  readonly region: string;
  /** The cluster's OIDC identity: only `<namespace>:db-bootstrap` may assume the role (IRSA). */
  readonly oidc: OidcIdentity;
  /** Namespace of the Job's service account (the application namespace). */
  readonly namespace: string;
  readonly partition: string;
  /** Days a deleted secret can be restored. @default 7 */
  readonly recoveryWindowInDays?: number;
}

/**
 * What the database bootstrap Job needs on the AWS side, in the primary region's data stack (docs/data.md,
 * "Database bootstrap"): a Secrets Manager secret holding the Aurora master password (plain string, no
 * JSON: neither Job image has a JSON parser; the user name is configuration), written with the
 * write-only `secret_string_wo` so no value lands in Terraform state, and the Job's IRSA role, which
 * may read exactly that secret and decrypt it with the regional key only through Secrets Manager.
 */
export class DbBootstrapAccess extends Construct {
  readonly secret: SecretsmanagerSecret;
  readonly secretValue: SecretsmanagerSecretVersion;
  readonly role: IrsaRole;

  constructor(scope: Construct, id: string, props: DbBootstrapAccessProps) {
    super(scope, id);
    setComponent(this, 'aurora');
    if (!Number.isInteger(props.masterPasswordVersion) || props.masterPasswordVersion < 1) {
      throw new Error(
        `DbBootstrapAccess ${props.clusterName}: masterPasswordVersion must be a whole number from 1, got ${props.masterPasswordVersion}`,
      );
    }
    const names = dbBootstrapNames(props.clusterName);
    this.secret = new SecretsmanagerSecret(this, 'master-secret', {
      name: names.secret,
      description: `Master password of ${props.clusterName}, read by the db-bootstrap Job (written write-only from aurora_master_password)`,
      kmsKeyId: props.kmsKeyArn,
      // A copy of a value the secret store keeps: losing it costs one re-apply, so no prevent_destroy.
      recoveryWindowInDays: props.recoveryWindowInDays ?? 7,
    });
    this.secretValue = new SecretsmanagerSecretVersion(this, 'master-secret-value', {
      secretId: this.secret.id,
      // Write-only: sent to Secrets Manager when the version changes, never stored in state.
      secretStringWo: props.masterPassword,
      secretStringWoVersion: props.masterPasswordVersion,
    });
    this.role = new IrsaRole(this, 'job-role', {
      roleName: names.role,
      oidc: props.oidc,
      namespace: props.namespace,
      serviceAccount: DB_BOOTSTRAP_SERVICE_ACCOUNT,
      partition: props.partition,
      statements: [
        {
          Sid: 'ReadMasterSecret',
          Effect: 'Allow',
          Action: 'secretsmanager:GetSecretValue',
          Resource: this.secret.arn,
        },
        {
          Sid: 'DecryptMasterSecret',
          Effect: 'Allow',
          Action: 'kms:Decrypt',
          Resource: props.kmsKeyArn,
          Condition: {
            StringEquals: {
              'kms:ViaService': `secretsmanager.${props.region}.amazonaws.com`,
              // Secrets Manager puts the secret's ARN in the encryption context of each of its keys' uses.
              'kms:EncryptionContext:SecretARN': this.secret.arn,
            },
          },
        },
      ],
    });
  }

  get secretArn(): string {
    return this.secret.arn;
  }

  get roleArn(): string {
    return this.role.arn;
  }
}
