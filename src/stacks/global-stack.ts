import { TerraformOutput } from 'cdktf';
import type { Construct } from 'constructs';
import { RegionalKey } from '../../modules/kms/regional-key';
import type * as MskReplicatorModule from '../../modules/msk/msk-replicator';
import type { MskReplicatorMesh } from '../../modules/msk/msk-replicator';
import { PeeringMesh } from '../../modules/peering/peering-mesh';
import { ApiRouting, type RecordGate } from '../../modules/traffic/api-routing';
import type * as RecoveryControlModule from '../../modules/traffic/recovery-control';
import type { RecoveryControl } from '../../modules/traffic/recovery-control';
import { originVerifyValue } from '../../modules/traffic/origin-verify';
import { EdgeDistribution } from '../../modules/traffic/edge-distribution';
import { ValidatedCertificate } from '../../modules/traffic/validated-certificate';
import { API_LABELS, fqdn } from '../plan/traffic';
import type { PlatformPlan } from '../plan/types';
import { exportsOf, type DnsExports, type GlobalExports, type RegionalExports } from '../parts/exports';
import { GlobalData } from '../parts/global-data';
import { GlobalObservability } from '../parts/global-observability';
import { PlatformStack } from './platform-stack';

export interface GlobalStackProps {
  readonly plan: PlatformPlan;
  /** Every region's exports, by region key. */
  readonly regional: ReadonlyMap<string, RegionalExports>;
  readonly dns: DnsExports;
}

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
  /** ARC routing controls, when `traffic.recoveryControl` is enabled (docs/traffic.md). */
  readonly recoveryControl?: RecoveryControl;
  /** CloudFront + WAF in front of the API. */
  readonly edge: EdgeDistribution;
  /** MSK Replicator per ordered region pair, when `streaming.replication.mode` is `msk-replicator`. */
  readonly mskReplicators?: MskReplicatorMesh;
  /** Alert hub, health-check alarms, global dashboard, CloudTrail, archive replication, AMP (docs/observability.md). */
  readonly observability: GlobalObservability;
  /** What the data and workloads stacks read from this one. */
  readonly exports: GlobalExports;

  constructor(scope: Construct, id: string, props: GlobalStackProps) {
    const { plan, regional, dns } = props;
    super(scope, id, { plan });
    const config = plan.config;
    const primary = plan.primary;
    const regions = plan.regions;
    const exportsOfRegion = (key: string) => exportsOf(regional, key);
    // The default provider serves the primary region; each region also gets an aliased provider.
    this.awsProvider('aws', primary.code);
    const providers = new Map(regions.map((r) => [r.key, this.awsProvider(`aws-${r.key}`, r.code, r.key)]));

    this.mesh = new PeeringMesh(this, 'peering', {
      name: this.naming.prefix,
      members: regions.map((r) => ({
        key: r.key,
        region: r.code,
        provider: providers.get(r.key)!,
        vpcId: exportsOfRegion(r.key).network.vpcId,
        cidr: r.vpcCidr,
        routeTableIds: [...exportsOfRegion(r.key).network.internalRouteTableIds],
      })),
    });

    // Replicators live in their target region and read other regions' clusters: cross-region, so
    // here and not in a regional stack (docs/streaming.md).
    // Both modules load only when switched on (MirrorMaker 2 is the default, ARC is off): their
    // bindings are loaded by every synth otherwise.
    /* eslint-disable @typescript-eslint/no-require-imports */
    const replication = config.streaming.replication;
    if (replication.mode === 'msk-replicator') {
      const { MskReplicatorMesh } = require('../../modules/msk/msk-replicator') as typeof MskReplicatorModule;
      this.mskReplicators = new MskReplicatorMesh(this, 'msk-replicators', {
        name: this.naming.prefix,
        topicsPattern: replication.topicsPattern,
        groupsPattern: replication.groupsPattern,
        accountId: this.accountId,
        partition: this.partition,
        replicatorName: plan.names.mskReplicator,
        members: regions.map((r) => ({
          key: r.key,
          region: r.code,
          provider: providers.get(r.key)!,
          clusterArn: exportsOfRegion(r.key).msk.arn,
          clusterName: exportsOfRegion(r.key).msk.clusterName,
          subnetIds: [...exportsOfRegion(r.key).msk.clientSubnetIds],
          securityGroupIds: [exportsOfRegion(r.key).msk.securityGroupId],
        })),
      });
    }

    // ARC routing controls (off by default): their configuration API lives in us-west-2 only.
    const arc = plan.traffic.recoveryControl;
    if (arc) {
      const { RecoveryControl } = require('../../modules/traffic/recovery-control') as typeof RecoveryControlModule;
      this.recoveryControl = new RecoveryControl(this, 'recovery-control', {
        clusterName: arc.clusterName,
        controlPanelName: arc.controlPanelName,
        safetyRuleName: arc.safetyRuleName,
        safetyRuleWaitMs: arc.safetyRuleWaitMs,
        regions: arc.regions.map((r) => ({
          key: r.key,
          routingControlName: r.routingControl,
          healthCheckName: r.controlHealthCheck,
        })),
        controlPlaneProvider: this.awsProvider('aws-arc', 'us-west-2', 'arc_us_west_2'),
        preventDestroy: arc.gateTraffic,
      });
    }
    /* eslint-enable @typescript-eslint/no-require-imports */
    const recoveryControl = this.recoveryControl;
    const gates =
      arc?.gateTraffic && recoveryControl
        ? new Map<string, RecordGate>(
            arc.regions.map((r) => [
              r.key,
              { healthCheckId: recoveryControl.healthChecks.get(r.key)!.id, combinedName: r.gatedHealthCheck },
            ]),
          )
        : undefined;

    // Route 53: health checks and every routed API name (docs/traffic.md).
    const traffic = config.traffic;
    this.routing = new ApiRouting(this, 'api-routing', {
      zoneId: dns.zoneId,
      domainName: config.domainName,
      regions: regions.map((r) => ({
        key: r.key,
        target: { dnsName: exportsOfRegion(r.key).ingress.dnsName, zoneId: exportsOfRegion(r.key).ingress.zoneId },
        healthCheckFqdn: r.names.directHostname,
        healthCheckName: r.names.healthCheck,
      })),
      records: plan.traffic.records,
      healthCheck: traffic.healthCheck,
      recordTarget: traffic.recordTarget,
      ttlSeconds: traffic.recordTtlSeconds,
      gates,
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
      zoneId: dns.zoneId,
      provider: edgeProvider,
    });
    const dr = regions.find((r) => r.key === plan.traffic.drRegion);
    if (!dr) throw new Error(`traffic.drRegion ${plan.traffic.drRegion} is not a region (validation checks it)`);
    this.edge = new EdgeDistribution(this, 'edge', {
      name: this.naming.prefix,
      provider: edgeProvider,
      hostname: edgeHostname,
      certificateArn: edgeCertificate.arn,
      zoneId: dns.zoneId,
      primaryOrigin: primary.names.directHostname,
      failoverOrigin: dr.names.directHostname,
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
      // The primary region's copy of the origin secret; every region's ALB accepts the same value.
      originHeader: {
        name: plan.traffic.originVerify.headerName,
        value: originVerifyValue(
          this,
          'origin-verify',
          plan.traffic.originVerify.secretName,
          providers.get(primary.key)!,
        ),
      },
    });

    new TerraformOutput(this, 'edge_hostname', { value: edgeHostname });
    new TerraformOutput(this, 'edge_distribution_domain_name', { value: this.edge.distribution.domainName });
    new TerraformOutput(this, 'edge_web_acl_arn', { value: this.edge.webAcl.arn });
    new TerraformOutput(this, 'api_health_check_ids', {
      value: Object.fromEntries([...this.routing.healthChecks].map(([key, check]) => [key, check.id])),
    });
    if (recoveryControl) {
      // What the DR CLI needs during an outage: copy the endpoints into
      // traffic.recoveryControl.clusterEndpoints (docs/traffic.md, "Routing controls").
      new TerraformOutput(this, 'recovery_control_cluster_arn', { value: recoveryControl.cluster.arn });
      new TerraformOutput(this, 'recovery_control_cluster_endpoints', {
        value: recoveryControl.cluster.clusterEndpoints,
      });
      new TerraformOutput(this, 'recovery_control_control_panel_arn', { value: recoveryControl.controlPanel.arn });
      new TerraformOutput(this, 'recovery_control_routing_control_arns', {
        value: Object.fromEntries([...recoveryControl.routingControls].map(([key, control]) => [key, control.arn])),
      });
    }

    this.data = new GlobalData(this, 'data', {
      plan,
      regional,
      providers,
      accountId: this.accountId,
    });

    this.observability = new GlobalObservability(this, 'observability', {
      plan,
      regional,
      providers,
      usEast1: { provider: edgeProvider, key: edgeKey },
      routing: this.routing,
      accountId: this.accountId,
      partition: this.partition,
    });

    const prometheus = this.observability.prometheus;
    const arns = (roles: ReadonlyMap<string, { arn: string }>) =>
      Object.fromEntries([...roles].map(([key, role]) => [key, role.arn]));
    this.exports = {
      auroraGlobalClusterId: this.data.aurora.id,
      auroraWriterEndpoint: this.data.aurora.writerEndpoint,
      cacheDatastoreId: this.data.cacheDatastore.id,
      cachePrimary: {
        primaryEndpoint: this.data.cachePrimary.primaryEndpoint,
        readerEndpoint: this.data.cachePrimary.readerEndpoint,
        appUserName: this.data.cachePrimary.appUser.userName,
      },
      prometheus: {
        remoteWriteUrl: prometheus.remoteWriteUrl,
        queryUrl: prometheus.queryUrl,
        writerRoleArns: arns(prometheus.writers),
        readerRoleArns: arns(prometheus.readers),
      },
    };
  }
}
