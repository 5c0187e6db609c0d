import { ENVIRONMENTS } from './environments';
import { ConfigError } from './errors';
import type { PlatformConfig, RegionConfig, RegionalSettings, ResolvedRegion } from './types';
import { validateConfig } from './validate';

export const ENV_VARIABLE = 'PLATFORM_ENV';
export const DEFAULT_ENVIRONMENT = 'production';

/**
 * Selects and validates the environment named by PLATFORM_ENV (default: production).
 * This is the only place that reads the process environment.
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): PlatformConfig {
  const name = env[ENV_VARIABLE] ?? DEFAULT_ENVIRONMENT;
  const config = Object.prototype.hasOwnProperty.call(ENVIRONMENTS, name) ? ENVIRONMENTS[name] : undefined;
  if (!config) {
    throw new ConfigError([
      { path: ENV_VARIABLE, value: name, expected: `expected one of ${Object.keys(ENVIRONMENTS).join(', ')}` },
    ]);
  }
  validateConfig(config);
  return config;
}

/** Output settings cdktf passes to the app through the environment. */
export function loadSynthOptions(env: NodeJS.ProcessEnv = process.env): { outdir: string; hclOutput: boolean } {
  return { outdir: env.CDKTF_OUTDIR ?? 'cdktf.out', hclOutput: env.SYNTH_HCL_OUTPUT === 'true' };
}

/** Merges the defaults with a region's overrides, section by section. */
export function resolveRegion(config: PlatformConfig, region: RegionConfig): ResolvedRegion {
  const { overrides = {}, ...rest } = region;
  const settings = Object.fromEntries(
    Object.entries(config.defaults).map(([section, defaults]) => [
      section,
      { ...defaults, ...(overrides[section as keyof RegionalSettings] ?? {}) },
    ]),
  ) as unknown as RegionalSettings;
  return { ...rest, settings };
}

export function primaryRegion(config: PlatformConfig): RegionConfig {
  const primary = config.regions.find((r) => r.role === 'primary');
  if (!primary) throw new Error('validated configuration has no primary region');
  return primary;
}
