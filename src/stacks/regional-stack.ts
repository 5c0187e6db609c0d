import { TerraformOutput, TerraformVariable } from 'cdktf';
import type { Construct } from 'constructs';
import { ClickHouseBackupBucket } from '../../modules/clickhouse/backup-storage';
import { EksCluster } from '../../modules/eks/cluster';
import { EventReplication } from '../../modules/events/event-replication';
import { MskKafkaCluster } from '../../modules/msk/msk-cluster';
import { MskAclAdminRole } from '../../modules/msk/acl-admin-role';
import { applicationDataAccess } from '../parts/workloads-data';
import { peeredMirrorMakers } from '../parts/cache-member';
import { nodeEgressStores } from '../parts/node-egress';
import { ApplicationDataAccess, applicationRoleName, WorkloadRoles } from '../../modules/eks/workload-roles';
import { ApplicationIngress } from '../../modules/ingress/application-ingress';
import { RegionalKey } from '../../modules/kms/regional-key';
import { AccessLogSink } from '../../modules/storage/access-log-sink';
import { Network } from '../../modules/network/network';
import { AlbOriginAccess } from '../../modules/traffic/alb-origin-access';
import { OriginVerifySecret } from '../../modules/traffic/origin-verify';
import { ORIGIN_VERIFY_VALUE_RE } from '../../modules/traffic/origin-verify-settings';
import { ValidatedCertificate } from '../../modules/traffic/validated-certificate';
import { regionFacts } from '../config/catalog';
import { mskZoneCount } from '../config/sections/streaming';
import type { PlatformConfig } from '../config/types';
import { certificateNames } from '../plan/traffic';
import type { PlatformPlan, RegionPlan } from '../plan/types';
import { MIRROR_MAKER_USER } from '../parts/constants';
import type { DnsExports, RegionalExports } from '../parts/exports';
import { RegionalDelivery } from '../parts/delivery';
import { RegionalObservability } from '../parts/regional-observability';
import { bucketProtection } from '../parts/storage-protection';
import { PlatformStack } from './platform-stack';

/** Ephemeral variable of every regional stack: the origin secret (GitHub secret ORIGIN_VERIFY_SECRET). */
export const ORIGIN_VERIFY_VARIABLE = 'origin_verify_secret';

/**
 * Everything one region runs on its own: KMS key and network now; EKS, MSK and regional data
 * plumbing later. Never references another regional stack, so a region can be planned and
 * deployed while another region is down.
 */
export interface RegionalStackProps {
  readonly plan: PlatformPlan;
  readonly region: RegionPlan;
  readonly dns: DnsExports;
}

export class RegionalStack extends PlatformStack {
  readonly region: RegionPlan;
  readonly key: RegionalKey;
  /** Key of the audit logs only: log archive, CloudTrail, the trail's topic (docs/security.md). */
  readonly auditKey: RegionalKey;
  /** Key of the backups only: ClickHouse backups, the AWS Backup vault (docs/security.md). */
  readonly backupKey: RegionalKey;
  /** S3 server access logs of every other bucket of the region, when `security.accessLogs.enabled`. */
  readonly accessLogs?: AccessLogSink;
  readonly network: Network;
  /** Certificate of the API load balancer: `api-<key>` and every routed name answering here. */
  readonly apiCertificate: ValidatedCertificate;
  /** Security groups admitting CloudFront, Route 53 health checkers and direct-access networks. */
  readonly originAccess: AlbOriginAccess;
  /** EKS cluster; `eks.nodeSecurityGroupId` is the source data stores admit. */
  readonly eks: EksCluster;
  /** Internet-facing ALB with the application target group. */
  readonly ingress: ApplicationIngress;
  /** IRSA roles of the in-cluster controllers and the application (used by the workloads stack). */
  readonly workloadRoles: WorkloadRoles;
  /** ClickHouse backups of this region; replicated to the next region by the global stack (docs/data.md). */
  readonly clickhouseBackups: ClickHouseBackupBucket;
  /** MSK cluster (docs/streaming.md). */
  readonly msk: MskKafkaCluster;
  /** The ACL Job's IAM identity (`mirrormaker2` replication only). */
  private mskAclAdmin?: MskAclAdminRole;
  /** Custom event bus, forwarding rules, FIFO ordering queue and replication Lambda (docs/streaming.md). */
  readonly events: EventReplication;
  /** Alert topics, alarms, dashboard, log archive and export, FIS drills (docs/observability.md). */
  readonly observability: RegionalObservability;
  /** What later stacks read from this one. */
  readonly exports: RegionalExports;
  /** Runner and agents that reach the private EKS endpoint, when `delivery` turns them on (docs/delivery.md). */
  readonly delivery: RegionalDelivery;

