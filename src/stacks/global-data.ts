import { TerraformOutput } from 'cdktf';
import { Construct } from 'constructs';
import type { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { AuroraGlobalCluster } from '../../modules/aurora-global/global-cluster';
import { BucketReplication } from '../../modules/clickhouse/bucket-replication';
import { CacheGlobalDatastore } from '../../modules/elasticache-global/global-datastore';
import { CacheReplicationGroup } from '../../modules/elasticache-global/replication-group';
import { dataWindows } from '../config/maintenance';
import type { PlatformConfig } from '../config/types';
import type { Naming } from '../naming';
import type { RegionalStack } from './regional-stack';

export interface GlobalDataProps {
  readonly config: PlatformConfig;
  readonly naming: Naming;
  readonly regions: readonly RegionalStack[];
  /** Aliased provider of each region, by region key. */
  readonly providers: ReadonlyMap<string, AwsProvider>;
  readonly accountId: string;
}

/** Security groups of a region's EKS that may reach its data stores (nodes and pods, control plane). */
export function eksClients(regional: RegionalStack): { securityGroupIds: string[] } {
  return { securityGroupIds: [regional.eks.nodeSecurityGroupId, regional.eks.clusterSecurityGroupId] };
}

/**
 * The global objects of the data layer (docs/data.md): the Aurora global cluster, the ElastiCache
 * global datastore with the primary replication group AWS builds it from, and the cross-region
 * replication of every region's ClickHouse backup bucket to the next region in config order.
 * Regional members live in the data-<key> stacks, which read from here.
 */
export class GlobalData extends Construct {
  readonly aurora: AuroraGlobalCluster;
  readonly cachePrimary: CacheReplicationGroup;
  readonly cacheDatastore: CacheGlobalDatastore;
  readonly backupReplications: BucketReplication[];

  constructor(scope: Construct, id: string, props: GlobalDataProps) {
    super(scope, id);
    const { config, naming, regions, providers } = props;
    const primary = regions.find((r) => r.region.role === 'primary') ?? regions[0];
    const primaryProvider = providers.get(primary.region.key);

    this.aurora = new AuroraGlobalCluster(this, 'aurora', {
      identifier: naming.global('aurora'),
      engineVersion: config.data.aurora.engineVersion,
      provider: primaryProvider,
    });

    const cache = config.data.elasticache;
    const settings = primary.region.settings;
    const windows = dataWindows(settings.maintenance, primary.region.code);
    this.cachePrimary = new CacheReplicationGroup(this, 'cache-primary', {
      name: naming.regional(primary.region.key, 'cache'),
      role: 'primary',
      engine: { engine: cache.engine, engineVersion: cache.engineVersion, nodeType: cache.nodeType },
      userEngine: cache.engine,
      vpcId: primary.network.vpc.id,
      subnetIds: primary.network.dataSubnets.map((s) => s.id),
      clients: eksClients(primary),
      kmsKeyArn: primary.key.arn,
      nodes: settings.elasticache.nodes,
      snapshotRetentionDays: settings.elasticache.snapshotRetentionDays,
      logRetentionDays: settings.aurora.logRetentionDays,
      snapshotWindow: windows.backup,
      maintenanceWindow: windows.maintenance,
      provider: primaryProvider,
    });
    this.cacheDatastore = new CacheGlobalDatastore(this, 'cache-datastore', {
      idSuffix: naming.global('cache'),
      primaryReplicationGroupId: this.cachePrimary.id,
      engineVersion: cache.engineVersion,
      provider: primaryProvider,
    });

    this.backupReplications = regions.map((source, i) => {
      const destination = regions[(i + 1) % regions.length];
      return new BucketReplication(this, `clickhouse-backups-${source.region.key}`, {
        source: {
          bucketName: source.clickhouseBackups.name,
          bucketArn: source.clickhouseBackups.arn,
          kmsKeyArn: source.key.arn,
          region: source.region.code,
        },
        destination: {
          bucketName: destination.clickhouseBackups.name,
          bucketArn: destination.clickhouseBackups.arn,
          kmsKeyArn: destination.key.arn,
          region: destination.region.code,
        },
        roleName: naming.regional(source.region.key, 'ch-backup-replication'),
        accountId: props.accountId,
        provider: providers.get(source.region.key),
      });
    });

    new TerraformOutput(scope, 'aurora_global_cluster_id', { value: this.aurora.id });
    new TerraformOutput(scope, 'aurora_global_writer_endpoint', { value: this.aurora.writerEndpoint });
    new TerraformOutput(scope, 'cache_global_datastore_id', { value: this.cacheDatastore.id });
    new TerraformOutput(scope, 'cache_primary_endpoint', { value: this.cachePrimary.primaryEndpoint });
  }
}
