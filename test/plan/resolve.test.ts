/**
 * Every derivation of `resolvePlan` on small hand-built configurations: pure, no synthesis.
 * Properties over generated configurations are in ./properties.test.ts.
 */
import type { MaintenanceSettings } from '../../src/config/data-types';
import type { PlatformConfig } from '../../src/config/types';
import { drTargets, primaryOf } from '../../src/dr/targets';
import {
  backupWindowBefore,
  formatMaintenanceWindow,
  toUtcWindow,
  WEEK_MINUTES,
  windowsOverlap,
} from '../../src/plan/maintenance';
import { distanceKm } from '../../src/plan/placement';
import { DATA_PORTS, resolvePlan, resolveWeights } from '../../src/plan/resolve';
import type { PlatformPlan } from '../../src/plan/types';
import { type Mutable, threeRegions, variant as variantOf } from '../support/config';
import { minutesOf, planError, regionOf, regionOfPlan } from '../support/plan';

/**
 * Production on the seed's three regions (us-east primary, eu-west, apac), whatever else production
 * lists: the names, windows, weights and orders below are exact for these three, and a region added
 * to production (README: adding a region) leaves this file as it is.
 */
const seed = threeRegions;
/** A deep copy of `base` (the seed regions by default) with `change` applied. */
const variant = (change: (c: Mutable<PlatformConfig>) => void, base: PlatformConfig = seed) => variantOf(change, base);

const usWest = regionOf('us-west', 'us-west-2', '10.40.0.0/16');
const tokyo = regionOf('tokyo', 'ap-northeast-1', '10.50.0.0/16');
/** The seed regions plus us-west-2 (index 3). */
const fourRegions = variant((c) => c.regions.push(structuredClone(usWest)));
/** The seed regions plus us-west-2 (index 3) and ap-northeast-1 (index 4). */
const fiveRegions = variant((c) => c.regions.push(structuredClone(usWest), structuredClone(tokyo)));
/** The seed regions with the primary (us-east) moved from index 0 to index 2. */
const primaryLast = variant((c) => {
  const [usEast, euWest, apac] = c.regions;
  c.regions = [euWest, apac, usEast];
});

/** Sets a maintenance override on region `index`, keeping its other overrides. */
function maintain(c: Mutable<PlatformConfig>, index: number, m: Partial<MaintenanceSettings>): void {
  c.regions[index].overrides = { ...c.regions[index].overrides, maintenance: m };
}

/** Sets `elasticache.joinGlobalDatastore` on region `index`, keeping its other overrides. */
function join(c: Mutable<PlatformConfig>, index: number, value: boolean): void {
  c.regions[index].overrides = { ...c.regions[index].overrides, elasticache: { joinGlobalDatastore: value } };
}

const allStackIds = (plan: PlatformPlan) => [
  plan.stackIds.bootstrap,
  plan.stackIds.dns,
  plan.stackIds.global,
  ...plan.regions.flatMap((r) => [r.stackIds.regional, r.stackIds.data, r.stackIds.workloads]),
];

describe('the primary region', () => {
  test('GIVEN the seed regions WHEN resolved THEN us-east is the one primary, everywhere', () => {
    const plan = resolvePlan(seed);

    expect(plan.regions.filter((r) => r.isPrimary).map((r) => r.key)).toEqual(['us-east']);
    expect(plan.primary.key).toBe('us-east');
    expect(plan.regions.map((r) => [r.key, r.role, r.aurora.role, r.cache.role])).toEqual([
      ['us-east', 'primary', 'primary', 'primary'],
      ['eu-west', 'secondary', 'secondary', 'secondary'],
      ['apac', 'secondary', 'secondary', 'secondary'],
    ]);
  });

  test('GIVEN the primary listed third WHEN resolved THEN it is still the primary of every fact', () => {
    const plan = resolvePlan(primaryLast);

    expect(plan.regions.map((r) => r.key)).toEqual(['eu-west', 'apac', 'us-east']);
    expect(plan.regions.filter((r) => r.isPrimary).map((r) => r.key)).toEqual(['us-east']);
    expect(plan.primary.key).toBe('us-east');
    expect(plan.primary.aurora.role).toBe('primary');
    expect(plan.primary.cache.role).toBe('primary');
    // The primary's region stack first after dns; its data stack first after global.
    expect(plan.applyOrder).toEqual([
      'state-bootstrap',
      'dns',
      'region-us-east',
      'region-eu-west',
      'region-apac',
      'global',
      'data-us-east',
      'data-eu-west',
      'data-apac',
      'workloads-us-east',
      'workloads-eu-west',
      'workloads-apac',
    ]);
    const failover = plan.traffic.records.filter((r) => r.policy.kind === 'failover');
    expect(failover.map((r) => [r.setIdentifier, r.policy, r.target])).toEqual([
      ['primary', { kind: 'failover', role: 'PRIMARY' }, { kind: 'region', region: 'us-east' }],
      ['secondary', { kind: 'failover', role: 'SECONDARY' }, { kind: 'record', label: 'api-secondary' }],
    ]);
    expect(plan.traffic.records.find((r) => r.id === 'api-primary')?.healthCheckRegion).toBe('us-east');
    // The SECONDARY leg routes by latency over the non-primary regions only.
    expect(plan.traffic.records.filter((r) => r.label === 'api-secondary').map((r) => r.setIdentifier)).toEqual([
      'eu-west',
      'apac',
    ]);
    // What the DR CLI acts on.
    const dr = primaryOf(drTargets(plan));
    expect(dr).toEqual({
      key: 'us-east',
      code: 'us-east-1',
      role: 'primary',
      auroraCluster: 'mi-production-us-east-aurora',
      cacheReplicationGroup: 'mi-production-us-east-cache',
      cacheReadsFrom: 'us-east',
      healthCheckName: 'mi-production-api-us-east',
      directName: 'api-us-east.254carbon.com',
    });
    expect(plan.traffic.drRegion).toBe('eu-west');
    expect(plan.traffic.records.find((r) => r.label === 'api-dr')?.target).toEqual({
      kind: 'region',
      region: 'eu-west',
    });
  });

  test('GIVEN apac made the primary WHEN resolved THEN apac holds the writer, the cache primary and the PRIMARY record', () => {
    const plan = resolvePlan(
      variant((c) => {
        c.regions[0].role = 'secondary';
        c.regions[2].role = 'primary';
      }),
    );

    expect(plan.primary.key).toBe('apac');
    expect(plan.regions.map((r) => [r.key, r.aurora.role, r.cache.role])).toEqual([
      ['us-east', 'secondary', 'secondary'],
      ['eu-west', 'secondary', 'secondary'],
      ['apac', 'primary', 'primary'],
    ]);
    expect(plan.applyOrder.slice(0, 3)).toEqual(['state-bootstrap', 'dns', 'region-apac']);
    expect(plan.traffic.records.find((r) => r.id === 'api-primary')?.target).toEqual({
      kind: 'region',
      region: 'apac',
    });
  });

  test('GIVEN two primaries WHEN resolved THEN a ConfigError names both', () => {
    const error = planError(variant((c) => (c.regions[1].role = 'primary')));

    expect(error.issues).toEqual([
      {
        path: 'regions[*].role',
        value: ['us-east', 'eu-west'],
        expected: 'expected exactly one region with role "primary", found 2',
      },
    ]);
  });
});

