/**
 * `npm run report [-- --json] [--outdir <dir>]`: what the plan of PLATFORM_ENV decides about failover,
 * offline: the failover-time budget of each path against the RTO, the `api-weighted` weight of each
 * region with where it comes from (`config`: listed in traffic.weights; `share`: the mean of the
 * listed weights, for a region the configuration does not list), and, from the synthesized output,
 * what the deploy-readiness check proves (every data path open, with its evidence; how many IAM,
 * Kubernetes and identifier facts).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CommandError, runMain, type CommandContext, type CommandSpec } from './cli/command';
import { DEFAULT_OUTDIR, readSynthOutput, synthCommand } from './cli/synth-output';
import { formatBudgetTable } from './plan/budget';
import { loadPlan } from './plan/resolve';
import type { PlatformPlan } from './plan/types';
import { checkReadiness, type ReadinessReport } from './readiness';
import type { TerraformJson } from './readiness/types';

/** A fixed-width table: header, rule, rows. */
function table(header: readonly string[], rows: readonly string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: readonly string[]) =>
    cells
      .map((c, i) => c.padEnd(widths[i]))
      .join('  ')
      .trimEnd();
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}

/**
 * The readiness check over the JSON synth in `outdir`, or why there is none to check (no synth yet,
 * another environment, HCL output: the synth itself ran the check).
 */
async function readiness(
  plan: PlatformPlan,
  outdir: string,
): Promise<{ report: ReadinessReport } | { unavailable: string }> {
  let output;
  try {
    output = readSynthOutput(outdir, plan.environment);
  } catch (error) {
    if (error instanceof CommandError) return { unavailable: error.message };
    throw error;
  }
  if (output.marker.hcl) {
    return {
      unavailable: `${outdir} holds HCL output (the synth checked it); run \`${synthCommand(plan.environment, outdir)}\` to list what it proves`,
    };
  }
  const stacks = Object.fromEntries(
    Object.entries(output.stacks).map(([id, s]) => [
      id,
      JSON.parse(readFileSync(join(outdir, s.synthesizedStackPath), 'utf8')) as TerraformJson,
    ]),
  );
  return { report: await checkReadiness({ plan, stacks }) };
}

async function run(ctx: CommandContext): Promise<number> {
  const plan = loadPlan(ctx.env);
  const outdir = (ctx.options.outdir as string | undefined) ?? DEFAULT_OUTDIR;
  const ready = await readiness(plan, outdir);
  const rto = plan.config.recovery.rtoSeconds;
  const total = plan.traffic.weights.reduce((sum, w) => sum + w.weight, 0);
  const weights = plan.traffic.weights.map((w) => ({
    ...w,
    code: plan.regions.find((r) => r.key === w.region)?.code,
    percent: total > 0 ? Math.round((1000 * w.weight) / total) / 10 : 0,
  }));
  if (ctx.options.json) {
    ctx.out(
      JSON.stringify(
        {
          environment: plan.environment,
          rtoSeconds: rto,
          budgets: plan.traffic.budgets,
          weights,
          readiness: 'report' in ready ? { outdir, ...ready.report } : { outdir, ...ready },
        },
        null,
        2,
      ),
    );
  } else {
    ctx.out(`Failover budget, ${plan.environment} (RTO ${rto} s)`);
    ctx.out(formatBudgetTable(plan.traffic.budgets));
    ctx.out('');
    ctx.out(`api-weighted weights, ${plan.environment} (config: traffic.weights; share: mean of the listed weights)`);
    ctx.out(
      table(
        ['region', 'code', 'weight', 'share of traffic', 'source'],
        weights.map((w) => [w.region, w.code ?? '', String(w.weight), `${w.percent}%`, w.source]),
      ),
    );
    ctx.out('');
    if ('unavailable' in ready)
      ctx.out(`Deploy readiness, ${plan.environment}: not checked here: ${ready.unavailable}`);
    else {
      const { proven, findings } = ready.report;
      ctx.out(`Deploy readiness, ${plan.environment} (${outdir}): data paths proven open, surviving a switchover`);
      ctx.out(
        table(
          ['path', 'evidence'],
          proven.filter((p) => p.check === 'path').map((p) => [p.subject, p.evidence]),
        ),
      );
      const count = (check: string) => proven.filter((p) => p.check === check).length;
      ctx.out(
        `Also proven: ${count('iam')} workload IAM facts, ${count('kubernetes')} Kubernetes objects, ${count('identifier')} tool identifiers (--json lists each).`,
      );
      for (const f of findings) ctx.out(`NOT READY [${f.check}] ${f.subject}: ${f.problem}`);
    }
  }
  const readyOk = !('report' in ready) || ready.report.findings.length === 0;
  return plan.traffic.budgets.every((b) => b.withinRto) && readyOk ? 0 : 1;
}

export const reportCommand: CommandSpec = {
  name: 'report',
  summary:
    'Print the failover-time budget of each path against the RTO and the api-weighted weight of each region ' +
    'with its source (config or share), from the configuration of PLATFORM_ENV, and what the deploy-readiness ' +
    'check proves about the synthesized output (data paths open, with evidence). Offline.',
  options: [
    { flags: '--json', description: 'print {environment, rtoSeconds, budgets, weights, readiness} as JSON' },
    {
      flags: '--outdir <dir>',
      description: `synthesized output whose deploy readiness to list (default ${DEFAULT_OUTDIR}; from npm run synth)`,
    },
  ],
  epilog: [
    'Environment:',
    '  PLATFORM_ENV   production (default) or staging',
    '',
    'Exit status: 0 every budget within the RTO and nothing found unready, 1 an invalid configuration, a budget',
    'over the RTO or a readiness finding, 2 usage error.',
  ].join('\n'),
  run,
};

if (require.main === module) runMain(reportCommand);
