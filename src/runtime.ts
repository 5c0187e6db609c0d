import { loadRuntimeOptions } from './config/runtime-options';

/**
 * Runs before any other module of the app loads. tsx turns Node's source maps on, and Node then
 * parses and caches a source map for every module it loads, a tenth of the synth time. Synth does
 * not need them; PLATFORM_DEBUG=1 keeps them (and cdktf's per-token stack traces, see
 * ./performance) for debugging.
 */
export function prepareRuntime(): void {
  if (!loadRuntimeOptions().debug) process.setSourceMapsEnabled(false);
}
