import { regionFacts } from './catalog';
import { firstFreeWindow, toUtcWindow, type UtcWindow } from './maintenance';
import { MAX_DATASTORE_SECONDARIES } from './sections/data';
import type { PlatformConfig, RegionConfig } from './types';

/**
 * Gives regions appended to `config` what the data layer needs to stay valid: a maintenance window
 * that overlaps no other region's (first free local slot from the default window), and a standalone
 * cache once the global datastore already has its two secondaries. Regions that already carry such
 * overrides keep them.
 */
export function placeAddedRegions(config: PlatformConfig, added: readonly RegionConfig[]): RegionConfig[] {
  const defaults = config.defaults.maintenance;
  const windowOf = (r: RegionConfig): UtcWindow =>
    toUtcWindow({ ...defaults, ...r.overrides?.maintenance }, regionFacts(r.code)?.utcOffsetHours ?? 0);
  const taken = config.regions.map(windowOf);
  let members = config.regions.filter(
    (r) =>
      r.role === 'secondary' &&
      (r.overrides?.elasticache?.joinGlobalDatastore ?? config.defaults.elasticache.joinGlobalDatastore),
  ).length;
  return added.map((region) => {
    const offset = regionFacts(region.code)?.utcOffsetHours ?? 0;
    const wanted = { ...defaults, ...region.overrides?.maintenance };
    const maintenance = firstFreeWindow(wanted, offset, taken);
    if (!maintenance) throw new Error(`no free maintenance window left for ${region.code}`);
    taken.push(toUtcWindow(maintenance, offset));
    const joins = region.overrides?.elasticache?.joinGlobalDatastore ?? members < MAX_DATASTORE_SECONDARIES;
    if (joins && region.role === 'secondary') members++;
    return {
      ...region,
      overrides: {
        ...region.overrides,
        maintenance,
        elasticache: { ...region.overrides?.elasticache, joinGlobalDatastore: joins },
      },
    };
  });
}