describe('names', () => {
  const plan = resolvePlan(seed);

  test('GIVEN the seed regions WHEN resolved THEN the platform names are exact', () => {
    expect({ ...plan.names, mskReplicator: plan.names.mskReplicator('us-east', 'eu-west') }).toEqual({
      prefix: 'mi-production',
      auroraGlobalCluster: 'mi-production-aurora',
      cacheGlobalDatastoreSuffix: 'mi-production-cache',
      healthCheckPrefix: 'mi-production-api',
      trail: 'mi-production-audit',
      trailNotifications: 'mi-production-audit-log-files',
      stateAccessLogs: {
        primary: '254carbon-mi-production-tfstate-access-logs',
        replica: '254carbon-mi-production-tfstate-replica-access-logs',
      },
      alertBus: 'mi-production-alerts',
      alertTimelineLogGroup: '/aws/events/mi-production-alert-timeline',
      mskReplicator: 'mi-production-us-east-to-eu-west',
    });
    expect(plan.stackIds).toEqual({ bootstrap: 'state-bootstrap', dns: 'dns', global: 'global' });
  });

  test('GIVEN the seed regions WHEN resolved THEN us-east has exactly these names', () => {
    expect(regionOfPlan(plan, 'us-east').names).toEqual({
      base: 'mi-production-us-east',
      eksCluster: 'mi-production-us-east',
      auroraCluster: 'mi-production-us-east-aurora',
      cacheReplicationGroup: 'mi-production-us-east-cache',
      healthCheck: 'mi-production-api-us-east',
      mskCluster: 'mi-production-us-east-msk',
      eventBus: 'mi-production-us-east-events',
      alertTopics: {
        critical: 'mi-production-us-east-alerts-critical',
        warning: 'mi-production-us-east-alerts-warning',
      },
      criticalAlarm: 'mi-production-us-east-region-critical',
      clickhouseBackupBucketPrefix: 'mi-production-us-east-clickhouse-backups',
      logArchiveBucketPrefix: 'mi-production-us-east-log-archive',
      albLogsBucketPrefix: 'mi-production-us-east-alb-logs',
      accessLogsBucketPrefix: 'mi-production-us-east-access-logs',
      clickhouseRole: 'mi-production-us-east-clickhouse',
      directHostname: 'api-us-east.254carbon.com',
    });
    expect(regionOfPlan(plan, 'us-east').stackIds).toEqual({
      regional: 'region-us-east',
      data: 'data-us-east',
      workloads: 'workloads-us-east',
    });
    expect(regionOfPlan(plan, 'us-east').cache.nodeIds).toEqual([
      'mi-production-us-east-cache-001',
      'mi-production-us-east-cache-002',
      'mi-production-us-east-cache-003',
    ]);
  });

  test.each([
    ['eu-west', 'eu-west-1'],
    ['apac', 'ap-southeast-1'],
  ])('GIVEN the seed regions WHEN resolved THEN %s (%s) has exactly its names', (key, code) => {
    const region = regionOfPlan(plan, key);
    expect(region.code).toBe(code);
    expect([
      region.names.base,
      region.names.eksCluster,
      region.names.auroraCluster,
      region.names.cacheReplicationGroup,
      region.names.healthCheck,
      region.names.mskCluster,
      region.names.eventBus,
      region.names.alertTopics.critical,
      region.names.alertTopics.warning,
      region.names.criticalAlarm,
      region.names.clickhouseBackupBucketPrefix,
      region.names.logArchiveBucketPrefix,
      region.names.albLogsBucketPrefix,
      region.names.clickhouseRole,
      region.names.directHostname,
      region.stackIds.regional,
      region.stackIds.data,
      region.stackIds.workloads,
    ]).toEqual(
      key === 'eu-west'
        ? [
            'mi-production-eu-west',
            'mi-production-eu-west',
            'mi-production-eu-west-aurora',
            'mi-production-eu-west-cache',
            'mi-production-api-eu-west',
            'mi-production-eu-west-msk',
            'mi-production-eu-west-events',
            'mi-production-eu-west-alerts-critical',
            'mi-production-eu-west-alerts-warning',
            'mi-production-eu-west-region-critical',
            'mi-production-eu-west-clickhouse-backups',
            'mi-production-eu-west-log-archive',
            'mi-production-eu-west-alb-logs',
            'mi-production-eu-west-clickhouse',
            'api-eu-west.254carbon.com',
            'region-eu-west',
            'data-eu-west',
            'workloads-eu-west',
          ]
        : [
            'mi-production-apac',
            'mi-production-apac',
            'mi-production-apac-aurora',
            'mi-production-apac-cache',
            'mi-production-api-apac',
            'mi-production-apac-msk',
            'mi-production-apac-events',
            'mi-production-apac-alerts-critical',
            'mi-production-apac-alerts-warning',
            'mi-production-apac-region-critical',
            'mi-production-apac-clickhouse-backups',
            'mi-production-apac-log-archive',
            'mi-production-apac-alb-logs',
            'mi-production-apac-clickhouse',
            'api-apac.254carbon.com',
            'region-apac',
            'data-apac',
            'workloads-apac',
          ],
    );
  });

  test('GIVEN a reader region WHEN resolved THEN it has no replication group and no cache nodes', () => {
    const usWestPlan = regionOfPlan(resolvePlan(fourRegions), 'us-west');
    expect(usWestPlan.cache.role).toBe('reader');
    expect(usWestPlan.names.cacheReplicationGroup).toBe('');
    expect(usWestPlan.cache.nodeIds).toEqual([]);
    expect(usWestPlan.names.auroraCluster).toBe('mi-production-us-west-aurora');
  });

  test('GIVEN staging WHEN resolved THEN names follow the environment', () => {
    const staging = resolvePlan(variant((c) => (c.environment = 'staging')));
    expect(regionOfPlan(staging, 'apac').names.healthCheck).toBe('mi-staging-api-apac');
    expect(regionOfPlan(staging, 'apac').names.auroraCluster).toBe('mi-staging-apac-aurora');
  });
});