  constructor(scope: Construct, id: string, props: RegionalStackProps) {
    const { plan, region, dns } = props;
    super(scope, id, { plan, regionKey: region.key });
    const config = plan.config;
    this.region = region;
    this.awsProvider('aws', region.code);
    const name = region.names.base;

    this.key = new RegionalKey(this, 'kms', {
      aliasName: `${name}-platform`,
      description: `Platform key for ${config.environment} in ${region.code}`,
      region: region.code,
      accountId: this.accountId,
      partition: this.partition,
    });
    // Separate keys for audit logs and backups (docs/security.md, "KMS"): a principal that may use
    // the platform key (pods, EKS, the data stores) reaches neither.
    this.auditKey = new RegionalKey(this, 'audit-kms', {
      aliasName: `${name}-audit`,
      description: `Audit logs (log archive, CloudTrail) of ${config.environment} in ${region.code}`,
      region: region.code,
      accountId: this.accountId,
      partition: this.partition,
      purpose: 'audit',
    });
    this.backupKey = new RegionalKey(this, 'backup-kms', {
      aliasName: `${name}-backup`,
      description: `Backups (ClickHouse, AWS Backup vault) of ${config.environment} in ${region.code}`,
      region: region.code,
      accountId: this.accountId,
      partition: this.partition,
      allowCloudWatchLogs: false,
      purpose: 'backup',
    });
    const security = config.security;
    if (security.accessLogs.enabled) {
      this.accessLogs = new AccessLogSink(this, 'access-logs', {
        bucketName: `${region.names.accessLogsBucketPrefix}-${this.accountId}`,
        accountId: this.accountId,
        retentionDays: security.accessLogs.retentionDays,
      });
    }

    const net = region.settings.network;
    this.network = new Network(this, 'network', {
      name,
      region: region.code,
      cidr: region.vpcCidr,
      azCount: region.azCount,
      excludeZoneIds: regionFacts(region.code)?.excludeZoneIds,
      natGateways: net.natGateways,
      flowLogRetentionDays: net.flowLogRetentionDays,
      interfaceEndpoints: net.interfaceEndpoints,
      endpointReadBuckets: net.endpointReadBuckets,
      replicationSubnets: config.streaming.replication.mode === 'mirrormaker2',
      kmsKey: this.key,
      accountId: this.accountId,
      partition: this.partition,
    });

    // The module takes the cluster settings as they are; admin role names (the plan adds the deploy
    // roles to them) become access entries.
    // eslint-disable-next-line @typescript-eslint/no-unused-vars
    const { adminRoleNames, clusterAutoscalerImageTag, ...clusterSettings } = region.settings.eks;
    this.eks = new EksCluster(this, 'eks', {
      clusterName: name,
      ...clusterSettings,
      network: this.network,
      kmsKey: this.key,
      accountId: this.accountId,
      partition: this.partition,
      adminPrincipalArns: adminRoleNames.map((role) => `arn:${this.partition}:iam::${this.accountId}:role/${role}`),
      nodeEgressStores: nodeEgressStores(plan, region),
    });

    // Validation records go to the dns stack's zone (a regional -> dns reference, never region -> region).
    const [certificateName, ...alternativeNames] = certificateNames(plan.traffic.records, config, region.key);
    this.apiCertificate = new ValidatedCertificate(this, 'api-certificate', {
      domainName: certificateName,
      subjectAlternativeNames: alternativeNames,
      zoneId: dns.zoneId,
    });
    this.originAccess = new AlbOriginAccess(this, 'alb-origin-access', {
      name,
      vpcId: this.network.vpc.id,
      healthCheckerRegions: config.traffic.healthCheck.checkerRegions,
      directAccessCidrs: config.traffic.directAccessCidrs,
    });

    const ingress = region.settings.ingress;
    const app = config.workloads.application;
    this.ingress = new ApplicationIngress(this, 'ingress', {
      name,
      region: region.code,
      accountId: this.accountId,
      partition: this.partition,
      network: this.network,
      certificateArn: this.apiCertificate.arn,
      sourceSecurityGroupIds: this.originAccess.securityGroupIds,
      sslPolicy: ingress.sslPolicy,
      targetPort: app.port,
      healthCheckPath: app.readinessPath,
      targetSecurityGroupId: this.eks.nodeSecurityGroupId,
      accessLogBucketName: `${region.names.albLogsBucketPrefix}-${this.accountId}`,
      accessLogRetentionDays: ingress.accessLogRetentionDays,
      originVerify: {
        headerName: plan.traffic.originVerify.headerName,
        acceptedValues: this.buildOriginVerify(plan).acceptedValues,
        // Route 53 health checkers send no custom header; the probed path carries no query string.
        openPaths: [config.traffic.healthCheck.resourcePath.replace(/\?.*$/, '')],
        directAccessCidrs: config.traffic.directAccessCidrs,
      },
    });

    this.workloadRoles = new WorkloadRoles(this, 'workload-roles', {
      clusterName: name,
      oidc: this.eks.oidc,
      partition: this.partition,
      region: region.code,
      accountId: this.accountId,
      targetGroupArn: this.ingress.targetGroup.arn,
      vpcId: this.network.vpc.id,
      application: { namespace: app.namespace, name: config.workloads.charts.application.chart },
    });
    // What the application's pods may do with the data stores of its declared data paths (plan.dataPaths):
    // ARNs are built from plan names, so no reference reaches another region's stack.
    new ApplicationDataAccess(this, 'application-data-access', {
      roleName: applicationRoleName(name),
      access: applicationDataAccess(plan, region, this.accountId, this.partition),
    });

    this.clickhouseBackups = new ClickHouseBackupBucket(this, 'clickhouse-backups', {
      bucketName: `${region.names.clickhouseBackupBucketPrefix}-${this.accountId}`,
      kmsKeyArn: this.backupKey.arn,
      retentionDays: region.settings.clickhouse.backupRetentionDays,
      objectLock: { mode: security.objectLock.mode, days: security.objectLock.clickhouseBackupDays },
      protection: bucketProtection(config, this.partition, this.accountId, true),
    });
    // Server access logs of the region's buckets (the log archive's are added by RegionalObservability).
    this.accessLogs?.logFrom(this.clickhouseBackups.bucket, 'clickhouse-backups');
    this.accessLogs?.logFrom(this.ingress.accessLogs, 'alb-logs');

    this.msk = this.buildMsk(config, name);
    this.events = new EventReplication(this, 'events', {
      ...region.settings.eventBridge,
      name,
      region: region.code,
      accountId: this.accountId,
      partition: this.partition,
      busName: region.names.eventBus,
      // Remote bus ARNs are computed from account, region and name: no reference to another region's stack.
      remotes: region.peers.map((r) => ({ key: r.key, region: r.code, busName: this.naming.eventBus(r.key) })),
      sources: config.streaming.events.sources,
      detailTypes: config.streaming.events.detailTypes,
      entityIdPath: config.streaming.events.entityIdPath,
      kmsKey: this.key,
    });

    // The way into the private EKS endpoint for the workloads stacks (docs/delivery.md).
    this.delivery = new RegionalDelivery(this, 'delivery', {
      config,
      regionKey: region.key,
      region: region.code,
      accountId: this.accountId,
      partition: this.partition,
      network: this.network,
      key: this.key,
      eks: this.eks,
    });

    // Last: it alarms on, subscribes and drills what the stack built above.
    this.observability = new RegionalObservability(this, 'observability', { plan, region });

    const cluster = this.eks;
    this.exports = {
      kmsKeyArn: this.key.arn,
      auditKeyArn: this.auditKey.arn,
      backupKeyArn: this.backupKey.arn,
      network: {
        vpcId: this.network.vpc.id,
        privateSubnetIds: this.network.privateSubnets.map((s) => s.id),
        dataSubnetIds: this.network.dataSubnets.map((s) => s.id),
        internalRouteTableIds: this.network.internalRouteTables.map((rt) => rt.id),
      },
      eks: {
        clusterName: cluster.clusterName,
        endpoint: cluster.endpoint,
        certificateAuthorityData: cluster.certificateAuthorityData,
        oidc: cluster.oidc,
        nodeSecurityGroupId: cluster.nodeSecurityGroupId,
        clusterSecurityGroupId: cluster.clusterSecurityGroupId,
        hasGpuNodes: cluster.hasGpuNodes,
      },
      ingress: {
        dnsName: this.ingress.dnsName,
        zoneId: this.ingress.zoneId,
        loadBalancerArnSuffix: this.ingress.loadBalancer.arnSuffix,
        targetGroupArn: this.ingress.targetGroup.arn,
        accessLogBucket: { name: this.ingress.accessLogs.name, arn: this.ingress.accessLogs.arn },
      },
      msk: {
        arn: this.msk.arn,
        clusterName: this.msk.clusterName,
        bootstrapBrokersScram: this.msk.bootstrapBrokersScram,
        bootstrapBrokersIam: this.msk.bootstrapBrokersIam,
        aclAdminRoleArn: this.mskAclAdmin?.role.role.arn,
        securityGroupId: this.msk.securityGroup.id,
        clientSubnetIds: this.msk.cluster.brokerNodeGroupInfo.clientSubnets,
      },
      clickhouseBackups: { name: this.clickhouseBackups.name, arn: this.clickhouseBackups.arn },
      workloadRoleArns: {
        loadBalancerController: this.workloadRoles.loadBalancerController.arn,
        clusterAutoscaler: this.workloadRoles.clusterAutoscaler.arn,
        application: this.workloadRoles.application.arn,
      },
      observability: {
        criticalAlarmArn: this.observability.alarms.criticalAlarmArn,
        topicArns: {
          warning: this.observability.topics.arn('warning'),
          critical: this.observability.topics.arn('critical'),
        },
        archive: { name: this.observability.archive.name, arn: this.observability.archive.arn },
        logExport: this.observability.logExport.target,
      },
    };

    new TerraformOutput(this, 'vpc_id', { value: this.network.vpc.id });
    new TerraformOutput(this, 'private_subnet_ids', { value: this.network.privateSubnets.map((s) => s.id) });
    new TerraformOutput(this, 'data_subnet_ids', { value: this.network.dataSubnets.map((s) => s.id) });
    new TerraformOutput(this, 'kms_key_arn', { value: this.key.arn });
    new TerraformOutput(this, 'eks_cluster_name', { value: this.eks.cluster.name });
    new TerraformOutput(this, 'eks_cluster_endpoint', { value: this.eks.endpoint });
    new TerraformOutput(this, 'eks_oidc_provider_arn', { value: this.eks.oidc.providerArn });
    new TerraformOutput(this, 'eks_cluster_security_group_id', { value: this.eks.clusterSecurityGroupId });
    new TerraformOutput(this, 'eks_node_security_group_id', { value: this.eks.nodeSecurityGroupId });
    new TerraformOutput(this, 'alb_dns_name', { value: this.ingress.dnsName });
    new TerraformOutput(this, 'alb_zone_id', { value: this.ingress.zoneId });
    new TerraformOutput(this, 'alb_target_group_arn', { value: this.ingress.targetGroup.arn });
    new TerraformOutput(this, 'msk_cluster_arn', { value: this.msk.arn });
    new TerraformOutput(this, 'msk_bootstrap_brokers_iam', { value: this.msk.bootstrapBrokersIam });
    new TerraformOutput(this, 'msk_security_group_id', { value: this.msk.securityGroup.id });
    new TerraformOutput(this, 'event_bus_arn', { value: this.events.bus.arn });
    new TerraformOutput(this, 'critical_alarm_arn', { value: this.observability.alarms.criticalAlarmArn });
    new TerraformOutput(this, 'log_archive_bucket', { value: this.observability.archive.name });
  }

