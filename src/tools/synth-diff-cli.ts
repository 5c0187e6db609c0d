/**
 * `npm run synth:diff -- <base-ref> [--head <ref>] [--env <name>]... [--output <file>]`
 *
 * Synthesizes the working tree (or `--head`) and `<base-ref>` for every environment and prints the
 * differences as Markdown for a pull-request comment. Refs are checked out with `git worktree`
 * into a temp folder that reuses this checkout's node_modules; nothing is installed and no cloud
 * credentials are needed. Exit status: 0 with or without changes, 1 on a usage or synth error.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { ENVIRONMENTS } from '../config/environments';
import {
  diffSynth,
  readSynthTree,
  renderReport,
  stackBlocks,
  type EnvironmentDiff,
  type SynthTree,
} from './synth-diff';

export interface CliOptions {
  readonly base: string;
  /** A ref, or undefined for the working tree of `root`. */
  readonly head?: string;
  readonly environments: readonly string[];
  readonly output?: string;
}

const USAGE = 'usage: npm run synth:diff -- <base-ref> [--head <ref>] [--env <name>]... [--output <file>]';

export function parseArgs(argv: readonly string[]): CliOptions {
  const positional: string[] = [];
  const environments: string[] = [];
  let head: string | undefined;
  let output: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const value = () => {
      const next = argv[++i];
      if (next === undefined || next.startsWith('--')) throw new UsageError(`${arg} needs a value`);
      return next;
    };
    if (arg === '--head') head = value();
    else if (arg === '--env') environments.push(value());
    else if (arg === '--output') output = value();
    else if (arg.startsWith('--')) throw new UsageError(`unknown option ${arg}`);
    else positional.push(arg);
  }
  if (positional.length !== 1) throw new UsageError('expected exactly one base ref');
  const unknown = environments.filter((e) => !(e in ENVIRONMENTS));
  if (unknown.length > 0) {
    throw new UsageError(`unknown environment ${unknown.join(', ')}; expected ${Object.keys(ENVIRONMENTS).join(', ')}`);
  }
  return {
    base: positional[0],
    head,
    environments: environments.length > 0 ? environments : Object.keys(ENVIRONMENTS),
    output,
  };
}

export class UsageError extends Error {}

/** What a synth of one side produced: a tree, or nothing because that side lacks the environment. */
type SideResult = { tree: SynthTree } | { missingEnvironment: true };

function git(root: string, args: string[]): string {
  return execFileSync('git', args, { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim();
}

/** A detached worktree of `ref` under `parent`, sharing `root`'s node_modules. */
function checkout(root: string, ref: string, parent: string, name: string): string {
  let commit: string;
  try {
    commit = git(root, ['rev-parse', '--verify', '--quiet', `${ref}^{commit}`]);
  } catch {
    throw new UsageError(`${ref} is not a commit in this repository (fetch it first, e.g. git fetch origin main)`);
  }
  const dir = join(parent, name);
  git(root, ['worktree', 'add', '--detach', '--quiet', dir, commit]);
  // npm ci per ref would take minutes; the ref is synthesized with this checkout's dependencies.
  if (!existsSync(join(dir, 'node_modules'))) symlinkSync(join(root, 'node_modules'), join(dir, 'node_modules'), 'dir');
  return dir;
}

/** Runs the app of `dir` the way cdktf does, into `outdir`, for one environment. */
function synth(dir: string, environment: string, outdir: string, env: NodeJS.ProcessEnv): SideResult {
  const result = spawnSync(process.execPath, ['--import', 'tsx', 'main.ts'], {
    cwd: dir,
    encoding: 'utf8',
    env: { ...env, PLATFORM_ENV: environment, CDKTF_OUTDIR: outdir, CHECKPOINT_DISABLE: '1', SYNTH_HCL_OUTPUT: '' },
    maxBuffer: 64 * 1024 * 1024,
  });
  if (result.status !== 0) {
    // A base without this environment (added by the change under review) refuses PLATFORM_ENV.
    if (/PLATFORM_ENV: got/.test(result.stderr)) return { missingEnvironment: true };
    throw new Error(`synth of ${environment} in ${dir} failed:\n${result.stderr || result.error?.message}`);
  }
  return { tree: readSynthTree(outdir) };
}

const EMPTY: SynthTree = new Map();

export function runSynthDiff(root: string, options: CliOptions, env: NodeJS.ProcessEnv = process.env): string {
  const work = mkdtempSync(join(tmpdir(), 'synth-diff-'));
  const worktrees: string[] = [];
  try {
    const baseDir = checkout(root, options.base, work, 'base');
    worktrees.push(baseDir);
    let headDir = root;
    if (options.head) {
      headDir = checkout(root, options.head, work, 'head');
      worktrees.push(headDir);
    }
    const notes: string[] = [];
    const lock = (dir: string) => readFileSync(join(dir, 'package-lock.json'), 'utf8');
    if (lock(baseDir) !== lock(headDir)) {
      notes.push(
        'package-lock.json differs between the two sides; both were synthesized with the dependencies installed here, so provider or cdktf upgrades are not reflected.',
      );
    }
    const environments: EnvironmentDiff[] = options.environments.map((environment) => {
      const before = synth(baseDir, environment, join(work, `out-base-${environment}`), env);
      const after = synth(headDir, environment, join(work, `out-head-${environment}`), env);
      if ('missingEnvironment' in after)
        throw new Error(`${options.head ?? 'the working tree'} has no environment ${environment}`);
      const beforeTree = 'tree' in before ? before.tree : EMPTY;
      if (!('tree' in before)) notes.push(`${environment} does not exist in ${options.base}: every stack is new.`);
      const diff = diffSynth(beforeTree, after.tree);
      const addedStackBlocks = new Map(
        diff.stacksAdded.map((id) => [id, [...stackBlocks(after.tree.get(id)!).keys()]]),
      );
      return { environment, diff, addedStackBlocks };
    });
    const report = renderReport(environments, {
      base: options.base,
      head: options.head ?? 'working tree',
      notes,
    });
    if (options.output) writeFileSync(options.output, `${report}\n`);
    return report;
  } finally {
    for (const dir of worktrees.reverse()) {
      try {
        git(root, ['worktree', 'remove', '--force', dir]);
      } catch {
        // removed below with the temp folder; `git worktree prune` drops the stale entry
      }
    }
    rmSync(work, { recursive: true, force: true });
    try {
      git(root, ['worktree', 'prune']);
    } catch {
      // best effort
    }
  }
}

export function main(argv: readonly string[] = process.argv.slice(2)): void {
  try {
    const report = runSynthDiff(resolve(__dirname, '..', '..'), parseArgs(argv));
    process.stdout.write(`${report}\n`);
  } catch (error) {
    if (error instanceof UsageError) {
      process.stderr.write(`${error.message}\n${USAGE}\n`);
      process.exit(1);
    }
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  }
}

if (require.main === module) main();