describe('peers, settings and replication targets', () => {
  test('GIVEN the seed regions WHEN resolved THEN each region peers with every other region, in config order, never itself', () => {
    const plan = resolvePlan(seed);
    expect(Object.fromEntries(plan.regions.map((r) => [r.key, r.peers]))).toEqual({
      'us-east': [
        { key: 'eu-west', code: 'eu-west-1', vpcCidr: '10.20.0.0/16' },
        { key: 'apac', code: 'ap-southeast-1', vpcCidr: '10.30.0.0/16' },
      ],
      'eu-west': [
        { key: 'us-east', code: 'us-east-1', vpcCidr: '10.10.0.0/16' },
        { key: 'apac', code: 'ap-southeast-1', vpcCidr: '10.30.0.0/16' },
      ],
      apac: [
        { key: 'us-east', code: 'us-east-1', vpcCidr: '10.10.0.0/16' },
        { key: 'eu-west', code: 'eu-west-1', vpcCidr: '10.20.0.0/16' },
      ],
    });
  });

  test('GIVEN the seed regions WHEN resolved THEN each region replicates to the next one and the last wraps to the first', () => {
    expect(resolvePlan(seed).regions.map((r) => [r.key, r.replicatesTo])).toEqual([
      ['us-east', 'eu-west'],
      ['eu-west', 'apac'],
      ['apac', 'us-east'],
    ]);
    expect(resolvePlan(fiveRegions).regions.map((r) => r.replicatesTo)).toEqual([
      'eu-west',
      'apac',
      'us-west',
      'tokyo',
      'us-east',
    ]);
    expect(resolvePlan(primaryLast).regions.map((r) => [r.key, r.replicatesTo])).toEqual([
      ['eu-west', 'apac'],
      ['apac', 'us-east'],
      ['us-east', 'eu-west'],
    ]);
  });

  test('GIVEN a region override WHEN resolved THEN settings merge it over the defaults, section by section', () => {
    const plan = resolvePlan(seed);
    const apac = regionOfPlan(plan, 'apac');
    const euWest = regionOfPlan(plan, 'eu-west');

    // The admins are the configured ones plus the deploy roles (the workloads stacks apply as them).
    const admins = [...seed.defaults.eks.adminRoleNames, ...seed.security.deployRoleNames];
    // MirrorMaker 2 mode adds the replication group to every region, overridden list or not.
    const replication = {
      ...seed.streaming.replication.nodes,
      name: 'replication',
      kind: 'replication',
      labels: {},
    };
    expect(apac.settings.eks).toEqual({
      ...seed.defaults.eks,
      adminRoleNames: admins,
      nodeGroups: [...seed.regions[2].overrides!.eks!.nodeGroups!, replication],
    });
    expect(euWest.settings.eks).toEqual({
      ...seed.defaults.eks,
      adminRoleNames: admins,
      nodeGroups: [...seed.defaults.eks.nodeGroups, replication],
    });
    expect(euWest.settings.aurora).toEqual(seed.defaults.aurora);
    expect(euWest.azCount).toBe(3);
    expect(euWest.vpcCidr).toBe('10.20.0.0/16');
  });
});

