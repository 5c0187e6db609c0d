import { runCommand, type CommandContext } from './cli/command';
import { SYNTH_USAGE, synthTarget } from './cli/synth-command';
import { disableTokenStackTraces } from './cdktf-workarounds';
import { loadConfig } from './config/load';
import { loadRuntimeOptions } from './config/runtime-options';
import type { PlatformConfig } from './config/types';
import { resolvePlan } from './plan/resolve';
import { synthesizePlatform } from './synth';

/**
 * The synth (main.ts runs it after ./runtime), with two callers:
 * - `npm run synth [-- --output <dir>] [--hcl]` (./cli/synth-command.ts): the app run directly. The
 *   cdktf CLI is not in this path: it spends about as much CPU on itself (its terminal UI,
 *   TypeScript, prettier, two WebAssembly modules, `terraform version` three times) as the synth;
 * - the cdktf CLI (`cdktf diff | deploy`, cdktf.json "app"): no arguments; the folder and format
 *   come from CDKTF_OUTDIR and SYNTH_HCL_OUTPUT, and the CLI reports the stacks itself.
 * User mistakes (configuration problems, deploy-readiness findings) exit 1 with the list of
 * problems and no stack trace; bugs keep their stack trace (./cli/command.ts).
 */
export async function main(
  argv: readonly string[] = process.argv.slice(2),
  load: () => PlatformConfig = loadConfig,
): Promise<void> {
  if (!loadRuntimeOptions().debug) disableTokenStackTraces();
  process.exitCode = await runCommand({ ...SYNTH_USAGE, run: (ctx) => synth(ctx, load) }, argv);
}

async function synth(ctx: CommandContext, load: () => PlatformConfig): Promise<void> {
  const { outdir, hclOutput, report } = synthTarget(ctx.options, ctx.env);
  const plan = resolvePlan(load());
  const readiness = await synthesizePlatform(plan, { outdir, hclOutput });
  if (report) {
    ctx.out(
      `Synthesized ${plan.environment} (${plan.applyOrder.length} stacks) as ${hclOutput ? 'HCL' : 'Terraform JSON'} into ${outdir}/; deploy-readiness: ${readiness.proven.length} facts proven, no findings. Next: npm run deploy:plan`,
    );
  }
}
