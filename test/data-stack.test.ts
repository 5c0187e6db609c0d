import { ConfigError } from '../src/config/errors';
import { resolvePlan } from '../src/plan/resolve';
import { production } from '../src/config/environments/production';
import { staging } from '../src/config/environments/staging';
import {
  backupWindowBefore,
  formatMaintenanceWindow,
  toUtcWindow,
  windowsOverlap,
  type UtcWindow,
} from '../src/plan/maintenance';
import { withExtraRegions } from '../src/config/scale';
import type { PlatformConfig } from '../src/config/types';
import { type Mutable, threeRegions, variant } from './support/config';
import { defaultSynth } from './support/shared-synth';
import { resources } from './support/stack-json';
import { synthOnce, type SynthOutput } from './support/synth';

describe('maintenance windows: local Sunday 02:00 to UTC', () => {
  const sunday = { day: 'sun', localStart: '02:00', durationHours: 4 } as const;
  test.each<[string, number, string, string]>([
    ['EST (UTC-5)', -5, 'sun:07:00-sun:11:00', '05:30-06:30'],
    ['GMT (UTC+0)', 0, 'sun:02:00-sun:06:00', '00:30-01:30'],
    ['SGT (UTC+8) wraps to Saturday', 8, 'sat:18:00-sat:22:00', '16:30-17:30'],
    ['IST (UTC+5:30)', 5.5, 'sat:20:30-sun:00:30', '19:00-20:00'],
    ['AEST (UTC+10)', 10, 'sat:16:00-sat:20:00', '14:30-15:30'],
  ])('%s', (_zone, offset, window, backup) => {
    const w = toUtcWindow(sunday, offset);
    expect(formatMaintenanceWindow(w)).toBe(window);
    expect(backupWindowBefore(w)).toBe(backup);
  });

  test.each<[string, UtcWindow, UtcWindow, boolean]>([
    ['disjoint', { start: 0, minutes: 60 }, { start: 60, minutes: 60 }, false],
    ['overlapping', { start: 0, minutes: 120 }, { start: 60, minutes: 60 }, true],
    ['across the week boundary', { start: 10080 - 60, minutes: 120 }, { start: 30, minutes: 30 }, true],
    ['touching across the week boundary', { start: 10080 - 60, minutes: 60 }, { start: 0, minutes: 30 }, false],
  ])('%s', (_name, a, b, overlap) => {
    expect(windowsOverlap(a, b)).toBe(overlap);
    expect(windowsOverlap(b, a)).toBe(overlap);
  });
});