describe('api-weighted weights', () => {
  test('GIVEN every region weighted WHEN resolved THEN the configured weights are kept', () => {
    const plan = resolvePlan(seed);
    expect(plan.traffic.weights).toEqual([
      { region: 'us-east', weight: 50, source: 'config' },
      { region: 'eu-west', weight: 25, source: 'config' },
      { region: 'apac', weight: 25, source: 'config' },
    ]);
    expect(
      plan.traffic.records.filter((r) => r.label === 'api-weighted').map((r) => [r.setIdentifier, r.policy]),
    ).toEqual([
      ['us-east', { kind: 'weighted', weight: 50 }],
      ['eu-west', { kind: 'weighted', weight: 25 }],
      ['apac', { kind: 'weighted', weight: 25 }],
    ]);
  });

  test('GIVEN an unlisted region WHEN resolved THEN it gets the rounded mean of the listed weights', () => {
    const plan = resolvePlan(variant((c) => (c.traffic.weights = { 'us-east': 50, 'eu-west': 25 })));
    // (50 + 25) / 2 = 37.5, rounded to 38.
    expect(plan.traffic.weights).toEqual([
      { region: 'us-east', weight: 50, source: 'config' },
      { region: 'eu-west', weight: 25, source: 'config' },
      { region: 'apac', weight: 38, source: 'share' },
    ]);
    expect(plan.traffic.records.find((r) => r.id === 'api-weighted-apac')?.policy).toEqual({
      kind: 'weighted',
      weight: 38,
    });
  });

  test('GIVEN added regions WHEN resolved THEN each takes the mean share (seed weights: 33)', () => {
    expect(resolvePlan(fiveRegions).traffic.weights.slice(3)).toEqual([
      { region: 'us-west', weight: 33, source: 'share' },
      { region: 'tokyo', weight: 33, source: 'share' },
    ]);
  });

  test('GIVEN listed weights whose mean rounds to 0 WHEN resolved THEN an unlisted region still gets 1', () => {
    const plan = resolvePlan(
      variant((c) => {
        c.regions.push(structuredClone(usWest));
        c.traffic.weights = { 'us-east': 1, 'eu-west': 0, apac: 0 };
      }),
    );
    expect(plan.traffic.weights[3]).toEqual({ region: 'us-west', weight: 1, source: 'share' });
  });

  test('GIVEN no weights at all WHEN weighed THEN every region gets 1, but the plan refuses such a config', () => {
    const unweighted = variant((c) => (c.traffic.weights = {}));
    expect(resolveWeights(unweighted)).toEqual([
      { region: 'us-east', weight: 1, source: 'share' },
      { region: 'eu-west', weight: 1, source: 'share' },
      { region: 'apac', weight: 1, source: 'share' },
    ]);
    // Validation asks for at least one weight above 0, so resolvePlan never reaches the even split.
    expect(planError(unweighted).issues.map((i) => i.path)).toEqual(['traffic.weights']);
  });

  // Regression: "listed" once meant `weights[key] !== undefined`, true for a key inherited from
  // Object.prototype. The key `constructor` passes every check (2-16 lowercase letters, not
  // reserved), so that region "inherited" the weight Object (a function). Own properties only.
  test('GIVEN an unlisted region keyed "constructor" WHEN resolved THEN it takes the mean share', () => {
    const plan = resolvePlan(
      variant((c) => {
        c.regions[2].key = 'constructor';
        c.traffic.geoRouting = {};
        c.traffic.weights = { 'us-east': 50, 'eu-west': 25 };
      }),
    );
    expect(plan.traffic.weights[2]).toEqual({ region: 'constructor', weight: 38, source: 'share' });
  });
});

describe('data paths', () => {
  const plan = resolvePlan(fourRegions);

  test('GIVEN MirrorMaker 2 mode WHEN resolved THEN each region has 5 application paths and 1 + peers MirrorMaker paths', () => {
    const seedPlan = resolvePlan(seed);
    for (const r of seedPlan.regions) {
      expect(seedPlan.dataPaths.filter((p) => p.from === r.key)).toHaveLength(5 + 1 + 2);
    }
    expect(seedPlan.dataPaths).toHaveLength(24);
    for (const r of plan.regions) {
      expect(plan.dataPaths.filter((p) => p.from === r.key)).toHaveLength(5 + 1 + 3);
    }
  });

  test('GIVEN any region WHEN resolved THEN application writes go to the primary and reads stay local or go to readsFrom', () => {
    for (const r of plan.regions) {
      const app = plan.dataPaths.filter((p) => p.from === r.key && p.client === 'application');
      expect(app.map(({ store, to, endpoint, port, access }) => ({ store, to, endpoint, port, access }))).toEqual([
        { store: 'aurora', to: 'us-east', endpoint: 'aurora-writer', port: DATA_PORTS.postgres, access: 'write' },
        { store: 'aurora', to: r.key, endpoint: 'aurora-reader', port: DATA_PORTS.postgres, access: 'read' },
        { store: 'cache', to: 'us-east', endpoint: 'cache-primary', port: DATA_PORTS.redis, access: 'write' },
        { store: 'cache', to: r.cache.readsFrom, endpoint: 'cache-reader', port: DATA_PORTS.redis, access: 'read' },
        { store: 'msk', to: r.key, endpoint: 'msk-iam', port: DATA_PORTS.mskIam, access: 'write' },
      ]);
    }
    expect(DATA_PORTS).toEqual({ postgres: 5432, redis: 6379, mskIam: 9098, mskScram: 9096 });
  });

  test('GIVEN a reader region WHEN resolved THEN its cache reads go to the member it reads from', () => {
    const reads = plan.dataPaths.filter((p) => p.endpoint === 'cache-reader').map((p) => [p.from, p.to]);
    expect(reads).toEqual([
      ['us-east', 'us-east'],
      ['eu-west', 'eu-west'],
      ['apac', 'apac'],
      ['us-west', 'us-east'],
    ]);
  });

  test('GIVEN MirrorMaker 2 mode WHEN resolved THEN each region writes its own cluster and reads every peer over SCRAM', () => {
    for (const r of plan.regions) {
      const mm2 = plan.dataPaths.filter((p) => p.from === r.key && p.client === 'mirrormaker2');
      expect(mm2.every((p) => p.store === 'msk' && p.endpoint === 'msk-scram' && p.port === DATA_PORTS.mskScram)).toBe(
        true,
      );
      expect(mm2.filter((p) => p.access === 'write').map((p) => p.to)).toEqual([r.key]);
      expect(mm2.filter((p) => p.access === 'read').map((p) => p.to)).toEqual(r.peers.map((peer) => peer.key));
    }
  });

  test('GIVEN msk-replicator mode WHEN resolved THEN the MirrorMaker 2 paths disappear', () => {
    const replicator = resolvePlan(
      variant((c) => {
        c.regions.push(structuredClone(usWest));
        c.streaming.replication.mode = 'msk-replicator';
      }),
    );
    expect(replicator.dataPaths.filter((p) => p.client === 'mirrormaker2')).toEqual([]);
    expect(replicator.dataPaths.some((p) => p.endpoint === 'msk-scram')).toBe(false);
    for (const r of replicator.regions) {
      expect(replicator.dataPaths.filter((p) => p.from === r.key)).toHaveLength(5);
    }
    // Same application paths as in MirrorMaker 2 mode.
    expect(replicator.dataPaths).toEqual(plan.dataPaths.filter((p) => p.client === 'application'));
  });
});

