/**
 * `npm run synth:diff -- <base-ref> [--head <ref>] [--env <name>]... [--output <file>]`
 *
 * Synthesizes the working tree (or `--head`) and `<base-ref>` for every environment and prints the
 * differences as Markdown for a pull-request comment. Refs are checked out with `git worktree`
 * into a temp folder that reuses this checkout's node_modules; nothing is installed and no cloud
 * credentials are needed. Progress goes to stderr. Exit status: 0 with or without changes, 1 on a
 * synth error, 2 on a usage error (an unknown option, environment or ref).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { CommandError, runMain, UsageError, type CommandContext, type CommandSpec } from '../cli/command';
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

/**
 * The node arguments of `dir`'s app command (`cdktf.json` `app`, which `cdktf synth` runs): each
 * ref is synthesized the way its own configuration says.
 */
export function appNodeArguments(dir: string): string[] {
  const app = (JSON.parse(readFileSync(join(dir, 'cdktf.json'), 'utf8')) as { app?: unknown }).app;
  const words = typeof app === 'string' ? app.trim().split(/\s+/) : [];
  if (words[0] !== 'node' || words.length < 2) {
    throw new CommandError(
      `${join(dir, 'cdktf.json')}: app is ${JSON.stringify(app)}; expected a \`node ...\` command`,
    );
  }
  return words.slice(1);
}

/** Runs the app of `dir` the way cdktf does, into `outdir`, for one environment. */
function synth(dir: string, environment: string, outdir: string, env: NodeJS.ProcessEnv): SideResult {
  const result = spawnSync(process.execPath, appNodeArguments(dir), {
    cwd: dir,
    encoding: 'utf8',
    env: { ...env, PLATFORM_ENV: environment, CDKTF_OUTDIR: outdir, CHECKPOINT_DISABLE: '1', SYNTH_HCL_OUTPUT: '' },
    maxBuffer: 64 * 1024 * 1024,
  });
  if (result.status !== 0) {
    // A base without this environment (added by the change under review) refuses PLATFORM_ENV.
    if (/PLATFORM_ENV: got/.test(result.stderr)) return { missingEnvironment: true };
    throw new CommandError(`synth of ${environment} in ${dir} failed:\n${result.stderr || result.error?.message}`);
  }
  return { tree: readSynthTree(outdir) };
}

const EMPTY: SynthTree = new Map();

export function runSynthDiff(
  root: string,
  options: CliOptions,
  env: NodeJS.ProcessEnv = process.env,
  progress: (line: string) => void = () => undefined,
): string {
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
    const head = options.head ?? 'the working tree';
    const total = options.environments.length * 2;
    let step = 0;
    const timed = (what: string, dir: string, environment: string, outdir: string) => {
      const started = Date.now();
      progress(`synth:diff: [${++step}/${total}] synthesizing ${environment} at ${what} ...`);
      const result = synth(dir, environment, outdir, env);
      progress(`synth:diff: [${step}/${total}] done in ${Math.round((Date.now() - started) / 1000)} s`);
      return result;
    };
    const environments: EnvironmentDiff[] = options.environments.map((environment) => {
      const before = timed(options.base, baseDir, environment, join(work, `out-base-${environment}`));
      const after = timed(head, headDir, environment, join(work, `out-head-${environment}`));
      if ('missingEnvironment' in after) throw new CommandError(`${head} has no environment ${environment}`);
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

function run(ctx: CommandContext): void {
  const environments = (ctx.options.env as readonly string[] | undefined) ?? Object.keys(ENVIRONMENTS);
  const options: CliOptions = {
    base: ctx.args[0],
    head: ctx.options.head as string | undefined,
    environments: [...new Set(environments)],
    output: ctx.options.output as string | undefined,
  };
  const report = runSynthDiff(resolve(__dirname, '..', '..'), options, ctx.env, ctx.progress);
  ctx.out(report);
}

export const synthDiffCommand: CommandSpec = {
  name: 'synth:diff',
  summary:
    'Synthesize <base-ref> and the working tree (or --head) for every environment and print what changed per ' +
    'stack and block, as Markdown (the pull-request comment). No cloud credentials; about a minute per synth.',
  arguments: [{ name: '<base-ref>', description: 'the commit, branch or tag to compare against, e.g. origin/main' }],
  options: [
    { flags: '--head <ref>', description: 'compare this ref instead of the working tree' },
    {
      flags: '--env <name>',
      description: `an environment to compare, repeatable (default: all of ${Object.keys(ENVIRONMENTS).join(', ')})`,
      repeatable: true,
      validate: (value) => {
        if (!Object.prototype.hasOwnProperty.call(ENVIRONMENTS, value)) {
          throw new UsageError(`unknown environment ${value}; expected ${Object.keys(ENVIRONMENTS).join(', ')}`);
        }
      },
    },
    { flags: '--output <file>', description: 'also write the report to <file>' },
  ],
  epilog: 'Exit status: 0 compared (with or without changes), 1 a synth failed, 2 usage error or unknown ref.',
  run,
};

if (require.main === module) runMain(synthDiffCommand);
