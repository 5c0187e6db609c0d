import { TerraformIterator, Token, type TerraformProvider } from 'cdktf';
import { Construct } from 'constructs';
import { AcmCertificate } from '@cdktf/provider-aws/lib/acm-certificate';
import { AcmCertificateValidation } from '@cdktf/provider-aws/lib/acm-certificate-validation';
import { Route53Record } from '@cdktf/provider-aws/lib/route53-record';
import { setComponent } from '../common/context';

export interface ValidatedCertificateProps {
  /** Subject name. */
  readonly domainName: string;
  /** Further names. @default - none */
  readonly subjectAlternativeNames?: readonly string[];
  /** Public hosted zone the validation records are written to. */
  readonly zoneId: string;
  /** Provider of the region the certificate is used in. @default - the stack's default provider */
  readonly provider?: TerraformProvider;
}

/**
 * A public ACM certificate validated through DNS records in the zone. Validation records of a
 * name are identical for every certificate of the account, so several certificates sharing a
 * name (one per region) overwrite rather than conflict (`allow_overwrite`).
 */
export class ValidatedCertificate extends Construct {
  readonly certificate: AcmCertificate;
  readonly validation: AcmCertificateValidation;

  constructor(scope: Construct, id: string, props: ValidatedCertificateProps) {
    super(scope, id);
    setComponent(this, 'certificates');
    const { provider } = props;
    const sans = (props.subjectAlternativeNames ?? []).filter((n) => n !== props.domainName);
    this.certificate = new AcmCertificate(this, 'certificate', {
      provider,
      domainName: props.domainName,
      subjectAlternativeNames: sans.length > 0 ? sans : undefined,
      validationMethod: 'DNS',
      options: { certificateTransparencyLoggingPreference: 'ENABLED' },
      // The listener or distribution holds the certificate: issue the new one before the old goes.
      lifecycle: { createBeforeDestroy: true },
    });
    // Keyed by domain name, known at plan time, so for_each works before the certificate exists.
    const options = TerraformIterator.fromComplexList(this.certificate.domainValidationOptions, 'domain_name');
    const records = new Route53Record(this, 'validation-record', {
      forEach: options,
      provider,
      zoneId: props.zoneId,
      name: options.getString('resource_record_name'),
      type: options.getString('resource_record_type'),
      records: [options.getString('resource_record_value')],
      ttl: 60,
      allowOverwrite: true,
    });
    this.validation = new AcmCertificateValidation(this, 'validation', {
      provider,
      certificateArn: this.certificate.arn,
      validationRecordFqdns: Token.asList(TerraformIterator.fromResources(records).pluckProperty('fqdn')),
    });
  }

  /** ARN of the issued certificate: depends on validation, so users wait until it is usable. */
  get arn(): string {
    return this.validation.certificateArn;
  }
}