describe('apply order', () => {
  test('GIVEN the seed regions WHEN resolved THEN bootstrap, dns, regions, global, data (primary first), workloads', () => {
    expect(resolvePlan(seed).applyOrder).toEqual([
      'state-bootstrap',
      'dns',
      'region-us-east',
      'region-eu-west',
      'region-apac',
      'global',
      'data-us-east',
      'data-eu-west',
      'data-apac',
      'workloads-us-east',
      'workloads-eu-west',
      'workloads-apac',
    ]);
  });

  test.each([
    ['the seed regions', seed],
    ['primary listed last', primaryLast],
    ['five regions', fiveRegions],
  ])('GIVEN %s WHEN resolved THEN every stack id appears exactly once, workloads last', (_, config) => {
    const plan = resolvePlan(config);
    const order = plan.applyOrder;

    expect([...order].sort()).toEqual(allStackIds(plan).sort());
    expect(new Set(order).size).toBe(order.length);
    expect(order.slice(0, 2)).toEqual(['state-bootstrap', 'dns']);
    expect(order.slice(-plan.regions.length).sort()).toEqual(plan.regions.map((r) => r.stackIds.workloads).sort());
  });
});

describe('cache membership', () => {
  test('GIVEN four regions WHEN resolved THEN the fourth reads the nearest member: us-west-2 reads us-east', () => {
    const plan = resolvePlan(fourRegions);

    expect(plan.regions.map((r) => [r.key, r.cache.role, r.cache.readsFrom])).toEqual([
      ['us-east', 'primary', 'us-east'],
      ['eu-west', 'secondary', 'eu-west'],
      ['apac', 'secondary', 'apac'],
      ['us-west', 'reader', 'us-east'],
    ]);
    // Oregon to N. Virginia is the shortest of the three members.
    expect(Math.round(distanceKm('us-west-2', 'us-east-1'))).toBe(3517);
    expect(distanceKm('us-west-2', 'us-east-1')).toBeLessThan(distanceKm('us-west-2', 'eu-west-1'));
    expect(distanceKm('us-west-2', 'us-east-1')).toBeLessThan(distanceKm('us-west-2', 'ap-southeast-1'));
  });

  test('GIVEN five regions WHEN resolved THEN ap-northeast-1 reads apac (ap-southeast-1)', () => {
    const plan = resolvePlan(fiveRegions);

    expect(plan.regions.map((r) => [r.key, r.cache.role, r.cache.readsFrom])).toEqual([
      ['us-east', 'primary', 'us-east'],
      ['eu-west', 'secondary', 'eu-west'],
      ['apac', 'secondary', 'apac'],
      ['us-west', 'reader', 'us-east'],
      ['tokyo', 'reader', 'apac'],
    ]);
    const fromTokyo = ['us-east-1', 'eu-west-1', 'ap-southeast-1'].map((code) =>
      Math.round(distanceKm('ap-northeast-1', code)),
    );
    expect(fromTokyo).toEqual([10887, 9590, 5314]);
  });

  test('GIVEN a secondary with joinGlobalDatastore false WHEN resolved THEN it reads the nearest member and frees its slot', () => {
    const plan = resolvePlan(
      variant((c) => {
        c.regions.push(structuredClone(usWest));
        join(c, 1, false);
      }),
    );

    expect(plan.regions.map((r) => [r.key, r.cache.role, r.cache.readsFrom])).toEqual([
      ['us-east', 'primary', 'us-east'],
      ['eu-west', 'reader', 'us-east'],
      ['apac', 'secondary', 'apac'],
      ['us-west', 'secondary', 'us-west'],
    ]);
    expect(regionOfPlan(plan, 'eu-west').names.cacheReplicationGroup).toBe('');
  });

  test('GIVEN joinGlobalDatastore true within the limit WHEN resolved THEN the region is a secondary', () => {
    const plan = resolvePlan(variant((c) => join(c, 2, true)));
    expect(regionOfPlan(plan, 'apac').cache.role).toBe('secondary');
  });

  test('GIVEN joinGlobalDatastore true past the two-secondary limit WHEN resolved THEN a ConfigError names the field', () => {
    const error = planError(
      variant((c) => {
        c.regions.push(structuredClone(usWest));
        join(c, 3, true);
      }),
    );

    expect(error.issues).toHaveLength(1);
    expect(error.issues[0].path).toBe('regions[3].overrides.elasticache.joinGlobalDatastore');
    expect(error.issues[0].value).toBe(true);
    expect(error.issues[0].expected).toMatch(/at most 2 secondary regions/);
  });

  test.each([
    ['first', seed, 0],
    ['listed last', primaryLast, 2],
  ])(
    'GIVEN the primary (%s) with joinGlobalDatastore false WHEN resolved THEN a ConfigError names the field',
    (_, base, index) => {
      const error = planError(variant((c) => join(c, index, false), base));

      expect(error.issues).toEqual([
        {
          path: `regions[${index}].overrides.elasticache.joinGlobalDatastore`,
          value: false,
          expected: 'expected true: the primary region holds the global datastore primary',
        },
      ]);
    },
  );
});

