import { loadRuntimeOptions } from './config/runtime-options';

/**
 * Runs before any other module of the app loads. tsx turns Node's source maps on, and Node then
 * parses and caches a source map for every module it loads (every module of cdktf and its providers
 * embeds one inline), a tenth of the synth time. Synth does not need them; PLATFORM_DEBUG=1 keeps
 * them (and cdktf's per-token stack traces, see `disableTokenStackTraces` in ./cdktf-workarounds)
 * for debugging. Not in ./cdktf-workarounds: that file loads cdktf, and this must run first.
 *
 * Test: "prepareRuntime: source maps are off before cdktf loads" (test/cdktf-workarounds.test.ts).
 */
export function prepareRuntime(): void {
  if (!loadRuntimeOptions().debug) process.setSourceMapsEnabled(false);
}
