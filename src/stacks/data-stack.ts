import { TerraformOutput, TerraformVariable } from 'cdktf';
import type { Construct } from 'constructs';
import { AuroraRegionalCluster } from '../../modules/aurora-global/regional-cluster';
import { ClickHouseBackupRole } from '../../modules/clickhouse/backup-storage';
import { CacheReplicationGroup } from '../../modules/elasticache-global/replication-group';
import { dataWindows } from '../config/maintenance';
import type { PlatformConfig } from '../config/types';
import { STACK_IDS } from '../naming';
import { eksClients } from './global-data';
import type { GlobalStack } from './global-stack';
import { PlatformStack } from './platform-stack';
import { logGroupsIn } from './regional-observability';
import type { RegionalStack } from './regional-stack';

/** Name of the sensitive, ephemeral variable holding the Aurora master password (primary data stack only). */
export const AURORA_PASSWORD_VARIABLE = 'aurora_master_password';

/**
 * One region's members of the global data stores (docs/data.md): its Aurora cluster (the writer +
 * readers of the primary region, or a read-only member with write forwarding), its ElastiCache
 * datastore member (none in the primary region, whose group the global stack builds the datastore
 * from; a standalone cache beyond the datastore's three regions), and the IRSA role of its
 * ClickHouse pods. Reads region-<key> and global; nothing reads it but workloads-<key>.
 */
export class DataStack extends PlatformStack {
  readonly regional: RegionalStack;
  readonly aurora: AuroraRegionalCluster;
  /** This region's cache member; undefined in the primary region (its group lives in the global stack). */
  readonly cache?: CacheReplicationGroup;
  readonly clickhouseRole: ClickHouseBackupRole;

  constructor(scope: Construct, config: PlatformConfig, regional: RegionalStack, global: GlobalStack) {
    const region = regional.region;
    super(scope, STACK_IDS.data(region.key), { config, regionKey: region.key });
    this.regional = regional;
    this.awsProvider('aws', region.code);
    const settings = region.settings;
    const windows = dataWindows(settings.maintenance, region.code);
    const clients = eksClients(regional);
    const dataSubnetIds = regional.network.dataSubnets.map((s) => s.id);
    const isPrimary = region.role === 'primary';

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
      name: this.naming.regional(region.key, 'aurora'),
      role: region.role,
      globalClusterId: global.data.aurora.id,
      engineVersion: config.data.aurora.engineVersion,
      master,
      vpcId: regional.network.vpc.id,
      subnetIds: dataSubnetIds,
      clients,
      kmsKeyArn: regional.key.arn,
      instanceClass: aurora.instanceClass,
      instances: isPrimary ? aurora.primaryInstances : aurora.secondaryInstances,
      backupRetentionDays: aurora.backupRetentionDays,
      backupWindow: windows.backup,
      maintenanceWindow: windows.maintenance,
      logRetentionDays: aurora.logRetentionDays,
      performanceInsightsRetentionDays: aurora.performanceInsightsRetentionDays,
      monitoringIntervalSeconds: aurora.monitoringIntervalSeconds,
      accountId: this.accountId,
      partition: this.partition,
    });

    if (!isPrimary) {
      const cache = config.data.elasticache;
      const joins = settings.elasticache.joinGlobalDatastore;
      this.cache = new CacheReplicationGroup(this, 'cache', {
        name: this.naming.regional(region.key, 'cache'),
        role: joins ? 'secondary' : 'standalone',
        engine: joins
          ? undefined
          : { engine: cache.engine, engineVersion: cache.engineVersion, nodeType: cache.nodeType },
        userEngine: cache.engine,
        globalReplicationGroupId: joins ? global.data.cacheDatastore.id : undefined,
        vpcId: regional.network.vpc.id,
        subnetIds: dataSubnetIds,
        clients,
        kmsKeyArn: regional.key.arn,
        nodes: settings.elasticache.nodes,
        snapshotRetentionDays: settings.elasticache.snapshotRetentionDays,
        logRetentionDays: settings.aurora.logRetentionDays,
        snapshotWindow: windows.backup,
        maintenanceWindow: windows.maintenance,
      });
    }

    this.clickhouseRole = new ClickHouseBackupRole(this, 'clickhouse-role', {
      roleName: this.naming.regional(region.key, 'clickhouse'),
      bucketArn: regional.clickhouseBackups.arn,
      kmsKeyArn: regional.key.arn,
      region: region.code,
      oidc: regional.eks.oidc,
      partition: this.partition,
    });

    // Database and cache logs stream into the region's log archive too (docs/observability.md).
    regional.observability.logExport.subscribe(this, logGroupsIn(this));

    new TerraformOutput(this, 'aurora_cluster_endpoint', { value: this.aurora.endpoint });
    new TerraformOutput(this, 'aurora_reader_endpoint', { value: this.aurora.readerEndpoint });
    if (this.cache) {
      new TerraformOutput(this, 'cache_reader_endpoint', { value: this.cache.readerEndpoint });
    }
    new TerraformOutput(this, 'clickhouse_role_arn', { value: this.clickhouseRole.arn });
  }
}