describe('maintenance windows', () => {
  const overlapsAny = (plan: PlatformPlan) =>
    plan.regions.some((a, i) =>
      plan.regions.some((b, j) => i < j && windowsOverlap(a.maintenance.utc, b.maintenance.utc)),
    );

  test('GIVEN the seed regions WHEN resolved THEN Sunday 02:00 local falls at distinct UTC times', () => {
    const plan = resolvePlan(seed);

    expect(
      plan.regions.map((r) => [
        r.key,
        r.maintenance.maintenanceWindow,
        r.maintenance.backupWindow,
        r.maintenance.source,
      ]),
    ).toEqual([
      ['us-east', 'sun:07:00-sun:11:00', '05:30-06:30', 'default'],
      ['eu-west', 'sun:02:00-sun:06:00', '00:30-01:30', 'default'],
      ['apac', 'sat:18:00-sat:22:00', '16:30-17:30', 'default'],
    ]);
    expect(plan.regions.map((r) => r.maintenance.utc)).toEqual([
      { start: 420, minutes: 240 },
      { start: 120, minutes: 240 },
      { start: 6 * 1440 + 18 * 60, minutes: 240 },
    ]);
  });

  test('GIVEN two explicit overrides that overlap WHEN resolved THEN a ConfigError names both regions', () => {
    const error = planError(
      variant((c) => {
        maintain(c, 0, { localStart: '02:00' }); // us-east: sun 07:00-11:00 UTC
        maintain(c, 1, { localStart: '07:00' }); // eu-west: sun 07:00-11:00 UTC
      }),
    );

    expect(error.issues).toEqual([
      {
        path: 'regions[1].overrides.maintenance',
        value: { day: 'sun', localStart: '07:00', durationHours: 4, utc: 'sun:07:00-sun:11:00' },
        expected:
          'expected a window that does not overlap regions[0] (us-east) sun:07:00-sun:11:00 UTC: regions are maintained one at a time (remove the override to have one chosen)',
      },
    ]);
    expect(error.message).toContain('regions[1].overrides.maintenance');
    expect(error.message).toContain('regions[0] (us-east)');
  });

  test('GIVEN explicit overrides that only touch WHEN resolved THEN both are kept', () => {
    const plan = resolvePlan(
      variant((c) => {
        maintain(c, 0, { localStart: '02:00' }); // us-east: sun 07:00-11:00 UTC
        maintain(c, 1, { localStart: '11:00' }); // eu-west: sun 11:00-15:00 UTC
      }),
    );
    expect(plan.regions.map((r) => r.maintenance.source)).toEqual(['override', 'override', 'default']);
    expect(overlapsAny(plan)).toBe(false);
  });

  test('GIVEN an automatic region whose default overlaps an override WHEN resolved THEN it is staggered to the first free slot', () => {
    const plan = resolvePlan(variant((c) => maintain(c, 1, { localStart: '08:00' }))); // eu-west: sun 08:00-12:00 UTC
    const usEast = regionOfPlan(plan, 'us-east');

    expect(regionOfPlan(plan, 'eu-west').maintenance.source).toBe('override');
    // us-east's default (sun 07:00-11:00 UTC) overlaps; the first start that does not is 07:00 local = 12:00 UTC.
    expect(usEast.maintenance.source).toBe('staggered');
    expect(usEast.maintenance.local).toEqual({ day: 'sun', localStart: '07:00', durationHours: 4 });
    expect(usEast.maintenance.maintenanceWindow).toBe('sun:12:00-sun:16:00');
    expect(usEast.settings.maintenance).toEqual(usEast.maintenance.local);
    expect(regionOfPlan(plan, 'apac').maintenance.source).toBe('default');
    expect(overlapsAny(plan)).toBe(false);
  });

  test('GIVEN five regions WHEN resolved THEN the added regions are staggered and no two windows overlap', () => {
    const plan = resolvePlan(fiveRegions);

    expect(
      plan.regions.map((r) => [
        r.key,
        r.maintenance.source,
        r.maintenance.local.localStart,
        r.maintenance.maintenanceWindow,
      ]),
    ).toEqual([
      ['us-east', 'default', '02:00', 'sun:07:00-sun:11:00'],
      ['eu-west', 'default', '02:00', 'sun:02:00-sun:06:00'],
      ['apac', 'default', '02:00', 'sat:18:00-sat:22:00'],
      ['us-west', 'staggered', '03:00', 'sun:11:00-sun:15:00'],
      ['tokyo', 'staggered', '07:00', 'sat:22:00-sun:02:00'],
    ]);
    expect(overlapsAny(plan)).toBe(false);
  });

  test.each<[string, number, Partial<MaintenanceSettings>, string, number, string]>([
    // region, index, local override, UTC window, UTC minute of week, backup window
    [
      'us-east (UTC-5), Wednesday 21:30 local: next day UTC',
      0,
      { day: 'wed', localStart: '21:30', durationHours: 3 },
      'thu:02:30-thu:05:30',
      4 * 1440 + 150,
      '01:00-02:00',
    ],
    [
      'apac (UTC+8), Monday 03:30 local: previous day UTC',
      2,
      { day: 'mon', localStart: '03:30', durationHours: 2 },
      'sun:19:30-sun:21:30',
      19 * 60 + 30,
      '18:00-19:00',
    ],
    [
      'eu-west (UTC+0), Friday 23:30 local: crosses midnight',
      1,
      { day: 'fri', localStart: '23:30', durationHours: 1 },
      'fri:23:30-sat:00:30',
      5 * 1440 + 23 * 60 + 30,
      '22:00-23:00',
    ],
    [
      'us-east (UTC-5), Saturday 22:30 local: wraps into the next week',
      0,
      { day: 'sat', localStart: '22:30', durationHours: 1 },
      'sun:03:30-sun:04:30',
      210,
      '02:00-03:00',
    ],
  ])('GIVEN %s WHEN resolved THEN the override converts to UTC', (_, index, local, window, start, backup) => {
    const plan = resolvePlan(variant((c) => maintain(c, index, local)));
    const region = plan.regions[index];

    expect(region.maintenance.source).toBe('override');
    expect(region.maintenance.local).toEqual({ ...seed.defaults.maintenance, ...local });
    expect(region.maintenance.utc).toEqual({ start, minutes: (local.durationHours ?? 4) * 60 });
    expect(region.maintenance.maintenanceWindow).toBe(window);
    expect(region.maintenance.backupWindow).toBe(backup);
    expect(overlapsAny(plan)).toBe(false);
  });

  test('GIVEN the local-to-UTC conversion WHEN offsets are half hours or cross the week THEN the minute of the week is right', () => {
    // Mumbai (UTC+5:30): Sunday 02:00 local is Saturday 20:30 UTC.
    expect(formatMaintenanceWindow(toUtcWindow({ day: 'sun', localStart: '02:00', durationHours: 4 }, 5.5))).toBe(
      'sat:20:30-sun:00:30',
    );
    // Tokyo (UTC+9): Sunday 00:30 local is Saturday 15:30 UTC.
    expect(toUtcWindow({ day: 'sun', localStart: '00:30', durationHours: 2 }, 9)).toEqual({
      start: 6 * 1440 + 15 * 60 + 30,
      minutes: 120,
    });
    // N. California (UTC-8): Saturday 23:30 local is Sunday 07:30 UTC of the next week.
    expect(toUtcWindow({ day: 'sat', localStart: '23:30', durationHours: 1 }, -8)).toEqual({ start: 450, minutes: 60 });
    expect(windowsOverlap({ start: WEEK_MINUTES - 60, minutes: 120 }, { start: 0, minutes: 30 })).toBe(true);
    expect(windowsOverlap({ start: 0, minutes: 60 }, { start: 60, minutes: 60 })).toBe(false);
  });

  test('GIVEN any region WHEN resolved THEN its one-hour backup window ends 30 minutes before maintenance starts', () => {
    const plans = [
      resolvePlan(fiveRegions),
      resolvePlan(variant((c) => maintain(c, 2, { day: 'mon', localStart: '00:30' }))),
    ];
    for (const region of plans.flatMap((p) => p.regions)) {
      const [from, to] = region.maintenance.backupWindow.split('-').map(minutesOf);
      expect((region.maintenance.utc.start - 30 - to) % 1440).toBe(0);
      expect((to - from + 1440) % 1440).toBe(60);
      expect(region.maintenance.backupWindow).toBe(backupWindowBefore(region.maintenance.utc));
    }
    // Maintenance at Sunday 00:00 UTC: the backup runs the evening before.
    expect(backupWindowBefore({ start: 0, minutes: 60 })).toBe('22:30-23:30');
  });
});