  /**
   * The region's copy of the origin secret (docs/traffic.md, "Origin secret"): its value arrives as
   * the ephemeral variable `origin_verify_secret` (the same value in every region) and reaches
   * Secrets Manager write-only; the listener rules read it back.
   */
  private buildOriginVerify(plan: PlatformPlan): OriginVerifySecret {
    const value = new TerraformVariable(this, ORIGIN_VERIFY_VARIABLE, {
      type: 'string',
      sensitive: true,
      description:
        'Value CloudFront sends in the origin header and the ALB requires (32-128 of A-Z a-z 0-9 _ -; docs/traffic.md)',
      validation: [
        {
          condition: `\${can(regex("${ORIGIN_VERIFY_VALUE_RE}", var.${ORIGIN_VERIFY_VARIABLE}))}`,
          errorMessage: 'Use 32 to 128 characters of A-Z, a-z, 0-9, _ and - (e.g. openssl rand -hex 32).',
        },
      ],
    });
    // Ephemeral (Terraform >= 1.10): usable only in write-only arguments, kept out of plan and state.
    value.addOverride('ephemeral', true);
    return new OriginVerifySecret(this, 'origin-verify', {
      name: plan.traffic.originVerify.secretName,
      kmsKeyArn: this.key.arn,
      value: value.stringValue,
      settings: plan.traffic.originVerify,
    });
  }

