// The default production and staging synths, shared by every suite that only reads their JSON.
// global-setup.js starts them once per run, `main.ts` in child processes as `cdktf synth` runs it,
// and names their folders in MRP_SHARED_SYNTH. Nothing here loads cdktf or the app: a suite that
// reads these needs neither a synth nor the app's modules of its own. A suite that needs the
// constructs, or another configuration, synthesizes in process (./synth.ts) or builds a small stack.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { readSynthOutput, type SynthOutput } from './stack-json';

export type DefaultEnvironment = 'production' | 'staging';

/** What global-setup.js writes to MRP_SHARED_SYNTH for each environment. */
interface SharedSynthPaths {
  readonly outdir: string;
  readonly log: string;
  /** The child's exit code, written once it ended. */
  readonly status: string;
}

const ROOT = resolve(__dirname, '..', '..');
const WAIT_LIMIT_MS = 10 * 60 * 1000;
const synths = new Map<DefaultEnvironment, SynthOutput>();

/** Blocks this thread for `ms` (a suite reads the synth synchronously, e.g. while collecting tests). */
function sleep(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

/** Waits for the child global-setup.js started; throws with its output when it failed. */
function awaitSharedSynth(environment: DefaultEnvironment, paths: SharedSynthPaths): string {
  const started = Date.now();
  while (!existsSync(paths.status)) {
    if (Date.now() - started > WAIT_LIMIT_MS) throw new Error(`the shared ${environment} synth did not end in time`);
    sleep(100);
  }
  const code = readFileSync(paths.status, 'utf8').trim();
  if (code !== '0') {
    const log = existsSync(paths.log) ? readFileSync(paths.log, 'utf8') : '';
    throw new Error(`the shared ${environment} synth (main.ts) exited with ${code}:\n${log}`);
  }
  return paths.outdir;
}

/** Without global-setup.js (another jest config): runs the same child synth now. */
function synthNow(environment: DefaultEnvironment): string {
  const outdir = join(mkdtempSync(join(tmpdir(), `mrp-test-shared-${environment}-`)), 'cdktf.out');
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    CDKTF_OUTDIR: outdir,
    PLATFORM_ENV: environment,
    CHECKPOINT_DISABLE: '1',
  };
  delete env.SYNTH_HCL_OUTPUT;
  delete env.PLATFORM_DEBUG;
  execFileSync(process.execPath, ['--import', 'tsx', 'main.ts'], { cwd: ROOT, env, stdio: 'pipe' });
  return outdir;
}

/**
 * The JSON synth of a default environment, exactly as `cdktf synth` writes it (PLATFORM_ENV),
 * read from disk. Shared by every suite of the run: read it, never write into its folder.
 */
export function defaultSynth(environment: DefaultEnvironment): SynthOutput {
  let synth = synths.get(environment);
  if (!synth) {
    const all = JSON.parse(process.env.MRP_SHARED_SYNTH ?? '{}') as Partial<Record<string, SharedSynthPaths>>;
    const paths = all[environment];
    synth = readSynthOutput(paths ? awaitSharedSynth(environment, paths) : synthNow(environment));
    synths.set(environment, synth);
  }
  return synth;
}
