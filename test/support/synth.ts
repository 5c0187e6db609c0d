import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { buildPlatform, type Platform } from '../../src/app';
import type { PlatformConfig } from '../../src/config/types';
import { resolvePlan } from '../../src/plan/resolve';
import { production } from '../../src/config/environments/production';
import { sharedSynth } from './shared-synth';
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

const once = new Map<string, SynthOutput>();

/** Blocks this thread for `ms` (the suites read synths synchronously, e.g. in beforeAll). */
function sleep(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

/**
 * The synth of `config`, made once per jest run and read by every suite that asks for the same
 * configuration (several suites check their own concern on the same 5-region platform, say): the
 * production configuration is the README's shared `npm run synth`; any other is synthesized by the
 * first suite that asks, in whichever worker, into this run's temp root, while a suite of another
 * worker asking for it meanwhile waits for its `done` file. Read only: use {@link synthPlatform}
 * for a synth a test changes or whose constructs it inspects.
 */
export function synthOnce(config: PlatformConfig, options: { hclOutput?: boolean } = {}): SynthOutput {
  const hclOutput = options.hclOutput ?? false;
  if (!hclOutput && isDeepStrictEqual(config, production)) return sharedSynth('production');
  const key = createHash('sha256').update(JSON.stringify({ config, hclOutput })).digest('hex').slice(0, 16);
  let synth = once.get(key);
  if (synth) return synth;
  // Shared through the run's root (global-setup.js); without it (another jest config), per process.
  const root = join(process.env.MRP_TEST_ROOT ?? tempDir('once'), 'synth-once');
  mkdirSync(root, { recursive: true });
  const dir = join(root, key);
  const [outdir, done, failed] = ['cdktf.out', 'done', 'failed'].map((f) => join(dir, f));
  let mine = false;
  try {
    mkdirSync(dir); // atomic: the suite that creates the folder synthesizes
    mine = true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
  if (mine) {
    try {
      buildPlatform(resolvePlan(config), { outdir, hclOutput }).app.synth();
      writeFileSync(done, '');
    } catch (error) {
      writeFileSync(failed, String(error));
      throw error;
    }
  } else {
    const started = Date.now();
    while (!existsSync(done)) {
      if (existsSync(failed))
        throw new Error(`the shared synth of this configuration failed: ${readFileSync(failed, 'utf8')}`);
      if (Date.now() - started > 300_000) throw new Error('the shared synth of this configuration did not end in time');
      sleep(100);
    }
  }
  synth = readSynthOutput(outdir);
  once.set(key, synth);
  return synth;
}
