import type { TerraformProvider } from 'cdktf';
import { Construct } from 'constructs';
import { CloudwatchLogGroup } from '@cdktf/provider-aws/lib/cloudwatch-log-group';
import { CloudwatchLogResourcePolicy } from '@cdktf/provider-aws/lib/cloudwatch-log-resource-policy';
import { KmsKey } from '@cdktf/provider-aws/lib/kms-key';
import { Route53HostedZoneDnssec } from '@cdktf/provider-aws/lib/route53-hosted-zone-dnssec';
import { Route53KeySigningKey } from '@cdktf/provider-aws/lib/route53-key-signing-key';
import { Route53QueryLog } from '@cdktf/provider-aws/lib/route53-query-log';
import { setComponent } from '../common/context';
import { PolicyDocument } from '../common/iam';
import { RegionalKey } from '../kms/regional-key';

/** Route 53 reads DNSSEC keys and writes query logs in us-east-1 only. */
export const ROUTE53_CONTROL_REGION = 'us-east-1';

export interface ZoneSecurityProps {
  readonly zoneId: string;
  /** Apex domain of the zone: names the log group and the keys. */
  readonly domainName: string;
  /** Prefix of key aliases and the key-signing key name. */
  readonly namePrefix: string;
  /** A provider in us-east-1 (`ROUTE53_CONTROL_REGION`). */
  readonly usEast1: TerraformProvider;
  readonly logRetentionDays: number;
  readonly accountId: string;
  readonly partition: string;
}

/**
 * DNSSEC signing and query logging of a public hosted zone (docs/policy.md, "Route 53").
 *
 * - DNSSEC: an asymmetric ECC_NIST_P256 SIGN_VERIFY key in us-east-1 whose policy lets
 *   `dnssec-route53.amazonaws.com` use it for this account's zones only (`aws:SourceAccount`,
 *   `aws:SourceArn`), the key-signing key, and signing turned on. Resolvers validate only once
 *   the parent zone holds the DS record (README, first deploy).
 * - Query logging to `/aws/route53/<zone>` in us-east-1, encrypted with a key of its own there
 *   (the dns stack deploys before any regional key exists), with the resource policy that lets
 *   Route 53 write to it.
 */
export class ZoneSecurity extends Construct {
  readonly signingKey: KmsKey;
  readonly keySigningKey: Route53KeySigningKey;
  readonly dnssec: Route53HostedZoneDnssec;
  readonly logGroup: CloudwatchLogGroup;
  readonly queryLog: Route53QueryLog;

  constructor(scope: Construct, id: string, props: ZoneSecurityProps) {
    super(scope, id);
    setComponent(this, 'dns');
    const { partition, accountId, usEast1: provider } = props;
    const zoneArns = `arn:${partition}:route53:::hostedzone/*`;

    this.signingKey = new KmsKey(this, 'dnssec-key', {
      provider,
      description: `DNSSEC key-signing key of ${props.domainName}`,
      customerMasterKeySpec: 'ECC_NIST_P256',
      keyUsage: 'SIGN_VERIFY',
      deletionWindowInDays: 30,
      // Deleting the key while the zone is signed makes the zone fail validation everywhere.
      lifecycle: { preventDestroy: true },
      policy: new PolicyDocument(
        this,
        'dnssec-key-policy',
        [
          {
            Sid: 'AccountAdministration',
            Effect: 'Allow',
            Principal: { AWS: `arn:${partition}:iam::${accountId}:root` },
            Action: 'kms:*',
            Resource: '*',
          },
          {
            Sid: 'Route53DnssecService',
            Effect: 'Allow',
            Principal: { Service: 'dnssec-route53.amazonaws.com' },
            Action: ['kms:DescribeKey', 'kms:GetPublicKey', 'kms:Sign'],
            Resource: '*',
            Condition: {
              StringEquals: { 'aws:SourceAccount': accountId },
              ArnLike: { 'aws:SourceArn': zoneArns },
            },
          },
          {
            Sid: 'Route53DnssecGrants',
            Effect: 'Allow',
            Principal: { Service: 'dnssec-route53.amazonaws.com' },
            Action: 'kms:CreateGrant',
            Resource: '*',
            Condition: { Bool: { 'kms:GrantIsForAWSResource': 'true' } },
          },
        ],
        provider,
      ).json,
    });
    this.keySigningKey = new Route53KeySigningKey(this, 'ksk', {
      provider,
      hostedZoneId: props.zoneId,
      keyManagementServiceArn: this.signingKey.arn,
      // Letters, digits and underscores only.
      name: `${props.namePrefix.replace(/[^A-Za-z0-9]/g, '_')}_ksk`,
      status: 'ACTIVE',
    });
    this.dnssec = new Route53HostedZoneDnssec(this, 'dnssec', {
      provider,
      hostedZoneId: this.keySigningKey.hostedZoneId,
      signingStatus: 'SIGNING',
      dependsOn: [this.keySigningKey],
    });

    const logKey = new RegionalKey(this, 'query-log-key', {
      provider,
      aliasName: `${props.namePrefix}-route53-query-logs`,
      description: `Route 53 query logs of ${props.domainName}`,
      region: ROUTE53_CONTROL_REGION,
      accountId,
      partition,
    });
    this.logGroup = new CloudwatchLogGroup(this, 'query-logs', {
      provider,
      name: `/aws/route53/${props.domainName}`,
      retentionInDays: props.logRetentionDays,
      kmsKeyId: logKey.arn,
    });
    const policy = new CloudwatchLogResourcePolicy(this, 'query-log-policy', {
      provider,
      policyName: `${props.namePrefix}-route53-query-logs`,
      policyDocument: new PolicyDocument(
        this,
        'query-log-policy-document',
        [
          {
            Sid: 'Route53QueryLogs',
            Effect: 'Allow',
            Principal: { Service: 'route53.amazonaws.com' },
            Action: ['logs:CreateLogStream', 'logs:PutLogEvents'],
            Resource: `arn:${partition}:logs:${ROUTE53_CONTROL_REGION}:${accountId}:log-group:/aws/route53/*`,
            Condition: {
              StringEquals: { 'aws:SourceAccount': accountId },
              ArnLike: { 'aws:SourceArn': zoneArns },
            },
          },
        ],
        provider,
      ).json,
    });
    this.queryLog = new Route53QueryLog(this, 'query-log', {
      provider,
      zoneId: props.zoneId,
      cloudwatchLogGroupArn: this.logGroup.arn,
      dependsOn: [policy],
    });
  }
}
