import { Construct } from 'constructs';
import { DataAwsElbServiceAccount } from '@cdktf/provider-aws/lib/data-aws-elb-service-account';
import { Lb } from '@cdktf/provider-aws/lib/lb';
import { LbListener } from '@cdktf/provider-aws/lib/lb-listener';
import { LbListenerRule, type LbListenerRuleCondition } from '@cdktf/provider-aws/lib/lb-listener-rule';
import { LbTargetGroup } from '@cdktf/provider-aws/lib/lb-target-group';
import { SecurityGroup } from '@cdktf/provider-aws/lib/security-group';
import { VpcSecurityGroupEgressRule } from '@cdktf/provider-aws/lib/vpc-security-group-egress-rule';
import { VpcSecurityGroupIngressRule } from '@cdktf/provider-aws/lib/vpc-security-group-ingress-rule';
import { setComponent } from '../common/context';
import type { PolicyStatement } from '../common/iam';
import { internetFacingLoadBalancerTags, suppress } from '../common/policy';
import type { Network } from '../network/network';
import { SecureBucket } from '../storage/secure-bucket';

/**
 * Regions opened in August 2022 or later: ELB writes their access logs as the service principal
 * `logdelivery.elasticloadbalancing.amazonaws.com`. Older regions write as a regional ELB account
 * (looked up with the aws_elb_service_account data source).
 */
export const LOG_DELIVERY_SERVICE_REGIONS: readonly string[] = [
  'me-central-1',
  'ap-south-2',
  'eu-central-2',
  'eu-south-2',
  'ap-southeast-4',
  'il-central-1',
  'ca-west-1',
  'ap-southeast-5',
  'ap-southeast-7',
  'mx-central-1',
  'ap-east-2',
];

const ACCESS_LOG_PREFIX = 'alb';

export interface ApplicationIngressProps {
  /** Name prefix, e.g. `mi-production-us-east`; the load balancer name must stay within 32 characters. */
  readonly name: string;
  readonly region: string;
  readonly accountId: string;
  readonly partition: string;
  /** Public subnets carry the load balancer. */
  readonly network: Network;
  /** ACM certificate of the HTTPS listener: a plain ARN, so the traffic module can hand in its own. */
  readonly certificateArn: string;
  /** TLS 1.2+ ELB security policy. */
  readonly sslPolicy: string;
  /** Port the pods serve HTTP on. */
  readonly targetPort: number;
  readonly healthCheckPath: string;
  /**
   * Security groups that admit the allowed HTTPS sources (modules/traffic/alb-origin-access.ts:
   * CloudFront, Route 53 health checkers, direct-access networks). When set, the load balancer's
   * own group opens nothing to the internet.
   * @default - HTTPS and HTTP (redirect) from 0.0.0.0/0
   */
  readonly sourceSecurityGroupIds?: readonly string[];
  /** Security group of the targets (the cluster's node group): the only egress destination. */
  readonly targetSecurityGroupId: string;
  /** Bucket for access logs (global name). */
  readonly accessLogBucketName: string;
  readonly accessLogRetentionDays: number;
  /**
   * Forward only requests that came through our CloudFront (they carry `headerName` with one of
   * `acceptedValues`), the health-check paths (Route 53 sends no custom header) and the direct-access
   * networks; everything else gets a fixed 403 (docs/traffic.md, "Origin secret").
   * @default - the HTTPS listener forwards every request it receives
   */
  readonly originVerify?: OriginVerifyRules;
}

/** What the HTTPS listener admits besides requests carrying the origin secret. */
export interface OriginVerifyRules {
  readonly headerName: string;
  /** One or two values (two during a rotation); an ALB rule takes at most 5 condition values. */
  readonly acceptedValues: readonly string[];
  /** Exact paths admitted without the header, for GET and HEAD only (the Route 53 health-check path). */
  readonly openPaths: readonly string[];
  /** Source networks admitted without the header (`traffic.directAccessCidrs`). */
  readonly directAccessCidrs: readonly string[];
}

/** Listener rule priorities: health-check path first, then the origin secret, then direct networks. */
export const ORIGIN_RULE_PRIORITIES = { openPaths: 1, originHeader: 10, directAccess: 100 } as const;
/** ALB limit of condition values in one listener rule. */
const MAX_CONDITION_VALUES = 5;

