// The README's synth commands, run once per jest run and shared by every suite that only reads
// their JSON or HCL. global-setup.js starts them (as a newcomer's shell runs them) and names their
// folders in MRP_SHARED_SYNTH. Nothing here loads cdktf or the app: a suite that reads these needs
// neither a synth nor the app's modules of its own. A suite that needs the constructs, or another
// configuration, synthesizes in process (./synth.ts) or builds a small stack.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { readSynthOutput, type SynthOutput } from './stack-json';
import COMMANDS from './shared-synth-commands.json';

export type DefaultEnvironment = 'production' | 'staging';
/** The shared runs: each default environment's JSON synth, and production's HCL synth. */
export type SharedSynth = keyof typeof COMMANDS;

/** What global-setup.js writes to MRP_SHARED_SYNTH for each shared run. */
interface SharedSynthPaths {
  /** The README command, without its `--output <folder>`. */
  readonly command: string;
  readonly outdir: string;
  readonly stdout: string;
  readonly stderr: string;
  /** The shell's exit code, written once the command ended. */
  readonly status: string;
}

/** How a shared README command ended. */
export interface SharedRun {
  readonly command: string;
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
  readonly outdir: string;
}

const ROOT = resolve(__dirname, '..', '..');
const WAIT_LIMIT_MS = 10 * 60 * 1000;
const runs = new Map<SharedSynth, SharedRun>();
const synths = new Map<SharedSynth, SynthOutput>();

/** Blocks this thread for `ms` (a suite reads the synth synchronously, e.g. while collecting tests). */
function sleep(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

/** Waits for the command global-setup.js started. */
function awaitRun(name: SharedSynth, paths: SharedSynthPaths): SharedRun {
  const started = Date.now();
  while (!existsSync(paths.status)) {
    if (Date.now() - started > WAIT_LIMIT_MS) throw new Error(`the shared synth ${name} did not end in time`);
    sleep(100);
  }
  const read = (file: string) => (existsSync(file) ? readFileSync(file, 'utf8') : '');
  return {
    command: paths.command,
    code: Number(read(paths.status).trim()),
    stdout: read(paths.stdout),
    stderr: read(paths.stderr),
    outdir: paths.outdir,
  };
}

/** Without global-setup.js (another jest config): runs the same command now, the same way. */
function runNow(name: SharedSynth): SharedRun {
  const folder = mkdtempSync(join(tmpdir(), `mrp-test-shared-${name}-`));
  const paths: SharedSynthPaths = {
    command: COMMANDS[name],
    outdir: join(folder, 'cdktf.out'),
    stdout: join(folder, 'stdout'),
    stderr: join(folder, 'stderr'),
    status: join(folder, 'status'),
  };
  mkdirSync(folder, { recursive: true });
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const variable of ['CHECKPOINT_DISABLE', 'PLATFORM_ENV', 'CDKTF_OUTDIR', 'SYNTH_HCL_OUTPUT', 'PLATFORM_DEBUG'])
    delete env[variable];
  const script = `${paths.command} --output "$0" >"$1" 2>"$2"; echo $? >"$3"`;
  execFileSync('/bin/bash', ['-c', script, paths.outdir, paths.stdout, paths.stderr, paths.status], {
    cwd: ROOT,
    env,
    stdio: 'ignore',
  });
  if (!existsSync(paths.status)) writeFileSync(paths.status, '1');
  return awaitRun(name, paths);
}

/** How the shared README command ended (exit code, output), waiting for it if it still runs. */
export function sharedRun(name: SharedSynth): SharedRun {
  let run = runs.get(name);
  if (!run) {
    const all = JSON.parse(process.env.MRP_SHARED_SYNTH ?? '{}') as Partial<Record<string, SharedSynthPaths>>;
    const paths = all[name];
    run = paths ? awaitRun(name, paths) : runNow(name);
    runs.set(name, run);
  }
  return run;
}

/**
 * The output of a shared synth, exactly as the README's command writes it, read from disk; throws
 * with the command's output when it failed. Shared by every suite of the run: read it, never write
 * into its folder.
 */
export function sharedSynth(name: SharedSynth): SynthOutput {
  let synth = synths.get(name);
  if (!synth) {
    const run = sharedRun(name);
    if (run.code !== 0) {
      throw new Error(`the shared synth \`${run.command}\` exited with ${run.code}:\n${run.stdout}\n${run.stderr}`);
    }
    synth = readSynthOutput(run.outdir);
    synths.set(name, synth);
  }
  return synth;
}

/** The JSON synth of a default environment (`npm run synth`, PLATFORM_ENV). */
export function defaultSynth(environment: DefaultEnvironment): SynthOutput {
  return sharedSynth(environment);
}
