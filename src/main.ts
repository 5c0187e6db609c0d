import { disableTokenStackTraces } from './cdktf-workarounds';
import { ConfigError } from './config/errors';
import { loadConfig, loadSynthOptions } from './config/load';
import { loadRuntimeOptions } from './config/runtime-options';
import type { PlatformConfig } from './config/types';
import { resolvePlan } from './plan/resolve';
import { ReadinessError } from './readiness/errors';
import { synthesizePlatform } from './synth';

/**
 * Entry point of `cdktf synth` (called from main.ts after ./runtime): user mistakes (configuration
 * problems, deploy-readiness findings) exit 1 with the list of problems and no stack trace; bugs keep
 * their stack trace.
 */
export async function main(load: () => PlatformConfig = loadConfig): Promise<void> {
  if (!loadRuntimeOptions().debug) disableTokenStackTraces();
  try {
    await synthesizePlatform(resolvePlan(load()), loadSynthOptions());
  } catch (error) {
    if (error instanceof ConfigError || error instanceof ReadinessError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(1);
    }
    throw error;
  }
}
