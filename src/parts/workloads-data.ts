import { ConfigMapV1 } from '@cdktf/provider-kubernetes/lib/config-map-v1';
import { Construct } from 'constructs';
import { ClickHouseInstallation } from '../../modules/clickhouse/installation';
import { setComponent } from '../../modules/common/context';
import { DATA_PORTS } from '../plan/resolve';
import type { PlatformPlan, RegionPlan } from '../plan/types';
import type { CacheExports, DataExports, GlobalExports, RegionalExports } from './exports';

/** ConfigMap the application reads its data endpoints from (same name in every region). */
export const DATA_ENDPOINTS_CONFIG_MAP = 'data-endpoints';

export interface WorkloadsDataProps {
  readonly plan: PlatformPlan;
  readonly region: RegionPlan;
  readonly regional: RegionalExports;
  readonly data: DataExports;
  readonly global: GlobalExports;
  /** The cache member this region reads (`region.cache.readsFrom`). */
  readonly cacheReader: CacheExports;
}

/**
 * What a region's workloads get from the data layer, added to workloads-<key>: a ConfigMap with the
 * endpoints (global writer, regional readers, cache, backup bucket; no secrets: Aurora and the cache
 * use IAM authentication), and ClickHouse (operator + installation, Helm). Values flow
 * global/data-<key> -> workloads-<key> as cross-stack references: the graph stays acyclic.
 */
export class WorkloadsData extends Construct {
  readonly endpoints: ConfigMapV1;
  readonly clickhouse: ClickHouseInstallation;

  constructor(scope: Construct, id: string, props: WorkloadsDataProps) {
    super(scope, id);
    setComponent(this, 'data');
    const { plan, region, regional, data, global, cacheReader } = props;
    const config = plan.config;
    const namespace = config.workloads.application.namespace;
    // The workloads stack creates the application namespace as `ns-<name>`.
    const appNamespace = scope.node.tryFindChild(`ns-${namespace}`);

    this.endpoints = new ConfigMapV1(this, 'endpoints', {
      metadata: { name: DATA_ENDPOINTS_CONFIG_MAP, namespace },
      data: {
        REGION: region.code,
        REGION_ROLE: region.role,
        POSTGRES_WRITER_HOST: global.auroraWriterEndpoint,
        POSTGRES_LOCAL_HOST: data.auroraEndpoint,
        POSTGRES_READER_HOST: data.auroraReaderEndpoint,
        POSTGRES_PORT: String(DATA_PORTS.postgres),
        POSTGRES_DATABASE: config.data.aurora.databaseName,
        POSTGRES_AUTH: 'iam',
        POSTGRES_SSLMODE: 'verify-full',
        CACHE_WRITER_HOST: global.cachePrimary.primaryEndpoint,
        CACHE_READER_HOST: cacheReader.readerEndpoint,
        CACHE_PORT: String(DATA_PORTS.redis),
        CACHE_USER: cacheReader.appUserName,
        CACHE_TLS: 'true',
        CLICKHOUSE_BACKUP_BUCKET: regional.clickhouseBackups.name,
      },
      dependsOn: appNamespace ? [appNamespace as unknown as ConfigMapV1] : undefined,
    });

    const ch = region.settings.clickhouse;
    this.clickhouse = new ClickHouseInstallation(this, 'clickhouse', {
      operatorChartVersion: config.data.clickhouse.operatorChartVersion,
      image: config.data.clickhouse.image,
      shards: ch.shards,
      replicas: ch.replicas,
      cpu: ch.cpu,
      memory: ch.memory,
      storageGiB: ch.storageGiB,
      podRoleArn: data.clickhouseRoleArn,
      backupBucketName: regional.clickhouseBackups.name,
      region: region.code,
    });
  }
}
