import { Fn, type TerraformProvider } from 'cdktf';
import { Construct } from 'constructs';
import {
  CloudfrontDistribution,
  type CloudfrontDistributionOrigin,
} from '@cdktf/provider-aws/lib/cloudfront-distribution';
import { CloudfrontResponseHeadersPolicy } from '@cdktf/provider-aws/lib/cloudfront-response-headers-policy';
import { CloudwatchLogDelivery } from '@cdktf/provider-aws/lib/cloudwatch-log-delivery';
import { CloudwatchLogDeliveryDestination } from '@cdktf/provider-aws/lib/cloudwatch-log-delivery-destination';
import { CloudwatchLogDeliverySource } from '@cdktf/provider-aws/lib/cloudwatch-log-delivery-source';
import { CloudwatchLogGroup } from '@cdktf/provider-aws/lib/cloudwatch-log-group';
import { CloudwatchLogResourcePolicy } from '@cdktf/provider-aws/lib/cloudwatch-log-resource-policy';
import { DataAwsCloudfrontCachePolicy } from '@cdktf/provider-aws/lib/data-aws-cloudfront-cache-policy';
import { DataAwsCloudfrontOriginRequestPolicy } from '@cdktf/provider-aws/lib/data-aws-cloudfront-origin-request-policy';
import { Route53Record } from '@cdktf/provider-aws/lib/route53-record';
import { Wafv2WebAcl } from '@cdktf/provider-aws/lib/wafv2-web-acl';
import { Wafv2WebAclLoggingConfiguration } from '@cdktf/provider-aws/lib/wafv2-web-acl-logging-configuration';
import { setComponent } from '../common/context';
import { suppress } from '../common/policy';
import { PolicyDocument } from '../common/iam';

/** Status codes of the primary origin that send a request to the secondary. */
export const FAILOVER_STATUS_CODES = [500, 502, 503, 504];
/** AWS managed rule groups every request is checked against, in priority order. */
export const MANAGED_RULE_GROUPS = [
  'AWSManagedRulesAmazonIpReputationList',
  'AWSManagedRulesCommonRuleSet',
  'AWSManagedRulesKnownBadInputsRuleSet',
] as const;
/** The API must never be cached at the edge; the origin sees every viewer header but Host. */
const CACHE_POLICY = 'Managed-CachingDisabled';
const ORIGIN_REQUEST_POLICY = 'Managed-AllViewerExceptHostHeader';

export interface EdgeDistributionProps {
  /** Prefix of every name. */
  readonly name: string;
  /** us-east-1 provider: CloudFront certificates, CLOUDFRONT-scope WAF and their logs live there. */
  readonly provider: TerraformProvider;
  /** Viewer-facing name, e.g. `edge.example.org`. */
  readonly hostname: string;
  /** Issued us-east-1 certificate covering `hostname`. */
  readonly certificateArn: string;
  /** Zone the viewer-facing alias records go to. */
  readonly zoneId: string;
  /**
   * Origin hostnames: each must be covered by the certificate of the load balancer it resolves to,
   * since CloudFront verifies the origin certificate against the name (the Host header is not sent).
   */
  readonly primaryOrigin: string;
  readonly failoverOrigin: string;
  /** Origin of `writePathPatterns` (a DNS-routed name that fails over by itself). */
  readonly writeOrigin: string;
  readonly writePathPatterns: readonly string[];
  readonly connectionTimeoutSeconds: number;
  readonly connectionAttempts: number;
  readonly readTimeoutSeconds: number;
  readonly priceClass: string;
  /** @default - no restriction */
  readonly geoRestriction?: { readonly type: 'whitelist' | 'blacklist'; readonly countries: readonly string[] };
  readonly hstsMaxAgeSeconds: number;
  readonly rateLimitPer5Minutes: number;
  readonly logRetentionDays: number;
  /** us-east-1 KMS key for the log groups (its policy must admit CloudWatch Logs in us-east-1). */
  readonly logKmsKeyArn: string;
  readonly accountId: string;
  readonly partition: string;
  /**
   * Header added to every origin request, which the ALB listeners require (modules/traffic/origin-verify.ts).
   * The value is read from Secrets Manager at plan time: it is in this stack's state, not in its config.
   * @default - no origin header (the ALBs then cannot tell our distribution from anyone's)
   */
  readonly originHeader?: { readonly name: string; readonly value: string };
}

/**
 * CloudFront in front of the API with a WAF web ACL:
 * - reads (GET/HEAD/OPTIONS) go to an origin group, primary region first, and fail over per request
 *   on 5xx or after `connectionAttempts` failed connections;
 * - write paths go to a Route 53-routed name (origin groups refuse other methods);
 * - TLS 1.2 (2021 policy) to viewers over SNI, TLS 1.2 to origins, HSTS on every response;
 * - access logs (standard logging v2) and WAF logs in encrypted CloudWatch log groups.
 */