describe('two-region Taiwan/Tokyo platform', () => {
  const taiwanTokyo = variant((c) => {
    c.regions = [
      regionOf('taipei', 'ap-east-2', '10.10.0.0/16', 'primary'),
      regionOf('tokyo', 'ap-northeast-1', '10.20.0.0/16'),
    ];
    c.traffic.geoRouting = { 'continent:AS': 'taipei', 'continent:OC': 'tokyo' };
    c.traffic.weights = { taipei: 60, tokyo: 40 };
    c.traffic.drRegion = 'tokyo';
    // Checker regions stay production's (all valid Route 53 checker regions).
  });

  test('GIVEN taipei primary and tokyo secondary WHEN resolved THEN every derivation follows', () => {
    const plan = resolvePlan(taiwanTokyo);

    expect(plan.primary.key).toBe('taipei');
    expect(plan.regions.map((r) => [r.key, r.code, r.isPrimary, r.cache.role, r.replicatesTo])).toEqual([
      ['taipei', 'ap-east-2', true, 'primary', 'tokyo'],
      ['tokyo', 'ap-northeast-1', false, 'secondary', 'taipei'],
    ]);
    expect(plan.applyOrder).toEqual([
      'state-bootstrap',
      'dns',
      'region-taipei',
      'region-tokyo',
      'global',
      'data-taipei',
      'data-tokyo',
      'workloads-taipei',
      'workloads-tokyo',
    ]);
    // Both at Sunday 02:00 local would overlap (sat 18-22 and 17-21 UTC): tokyo moves to 07:00 local.
    expect(plan.regions.map((r) => [r.maintenance.source, r.maintenance.maintenanceWindow])).toEqual([
      ['default', 'sat:18:00-sat:22:00'],
      ['staggered', 'sat:22:00-sun:02:00'],
    ]);
    expect(plan.traffic.records.find((r) => r.id === 'api-primary')?.target).toEqual({
      kind: 'region',
      region: 'taipei',
    });
    expect(plan.traffic.records.find((r) => r.id === 'dr')?.target).toEqual({ kind: 'region', region: 'tokyo' });
    expect(plan.traffic.weights.map((w) => w.weight)).toEqual([60, 40]);
    expect(regionOfPlan(plan, 'tokyo').names.healthCheck).toBe('mi-production-api-tokyo');
    expect(plan.dataPaths).toHaveLength(2 * (5 + 1 + 1));
  });
});

describe('failover budgets', () => {
  test('GIVEN an RTO below the DNS worst case WHEN resolved THEN it is refused with the arithmetic', () => {
    const error = planError(variant((c) => (c.recovery.rtoSeconds = 49)));

    expect(error.issues).toEqual([
      {
        path: 'recovery.rtoSeconds',
        value: 49,
        expected:
          'expected the worst-case dns failover within the RTO, but 10 s interval x 2 failures + 30 s TTL (CNAME) = 50 s > 49 s; lower traffic.healthCheck.requestIntervalSeconds, traffic.healthCheck.failureThreshold, traffic.recordTarget, traffic.recordTtlSeconds, or raise the RTO',
      },
    ]);
  });

  test('GIVEN an RTO exactly at the DNS worst case WHEN resolved THEN it passes', () => {
    const plan = resolvePlan(variant((c) => (c.recovery.rtoSeconds = 50)));
    expect(plan.traffic.budgets.map((b) => [b.path, b.worstCaseSeconds, b.rtoSeconds, b.withinRto])).toEqual([
      ['dns', 50, 50, true],
      ['cloudfront', 40, 50, true],
    ]);
  });

  test('GIVEN ALB aliases and slow CloudFront attempts WHEN resolved THEN both paths are refused in one error', () => {
    const error = planError(
      variant((c) => {
        c.traffic.recordTarget = 'alias';
        c.edge.originConnectionTimeoutSeconds = 10;
        c.edge.originConnectionAttempts = 3;
        c.recovery.rtoSeconds = 29;
      }),
    );

    expect(error.issues.map((i) => i.path)).toEqual(['recovery.rtoSeconds', 'recovery.rtoSeconds']);
    expect(error.issues[0].expected).toContain(
      '10 s interval x 2 failures + 60 s TTL (ALB alias, fixed) = 80 s > 29 s',
    );
    expect(error.issues[1].expected).toContain(
      '10 s connection timeout x 3 attempts + 30 s read timeout = 60 s > 29 s',
    );
  });
});

