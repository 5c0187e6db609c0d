import { TerraformOutput } from 'cdktf';
import type { Construct } from 'constructs';
import { RegionalKey } from '../../modules/kms/regional-key';
import { MskReplicatorMesh } from '../../modules/msk/msk-replicator';
import { PeeringMesh } from '../../modules/peering/peering-mesh';
import { ApiRouting } from '../../modules/traffic/api-routing';
import { EdgeDistribution } from '../../modules/traffic/edge-distribution';
import { ValidatedCertificate } from '../../modules/traffic/validated-certificate';
import type { PlatformConfig } from '../config/types';
import { STACK_IDS } from '../naming';
import { API_LABELS, directHostname, fqdn, trafficPlan } from '../traffic/plan';
import type { DnsStack } from './dns-stack';
import { GlobalData } from './global-data';
import { GlobalObservability } from './global-observability';
import { PlatformStack } from './platform-stack';
import type { RegionalStack } from './regional-stack';

/**
 * What spans regions: the VPC peering mesh now; Route 53, the Aurora Global Database and the
 * ElastiCache Global Datastore later. Reads the regional stacks' outputs, never the other way.
 */
export class GlobalStack extends PlatformStack {
  readonly mesh: PeeringMesh;
  /** Aurora global cluster, ElastiCache global datastore (+ its primary group), backup replication. */
  readonly data: GlobalData;
  /** Health checks and records of the API names. */
  readonly routing: ApiRouting;
  /** CloudFront + WAF in front of the API. */
  readonly edge: EdgeDistribution;
  /** MSK Replicator per ordered region pair, when `streaming.replication.mode` is `msk-replicator`. */
  readonly mskReplicators?: MskReplicatorMesh;
  /** Alert hub, health-check alarms, global dashboard, CloudTrail, archive replication, AMP (docs/observability.md). */
  readonly observability: GlobalObservability;

  constructor(scope: Construct, config: PlatformConfig, regions: readonly RegionalStack[], dns: DnsStack) {
    super(scope, STACK_IDS.global, { config });
    const primary = regions.find((r) => r.region.role === 'primary') ?? regions[0];
    // The default provider serves the primary region; each region also gets an aliased provider.
    this.awsProvider('aws', primary.region.code);
    const providers = new Map(
      regions.map((r) => [r.region.key, this.awsProvider(`aws-${r.region.key}`, r.region.code, r.region.key)]),
    );

    this.mesh = new PeeringMesh(this, 'peering', {
      name: this.naming.prefix,
      members: regions.map((r) => ({
        key: r.region.key,
        region: r.region.code,
        provider: providers.get(r.region.key)!,
        vpcId: r.network.vpc.id,
        cidr: r.region.vpcCidr,
        routeTableIds: r.network.internalRouteTables.map((rt) => rt.id),
      })),
    });

    // Replicators live in their target region and read other regions' clusters: cross-region, so
    // here and not in a regional stack (docs/streaming.md).
    const replication = config.streaming.replication;
    if (replication.mode === 'msk-replicator') {
      this.mskReplicators = new MskReplicatorMesh(this, 'msk-replicators', {
        name: this.naming.prefix,
        topicsPattern: replication.topicsPattern,
        groupsPattern: replication.groupsPattern,
        accountId: this.accountId,
        partition: this.partition,
        members: regions.map((r) => ({
          key: r.region.key,
          region: r.region.code,
          provider: providers.get(r.region.key)!,
          clusterArn: r.msk.arn,
          clusterName: r.msk.clusterName,
          subnetIds: r.msk.cluster.brokerNodeGroupInfo.clientSubnets,
          securityGroupIds: [r.msk.securityGroup.id],
        })),
      });
    }

    // Route 53: health checks and every routed API name (docs/traffic.md).
    const traffic = config.traffic;
    this.routing = new ApiRouting(this, 'api-routing', {
      zoneId: dns.zone.zoneId,
      domainName: config.domainName,
      regions: regions.map((r) => ({
        key: r.region.key,
        target: { dnsName: r.ingress.dnsName, zoneId: r.ingress.zoneId },
        healthCheckFqdn: directHostname(config, r.region.key),
      })),
      records: trafficPlan(config),
      healthCheck: traffic.healthCheck,
      recordTarget: traffic.recordTarget,
      ttlSeconds: traffic.recordTtlSeconds,
      namePrefix: this.naming.global('api'),
    });

    // CloudFront's certificate, CLOUDFRONT-scope WAF and their log groups live in us-east-1.
    // (The alias has an underscore so it can never clash with a region key.)
    const edgeProvider = this.awsProvider('aws-edge', 'us-east-1', 'edge_us_east_1');
    const edge = config.edge;
    const edgeHostname = fqdn(config, edge.hostname);
    const edgeKey = new RegionalKey(this, 'edge-kms', {
      aliasName: this.naming.global('edge-logs'),
      description: `Edge (CloudFront, WAF) log key for ${config.environment}`,
      region: 'us-east-1',
      accountId: this.accountId,
      partition: this.partition,
      provider: edgeProvider,
    });
    const edgeCertificate = new ValidatedCertificate(this, 'edge-certificate', {
      domainName: edgeHostname,
      zoneId: dns.zone.zoneId,
      provider: edgeProvider,
    });
    const dr = regions.find((r) => r.region.key === traffic.drRegion) ?? regions[1];
    this.edge = new EdgeDistribution(this, 'edge', {
      name: this.naming.prefix,
      provider: edgeProvider,
      hostname: edgeHostname,
      certificateArn: edgeCertificate.arn,
      zoneId: dns.zone.zoneId,
      primaryOrigin: directHostname(config, primary.region.key),
      failoverOrigin: directHostname(config, dr.region.key),
      writeOrigin: fqdn(config, API_LABELS.main),
      writePathPatterns: edge.writePathPatterns,
      connectionTimeoutSeconds: edge.originConnectionTimeoutSeconds,
      connectionAttempts: edge.originConnectionAttempts,
      readTimeoutSeconds: edge.originReadTimeoutSeconds,
      priceClass: edge.priceClass,
      geoRestriction: edge.geoRestriction.type === 'none' ? undefined : edge.geoRestriction,
      hstsMaxAgeSeconds: edge.hstsMaxAgeSeconds,
      rateLimitPer5Minutes: edge.wafRateLimitPer5Minutes,
      logRetentionDays: edge.logRetentionDays,
      logKmsKeyArn: edgeKey.arn,
      accountId: this.accountId,
      partition: this.partition,
    });

    new TerraformOutput(this, 'edge_hostname', { value: edgeHostname });
    new TerraformOutput(this, 'edge_distribution_domain_name', { value: this.edge.distribution.domainName });
    new TerraformOutput(this, 'edge_web_acl_arn', { value: this.edge.webAcl.arn });
    new TerraformOutput(this, 'api_health_check_ids', {
      value: Object.fromEntries([...this.routing.healthChecks].map(([key, check]) => [key, check.id])),
    });

    this.data = new GlobalData(this, 'data', {
      config,
      naming: this.naming,
      regions,
      providers,
      accountId: this.accountId,
    });

    this.observability = new GlobalObservability(this, 'observability', {
      config,
      naming: this.naming,
      regions,
      providers,
      usEast1: { provider: edgeProvider, key: edgeKey },
      routing: this.routing,
      accountId: this.accountId,
      partition: this.partition,
    });
  }
}