export class EdgeDistribution extends Construct {
  readonly distribution: CloudfrontDistribution;
  readonly webAcl: Wafv2WebAcl;
  readonly accessLogGroup: CloudwatchLogGroup;
  readonly wafLogGroup: CloudwatchLogGroup;

  constructor(scope: Construct, id: string, props: EdgeDistributionProps) {
    super(scope, id);
    setComponent(this, 'edge');
    const provider = props.provider;

    this.wafLogGroup = new CloudwatchLogGroup(this, 'waf-logs', {
      provider,
      // WAF only logs to groups whose name starts with aws-waf-logs-.
      name: `aws-waf-logs-${props.name}-edge`,
      retentionInDays: props.logRetentionDays,
      kmsKeyId: props.logKmsKeyArn,
    });
    this.accessLogGroup = new CloudwatchLogGroup(this, 'access-logs', {
      provider,
      // Vended-log groups under /aws/vendedlogs/ keep the resource policy small.
      name: `/aws/vendedlogs/cloudfront/${props.name}-edge`,
      retentionInDays: props.logRetentionDays,
      kmsKeyId: props.logKmsKeyArn,
    });
    const deliveryPolicy = new PolicyDocument(
      this,
      'log-delivery-policy',
      [
        {
          Sid: 'VendedLogDelivery',
          Effect: 'Allow',
          Principal: { Service: 'delivery.logs.amazonaws.com' },
          Action: ['logs:CreateLogStream', 'logs:PutLogEvents'],
          Resource: [`${this.wafLogGroup.arn}:*`, `${this.accessLogGroup.arn}:*`],
          Condition: {
            StringEquals: { 'aws:SourceAccount': props.accountId },
            ArnLike: { 'aws:SourceArn': `arn:${props.partition}:logs:us-east-1:${props.accountId}:*` },
          },
        },
      ],
      provider,
    );
    const logPolicy = new CloudwatchLogResourcePolicy(this, 'log-delivery', {
      provider,
      policyName: `${props.name}-edge-log-delivery`,
      policyDocument: deliveryPolicy.json,
    });

    this.webAcl = new Wafv2WebAcl(this, 'web-acl', {
      provider,
      name: `${props.name}-edge`,
      description: `Edge protection of ${props.hostname}`,
      scope: 'CLOUDFRONT',
      defaultAction: { allow: {} },
      // Rules as WAF API JSON: the bindings leave `statement` untyped and cdktf's HCL output renders
      // it as an attribute, which Terraform rejects; `rule_json` is valid in JSON and HCL output.
      ruleJson: Fn.jsonencode([
        ...MANAGED_RULE_GROUPS.map((group, priority) => ({
          Name: group,
          Priority: priority,
          OverrideAction: { None: {} },
          Statement: { ManagedRuleGroupStatement: { Name: group, VendorName: 'AWS' } },
          VisibilityConfig: ruleVisibility(`${props.name}-${group}`),
        })),
        {
          Name: 'rate-limit-per-ip',
          Priority: MANAGED_RULE_GROUPS.length,
          Action: { Block: {} },
          Statement: { RateBasedStatement: { Limit: props.rateLimitPer5Minutes, AggregateKeyType: 'IP' } },
          VisibilityConfig: ruleVisibility(`${props.name}-rate-limit`),
        },
      ]),
      visibilityConfig: visibility(`${props.name}-edge`),
    });
    new Wafv2WebAclLoggingConfiguration(this, 'web-acl-logging', {
      provider,
      resourceArn: this.webAcl.arn,
      logDestinationConfigs: [this.wafLogGroup.arn],
      redactedFields: [{ singleHeader: { name: 'authorization' } }, { singleHeader: { name: 'cookie' } }],
      dependsOn: [logPolicy],
    });

    const cachePolicy = new DataAwsCloudfrontCachePolicy(this, 'caching-disabled', {
      provider,
      name: CACHE_POLICY,
    });
    const originRequestPolicy = new DataAwsCloudfrontOriginRequestPolicy(this, 'all-viewer-except-host', {
      provider,
      name: ORIGIN_REQUEST_POLICY,
    });
    const headers = new CloudfrontResponseHeadersPolicy(this, 'security-headers', {
      provider,
      name: `${props.name}-edge-security-headers`,
      comment: 'HSTS and standard security headers on every response',
      securityHeadersConfig: {
        strictTransportSecurity: {
          accessControlMaxAgeSec: props.hstsMaxAgeSeconds,
          includeSubdomains: true,
          preload: true,
          override: true,
        },
        contentTypeOptions: { override: true },
        frameOptions: { frameOption: 'DENY', override: true },
        referrerPolicy: { referrerPolicy: 'strict-origin-when-cross-origin', override: true },
      },
    });

    const origin = (originId: string, domainName: string): CloudfrontDistributionOrigin => ({
      originId,
      domainName,
      connectionTimeout: props.connectionTimeoutSeconds,
      connectionAttempts: props.connectionAttempts,
      customHeader: props.originHeader
        ? [{ name: props.originHeader.name, value: props.originHeader.value }]
        : undefined,
      customOriginConfig: {
        httpPort: 80,
        httpsPort: 443,
        originProtocolPolicy: 'https-only',
        originSslProtocols: ['TLSv1.2'],
        originReadTimeout: props.readTimeoutSeconds,
      },
    });
    const behavior = {
      viewerProtocolPolicy: 'https-only',
      cachePolicyId: cachePolicy.id,
      originRequestPolicyId: originRequestPolicy.id,
      responseHeadersPolicyId: headers.id,
      compress: true,
    };
    const geo = props.geoRestriction;
    this.distribution = new CloudfrontDistribution(this, 'distribution', {
      provider,
      comment: `${props.name} API edge`,
      enabled: true,
      aliases: [props.hostname],
      isIpv6Enabled: true,
      httpVersion: 'http2and3',
      priceClass: props.priceClass,
      webAclId: this.webAcl.arn,
      origin: [
        origin('primary', props.primaryOrigin),
        origin('failover', props.failoverOrigin),
        origin('routed', props.writeOrigin),
      ],
      originGroup: [
        {
          originId: 'regions',
          failoverCriteria: { statusCodes: FAILOVER_STATUS_CODES },
          member: [{ originId: 'primary' }, { originId: 'failover' }],
        },
      ],
      defaultCacheBehavior: {
        ...behavior,
        targetOriginId: 'regions',
        // Origin groups accept only these; writes take the ordered behaviors below.
        allowedMethods: ['GET', 'HEAD', 'OPTIONS'],
        cachedMethods: ['GET', 'HEAD'],
      },
      orderedCacheBehavior: props.writePathPatterns.map((pathPattern) => ({
        ...behavior,
        pathPattern,
        targetOriginId: 'routed',
        allowedMethods: ['GET', 'HEAD', 'OPTIONS', 'PUT', 'PATCH', 'POST', 'DELETE'],
        cachedMethods: ['GET', 'HEAD'],
      })),
      restrictions: {
        geoRestriction: geo
          ? { restrictionType: geo.type, locations: [...geo.countries] }
          : { restrictionType: 'none', locations: [] },
      },
      viewerCertificate: {
        acmCertificateArn: props.certificateArn,
        sslSupportMethod: 'sni-only',
        minimumProtocolVersion: 'TLSv1.2_2021',
      },
    });

    if (!geo) {
      suppress(
        this.distribution,
        'MRP-CF-6',
        'A public API served worldwide: no country is excluded by default; set edge.geoRestriction to restrict viewers',
      );
    }

    // Standard logging v2: CloudWatch Logs delivery, no ACL-enabled bucket needed.
    const source = new CloudwatchLogDeliverySource(this, 'access-log-source', {
      provider,
      name: `${props.name}-edge-access`,
      logType: 'ACCESS_LOGS',
      resourceArn: this.distribution.arn,
    });
    const destination = new CloudwatchLogDeliveryDestination(this, 'access-log-destination', {
      provider,
      name: `${props.name}-edge-access`,
      outputFormat: 'json',
      deliveryDestinationConfiguration: [{ destinationResourceArn: this.accessLogGroup.arn }],
    });
    new CloudwatchLogDelivery(this, 'access-log-delivery', {
      provider,
      deliverySourceName: source.name,
      deliveryDestinationArn: destination.arn,
      dependsOn: [logPolicy],
    });

    for (const type of ['A', 'AAAA']) {
      new Route53Record(this, `alias-${type.toLowerCase()}`, {
        provider,
        zoneId: props.zoneId,
        name: props.hostname,
        type,
        alias: {
          name: this.distribution.domainName,
          zoneId: this.distribution.hostedZoneId,
          evaluateTargetHealth: false,
        },
      });
    }
  }
}

function ruleVisibility(metricName: string) {
  return { CloudWatchMetricsEnabled: true, SampledRequestsEnabled: true, MetricName: metricName };
}

function visibility(metricName: string) {
  return { cloudwatchMetricsEnabled: true, sampledRequestsEnabled: true, metricName };
}
