/**
 * `npm run deploy:plan [-- --outdir <dir>] [--since <dir>]`: the deploy order of the synthesized
 * environment (PLATFORM_ENV), as JSON on stdout (the pull-request workflow pipes it to jq, so JSON
 * stays the default; `--json` says so explicitly). With `--since`, the synth of the previous
 * configuration, it adds `changes`: the new and the existing stacks the change touches, in apply
 * order. In GitHub Actions it also writes the step outputs the deploy workflow builds its jobs from
 * (GITHUB_OUTPUT) and a summary table (GITHUB_STEP_SUMMARY).
 */
import { appendFileSync } from 'node:fs';
import { runMain, type CommandContext, type CommandSpec } from '../cli/command';
import { DEFAULT_OUTDIR, readSynthOutput } from '../cli/synth-output';
import { Naming } from '../plan/naming';
import { deliveryRegionPlan } from '../plan/delivery';
import { loadPlan } from '../plan/resolve';
import {
  changeSet,
  deployOrder,
  manualSteps,
  parseManifest,
  planDeployment,
  renderPlan,
  withRunners,
  workspacePlan,
} from './deploy-plan';
import { diffSynth, readSynthTree } from './synth-diff';

function run(ctx: CommandContext): number {
  const outdir = ctx.options.outdir as string;
  const platform = loadPlan(ctx.env);
  const config = platform.config;
  const output = readSynthOutput(outdir, platform.environment);
  const primary = platform.primary.key;
  const regions = [primary, ...platform.regions.map((r) => r.key).filter((k) => k !== primary)];
  const stacks = parseManifest(output.manifestText);
  const { global: globalStack, bootstrap: bootstrapStack } = platform.stackIds;
  const plan = planDeployment(stacks, { regions, globalStack, bootstrapStack });
  const naming = new Naming(config);
  // Workloads stacks reach a private EKS endpoint: the runner or agent pool inside their region's VPC.
  const delivery = new Map(
    platform.regions.map((r) => [r.stackIds.workloads, deliveryRegionPlan(config, r.key)] as const),
  );
  const workspaces =
    config.state.mode === 'terraform-cloud'
      ? workspacePlan(
          stacks,
          bootstrapStack,
          (id) => naming.workspace(id),
          (id) => delivery.get(id)?.agent?.pool,
        )
      : undefined;
  const runnerOf = (id: string) => delivery.get(id)?.runner?.project;
  const before = withRunners(plan.before, runnerOf);
  const after = withRunners(plan.after, runnerOf);
  const order = deployOrder(plan);
  const result = {
    environment: config.environment,
    backend: config.state.mode,
    ...plan,
    before,
    after,
    order,
    manualSteps: manualSteps(order, platform.stackIds.dns, config.traffic.hostedZone.mode !== 'adopt'),
  };
  const since = ctx.options.since as string | undefined;
  let changes;
  if (since !== undefined) {
    // Refuses a missing synth or another environment's, with the synth to run.
    readSynthOutput(since, platform.environment);
    changes = changeSet(result.order, diffSynth(readSynthTree(since), readSynthTree(outdir)), bootstrapStack);
  }
  ctx.out(JSON.stringify({ ...result, workspaces, changes }, null, 2));
  if (ctx.env.GITHUB_OUTPUT) {
    const outputs = {
      backend: config.state.mode,
      before: JSON.stringify(before),
      global: plan.global,
      after: JSON.stringify(after),
      stacks: JSON.stringify(result.order),
    };
    appendFileSync(
      ctx.env.GITHUB_OUTPUT,
      Object.entries(outputs)
        .map(([k, v]) => `${k}=${v}\n`)
        .join(''),
    );
  }
  if (ctx.env.GITHUB_STEP_SUMMARY) {
    appendFileSync(ctx.env.GITHUB_STEP_SUMMARY, `${renderPlan(config.environment, plan, workspaces)}\n`);
  }
  return 0;
}

export const deployPlanCommand: CommandSpec = {
  name: 'deploy:plan',
  summary:
    'Print the deploy order of the synthesized stacks of PLATFORM_ENV as JSON: `order` lists every stack, ' +
    "`before`/`global`/`after` the pipeline phases (each step with the `runner` inside the VPC it needs, or ''), " +
    '`manualSteps` what a person does between two stacks of the ' +
    'first deploy (delegating a new zone). The bootstrap stack is applied by hand first (README).',
  options: [
    { flags: '--outdir <dir>', description: 'synthesized output to read', default: DEFAULT_OUTDIR },
    {
      flags: '--since <dir>',
      description:
        'synthesized output of the previous configuration (same environment): add `changes`, the new and existing stacks to apply, in order',
    },
    { flags: '--json', description: 'print JSON (the default: the pipeline reads it)' },
  ],
  epilog: [
    'Environment:',
    '  PLATFORM_ENV          production (default) or staging; must match what <dir> holds',
    '  GITHUB_OUTPUT, GITHUB_STEP_SUMMARY  in GitHub Actions: step outputs and a summary table',
    '',
    'Adding a region: keep the synth of the configuration before the change (e.g. `cp -r cdktf.out /tmp/before`),',
    'edit the configuration, synthesize, then `npm run deploy:plan -- --since /tmp/before`: `changes.apply`',
    "lists the new region's stacks and every existing stack that changes with them, in apply order.",
    '',
    'Exit status: 0 printed, 1 no or other-environment output (the message says what to run), 2 usage error.',
  ].join('\n'),
  run,
};

if (require.main === module) runMain(deployPlanCommand);
