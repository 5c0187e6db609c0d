/**
 * `npm run stack:vars -- [--outdir <dir>] [--speculative] <stack>...`: in GitHub Actions, writes
 * TF_VAR_<name> to $GITHUB_ENV for every input variable the given synthesized stacks declare, so
 * the `cdktf deploy` / `cdktf diff` step after it has them. Values come from environment variables
 * named like the GitHub secrets (stack-variables.ts), which the workflow step maps explicitly; with
 * `--speculative` (pull-request plans, never applied) they are random throwaway values instead, and
 * only ephemeral variables are accepted. The log shows names only; generated values are masked.
 * Reads JSON and HCL output alike.
 */
import { randomBytes } from 'node:crypto';
import { appendFileSync } from 'node:fs';
import { CommandError, runMain, UsageError, type CommandContext, type CommandSpec } from '../cli/command';
import { DEFAULT_OUTDIR, readSynthOutput, stackVariablesJson } from '../cli/synth-output';
import { loadPlan } from '../plan/resolve';
import {
  declaredVariables,
  describeAssignments,
  fromSecrets,
  generated,
  githubEnvLines,
  StackVariablesError,
  type Assignment,
} from './stack-variables';

const HINT =
  'Create the missing secrets in the GitHub environment of this job (docs/delivery.md, "Secrets of the stacks").';

/** The assignments written to GITHUB_ENV (exported for tests). */
export function stackVariables(ctx: CommandContext): Assignment[] {
  const outdir = ctx.options.outdir as string;
  const speculative = ctx.options.speculative === true;
  const stackIds = ctx.args.flatMap((a) => a.split(/\s+/).filter(Boolean));
  if (stackIds.length === 0) throw new UsageError('give the ids of the stacks the next step plans or applies');
  const githubEnv = ctx.env.GITHUB_ENV;
  if (!githubEnv) {
    throw new CommandError(
      'GITHUB_ENV is not set: this command feeds later steps of a GitHub Actions job. Outside Actions, export the TF_VAR_ variables yourself (README, "Secrets at plan and apply").',
    );
  }
  const plan = loadPlan(ctx.env);
  const regions = plan.regions.map((r) => r.key);
  const output = readSynthOutput(outdir, plan.environment);
  const stacks = stackIds.map((id) => declaredVariables(id, stackVariablesJson(output, id)));
  let assignments: Assignment[];
  try {
    assignments = speculative
      ? generated(stacks, () => randomBytes(36).toString('base64url'))
      : fromSecrets(stacks, ctx.env, regions);
  } catch (error) {
    if (!(error instanceof StackVariablesError)) throw error;
    const prefix = ctx.env.GITHUB_ACTIONS === 'true' ? '::error title=stack variables::' : '';
    throw new CommandError(`${error.problems.map((p) => `${prefix}${p}`).join('\n')}\n${HINT}`);
  }
  // Secrets are masked by GitHub already; generated values are not secrets GitHub knows about.
  if (speculative) for (const a of assignments) ctx.out(`::add-mask::${a.value}`);
  appendFileSync(githubEnv, githubEnvLines(assignments));
  if (assignments.length === 0) ctx.out(`${stackIds.join(', ')}: no input variables to supply`);
  for (const line of describeAssignments(assignments)) ctx.out(line);
  if (speculative && assignments.length > 0)
    ctx.out('Throwaway values: this plan is speculative and write-only arguments never show in a plan.');
  return assignments;
}

export const stackVarsCommand: CommandSpec = {
  name: 'stack:vars',
  summary:
    'In GitHub Actions: write TF_VAR_<name> to $GITHUB_ENV for every input variable the given synthesized ' +
    'stacks declare, from the secrets mapped into the step (names only in the log).',
  arguments: [{ name: '<stack...>', description: 'stack ids; one argument may hold several, space-separated' }],
  options: [
    { flags: '--outdir <dir>', description: 'synthesized output to read (JSON or HCL)', default: DEFAULT_OUTDIR },
    {
      flags: '--speculative',
      description: 'random throwaway values for a plan that is never applied (ephemeral variables only)',
    },
  ],
  epilog: [
    'Environment:',
    '  PLATFORM_ENV      production (default) or staging; must match what <dir> holds',
    '  GITHUB_ENV        the file later steps read their environment from (set by GitHub Actions)',
    '  <SECRET_NAME>     one variable per secret, e.g. AURORA_MASTER_PASSWORD, MSK_SCRAM_PASSWORD_EU_WEST',
    '',
    'Exit status: 0 written, 1 a missing secret, stack or GITHUB_ENV, 2 usage error.',
  ].join('\n'),
  run: (ctx) => {
    stackVariables(ctx);
  },
};

if (require.main === module) runMain(stackVarsCommand);
