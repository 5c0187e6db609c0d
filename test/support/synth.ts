import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildPlatform, type Platform } from '../../src/app';
import type { PlatformConfig } from '../../src/config/types';
import { resolvePlan } from '../../src/plan/resolve';
import { readSynthOutput, type SynthOutput } from './stack-json';

export {
  allResources,
  policy,
  readSynthOutput,
  resources,
  type Manifest,
  type StackJson,
  type SynthOutput,
} from './stack-json';

/** An in-process synth: the output on disk and the constructs that made it. */
export interface SynthResult extends SynthOutput {
  readonly platform: Platform;
}

/** A fresh folder under the OS temp dir (this run's root, see global-setup.js). */
export function tempDir(label: string): string {
  return mkdtempSync(join(tmpdir(), `mrp-test-${label}-`));
}

/** Synthesizes the whole app once into a temp folder and reads stacks back from disk. */
export function synthPlatform(config: PlatformConfig, options: { hclOutput?: boolean } = {}): SynthResult {
  const outdir = tempDir('synth');
  const platform = buildPlatform(resolvePlan(config), { outdir, hclOutput: options.hclOutput ?? false });
  platform.app.synth();
  return { platform, ...readSynthOutput(outdir) };
}