  /**
   * MSK over the first 2-3 private subnets. MirrorMaker 2 mode adds SCRAM for the replication user,
   * whose password arrives as the ephemeral variable `msk_scram_password` (never in state);
   * MSK Replicator mode opens the cluster to replicators of the other regions (IAM, multi-VPC).
   */
  private buildMsk(config: PlatformConfig, name: string): MskKafkaCluster {
    const region = this.region;
    const msk = region.settings.msk;
    const replication = config.streaming.replication;
    let scram: { username: string; password: string; version: number } | undefined;
    if (replication.mode === 'mirrormaker2') {
      const password = new TerraformVariable(this, 'msk_scram_password', {
        type: 'string',
        sensitive: true,
        description: `SCRAM password of ${MIRROR_MAKER_USER} on this region's MSK cluster (32+ characters; docs/streaming.md)`,
        validation: [
          {
            condition: '${length(var.msk_scram_password) >= 32}',
            errorMessage: 'Use a password of at least 32 characters.',
          },
        ],
      });
      // Ephemeral (Terraform >= 1.10): usable only in write-only arguments, kept out of plan and state.
      password.addOverride('ephemeral', true);
      scram = {
        username: MIRROR_MAKER_USER,
        password: password.stringValue,
        version: replication.scramCredentialVersion,
      };
    }
    const cluster = new MskKafkaCluster(this, 'msk', {
      name,
      region: region.code,
      accountId: this.accountId,
      partition: this.partition,
      vpcId: this.network.vpc.id,
      vpcCidr: region.vpcCidr,
      subnetIds: this.network.privateSubnets.slice(0, mskZoneCount(region.azCount)).map((s) => s.id),
      ...msk,
      kmsKey: this.key,
      clientSecurityGroupIds: [this.eks.nodeSecurityGroupId],
      // Only the peers' replication subnets, where MirrorMaker 2 alone runs (docs/streaming.md).
      peers: peeredMirrorMakers(this.plan, region),
      scram,
      replicatorSource: replication.mode === 'msk-replicator',
    });
    // The IAM identity of the Job that applies MirrorMaker 2's ACLs (modules/msk/acl-job.ts).
    if (replication.mode === 'mirrormaker2') {
      this.mskAclAdmin = new MskAclAdminRole(this, 'msk-acl-admin', {
        clusterName: cluster.clusterName,
        clusterArn: cluster.arn,
        oidc: this.eks.oidc,
        partition: this.partition,
        namespace: config.workloads.kafkaNamespace,
      });
    }
    return cluster;
  }
}
