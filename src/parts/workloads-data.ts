import { ConfigMapV1 } from '@cdktf/provider-kubernetes/lib/config-map-v1';
import { Construct } from 'constructs';
import { ClickHouseInstallation } from '../../modules/clickhouse/installation';
import { DbBootstrapJob } from '../../modules/aurora-global/db-bootstrap-job';
import { setComponent } from '../../modules/common/context';
import type { ApplicationDataAccessSpec } from '../../modules/eks/workload-roles';
import { DATA_PORTS } from '../plan/resolve';
import type { PlatformPlan, RegionPlan } from '../plan/types';
import type { CacheExports, DataExports, GlobalExports, RegionalExports } from './exports';

/** ConfigMap the application reads its data endpoints from (same name in every region). */
export const DATA_ENDPOINTS_CONFIG_MAP = 'data-endpoints';

/** The PostgreSQL user the application logs in as with IAM (created by the bootstrap job). */
export function applicationDbUser(plan: PlatformPlan): string {
  return `${plan.config.data.aurora.databaseName}_app`.toLowerCase().replace(/[^a-z0-9_]/g, '_');
}

/** Id of a cache member's IAM-authenticated user (modules/elasticache-global/replication-group.ts). */
export function cacheAppUserId(replicationGroupId: string): string {
  return `${replicationGroupId}-app`;
}

/**
 * A topic regular expression of the replication config as an IAM name pattern: only a literal with
 * escaped dots and an optional trailing `.*` translates exactly (`genai-demo\.prod\..*` ->
 * `genai-demo.prod.*`); anything else is refused rather than widened.
 */
export function topicPatternToIam(pattern: string): string {
  const body = pattern.replace(/^\^/, '').replace(/\$$/, '');
  const trailing = body.endsWith('.*') && !body.endsWith('\\.*');
  const literal = trailing ? body.slice(0, -2) : body;
  // Every dot must be escaped: an unescaped one is a regex wildcard, not a name character.
  if (literal === '' || /[^A-Za-z0-9_-]/.test(literal.replace(/\\\./g, ''))) {
    throw new Error(
      `streaming.replication pattern ${JSON.stringify(pattern)}: only a literal prefix with escaped dots and an optional trailing .* maps to an IAM resource pattern`,
    );
  }
  const name = literal.replace(/\\\./g, '.');
  return trailing ? `${name}*` : name;
}

/**
 * Everything the application's role needs for its declared data paths (`plan.dataPaths`, client
 * `application`), as names: Aurora in every member region (the writer moves at switchover), the
 * cache groups it opens (the writer's side is every datastore member, since a failover moves the
 * primary; plus the member it reads), its own MSK cluster with the business topics, their replicas
 * from the other regions and the consumer groups named after the application.
 */
export function applicationDataAccess(
  plan: PlatformPlan,
  region: RegionPlan,
  accountId: string,
  partition: string,
): ApplicationDataAccessSpec {
  const byKey = new Map(plan.regions.map((r) => [r.key, r]));
  const paths = plan.dataPaths.filter((p) => p.client === 'application' && p.from === region.key);
  const auroraRegions = new Set<string>();
  const cacheKeys = new Set<string>();
  for (const p of paths) {
    if (p.store === 'aurora') {
      if (p.endpoint === 'aurora-writer') for (const r of plan.regions) auroraRegions.add(r.code);
      else auroraRegions.add(byKey.get(p.to)!.code);
    } else if (p.store === 'cache') {
      if (p.endpoint === 'cache-primary') {
        for (const r of plan.regions) if (r.cache.role !== 'reader') cacheKeys.add(r.key);
      } else cacheKeys.add(p.to);
    }
  }
  const replication = plan.config.streaming.replication;
  const topic = topicPatternToIam(replication.topicsPattern);
  // Replicated topics arrive prefixed with their source: `<region key>.` (MirrorMaker 2's alias) or
  // the MSK Replicator's source cluster alias (assigned by AWS, hence `*.`).
  const remote =
    replication.mode === 'mirrormaker2' ? region.peers.map((peer) => `${peer.key}.${topic}`) : [`*.${topic}`];
  return {
    partition,
    accountId,
    aurora: { regions: [...auroraRegions], dbUser: applicationDbUser(plan) },
    cache: [...cacheKeys].map((key) => {
      const member = byKey.get(key)!;
      return {
        region: member.code,
        replicationGroupId: member.names.cacheReplicationGroup,
        userId: cacheAppUserId(member.names.cacheReplicationGroup),
      };
    }),
    msk: {
      region: region.code,
      clusterName: region.names.mskCluster,
      topics: [topic],
      replicatedTopics: remote,
      groups: [`${plan.config.workloads.charts.application.chart}*`],
    },
  };
}

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
  /** Creates the application's database user; only where `data.dbBootstrap` is (the primary region). */
  readonly dbBootstrap?: DbBootstrapJob;

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
        POSTGRES_USER: applicationDbUser(plan),
        POSTGRES_SSLMODE: 'verify-full',
        CACHE_WRITER_HOST: global.cachePrimary.primaryEndpoint,
        CACHE_READER_HOST: cacheReader.readerEndpoint,
        CACHE_PORT: String(DATA_PORTS.redis),
        // Each member has its own IAM user (`<group>-app`): the writer and the reader connect as different users.
        CACHE_USER: cacheReader.appUserName,
        CACHE_WRITER_USER: global.cachePrimary.appUserName,
        CACHE_TLS: 'true',
        CLICKHOUSE_BACKUP_BUCKET: regional.clickhouseBackups.name,
      },
      dependsOn: appNamespace ? [appNamespace as unknown as ConfigMapV1] : undefined,
    });

    // Database bootstrap (docs/data.md): DDL goes to the writer once, from the primary region only.
    if (data.dbBootstrap) {
      this.dbBootstrap = new DbBootstrapJob(this, 'db-bootstrap', {
        namespace,
        roleArn: data.dbBootstrap.roleArn,
        secretArn: data.dbBootstrap.secretArn,
        secretRegion: region.code,
        writerEndpoint: global.auroraWriterEndpoint,
        port: DATA_PORTS.postgres,
        databaseName: config.data.aurora.databaseName,
        masterUsername: config.data.aurora.masterUsername,
        appUser: applicationDbUser(plan),
        schema: config.data.aurora.databaseName,
        dependsOn: appNamespace ? [appNamespace as Construct] : undefined,
      });
    }

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
