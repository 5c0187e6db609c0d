import type { TerraformProvider } from 'cdktf';
import { Construct } from 'constructs';
import { DataAwsSecretsmanagerSecretVersion } from '@cdktf/provider-aws/lib/data-aws-secretsmanager-secret-version';
import { SecretsmanagerSecret } from '@cdktf/provider-aws/lib/secretsmanager-secret';
import { SecretsmanagerSecretVersion } from '@cdktf/provider-aws/lib/secretsmanager-secret-version';
import { setComponent } from '../common/context';
import { ORIGIN_VERIFY_HEADER, type OriginVerifySettings } from './origin-verify-settings';

export interface OriginVerifySecretProps {
  /** Secret name, the same in every region (the global stack reads the primary region's). */
  readonly name: string;
  /** The region's KMS key. */
  readonly kmsKeyArn: string;
  /** Ephemeral value (a write-only argument: never in plan or state of this resource). */
  readonly value: string;
  readonly settings: OriginVerifySettings;
}

/**
 * The region's copy of the origin secret: a Secrets Manager secret whose value arrives write-only,
 * and the values the region's ALB listeners accept, read back through a data source (listener rule
 * conditions are ordinary attributes: the accepted values are in this stack's state, encrypted, and
 * shown as sensitive in plans).
 */
export class OriginVerifySecret extends Construct {
  readonly secret: SecretsmanagerSecret;
  /** AWSCURRENT, plus AWSPREVIOUS while `acceptPrevious` is set. */
  readonly acceptedValues: string[];

  constructor(scope: Construct, id: string, props: OriginVerifySecretProps) {
    super(scope, id);
    setComponent(this, 'ingress');
    this.secret = new SecretsmanagerSecret(this, 'secret', {
      name: props.name,
      description: `Value CloudFront sends in ${ORIGIN_VERIFY_HEADER}; the ALB forwards only requests carrying it`,
      kmsKeyId: props.kmsKeyArn,
      recoveryWindowInDays: 7,
    });
    const version = new SecretsmanagerSecretVersion(this, 'value', {
      secretId: this.secret.id,
      secretStringWo: props.value,
      secretStringWoVersion: props.settings.version,
    });
    // Read after the version is written (depends_on defers the read to apply when it changes).
    const read = (stage: 'AWSCURRENT' | 'AWSPREVIOUS') =>
      new DataAwsSecretsmanagerSecretVersion(this, stage.toLowerCase(), {
        secretId: this.secret.id,
        versionStage: stage,
        dependsOn: [version],
      }).secretString;
    this.acceptedValues = [read('AWSCURRENT'), ...(props.settings.acceptPrevious ? [read('AWSPREVIOUS')] : [])];
  }
}

/** The AWSCURRENT value of the origin secret in `provider`'s region (for CloudFront's origin header). */
export function originVerifyValue(scope: Construct, id: string, name: string, provider: TerraformProvider): string {
  return new DataAwsSecretsmanagerSecretVersion(scope, id, { provider, secretId: name, versionStage: 'AWSCURRENT' })
    .secretString;
}