describe('data config validation', () => {
  test.each([production, staging])('$environment is valid', (config) => {
    expect(() => resolvePlan(config)).not.toThrow();
  });

  test.each<[string, (c: Mutable<PlatformConfig>) => void, RegExp]>([
    [
      'overlapping maintenance windows set by two regions',
      (c) => {
        c.regions[0].overrides = { ...c.regions[0].overrides, maintenance: { localStart: '02:00' } };
        c.regions[1].overrides = { maintenance: { localStart: '07:00' } };
      },
      /regions\[1\]\.overrides\.maintenance: got .*"utc":"sun:07:00-sun:11:00".*does not overlap regions\[0\] \(us-east\) sun:07:00-sun:11:00 UTC/,
    ],
    [
      'a third datastore secondary',
      (c) =>
        c.regions.push({
          key: 'us-west',
          code: 'us-west-2',
          role: 'secondary',
          vpcCidr: '10.40.0.0/16',
          azCount: 3,
          overrides: { elasticache: { joinGlobalDatastore: true } },
        }),
      /regions\[3\]\.overrides\.elasticache\.joinGlobalDatastore: got true; expected false or no setting: a global datastore spans at most 2 secondary regions/,
    ],
    [
      'primary outside the datastore',
      (c) => (c.regions[0].overrides = { elasticache: { joinGlobalDatastore: false } }),
      /regions\[0\]\.overrides\.elasticache\.joinGlobalDatastore: got false; expected true/,
    ],
    [
      'burstable Aurora class',
      (c) => (c.defaults.aurora.instanceClass = 'db.t4g.medium'),
      /defaults\.aurora\.instanceClass: got "db\.t4g\.medium"; expected a memory-optimized class/,
    ],
    [
      'single primary instance',
      (c) => (c.defaults.aurora.primaryInstances = 1),
      /defaults\.aurora\.primaryInstances: got 1; expected 2 to 16/,
    ],
    [
      'no secondary instance',
      (c) => (c.regions[2].overrides = { aurora: { secondaryInstances: 0 } }),
      /regions\[2\]\.overrides\.aurora\.secondaryInstances: got 0/,
    ],
    [
      'backups beyond 35 days',
      (c) => (c.defaults.aurora.backupRetentionDays = 40),
      /defaults\.aurora\.backupRetentionDays: got 40; expected a whole number of days from 1 to 35/,
    ],
    [
      'PI retention',
      (c) => (c.defaults.aurora.performanceInsightsRetentionDays = 30),
      /performanceInsightsRetentionDays: got 30; expected 7, or a multiple of 31/,
    ],
    [
      'monitoring off',
      (c) => (c.defaults.aurora.monitoringIntervalSeconds = 0),
      /monitoringIntervalSeconds: got 0; expected one of 1, 5, 10, 15, 30, 60/,
    ],
    [
      'one cache node',
      (c) => (c.defaults.elasticache.nodes = 1),
      /defaults\.elasticache\.nodes: got 1; expected 2 to 6 nodes/,
    ],
    ['no snapshots', (c) => (c.defaults.elasticache.snapshotRetentionDays = 0), /snapshotRetentionDays: got 0/],
    [
      'unknown engine',
      (c) => (c.data.elasticache.engine = 'memcached' as never),
      /data\.elasticache\.engine: got "memcached"; expected one of valkey, redis/,
    ],
    [
      'version of the other engine',
      (c) => (c.data.elasticache.engineVersion = '8.0'),
      /data\.elasticache\.engineVersion: got "8\.0"; expected one of 7\.0, 7\.1 for redis/,
    ],
    [
      'small cache node',
      (c) => (c.data.elasticache.nodeType = 'cache.t4g.medium'),
      /data\.elasticache\.nodeType: got "cache\.t4g\.medium"/,
    ],
    ['Aurora version', (c) => (c.data.aurora.engineVersion = '11.9'), /data\.aurora\.engineVersion: got "11\.9"/],
    [
      'reserved master user',
      (c) => (c.data.aurora.masterUsername = 'rdsadmin'),
      /data\.aurora\.masterUsername: got "rdsadmin"/,
    ],
    [
      'unpinned image',
      (c) => (c.data.clickhouse.image = 'clickhouse/clickhouse-server:latest'),
      /data\.clickhouse\.image: got .*not :latest/,
    ],
    [
      'chart range',
      (c) => (c.data.clickhouse.operatorChartVersion = '0.25.x'),
      /data\.clickhouse\.operatorChartVersion: got "0\.25\.x"/,
    ],
    [
      'maintenance day',
      (c) => (c.defaults.maintenance.day = 'sunday' as never),
      /defaults\.maintenance\.day: got "sunday"; expected one of sun, mon/,
    ],
    [
      'maintenance start',
      (c) => (c.defaults.maintenance.localStart = '2:15'),
      /defaults\.maintenance\.localStart: got "2:15"/,
    ],
    ['ClickHouse memory', (c) => (c.defaults.clickhouse.memory = '16GB'), /defaults\.clickhouse\.memory: got "16GB"/],
  ])('%s', (_name, change, message) => {
    // On the seed's three regions: the cases index and add regions.
    expect(() => resolvePlan(variant(change, threeRegions))).toThrow(message);
  });

  test('every problem is reported at once', () => {
    try {
      resolvePlan(
        variant((c) => {
          c.defaults.aurora.backupRetentionDays = 0;
          c.defaults.elasticache.nodes = 1;
          c.data.clickhouse.image = 'x';
        }),
      );
      throw new Error('expected a ConfigError');
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      expect((error as ConfigError).issues.map((i) => i.path)).toEqual(
        expect.arrayContaining([
          'defaults.aurora.backupRetentionDays',
          'defaults.elasticache.nodes',
          'data.clickhouse.image',
        ]),
      );
    }
  });
});

