/**
 * `npm run stack:vars -- --outdir <dir> [--speculative] <stack>...`: in GitHub Actions, writes
 * TF_VAR_<name> to $GITHUB_ENV for every input variable the given synthesized stacks declare, so
 * the `cdktf deploy` / `cdktf diff` step after it has them. Values come from environment variables
 * named like the GitHub secrets (stack-variables.ts), which the workflow step maps explicitly; with
 * `--speculative` (pull-request plans, never applied) they are random throwaway values instead, and
 * only ephemeral variables are accepted. The log shows names only; generated values are masked.
 */
import { randomBytes } from 'node:crypto';
import { appendFileSync, existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigError } from '../config/errors';
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

export function main(
  argv: readonly string[] = process.argv.slice(2),
  env: NodeJS.ProcessEnv = process.env,
  out: (line: string) => void = (line) => process.stdout.write(`${line}\n`),
): Assignment[] {
  const args = [...argv];
  const at = args.indexOf('--outdir');
  const outdir = at >= 0 ? args.splice(at, 2)[1] : 'cdktf.out';
  if (!outdir) throw new Error('--outdir needs a value');
  const speculative = args.includes('--speculative');
  const stackIds = args.filter((a) => a !== '--speculative').flatMap((a) => a.split(/\s+/).filter(Boolean));
  if (stackIds.length === 0) throw new Error('give the ids of the stacks the next step plans or applies');
  if (!env.GITHUB_ENV) {
    throw new Error(
      'GITHUB_ENV is not set: this tool feeds later steps of a GitHub Actions job. Outside Actions, export the TF_VAR_ variables yourself (README, "Secrets at plan and apply").',
    );
  }
  const regions = loadPlan(env).regions.map((r) => r.key);
  const stacks = stackIds.map((id) => {
    const file = join(outdir, 'stacks', id, 'cdk.tf.json');
    if (!existsSync(file)) throw new Error(`no synthesized stack ${id} in ${outdir} (${file})`);
    return declaredVariables(id, readFileSync(file, 'utf8'));
  });
  const assignments = speculative
    ? generated(stacks, () => randomBytes(36).toString('base64url'))
    : fromSecrets(stacks, env, regions);
  // Secrets are masked by GitHub already; generated values are not secrets GitHub knows about.
  if (speculative) for (const a of assignments) out(`::add-mask::${a.value}`);
  appendFileSync(env.GITHUB_ENV, githubEnvLines(assignments));
  if (assignments.length === 0) out(`${stackIds.join(', ')}: no input variables to supply`);
  for (const line of describeAssignments(assignments)) out(line);
  if (speculative && assignments.length > 0)
    out('Throwaway values: this plan is speculative and write-only arguments never show in a plan.');
  return assignments;
}

if (require.main === module) {
  try {
    main();
  } catch (error) {
    if (error instanceof StackVariablesError) {
      const prefix = process.env.GITHUB_ACTIONS === 'true' ? '::error title=stack variables::' : '';
      process.stderr.write(`${error.problems.map((p) => `${prefix}${p}`).join('\n')}\n${HINT}\n`);
    } else {
      process.stderr.write(
        `${error instanceof ConfigError || error instanceof Error ? error.message : String(error)}\n`,
      );
    }
    process.exit(1);
  }
}
