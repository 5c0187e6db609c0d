import { loadSynthOptions } from '../config/load';
import { ReadinessError } from '../readiness/errors';
import type { CommandSpec, OptionValue } from './command';

/**
 * `npm run synth [-- --output <dir>] [--hcl]`: the command line of the synth (src/main.ts runs it).
 * The spec lives here, apart from the synth, so its usage can be checked without loading cdktf.
 */
export const SYNTH_USAGE: Omit<CommandSpec, 'run'> = {
  name: 'synth',
  summary:
    'Synthesize every stack of PLATFORM_ENV (default production) as Terraform JSON and run the deploy-readiness check; no AWS credentials.',
  options: [
    { flags: '--output <dir>', description: 'output folder (default: CDKTF_OUTDIR, else cdktf.out)' },
    { flags: '--hcl', description: 'write HCL (cdk.tf per stack) instead of JSON (npm run synth:hcl)' },
  ],
  epilog: [
    'Environment: PLATFORM_ENV selects the environment; PLATFORM_DEBUG=1 keeps source maps and token stack traces.',
    'Nothing is written unless the whole synth and the readiness check pass (the previous output stays).',
    'Exit status: 0 written, 1 configuration problems or readiness findings (each listed), 2 usage error.',
  ].join('\n'),
  userErrors: [ReadinessError],
};

/**
 * Where and how to write: the options when given, else what the cdktf CLI sets when it runs the app
 * (`cdktf diff | deploy`: CDKTF_OUTDIR, SYNTH_HCL_OUTPUT), else cdktf.out as JSON. `report` is true
 * when nobody but the user reads the output (the cdktf CLI reports the stacks itself).
 */
export function synthTarget(
  options: Readonly<Record<string, OptionValue>>,
  env: NodeJS.ProcessEnv,
): { outdir: string; hclOutput: boolean; report: boolean } {
  const defaults = loadSynthOptions(env);
  return {
    outdir: typeof options.output === 'string' ? options.output : defaults.outdir,
    hclOutput: options.hcl === true || defaults.hclOutput,
    report: env.CDKTF_OUTDIR === undefined,
  };
}
