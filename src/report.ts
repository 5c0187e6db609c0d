/**
 * `npm run report [-- --json]`: what the plan of PLATFORM_ENV decides about failover, offline: the
 * failover-time budget of each path against the RTO, and the `api-weighted` weight of each region
 * with where it comes from (`config`: listed in traffic.weights; `share`: the mean of the listed
 * weights, for a region the configuration does not list).
 */
import { runMain, type CommandContext, type CommandSpec } from './cli/command';
import { formatBudgetTable } from './plan/budget';
import { loadPlan } from './plan/resolve';

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

function run(ctx: CommandContext): number {
  const plan = loadPlan(ctx.env);
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
        { environment: plan.environment, rtoSeconds: rto, budgets: plan.traffic.budgets, weights },
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
  }
  return plan.traffic.budgets.every((b) => b.withinRto) ? 0 : 1;
}

export const reportCommand: CommandSpec = {
  name: 'report',
  summary:
    'Print the failover-time budget of each path against the RTO and the api-weighted weight of each region ' +
    'with its source (config or share), from the configuration of PLATFORM_ENV. Offline.',
  options: [{ flags: '--json', description: 'print {environment, rtoSeconds, budgets, weights} as JSON' }],
  epilog: [
    'Environment:',
    '  PLATFORM_ENV   production (default) or staging',
    '',
    'Exit status: 0 every budget within the RTO, 1 an invalid configuration or a budget over the RTO, 2 usage error.',
  ].join('\n'),
  run,
};

if (require.main === module) runMain(reportCommand);
