/**
 * `npm run deploy:plan [-- --outdir <dir>]`: prints the deploy order of the synthesized
 * environment (PLATFORM_ENV) as JSON. In GitHub Actions it also writes the step outputs the
 * deploy workflow builds its jobs from (GITHUB_OUTPUT) and a summary table (GITHUB_STEP_SUMMARY).
 */
import { appendFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigError } from '../config/errors';
import { Naming } from '../plan/naming';
import { loadPlan } from '../plan/resolve';
import { deployOrder, parseManifest, planDeployment, renderPlan, workspacePlan } from './deploy-plan';

export function main(argv: readonly string[] = process.argv.slice(2), env: NodeJS.ProcessEnv = process.env): void {
  const at = argv.indexOf('--outdir');
  const outdir = at >= 0 ? argv[at + 1] : 'cdktf.out';
  if (!outdir) throw new Error('--outdir needs a value');
  const platform = loadPlan(env);
  const config = platform.config;
  const primary = platform.primary.key;
  const regions = [primary, ...platform.regions.map((r) => r.key).filter((k) => k !== primary)];
  const stacks = parseManifest(readFileSync(join(outdir, 'manifest.json'), 'utf8'));
  const { global: globalStack, bootstrap: bootstrapStack } = platform.stackIds;
  const plan = planDeployment(stacks, { regions, globalStack, bootstrapStack });
  const naming = new Naming(config);
  const workspaces =
    config.state.mode === 'terraform-cloud'
      ? workspacePlan(stacks, bootstrapStack, (id) => naming.workspace(id))
      : undefined;
  const result = { environment: config.environment, backend: config.state.mode, ...plan, order: deployOrder(plan) };
  process.stdout.write(`${JSON.stringify({ ...result, workspaces }, null, 2)}\n`);
  if (env.GITHUB_OUTPUT) {
    const outputs = {
      backend: config.state.mode,
      before: JSON.stringify(plan.before),
      global: plan.global,
      after: JSON.stringify(plan.after),
      stacks: JSON.stringify(result.order),
    };
    appendFileSync(
      env.GITHUB_OUTPUT,
      Object.entries(outputs)
        .map(([k, v]) => `${k}=${v}\n`)
        .join(''),
    );
  }
  if (env.GITHUB_STEP_SUMMARY) {
    appendFileSync(env.GITHUB_STEP_SUMMARY, `${renderPlan(config.environment, plan, workspaces)}\n`);
  }
}

if (require.main === module) {
  try {
    main();
  } catch (error) {
    process.stderr.write(`${error instanceof ConfigError || error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  }
}
