import { TerraformOutput } from 'cdktf';
import { Construct } from 'constructs';
import type { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { AuroraGlobalCluster } from '../../modules/aurora-global/global-cluster';
import { BucketReplication } from '../../modules/clickhouse/bucket-replication';
import { CacheGlobalDatastore } from '../../modules/elasticache-global/global-datastore';
import { CacheReplicationGroup } from '../../modules/elasticache-global/replication-group';
import type { PlatformPlan } from '../plan/types';
import { cacheMemberProps, peeredAppClients } from './cache-member';
import { exportsOf, type RegionalExports } from './exports';

export interface GlobalDataProps {
  readonly plan: PlatformPlan;
  readonly regional: ReadonlyMap<string, RegionalExports>;
  /** Aliased provider of each region, by region key. */
  readonly providers: ReadonlyMap<string, AwsProvider>;
  readonly accountId: string;
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
    const { plan, regional, providers } = props;
    const config = plan.config;
    const primary = plan.primary;
    const primaryProvider = providers.get(primary.key);

    this.aurora = new AuroraGlobalCluster(this, 'aurora', {
      identifier: plan.names.auroraGlobalCluster,
      engineVersion: config.data.aurora.engineVersion,
      provider: primaryProvider,
    });

    this.cachePrimary = new CacheReplicationGroup(this, 'cache-primary', {
      ...cacheMemberProps(plan, primary, exportsOf(regional, primary.key), peeredAppClients(plan, primary)),
      provider: primaryProvider,
    });
    this.cacheDatastore = new CacheGlobalDatastore(this, 'cache-datastore', {
      idSuffix: plan.names.cacheGlobalDatastoreSuffix,
      primaryReplicationGroupId: this.cachePrimary.id,
      engineVersion: config.data.elasticache.engineVersion,
      provider: primaryProvider,
    });

    const end = (key: string) => {
      const r = exportsOf(regional, key);
      return {
        bucketName: r.clickhouseBackups.name,
        bucketArn: r.clickhouseBackups.arn,
        kmsKeyArn: r.backupKeyArn,
        region: plan.regions.find((p) => p.key === key)!.code,
      };
    };
    this.backupReplications = plan.regions.map(
      (source) =>
        new BucketReplication(this, `clickhouse-backups-${source.key}`, {
          source: end(source.key),
          destination: end(source.replicatesTo),
          roleName: `${source.names.base}-ch-backup-replication`,
          accountId: props.accountId,
          provider: providers.get(source.key),
        }),
    );

    new TerraformOutput(scope, 'aurora_global_cluster_id', { value: this.aurora.id });
    new TerraformOutput(scope, 'aurora_global_writer_endpoint', { value: this.aurora.writerEndpoint });
    new TerraformOutput(scope, 'cache_global_datastore_id', { value: this.cacheDatastore.id });
    new TerraformOutput(scope, 'cache_primary_endpoint', { value: this.cachePrimary.primaryEndpoint });
  }
}