/**
 * The region's internet-facing Application Load Balancer, owned by Terraform so its DNS name is
 * known from the first apply: HTTPS with a TLS 1.2+ policy, HTTP redirected to HTTPS, invalid
 * headers dropped, deletion protection, access logs, and one IP target group for the application
 * that pods join through a TargetGroupBinding.
 *
 * Access logs: ELB delivers only to buckets encrypted with SSE-S3 (S3-managed keys); with SSE-KMS
 * delivery fails. The log bucket is therefore the one bucket of the platform on SSE-S3, still
 * private, versioned, TLS-only and expiring.
 */
export class ApplicationIngress extends Construct {
  readonly loadBalancer: Lb;
  readonly securityGroup: SecurityGroup;
  readonly targetGroup: LbTargetGroup;
  readonly httpsListener: LbListener;
  /** Rules of the HTTPS listener when `originVerify` is set. */
  readonly listenerRules: LbListenerRule[] = [];
  readonly accessLogs: SecureBucket;

  constructor(scope: Construct, id: string, props: ApplicationIngressProps) {
    super(scope, id);
    setComponent(this, 'ingress');
    const { name } = props;

    this.accessLogs = new SecureBucket(this, 'access-logs', {
      bucketName: props.accessLogBucketName,
      encryption: 's3-managed',
      lifecycleRules: [
        {
          id: 'expire-access-logs',
          status: 'Enabled',
          filter: [{ prefix: `${ACCESS_LOG_PREFIX}/` }],
          expiration: [{ days: props.accessLogRetentionDays }],
          noncurrentVersionExpiration: [{ noncurrentDays: 1 }],
        },
      ],
    });
    for (const statement of this.logDeliveryStatements(props)) this.accessLogs.addToPolicy(statement);
    suppress(
      this.accessLogs,
      'MRP-S3-1',
      'ALB access logs can only be delivered to buckets encrypted with SSE-S3 (S3-managed keys); ELB cannot use a KMS key',
    );

    const worldOpen = props.sourceSecurityGroupIds === undefined;
    this.securityGroup = new SecurityGroup(this, 'sg', {
      name: `${name}-alb`,
      description: `Internet-facing load balancer of ${name}: HTTPS and HTTP (redirect) in, application port out`,
      vpcId: props.network.vpc.id,
      // Marks the one kind of group the policy pack lets accept 0.0.0.0/0, on 80 and 443 only.
      tags: { Name: `${name}-alb`, ...(worldOpen ? internetFacingLoadBalancerTags() : {}) },
    });
    for (const [port, what] of worldOpen
      ? ([
          [443, 'HTTPS'],
          [80, 'HTTP, redirected to HTTPS'],
        ] as const)
      : []) {
      new VpcSecurityGroupIngressRule(this, `in-${port}`, {
        securityGroupId: this.securityGroup.id,
        description: `${what} from the internet`,
        ipProtocol: 'tcp',
        fromPort: port,
        toPort: port,
        cidrIpv4: '0.0.0.0/0',
      });
    }
    new VpcSecurityGroupEgressRule(this, 'out-targets', {
      securityGroupId: this.securityGroup.id,
      description: 'Application pods',
      ipProtocol: 'tcp',
      fromPort: props.targetPort,
      toPort: props.targetPort,
      referencedSecurityGroupId: props.targetSecurityGroupId,
    });
    new VpcSecurityGroupIngressRule(this, 'targets-from-alb', {
      securityGroupId: props.targetSecurityGroupId,
      description: `Application port from the load balancer ${name}-alb`,
      ipProtocol: 'tcp',
      fromPort: props.targetPort,
      toPort: props.targetPort,
      referencedSecurityGroupId: this.securityGroup.id,
    });

    this.loadBalancer = new Lb(this, 'alb', {
      name: `${name}-alb`.slice(0, 32).replace(/-+$/, ''),
      internal: false,
      loadBalancerType: 'application',
      subnets: props.network.publicSubnets.map((s) => s.id),
      securityGroups: [this.securityGroup.id, ...(props.sourceSecurityGroupIds ?? [])],
      dropInvalidHeaderFields: true,
      enableDeletionProtection: true,
      desyncMitigationMode: 'strictest',
      accessLogs: { bucket: this.accessLogs.name, prefix: ACCESS_LOG_PREFIX, enabled: true },
      // ELB checks write access when logging is enabled: the bucket policy must exist first.
      dependsOn: [...this.accessLogs.readiness, this.accessLogs.bucketPolicy],
    });

    this.targetGroup = new LbTargetGroup(this, 'app', {
      name: `${name}-app`.slice(0, 32).replace(/-+$/, ''),
      targetType: 'ip',
      protocol: 'HTTP',
      port: props.targetPort,
      vpcId: props.network.vpc.id,
      deregistrationDelay: '30',
      healthCheck: {
        enabled: true,
        protocol: 'HTTP',
        path: props.healthCheckPath,
        port: 'traffic-port',
        matcher: '200',
        interval: 10,
        timeout: 5,
        healthyThreshold: 2,
        unhealthyThreshold: 2,
      },
    });

    this.httpsListener = new LbListener(this, 'https', {
      loadBalancerArn: this.loadBalancer.arn,
      port: 443,
      protocol: 'HTTPS',
      sslPolicy: props.sslPolicy,
      certificateArn: props.certificateArn,
      defaultAction: [
        props.originVerify
          ? {
              type: 'fixed-response',
              fixedResponse: { contentType: 'text/plain', statusCode: '403', messageBody: 'Forbidden' },
            }
          : { type: 'forward', targetGroupArn: this.targetGroup.arn },
      ],
    });
    if (props.originVerify) this.addOriginRules(props.originVerify);
    new LbListener(this, 'http', {
      loadBalancerArn: this.loadBalancer.arn,
      port: 80,
      protocol: 'HTTP',
      defaultAction: [{ type: 'redirect', redirect: { protocol: 'HTTPS', port: '443', statusCode: 'HTTP_301' } }],
    });
  }

