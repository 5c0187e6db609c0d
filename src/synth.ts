import { existsSync, mkdtempSync, mkdirSync, readdirSync, renameSync, rmSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { buildPlatform } from './app';
import type { PlatformConfig } from './config/types';

export interface SynthOptions {
  /** Where cdktf expects the output (CDKTF_OUTDIR). */
  readonly outdir: string;
  readonly hclOutput: boolean;
}

/**
 * Synthesizes into a fresh sibling folder and moves the files into `outdir` only once the whole
 * app synthesized and validated, so a failure never leaves a half-overwritten cdktf.out.
 * Files are moved one by one so `.terraform` folders of earlier deploys stay in place.
 */
export function synthesizePlatform(config: PlatformConfig, options: SynthOptions): void {
  const outdir = resolve(options.outdir);
  mkdirSync(dirname(outdir), { recursive: true });
  const staging = mkdtempSync(`${outdir}.staging-`);
  try {
    const { app } = buildPlatform(config, { outdir: staging, hclOutput: options.hclOutput });
    app.synth();
    moveTree(staging, outdir);
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
}

function moveTree(from: string, to: string): void {
  if (!existsSync(to)) {
    // Nothing to keep at the target: one rename moves the whole folder.
    renameSync(from, to);
    return;
  }
  for (const entry of readdirSync(from, { withFileTypes: true })) {
    const source = join(from, entry.name);
    const target = join(to, entry.name);
    if (entry.isDirectory()) moveTree(source, target);
    else renameSync(source, target);
  }
}
