/**
 * Process-level switches, read from the environment here (config loading) and nowhere else.
 * Kept apart from ./load so the entry point can read them before the app's modules load.
 */
export interface RuntimeOptions {
  /** PLATFORM_DEBUG=1: keep source maps and cdktf's per-token stack traces (slower synth). */
  readonly debug: boolean;
}

export function loadRuntimeOptions(env: NodeJS.ProcessEnv = process.env): RuntimeOptions {
  return { debug: env.PLATFORM_DEBUG === '1' };
}
