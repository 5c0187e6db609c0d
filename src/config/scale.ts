import { REGION_CATALOG } from './catalog';
import { placeAddedRegions } from './data-placement';
import type { PlatformConfig, RegionConfig } from './types';

/**
 * Returns `config` with extra secondary regions appended, picked in catalog order among the regions
 * with at least three usable AZs (so they take the same three-AZ shape and MSK layout as the
 * defaults), with VPC ranges from 10.200.0.0/16 upwards. Used by the scale tests and the benchmark
 * to prove that adding a region is adding one entry.
 */
export function withExtraRegions(config: PlatformConfig, extra: number): PlatformConfig {
  const used = new Set(config.regions.map((r) => r.code));
  const candidates = Object.entries(REGION_CATALOG)
    .filter(([code, facts]) => !used.has(code) && facts.maxAzs >= 3)
    .map(([code]) => code);
  if (extra > candidates.length) throw new Error(`only ${candidates.length} more regions are known`);
  const added: RegionConfig[] = candidates.slice(0, extra).map((code, i) => ({
    key: code.replace(/-(\d+)$/, '$1'),
    code,
    role: 'secondary',
    vpcCidr: `10.${200 + i}.0.0/16`,
    azCount: 3,
  }));
  // Data-layer overrides (non-overlapping maintenance windows, datastore membership): docs/data.md.
  return { ...config, regions: [...config.regions, ...placeAddedRegions(config, added)] };
}
