import { POSTGRES_PORT, REDIS_PORT } from '../../modules/common/ports';
import { replicationNodeGroup } from '../../modules/eks/types';
import { MSK_PORTS } from '../../modules/msk/ports';
import { DEFAULT_ORIGIN_VERIFY, ORIGIN_VERIFY_HEADER } from '../../modules/traffic/origin-verify-settings';
import { IssueCollector } from '../config/errors';
import { loadConfig } from '../config/load';
import type { NodeGroupSettings, PlatformConfig, RegionConfig, RegionalSettings } from '../config/types';
import type { KafkaReplicationConfig } from '../config/streaming-types';
import { checkConfig } from '../config/validate';
import { failoverBudgets } from './budget';
import { Naming, STACK_IDS } from './naming';
import { placeCacheMembers, placeMaintenance } from './placement';
import { recoveryControlPlan } from './recovery-control';
import { API_LABELS, directHostname, fqdn, trafficPlan } from './traffic';
import type { DataPath, PlatformNames, PlatformPlan, RegionPlan, TrafficPlan } from './types';

/** Ports the application's data paths use (the modules open exactly these). */
export const DATA_PORTS = {
  postgres: POSTGRES_PORT,
  redis: REDIS_PORT,
  mskIam: MSK_PORTS.iam,
  mskScram: MSK_PORTS.scram,
} as const;

/**
 * Validates `config` and resolves every derived fact of the platform (see ./types.ts). Problems
 * of the configuration and problems only the plan can find (overlapping maintenance overrides, a
 * datastore over its member limit, a failover budget over the RTO) are reported together in one
 * ConfigError, each with its field path, the value and what is allowed.
 */
export function resolvePlan(config: PlatformConfig): PlatformPlan {
  const issues = new IssueCollector();
  checkConfig(config, issues);
  // Each cross-region decision runs when the fields it reads are valid, so its problems are
  // reported together with the configuration's own.
  const clean = (...prefixes: RegExp[]) => !issues.issues.some((i) => prefixes.some((p) => p.test(i.path)));
  const regionsOk = clean(/^regions(\[\d+\]\.(key|code|role)|$|\[\*\])/);
  if (regionsOk && clean(/maintenance/)) placeMaintenance(config, issues);
  if (regionsOk && clean(/^defaults(\.elasticache)?$/, /elasticache\.joinGlobalDatastore$/)) {
    placeCacheMembers(config, issues);
  }
  const budgetFields =
    /^(traffic|edge|recovery|traffic\.healthCheck|traffic\.record(Target|TtlSeconds)|traffic\.healthCheck\.(requestIntervalSeconds|failureThreshold)|edge\.(originConnection(TimeoutSeconds|Attempts)|originReadTimeoutSeconds)|recovery\.rtoSeconds)$/;
  if (clean(budgetFields)) {
    for (const budget of failoverBudgets(config)) {
      issues.check(
        budget.withinRto,
        'recovery.rtoSeconds',
        budget.rtoSeconds,
        `expected the worst-case ${budget.path} failover within the RTO, but ${budget.arithmetic} > ${budget.rtoSeconds} s; lower ${budget.fields}, or raise the RTO`,
      );
    }
  }
  issues.throwIfAny();
  return derive(config);
}

