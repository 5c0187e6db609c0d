/**
 * `npm run report [-- --json] [--outdir <dir>]`: what the plan of PLATFORM_ENV decides about failover,
 * offline: the failover-time budget of each path against the RTO, the `api-weighted` weight of each
 * region with where it comes from (`config`: listed in traffic.weights; `share`: the mean of the
 * listed weights, for a region the configuration does not list), and, from the synthesized output,
 * what the deploy-readiness check proves (every data path open, with its evidence; how many IAM,
 * Kubernetes and identifier facts), and every policy finding a suppression accepted (rule, stack,
 * resource, reason: the accepted risks in one table).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CommandError, runMain, type CommandContext, type CommandSpec } from './cli/command';
import { DEFAULT_OUTDIR, readSynthOutput, synthCommand } from './cli/synth-output';
import { formatBudgetTable } from './plan/budget';
import { loadPlan } from './plan/resolve';
import type { PlatformPlan } from './plan/types';
import { readAcceptedRisks } from './policy/accepted-risks';
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
  // Recorded by the synth beside its output (src/policy/accepted-risks.ts); only with the same environment's output.
  const risks = 'report' in ready || /holds HCL/.test(ready.unavailable) ? readAcceptedRisks(outdir) : undefined;
  const risksUnavailable =
    'unavailable' in ready && !/holds HCL/.test(ready.unavailable)
      ? ready.unavailable
      : `not recorded in ${outdir}: run \`${synthCommand(plan.environment, outdir)}\``;
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
          acceptedRisks: risks ?? { unavailable: risksUnavailable },
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
    ctx.out('');
    if (!risks) ctx.out(`Accepted risks (policy suppressions), ${plan.environment}: ${risksUnavailable}`);
    else {
      ctx.out(`Accepted risks (policy suppressions), ${plan.environment}: ${risks.length}, each with its reason`);
      ctx.out(
        table(
          ['rule', 'stack', 'resource', 'reason'],
          risks.map((r) => [r.ruleId, r.stack, r.address, r.reason]),
        ),
      );
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
    'check proves about the synthesized output (data paths open, with evidence), and every accepted policy ' +
    'suppression (rule, stack, resource, reason). Offline.',
  options: [
    {
      flags: '--json',
      description: 'print {environment, rtoSeconds, budgets, weights, readiness, acceptedRisks} as JSON',
    },
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
