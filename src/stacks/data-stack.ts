import { TerraformOutput, TerraformVariable } from 'cdktf';
import type { Construct } from 'constructs';
import { AuroraRegionalCluster } from '../../modules/aurora-global/regional-cluster';
import { DbBootstrapAccess } from '../../modules/aurora-global/db-bootstrap-access';
import { ClickHouseBackupRole } from '../../modules/clickhouse/backup-storage';
import { CacheReplicationGroup } from '../../modules/elasticache-global/replication-group';
import { subscribeLogGroups } from '../../modules/audit/log-export';
import { AuroraBackupPlan, dailyScheduleBefore } from '../../modules/backup/aurora-backup-plan';
import { RegionalBackupVault, backupVaultArn, backupVaultName } from '../../modules/backup/backup-vault';
import type { PlatformPlan, RegionPlan } from '../plan/types';
import type { PeeredClients } from '../../modules/network/peered-clients';
import { cacheMemberProps, eksClients } from '../parts/cache-member';
import type { DataExports, GlobalExports, RegionalExports } from '../parts/exports';
import { logGroupsIn } from '../parts/regional-observability';
import { PlatformStack } from './platform-stack';

/** Name of the sensitive, ephemeral variable holding the Aurora master password (primary data stack only). */
export const AURORA_PASSWORD_VARIABLE = 'aurora_master_password';

/**
 * One region's members of the global data stores (docs/data.md): its Aurora cluster (the writer +
 * readers of the primary region, or a read-only member with write forwarding), its ElastiCache
 * datastore member (none in the primary region, whose group the global stack builds the datastore
 * from, and none in a region that reads another region's member), and the IRSA role of its
 * ClickHouse pods. Reads region-<key> and global; nothing reads it but the workloads stacks.
 */
export interface DataStackProps {
  readonly plan: PlatformPlan;
  readonly region: RegionPlan;
  readonly regional: RegionalExports;
  readonly global: GlobalExports;
  /**
   * Every other region's application CIDRs (`peeredAppClients`): each member here admits them, so
   * cross-region writes reach whichever member is the writer and reader regions reach their member.
   */
  readonly peers: readonly PeeredClients[];
}

export class DataStack extends PlatformStack {
  readonly region: RegionPlan;
  readonly aurora: AuroraRegionalCluster;
  /** This region's secondary cache member, if it holds one (the primary's lives in the global stack). */
  readonly cache?: CacheReplicationGroup;
  readonly clickhouseRole: ClickHouseBackupRole;
  /** AWS Backup of the Aurora member: the region's locked vault and the daily plan (docs/data.md). */
  readonly backup?: { readonly vault: RegionalBackupVault; readonly plan: AuroraBackupPlan };
  /** The bootstrap Job's master-password secret and IRSA role (primary region only). */
  readonly dbBootstrap?: DbBootstrapAccess;
  /** What the workloads stacks read from this one. */
  readonly exports: DataExports;