function derive(config: PlatformConfig): PlatformPlan {
  const naming = new Naming(config);
  const quiet = new IssueCollector();
  const maintenance = placeMaintenance(config, quiet);
  const caches = placeCacheMembers(config, quiet);
  const primaryConfig = config.regions.find((r) => r.role === 'primary');
  if (!primaryConfig || quiet.issues.length > 0)
    throw new Error('resolvePlan: derive() ran on an unchecked configuration');

  const names: PlatformNames = {
    prefix: naming.prefix,
    auroraGlobalCluster: naming.global('aurora'),
    cacheGlobalDatastoreSuffix: naming.global('cache'),
    healthCheckPrefix: naming.global('api'),
    trail: naming.global('audit'),
    trailNotifications: naming.global('audit-log-files'),
    stateAccessLogs: {
      primary: `${config.state.bucket}-access-logs`,
      replica: `${config.state.replicaBucket}-access-logs`,
    },
    alertBus: naming.global('alerts'),
    // EventBridge log targets must start with /aws/events/.
    alertTimelineLogGroup: `/aws/events/${naming.prefix}-alert-timeline`,
    mskReplicator: (source, target) => `${naming.prefix}-${source}-to-${target}`,
  };

  const regions: RegionPlan[] = config.regions.map((region, i) => {
    const base = naming.regional(region.key, '').replace(/-$/, '');
    const cache = caches.get(region.key)!;
    const chosen = maintenance.get(region.key)!;
    const merged = mergeSettings(config, region);
    const settings = {
      ...merged,
      eks: {
        ...merged.eks,
        adminRoleNames: clusterAdminRoles(merged.eks.adminRoleNames, config.security.deployRoleNames),
        nodeGroups: clusterNodeGroups(merged.eks.nodeGroups, config.streaming.replication),
      },
      maintenance: chosen.local,
    };
    const cacheGroup = naming.regional(region.key, 'cache');
    const isPrimary = region === primaryConfig;
    return {
      key: region.key,
      code: region.code,
      role: region.role,
      isPrimary,
      vpcCidr: region.vpcCidr,
      azCount: region.azCount,
      settings,
      peers: config.regions
        .filter((r) => r.key !== region.key)
        .map((r) => ({ key: r.key, code: r.code, vpcCidr: r.vpcCidr })),
      stackIds: {
        regional: STACK_IDS.regional(region.key),
        data: STACK_IDS.data(region.key),
        workloads: STACK_IDS.workloads(region.key),
      },
      names: {
        base,
        eksCluster: base,
        auroraCluster: naming.regional(region.key, 'aurora'),
        cacheReplicationGroup: cache.role === 'reader' ? '' : cacheGroup,
        healthCheck: `${names.healthCheckPrefix}-${region.key}`,
        mskCluster: `${base}-msk`,
        eventBus: naming.eventBus(region.key),
        alertTopics: { critical: `${base}-alerts-critical`, warning: `${base}-alerts-warning` },
        criticalAlarm: `${base}-region-critical`,
        clickhouseBackupBucketPrefix: naming.regional(region.key, 'clickhouse-backups'),
        logArchiveBucketPrefix: naming.regional(region.key, 'log-archive'),
        albLogsBucketPrefix: naming.regional(region.key, 'alb-logs'),
        accessLogsBucketPrefix: naming.regional(region.key, 'access-logs'),
        clickhouseRole: naming.regional(region.key, 'clickhouse'),
        directHostname: directHostname(config, region.key),
      },
      maintenance: chosen,
      aurora: { role: isPrimary ? 'primary' : 'secondary' },
      cache: {
        role: cache.role,
        readsFrom: cache.readsFrom,
        nodeIds:
          cache.role === 'reader'
            ? []
            : Array.from(
                { length: settings.elasticache.nodes },
                (_, n) => `${cacheGroup}-${String(n + 1).padStart(3, '0')}`,
              ),
      },
      replicatesTo: config.regions[(i + 1) % config.regions.length].key,
    };
  });
  const primary = regions.find((r) => r.isPrimary)!;

  return {
    config,
    project: config.project,
    environment: config.environment,
    domainName: config.domainName,
    names,
    stackIds: { bootstrap: STACK_IDS.bootstrap, dns: STACK_IDS.dns, global: STACK_IDS.global },
    regions,
    primary,
    applyOrder: applyOrder(regions, primary),
    traffic: resolveTraffic(config, primary.key),
    dataPaths: dataPaths(config, regions, primary),
  };
}

/** Merges the defaults with a region's overrides, section by section. */
export function mergeSettings(config: PlatformConfig, region: RegionConfig): RegionalSettings {
  const overrides = region.overrides ?? {};
  return Object.fromEntries(
    Object.entries(config.defaults).map(([section, defaults]) => [
      section,
      { ...defaults, ...(overrides[section as keyof RegionalSettings] ?? {}) },
    ]),
  ) as unknown as RegionalSettings;
}

/**
 * First deploy: bootstrap (by hand), the zone, each region (primary first), the global stack, the
 * primary's data members (the global cluster's writer), the other data members, then each
 * region's workloads. Mirrors the stack dependencies (a test compares both).
 */
function applyOrder(regions: readonly RegionPlan[], primary: RegionPlan): string[] {
  const primaryFirst = [primary, ...regions.filter((r) => r !== primary)];
  return [
    STACK_IDS.bootstrap,
    STACK_IDS.dns,
    ...primaryFirst.map((r) => r.stackIds.regional),
    STACK_IDS.global,
    ...primaryFirst.map((r) => r.stackIds.data),
    ...primaryFirst.map((r) => r.stackIds.workloads),
  ];
}

/**
 * `api-weighted` weights: the configured ones, and for every region the configuration does not
 * list, the mean of the listed weights (rounded), so a newly added region takes an equal share
 * instead of none. Route 53 weights are relative: a region's share is weight / sum.
 */
