import { ConfigError } from './config/errors';
import { loadConfig, loadSynthOptions } from './config/load';
import { synthesizePlatform } from './synth';

/** Entry point of `cdktf synth`: user mistakes exit 1 with the list of problems, no stack trace. */
export function main(): void {
  try {
    synthesizePlatform(loadConfig(), loadSynthOptions());
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(1);
    }
    throw error;
  }
}