  constructor(scope: Construct, id: string, props: DataStackProps) {
    const { plan, region, regional, global, peers } = props;
    super(scope, id, { plan, regionKey: region.key });
    const config = plan.config;
    this.region = region;
    this.awsProvider('aws', region.code);
    const settings = region.settings;
    const clients = eksClients(regional);
    const isPrimary = region.aurora.role === 'primary';

    let master;
    if (isPrimary) {
      const password = new TerraformVariable(this, AURORA_PASSWORD_VARIABLE, {
        type: 'string',
        sensitive: true,
        nullable: false,
        description:
          'Aurora master password, sent through the write-only master_password_wo: never stored in state or plan files',
      });
      // Ephemeral (Terraform >= 1.10): the value stays out of plan files too. No typed option in cdktf 0.21.
      password.addOverride('ephemeral', true);
      const a = config.data.aurora;
      master = {
        username: a.masterUsername,
        databaseName: a.databaseName,
        password: password.stringValue,
        passwordVersion: a.masterPasswordVersion,
      };
    }

    const aurora = settings.aurora;
    this.aurora = new AuroraRegionalCluster(this, 'aurora', {
      name: region.names.auroraCluster,
      role: region.aurora.role,
      globalClusterId: global.auroraGlobalClusterId,
      engineVersion: config.data.aurora.engineVersion,
      master,
      vpcId: regional.network.vpcId,
      subnetIds: regional.network.dataSubnetIds,
      clients,
      peeredClients: peers,
      kmsKeyArn: regional.kmsKeyArn,
      instanceClass: aurora.instanceClass,
      instances: isPrimary ? aurora.primaryInstances : aurora.secondaryInstances,
      backupRetentionDays: aurora.backupRetentionDays,
      backupWindow: region.maintenance.backupWindow,
      maintenanceWindow: region.maintenance.maintenanceWindow,
      logRetentionDays: aurora.logRetentionDays,
      logging: config.data.aurora.logging,
      performanceInsightsRetentionDays: aurora.performanceInsightsRetentionDays,
      monitoringIntervalSeconds: aurora.monitoringIntervalSeconds,
      accountId: this.accountId,
      partition: this.partition,
    });

    // --- AWS Backup (docs/data.md, "AWS Backup") ---
    const backup = config.data.backup;
    if (backup.enabled) {
      // Copies go where the region's other data replicates unless configured; the vault there is
      // named by convention (no reference: data stacks do not read each other).
      const copyKey = backup.copyTo?.[region.key] ?? region.replicatesTo;
      const copyRegion = plan.regions.find((r) => r.key === copyKey)!;
      const vault = new RegionalBackupVault(this, 'backup-vault', {
        name: backupVaultName(region.names.base),
        kmsKeyArn: regional.backupKeyArn,
        lock: backup.vaultLock,
      });
      this.backup = {
        vault,
        plan: new AuroraBackupPlan(this, 'backup', {
          name: region.names.auroraCluster,
          vault,
          clusterArn: this.aurora.cluster.arn,
          subnetGroupName: this.aurora.subnetGroup.name,
          schedule: dailyScheduleBefore(region.maintenance.backupWindow),
          retentionDays: backup.retentionDays,
          copy: {
            vaultArn: backupVaultArn(
              this.partition,
              copyRegion.code,
              this.accountId,
              backupVaultName(copyRegion.names.base),
            ),
            regionCode: copyRegion.code,
            retentionDays: backup.copyRetentionDays,
          },
          kmsKeyArn: regional.kmsKeyArn,
          restoreTesting: backup.restoreTesting,
          regionCode: region.code,
          accountId: this.accountId,
          partition: this.partition,
        }),
      };
    }
    // --- end AWS Backup ---

    if (region.cache.role === 'secondary') {
      this.cache = new CacheReplicationGroup(
        this,
        'cache',
        cacheMemberProps(plan, region, regional, peers, global.cacheDatastoreId),
      );
    }

    this.clickhouseRole = new ClickHouseBackupRole(this, 'clickhouse-role', {
      roleName: region.names.clickhouseRole,
      bucketArn: regional.clickhouseBackups.arn,
      kmsKeyArn: regional.backupKeyArn,
      region: region.code,
      oidc: regional.eks.oidc,
      partition: this.partition,
    });

    // Database bootstrap (docs/data.md): the Job that creates the application's database user
    // reads the master password from a write-only secret; primary only, where the variable is.
    if (master) {
      this.dbBootstrap = new DbBootstrapAccess(this, 'db-bootstrap', {
        clusterName: region.names.auroraCluster,
        masterPassword: master.password,
        masterPasswordVersion: master.passwordVersion,
        kmsKeyArn: regional.kmsKeyArn,
        region: region.code,
        oidc: regional.eks.oidc,
        namespace: config.workloads.application.namespace,
        partition: this.partition,
      });
    }

    // Database and cache logs stream into the region's log archive too (docs/observability.md).
    subscribeLogGroups(this, regional.observability.logExport, logGroupsIn(this));

    this.exports = {
      auroraEndpoint: this.aurora.endpoint,
      auroraReaderEndpoint: this.aurora.readerEndpoint,
      cache: this.cache && {
        primaryEndpoint: this.cache.primaryEndpoint,
        readerEndpoint: this.cache.readerEndpoint,
        appUserName: this.cache.appUser.userName,
      },
      clickhouseRoleArn: this.clickhouseRole.arn,
      dbBootstrap: this.dbBootstrap && { secretArn: this.dbBootstrap.secretArn, roleArn: this.dbBootstrap.roleArn },
    };

    new TerraformOutput(this, 'aurora_cluster_endpoint', { value: this.aurora.endpoint });
    new TerraformOutput(this, 'aurora_reader_endpoint', { value: this.aurora.readerEndpoint });
    if (this.cache) {
      new TerraformOutput(this, 'cache_reader_endpoint', { value: this.cache.readerEndpoint });
    }
    new TerraformOutput(this, 'clickhouse_role_arn', { value: this.clickhouseRole.arn });
  }
}
