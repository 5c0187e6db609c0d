import { REGION_CATALOG } from './catalog';
import type { PlatformConfig, RegionConfig } from './types';

/**
 * Returns `config` with extra secondary regions appended, picked in catalog order among the regions
 * with at least three usable AZs (so they take the same three-AZ shape and MSK layout as the
 * defaults), with VPC ranges from 10.200.0.0/16 upwards. Used by the benchmark to measure synth
 * time by region count.
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
  // No overrides needed: the plan staggers maintenance windows and decides cache membership.
  return { ...config, regions: [...config.regions, ...added] };
}