describe('data stacks in the stack graph', () => {
  const synth = defaultSynth('production');
  const manifest = synth.manifest;
  const plan = resolvePlan(production);
  const keys = plan.regions.map((r) => r.key);

  test('one data stack per region, after its regional stack and global', () => {
    expect(synth.stackIds.filter((id) => id.startsWith('data-')).sort()).toEqual(keys.map((k) => `data-${k}`).sort());
    for (const key of keys) {
      expect(manifest.stacks[`data-${key}`].dependencies).toEqual(expect.arrayContaining([`region-${key}`, 'global']));
    }
  });

  test('secondary data stacks wait for the primary data stack; the primary waits for no data stack', () => {
    const primary = plan.primary.stackIds.data;
    expect(primary).toBe('data-us-east');
    const secondaries = plan.regions.filter((r) => !r.isPrimary);
    expect(secondaries.length).toBeGreaterThan(0);
    for (const region of secondaries) expect(manifest.stacks[region.stackIds.data].dependencies).toContain(primary);
    expect(manifest.stacks[primary].dependencies.filter((d) => d.startsWith('data-'))).toEqual([]);
  });

  test('no regional or global stack depends on a data stack, and data stacks never read each other', () => {
    for (const [id, stack] of Object.entries(manifest.stacks)) {
      if (id.startsWith('region-') || id === 'global' || id === 'dns') {
        expect(stack.dependencies.filter((d) => d.startsWith('data-') || d.startsWith('workloads-'))).toEqual([]);
      }
      if (id.startsWith('data-')) {
        const remote = Object.keys(synth.stack(id).data?.terraform_remote_state ?? {});
        expect(remote.filter((r) => r.includes('input-data-'))).toEqual([]);
      }
    }
  });

  test.each(keys)('workloads-%s receives its endpoints in a ConfigMap', (key) => {
    const [configMap] = resources(synth.stack(`workloads-${key}`), 'kubernetes_config_map_v1');
    const data = configMap.data as Record<string, string>;
    expect(data.POSTGRES_WRITER_HOST).toMatch(/input-global.*aws_rds_global_cluster.*endpoint/);
    expect(data.POSTGRES_READER_HOST).toMatch(new RegExp(`input-data-${key}.*reader_endpoint`));
    expect(data.CACHE_READER_HOST).toMatch(/reader_endpoint_address/);
    expect(data.POSTGRES_AUTH).toBe('iam');
    expect(JSON.stringify(data)).not.toMatch(/password|token/i);
  });
});

describe('the data layer grows by one member per added region', () => {
  const count = (synth: SynthOutput, type: string) =>
    synth.stackIds.reduce((n, id) => n + resources(synth.stack(id), type).length, 0);

  test.each([[5, 2]])('%i regions', (regions, extra) => {
    const config = withExtraRegions(threeRegions, extra);
    expect(() => resolvePlan(config)).not.toThrow();
    const synth = synthOnce(config);
    expect(synth.stackIds.filter((id) => id.startsWith('data-'))).toHaveLength(regions);
    expect(count(synth, 'aws_rds_cluster')).toBe(regions);
    expect(count(synth, 'aws_rds_global_cluster')).toBe(1);
    // The datastore holds the primary and two secondaries; the other regions read the nearest member.
    expect(count(synth, 'aws_elasticache_replication_group')).toBe(3);
    const replications = resources(synth.stack('global'), 'aws_s3_bucket_replication_configuration').filter((r) =>
      String(r.bucket).includes('clickhouse'),
    );
    expect(replications).toHaveLength(regions);
  });
});