export function resolveWeights(config: PlatformConfig): TrafficPlan['weights'] {
  const has = (key: string) => Object.prototype.hasOwnProperty.call(config.traffic.weights, key);
  const listed = config.regions.filter((r) => has(r.key));
  const mean = listed.length
    ? Math.round(listed.reduce((sum, r) => sum + config.traffic.weights[r.key], 0) / listed.length)
    : 1;
  return config.regions.map((r) =>
    has(r.key)
      ? { region: r.key, weight: config.traffic.weights[r.key], source: 'config' as const }
      : { region: r.key, weight: Math.max(1, mean), source: 'share' as const },
  );
}

function resolveTraffic(config: PlatformConfig, primary: string): TrafficPlan {
  const weights = resolveWeights(config);
  return {
    apiName: fqdn(config, API_LABELS.main),
    records: trafficPlan({ ...config, primary, weights: Object.fromEntries(weights.map((w) => [w.region, w.weight])) }),
    weights,
    drRegion: config.traffic.drRegion,
    budgets: failoverBudgets(config),
    originVerify: {
      ...(config.edge.originVerify ?? DEFAULT_ORIGIN_VERIFY),
      secretName: new Naming(config).global('origin-verify'),
      headerName: ORIGIN_VERIFY_HEADER,
    },
    recoveryControl: recoveryControlPlan(config),
  };
}

/**
 * Every connection the platform's pods open to a data store: the application writes to the Aurora
 * global writer and the cache primary (both in the primary region), reads its own region's Aurora
 * member and the cache member it reads from, and uses its own MSK cluster over IAM; in
 * MirrorMaker 2 mode each region's MirrorMaker pulls from every other region's cluster over SCRAM.
 */
function dataPaths(config: PlatformConfig, regions: readonly RegionPlan[], primary: RegionPlan): DataPath[] {
  const paths: DataPath[] = [];
  for (const r of regions) {
    const app = { from: r.key, client: 'application' } as const;
    paths.push(
      {
        ...app,
        store: 'aurora',
        to: primary.key,
        endpoint: 'aurora-writer',
        port: DATA_PORTS.postgres,
        access: 'write',
      },
      { ...app, store: 'aurora', to: r.key, endpoint: 'aurora-reader', port: DATA_PORTS.postgres, access: 'read' },
      { ...app, store: 'cache', to: primary.key, endpoint: 'cache-primary', port: DATA_PORTS.redis, access: 'write' },
      {
        ...app,
        store: 'cache',
        to: r.cache.readsFrom,
        endpoint: 'cache-reader',
        port: DATA_PORTS.redis,
        access: 'read',
      },
      { ...app, store: 'msk', to: r.key, endpoint: 'msk-iam', port: DATA_PORTS.mskIam, access: 'write' },
    );
    if (config.streaming.replication.mode === 'mirrormaker2') {
      const mm2 = {
        from: r.key,
        client: 'mirrormaker2',
        store: 'msk',
        endpoint: 'msk-scram',
        port: DATA_PORTS.mskScram,
      } as const;
      paths.push({ ...mm2, to: r.key, access: 'write' });
      for (const peer of r.peers) {
        paths.push({ ...mm2, to: peer.key, access: 'read' });
      }
    }
  }
  return paths;
}

/** The plan of the environment PLATFORM_ENV selects (the tools' entry: same plan as synth). */
export function loadPlan(env: NodeJS.ProcessEnv = process.env): PlatformPlan {
  return resolvePlan(loadConfig(env));
}

/**
 * A region's node groups: its configured groups, plus in MirrorMaker 2 mode the `replication`
 * group of `streaming.replication.nodes` (declared once for every region, so a region that overrides
 * its node groups keeps it).
 */
export function clusterNodeGroups(
  groups: readonly NodeGroupSettings[],
  replication: KafkaReplicationConfig,
): NodeGroupSettings[] {
  return replication.mode === 'mirrormaker2' ? [...groups, replicationNodeGroup(replication.nodes)] : [...groups];
}

/**
 * The roles with a cluster access entry: `eks.adminRoleNames`, then every deploy role
 * (`security.deployRoleNames`) not listed yet. The deploy role runs Terraform, and the workloads stacks
 * reach the cluster API with its identity (`aws eks get-token`), so it is an admin by construction,
 * never by a second list kept in step by hand. Patterns (`*`) name no single role and get no entry.
 */
export function clusterAdminRoles(adminRoleNames: readonly string[], deployRoleNames: readonly string[]): string[] {
  const deploy = deployRoleNames.filter((name) => !name.includes('*'));
  return [...new Set([...adminRoleNames, ...deploy])];
}
