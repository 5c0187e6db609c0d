/**
 * The decisions of the plan that span regions and that a region's own settings cannot make alone:
 * where each region's maintenance window falls, and which regions hold a member of the ElastiCache
 * global datastore. Each decision reports what a person must change when no valid choice exists.
 * Pure functions of a configuration that passed `checkConfig`.
 */
import { regionFacts } from '../config/catalog';
import type { MaintenanceSettings } from '../config/data-types';
import type { IssueCollector } from '../config/errors';
import type { PlatformConfig, RegionConfig } from '../config/types';
import {
  backupWindowBefore,
  firstFreeWindow,
  formatMaintenanceWindow,
  toUtcWindow,
  windowsOverlap,
  type UtcWindow,
} from './maintenance';
import type { CacheRole, MaintenancePlan } from './types';

/** A global datastore spans the primary and at most two secondary regions (an AWS limit). */
export const MAX_DATASTORE_SECONDARIES = 2;

const offsetOf = (r: RegionConfig) => regionFacts(r.code)?.utcOffsetHours ?? 0;

function plan(local: MaintenanceSettings, utc: UtcWindow, source: MaintenancePlan['source']): MaintenancePlan {
  return {
    local,
    utc,
    maintenanceWindow: formatMaintenanceWindow(utc),
    backupWindow: backupWindowBefore(utc),
    source,
  };
}

/**
 * One maintenance window per region, never two regions at once (regions are maintained one at a
 * time). A region that sets `overrides.maintenance` keeps exactly that window, and two such
 * windows that overlap are refused. Every other region takes the default local window; where it
 * would overlap a window already placed, it moves to the first free slot (same day, later hours,
 * then other days), so adding a region needs no maintenance override.
 */
export function placeMaintenance(config: PlatformConfig, issues: IssueCollector): Map<string, MaintenancePlan> {
  const placed = new Map<string, MaintenancePlan>();
  const taken: { key: string; index: number; utc: UtcWindow }[] = [];
  const regions = config.regions.map((region, index) => ({ region, index }));
  const explicit = regions.filter(({ region }) => region.overrides?.maintenance !== undefined);
  for (const { region, index } of explicit) {
    const local = { ...config.defaults.maintenance, ...region.overrides?.maintenance };
    const utc = toUtcWindow(local, offsetOf(region));
    const clash = taken.find((t) => windowsOverlap(t.utc, utc));
    if (clash) {
      issues.add(
        `regions[${index}].overrides.maintenance`,
        { ...local, utc: formatMaintenanceWindow(utc) },
        `expected a window that does not overlap regions[${clash.index}] (${clash.key}) ${formatMaintenanceWindow(clash.utc)} UTC: regions are maintained one at a time (remove the override to have one chosen)`,
      );
    }
    taken.push({ key: region.key, index, utc });
    placed.set(region.key, plan(local, utc, 'override'));
  }
  for (const { region, index } of regions) {
    if (placed.has(region.key)) continue;
    const wanted = config.defaults.maintenance;
    const local = firstFreeWindow(
      wanted,
      offsetOf(region),
      taken.map((t) => t.utc),
    );
    if (!local) {
      issues.add(
        `regions[${index}].overrides.maintenance`,
        undefined,
        `expected a window: no ${wanted.durationHours}-hour slot in the week is free of the other regions' windows; shorten defaults.maintenance.durationHours`,
      );
      continue;
    }
    const utc = toUtcWindow(local, offsetOf(region));
    taken.push({ key: region.key, index, utc });
    const moved = local.day !== wanted.day || local.localStart !== wanted.localStart;
    placed.set(region.key, plan(local, utc, moved ? 'staggered' : 'default'));
  }
  return placed;
}

/** Great-circle distance between two regions, km (from the catalog's coordinates). */
export function distanceKm(codeA: string, codeB: string): number {
  const a = regionFacts(codeA)?.latLon;
  const b = regionFacts(codeB)?.latLon;
  if (!a || !b) throw new Error(`no coordinates for ${a ? codeB : codeA}`);
  const rad = (d: number) => (d * Math.PI) / 180;
  const dLat = rad(b[0] - a[0]);
  const dLon = rad(b[1] - a[1]);
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(rad(a[0])) * Math.cos(rad(b[0])) * Math.sin(dLon / 2) ** 2;
  return 2 * 6371 * Math.asin(Math.sqrt(h));
}

export interface CachePlacement {
  readonly role: CacheRole;
  /** Key of the region whose member this region reads (itself for members). */
  readonly readsFrom: string;
}

/**
 * Who holds a member of the cache's global datastore. The primary region holds the primary.
 * Secondaries join in configuration order while the datastore has room (two secondaries), unless
 * they set `elasticache.joinGlobalDatastore: false`; the rest are readers of the nearest member,
 * so every region reads data the datastore replicates (a standalone cache would never see the
 * writes). An explicit `joinGlobalDatastore: true` past the limit is refused.
 */
export function placeCacheMembers(config: PlatformConfig, issues: IssueCollector): Map<string, CachePlacement> {
  const placed = new Map<string, CachePlacement>();
  let secondaries = 0;
  const wants = (r: RegionConfig) => r.overrides?.elasticache?.joinGlobalDatastore;
  config.regions.forEach((region, i) => {
    const explicit = wants(region);
    const at = `regions[${i}].overrides.elasticache.joinGlobalDatastore`;
    if (region.role === 'primary') {
      issues.check(
        explicit !== false,
        at,
        explicit,
        'expected true: the primary region holds the global datastore primary',
      );
      placed.set(region.key, { role: 'primary', readsFrom: region.key });
      return;
    }
    const joins = explicit ?? config.defaults.elasticache.joinGlobalDatastore;
    if (joins && secondaries < MAX_DATASTORE_SECONDARIES) {
      secondaries++;
      placed.set(region.key, { role: 'secondary', readsFrom: region.key });
    } else {
      if (explicit === true) {
        issues.add(
          at,
          explicit,
          `expected false or no setting: a global datastore spans at most ${MAX_DATASTORE_SECONDARIES} secondary regions; without the setting this region reads the nearest member`,
        );
      }
      placed.set(region.key, { role: 'reader', readsFrom: '' });
    }
  });
  const members = config.regions.filter((r) => placed.get(r.key)?.role !== 'reader');
  for (const region of config.regions) {
    if (placed.get(region.key)?.role !== 'reader') continue;
    const nearest = [...members].sort(
      (a, b) => distanceKm(region.code, a.code) - distanceKm(region.code, b.code) || a.key.localeCompare(b.key),
    )[0];
    placed.set(region.key, { role: 'reader', readsFrom: nearest.key });
  }
  return placed;
}
