import { existsSync, mkdtempSync, mkdirSync, readdirSync, renameSync, rmSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { buildPlatform } from './app';
import type { PlatformPlan } from './plan/types';

export interface SynthOptions {
  /** Where cdktf expects the output (CDKTF_OUTDIR). */
  readonly outdir: string;
  readonly hclOutput: boolean;
}

/**
 * What synth writes into a stack folder. Anything else there (`.terraform`, the lock file, saved
 * plans) comes from terraform runs and is kept.
 */
const GENERATED_IN_STACK = ['cdk.tf', 'cdk.tf.json', 'metadata.json', 'assets'];

/**
 * Synthesizes into a fresh sibling folder and moves the output into `outdir` only once the whole
 * app synthesized and validated, so a failure never leaves a half-overwritten cdktf.out. In each
 * existing stack folder the previous synth's files are replaced (a JSON synth after an HCL one
 * leaves no stale cdk.tf behind) and terraform's own files stay in place.
 */
export function synthesizePlatform(plan: PlatformPlan, options: SynthOptions): void {
  const outdir = resolve(options.outdir);
  mkdirSync(dirname(outdir), { recursive: true });
  const staging = mkdtempSync(`${outdir}.staging-`);
  try {
    const { app } = buildPlatform(plan, { outdir: staging, hclOutput: options.hclOutput });
    app.synth();
    commitOutput(staging, outdir);
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
}

function commitOutput(staging: string, outdir: string): void {
  if (!existsSync(outdir)) {
    // Nothing to keep: one rename moves the whole output.
    renameSync(staging, outdir);
    return;
  }
  for (const entry of readdirSync(staging)) {
    if (entry !== 'stacks') replace(join(staging, entry), join(outdir, entry));
  }
  const stagedStacks = join(staging, 'stacks');
  if (!existsSync(stagedStacks)) return;
  mkdirSync(join(outdir, 'stacks'), { recursive: true });
  for (const stack of readdirSync(stagedStacks)) {
    const from = join(stagedStacks, stack);
    const to = join(outdir, 'stacks', stack);
    if (!existsSync(to)) {
      renameSync(from, to);
      continue;
    }
    for (const name of GENERATED_IN_STACK) rmSync(join(to, name), { recursive: true, force: true });
    for (const name of readdirSync(from)) renameSync(join(from, name), join(to, name));
  }
}

function replace(from: string, to: string): void {
  rmSync(to, { recursive: true, force: true });
  renameSync(from, to);
}
