import { ENVIRONMENTS } from './environments';
import { ConfigError } from './errors';
import type { PlatformConfig } from './types';

export const ENV_VARIABLE = 'PLATFORM_ENV';
export const DEFAULT_ENVIRONMENT = 'production';

/**
 * Selects the environment named by PLATFORM_ENV (default: production); `resolvePlan`
 * (src/plan/resolve.ts) validates it. This is the only place that reads the process environment.
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): PlatformConfig {
  const name = env[ENV_VARIABLE] ?? DEFAULT_ENVIRONMENT;
  const config = Object.prototype.hasOwnProperty.call(ENVIRONMENTS, name) ? ENVIRONMENTS[name] : undefined;
  if (!config) {
    throw new ConfigError([
      { path: ENV_VARIABLE, value: name, expected: `expected one of ${Object.keys(ENVIRONMENTS).join(', ')}` },
    ]);
  }
  return config;
}

/** Output settings cdktf passes to the app through the environment. */
export function loadSynthOptions(env: NodeJS.ProcessEnv = process.env): { outdir: string; hclOutput: boolean } {
  return { outdir: env.CDKTF_OUTDIR ?? 'cdktf.out', hclOutput: env.SYNTH_HCL_OUTPUT === 'true' };
}
