import { ENVIRONMENTS } from './environments';
import { ConfigError, IssueCollector } from './errors';
import { STATE_COPIES, type PlatformConfig, type StateCopy } from './types';

export const ENV_VARIABLE = 'PLATFORM_ENV';
export const DEFAULT_ENVIRONMENT = 'production';
/** Selects the copy of the S3 state every stack uses (`state.use`): README "If the state region is down". */
export const STATE_COPY_VARIABLE = 'PLATFORM_STATE_COPY';

/**
 * Selects the environment named by PLATFORM_ENV (default: production) and, when PLATFORM_STATE_COPY
 * is set (not empty), the copy of the state its stacks use (`state.use`); `resolvePlan`
 * (src/plan/resolve.ts) validates the result. This is the only place that reads the process
 * environment.
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): PlatformConfig {
  const issues = new IssueCollector();
  const name = env[ENV_VARIABLE] ?? DEFAULT_ENVIRONMENT;
  const config = Object.prototype.hasOwnProperty.call(ENVIRONMENTS, name) ? ENVIRONMENTS[name] : undefined;
  issues.check(config !== undefined, ENV_VARIABLE, name, `expected one of ${Object.keys(ENVIRONMENTS).join(', ')}`);
  const copy = env[STATE_COPY_VARIABLE] || undefined; // empty counts as unset
  issues.check(
    copy === undefined || (STATE_COPIES as readonly string[]).includes(copy),
    STATE_COPY_VARIABLE,
    copy,
    `expected one of ${STATE_COPIES.join(', ')}, or unset (the environment file's state.use, default primary)`,
  );
  if (!config || issues.issues.length > 0) throw new ConfigError(issues.issues);
  // Unset leaves the environment's configuration object as it is.
  return copy === undefined ? config : { ...config, state: { ...config.state, use: copy as StateCopy } };
}

/** Output settings cdktf passes to the app through the environment. */
export function loadSynthOptions(env: NodeJS.ProcessEnv = process.env): { outdir: string; hclOutput: boolean } {
  return { outdir: env.CDKTF_OUTDIR ?? 'cdktf.out', hclOutput: env.SYNTH_HCL_OUTPUT === 'true' };
}