describe('errors come out together', () => {
  const overlapping = (c: Mutable<PlatformConfig>) => {
    maintain(c, 0, { localStart: '02:00' });
    maintain(c, 1, { localStart: '07:00' });
  };

  test('GIVEN several plan problems WHEN resolved THEN one ConfigError lists each with its path', () => {
    const error = planError(
      variant((c) => {
        overlapping(c);
        c.regions.push(structuredClone(usWest));
        join(c, 3, true);
        c.recovery.rtoSeconds = 49;
      }),
    );

    expect(error.issues.map((i) => i.path)).toEqual([
      'regions[1].overrides.maintenance',
      'regions[3].overrides.elasticache.joinGlobalDatastore',
      'recovery.rtoSeconds',
    ]);
    expect(error.message).toMatch(/^Invalid configuration \(3 problems\):/);
  });

  // Since 5ab2c6c, resolvePlan runs each cross-region decision when checkConfig found no problem in
  // the fields it guards (src/plan/resolve.ts `clean(...)`), instead of only when the whole config is
  // valid: a bad domainName no longer hides the plan's problems.
  test('GIVEN config problems and plan problems WHEN resolved THEN one ConfigError lists both kinds', () => {
    const error = planError(
      variant((c) => {
        overlapping(c);
        c.regions.push(structuredClone(usWest));
        join(c, 3, true);
        c.domainName = 'Not A Domain';
        c.regions[2].vpcCidr = '10.10.0.0/16';
        c.recovery.rtoSeconds = 49;
      }),
    );

    expect(error.issues.map((i) => i.path)).toEqual([
      'domainName',
      'regions[2].vpcCidr',
      'regions[1].overrides.maintenance',
      'regions[3].overrides.elasticache.joinGlobalDatastore',
      'recovery.rtoSeconds',
    ]);
  });

  test.each<[string, (c: Mutable<PlatformConfig>) => void, string[]]>([
    [
      'a maintenance field is invalid: no placement (its windows are unknown), the other checks run',
      (c) => maintain(c, 1, { localStart: '07:00', durationHours: 9 }),
      [
        'regions[1].overrides.maintenance.durationHours',
        'regions[3].overrides.elasticache.joinGlobalDatastore',
        'recovery.rtoSeconds',
      ],
    ],
    [
      'a region code is invalid: neither maintenance nor cache placement, the budget runs',
      (c) => (c.regions[2].code = 'xx-nowhere-1'),
      ['regions[2].code', 'recovery.rtoSeconds'],
    ],
    [
      'a budget term is invalid: no budget, both placements run',
      (c) => (c.traffic.recordTtlSeconds = 0),
      [
        'traffic.recordTtlSeconds',
        'regions[1].overrides.maintenance',
        'regions[3].overrides.elasticache.joinGlobalDatastore',
      ],
    ],
  ])('GIVEN plan problems and %s', (_, breakField, paths) => {
    const error = planError(
      variant((c) => {
        overlapping(c);
        c.regions.push(structuredClone(usWest));
        join(c, 3, true);
        c.recovery.rtoSeconds = 49;
        breakField(c);
      }),
    );
    expect(error.issues.map((i) => i.path)).toEqual(paths);
  });

  // Regression: each guard covers only the fields its decision reads. Broader guards (any
  // `elasticache` or `traffic`/`edge` path) once let an invalid cache node type hide a datastore
  // over its member limit, and an invalid HSTS max-age hide a budget over the RTO.
  const pastTheLimit = (c: Mutable<PlatformConfig>) => {
    c.regions.push(structuredClone(usWest));
    join(c, 3, true);
  };
  test.each<[string, (c: Mutable<PlatformConfig>) => void, string[]]>([
    [
      'an invalid data.elasticache.nodeType and a datastore over its limit',
      (c) => {
        pastTheLimit(c);
        c.data.elasticache.nodeType = 'cache.t2.micro';
      },
      ['data.elasticache.nodeType', 'regions[3].overrides.elasticache.joinGlobalDatastore'],
    ],
    [
      'an invalid defaults.elasticache.nodes and a datastore over its limit',
      (c) => {
        pastTheLimit(c);
        c.defaults.elasticache.nodes = 1;
      },
      ['defaults.elasticache.nodes', 'regions[3].overrides.elasticache.joinGlobalDatastore'],
    ],
    [
      'an invalid edge.hstsMaxAgeSeconds and a budget over the RTO',
      (c) => {
        c.edge.hstsMaxAgeSeconds = 1;
        c.recovery.rtoSeconds = 49;
      },
      ['edge.hstsMaxAgeSeconds', 'recovery.rtoSeconds'],
    ],
  ])('GIVEN %s (a field the decision does not read) WHEN resolved THEN both are reported', (_, change, paths) => {
    expect(planError(variant(change)).issues.map((i) => i.path)).toEqual(paths);
  });

  test('GIVEN several config problems WHEN resolved THEN one ConfigError lists them all', () => {
    const error = planError(
      variant((c) => {
        c.domainName = 'Not A Domain';
        c.project = 'X';
        c.regions[1].vpcCidr = '10.10.0.0/16';
      }),
    );
    expect(error.issues.map((i) => i.path)).toEqual(['project', 'domainName', 'regions[1].vpcCidr']);
  });
});