  private addOriginRules(rules: OriginVerifyRules): void {
    const values = rules.acceptedValues.length;
    if (values < 1 || values > MAX_CONDITION_VALUES) {
      throw new Error(`ApplicationIngress: originVerify.acceptedValues holds ${values} values, expected 1 to 5`);
    }
    const forward = [{ type: 'forward', targetGroupArn: this.targetGroup.arn }];
    const rule = (id: string, priority: number, condition: LbListenerRuleCondition[]) =>
      this.listenerRules.push(
        new LbListenerRule(this, id, {
          listenerArn: this.httpsListener.arn,
          priority,
          action: forward,
          condition,
        }),
      );
    // Path and method values count towards the 5 of a rule: 3 paths per rule with GET and HEAD.
    chunks(rules.openPaths, MAX_CONDITION_VALUES - 2).forEach((paths, i) =>
      rule(`open-path-${i}`, ORIGIN_RULE_PRIORITIES.openPaths + i, [
        { pathPattern: { values: paths } },
        { httpRequestMethod: { values: ['GET', 'HEAD'] } },
      ]),
    );
    rule('origin-header', ORIGIN_RULE_PRIORITIES.originHeader, [
      { httpHeader: { httpHeaderName: rules.headerName, values: [...rules.acceptedValues] } },
    ]);
    chunks(rules.directAccessCidrs, MAX_CONDITION_VALUES).forEach((cidrs, i) =>
      rule(`direct-access-${i}`, ORIGIN_RULE_PRIORITIES.directAccess + i, [{ sourceIp: { values: cidrs } }]),
    );
  }

  /** DNS name of the load balancer, for Route 53 records and CloudFront origins. */
  get dnsName(): string {
    return this.loadBalancer.dnsName;
  }

  /** Hosted zone of the load balancer, for Route 53 alias records. */
  get zoneId(): string {
    return this.loadBalancer.zoneId;
  }

  private logDeliveryStatements(props: ApplicationIngressProps): PolicyStatement[] {
    const objects = `${this.accessLogs.arn}/${ACCESS_LOG_PREFIX}/AWSLogs/${props.accountId}/*`;
    if (LOG_DELIVERY_SERVICE_REGIONS.includes(props.region)) {
      return [
        {
          Sid: 'ElbLogDelivery',
          Effect: 'Allow',
          Principal: { Service: 'logdelivery.elasticloadbalancing.amazonaws.com' },
          Action: 's3:PutObject',
          Resource: objects,
        },
      ];
    }
    const elbAccount = new DataAwsElbServiceAccount(this, 'elb-account', {});
    return [
      {
        Sid: 'ElbLogDelivery',
        Effect: 'Allow',
        Principal: { AWS: elbAccount.arn },
        Action: 's3:PutObject',
        Resource: objects,
      },
    ];
  }
}

function chunks<T>(items: readonly T[], size: number): T[][] {
  return Array.from({ length: Math.ceil(items.length / size) }, (_, i) => items.slice(i * size, (i + 1) * size));
}
