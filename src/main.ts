import { disableTokenStackTraces } from './cdktf-workarounds';
import { ConfigError } from './config/errors';
import { loadConfig, loadSynthOptions } from './config/load';
import { loadRuntimeOptions } from './config/runtime-options';
import type { PlatformConfig } from './config/types';
import { resolvePlan } from './plan/resolve';
import { synthesizePlatform } from './synth';

/**
 * Entry point of `cdktf synth` (called from main.ts after ./runtime): user mistakes exit 1 with the
 * list of problems and no stack trace; bugs keep their stack trace.
 */
export function main(load: () => PlatformConfig = loadConfig): void {
  if (!loadRuntimeOptions().debug) disableTokenStackTraces();
  try {
    synthesizePlatform(resolvePlan(load()), loadSynthOptions());
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(1);
    }
    throw error;
  }
}
