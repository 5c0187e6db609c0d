import { REGION_CATALOG } from './catalog';
import type { PlatformConfig, RegionConfig } from './types';

/**
 * Returns `config` with extra secondary regions appended, picked from the region catalog in order,
 * with VPC ranges from 10.200.0.0/16 upwards. Used by the scale tests and the benchmark to prove
 * that adding a region is adding one entry.
 */
export function withExtraRegions(config: PlatformConfig, extra: number): PlatformConfig {
  const used = new Set(config.regions.map((r) => r.code));
  const candidates = Object.keys(REGION_CATALOG).filter((code) => !used.has(code));
  if (extra > candidates.length) throw new Error(`only ${candidates.length} more regions are known`);
  const added: RegionConfig[] = candidates.slice(0, extra).map((code, i) => ({
    key: code.replace(/-(\d+)$/, '$1'),
    code,
    role: 'secondary',
    vpcCidr: `10.${200 + i}.0.0/16`,
    azCount: 2,
  }));
  return { ...config, regions: [...config.regions, ...added] };
}
