import { execFile } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { sharedRun } from './support/shared-synth';
import { tempDir } from './support/synth';

/**
 * Every command in the README's fenced `sh` blocks is either run here, the way a newcomer would run
 * it but into temp folders (never the shared cdktf.out), or listed in SKIPPED with the reason. A
 * command that is neither fails the test, so a README edit cannot add a command nobody checked.
 * Each npm script with `--help` is run once as a child process as well (the in-process checks of
 * every option are in test/commands.test.ts).
 */
const ROOT = join(__dirname, '..');
const execFileAsync = promisify(execFile);

/** The commands of every ```sh block: continuation lines joined, comments dropped, `&&` chains split. */
function readmeCommands(markdown: string): string[] {
  const commands: string[] = [];
  let inBlock = false;
  let pending = '';
  for (const raw of markdown.split('\n')) {
    const line = raw.trim();
    if (!inBlock) {
      inBlock = line === '```sh';
      continue;
    }
    if (line === '```') {
      inBlock = false;
      continue;
    }
    const code = stripComment(line);
    if (code.endsWith('\\')) {
      pending += `${code.slice(0, -1).trim()} `;
      continue;
    }
    const command = `${pending}${code}`.trim();
    pending = '';
    if (command) commands.push(...splitAnd(command));
  }
  return commands;
}

/** The line without a `#` comment (a `#` that starts a word outside quotes). */
function stripComment(line: string): string {
  let quote: string | undefined;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (quote) {
      if (c === '\\' && quote === '"') i++;
      else if (c === quote) quote = undefined;
    } else if (c === '"' || c === "'") quote = c;
    else if (c === '#' && (i === 0 || /\s/.test(line[i - 1]))) return line.slice(0, i).trim();
  }
  return line.trim();
}

/** Splits `a && b` at the top level (outside quotes and parentheses). */
function splitAnd(command: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let quote: string | undefined;
  let start = 0;
  for (let i = 0; i < command.length; i++) {
    const c = command[i];
    if (quote) {
      if (c === '\\' && quote === '"') i++;
      else if (c === quote) quote = undefined;
    } else if (c === '"' || c === "'") quote = c;
    else if (c === '(') depth++;
    else if (c === ')') depth--;
    else if (depth === 0 && command.startsWith('&&', i)) {
      parts.push(command.slice(start, i).trim());
      start = i + 2;
      i++;
    }
  }
  parts.push(command.slice(start).trim());
  return parts.filter(Boolean);
}

/** README commands not run here, and why. Matched against the whole command. */
const SKIPPED: readonly [RegExp, string][] = [
  [/^npm ci$/, 'installs every dependency from the registry (minutes); CI runs it on every change'],
  [/^npm test$/, 'runs this suite (and tsc, lint, terraform validate)'],
  [/^npm run test:unit$/, 'runs this suite'],
  [/^npm run lint$/, 'part of npm test'],
  [/^npm run bench$/, 'several synths measured against time targets (minutes)'],
  [
    /^npm run synth:diff -- \S+$/,
    'two synths per environment (minutes); test/synth-diff.test.ts runs it on a repository',
  ],
  [
    /^npm run dr -- (status|switchover|drill)\b/,
    'calls AWS (credentials; with --execute it changes the live platform)',
  ],
  [/^npx cdktf (diff|deploy) /, 'terraform plan or apply against AWS (credentials, state bucket, TF_VAR_ secrets)'],
  [/^(read -rs|export) [A-Za-z_]+(=\S+)?$/, 'sets a variable or secret in the shell of a deploy session'],
  [/^unset [A-Z_]+$/, 'clears a variable of a recovery session'],
  [/^([A-Z_]+=\S+ ?)+$/, 'shell variables for the recovery commands after it'],
  [/^(aws|gh|terraform) /, 'state-region recovery: AWS or GitHub credentials'],
  [/^(cd|for) .*terraform /, 'terraform init against the state backend (AWS credentials)'],
];

interface Result {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

const baseEnv = (): NodeJS.ProcessEnv => {
  // As in a newcomer's shell: no checkpoint switch (the npm scripts must set it), no environment chosen.
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const name of [
    'CHECKPOINT_DISABLE',
    'PLATFORM_ENV',
    'PLATFORM_STATE_COPY',
    'CDKTF_OUTDIR',
    'GITHUB_ENV',
    'GITHUB_OUTPUT',
    'GITHUB_STEP_SUMMARY',
  ])
    delete env[name];
  return env;
};

async function sh(command: string, env: NodeJS.ProcessEnv = {}): Promise<Result> {
  try {
    const { stdout, stderr } = await execFileAsync('bash', ['-c', command], {
      cwd: ROOT,
      env: { ...baseEnv(), ...env },
      maxBuffer: 16 * 1024 * 1024,
      timeout: 240_000,
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code?: number; stdout?: string; stderr?: string };
    return { code: typeof e.code === 'number' ? e.code : -1, stdout: e.stdout ?? '', stderr: e.stderr ?? '' };
  }
}

const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
const commands = readmeCommands(readme);
const work = tempDir('readme');
/** The shared synth folders (read only: other suites read them too). */
const JSON_OUT = (): string => sharedRun('production').outdir;
const HCL_OUT = (): string => sharedRun('production-hcl').outdir;
const marker = (outdir: string): unknown => JSON.parse(readFileSync(join(outdir, 'platform.json'), 'utf8'));

/**
 * README commands run here: how (into temp folders) and what must hold. Run in this order; later
 * ones read what the synths wrote.
 */
const RUN: Record<string, () => Promise<void>> = {
  // The three synth commands ran once for the whole jest run (test/support/global-setup.js, a
  // newcomer's shell, `--output` into a temp folder); here their exit code and output are judged.
  'npm run synth': async () => {
    const r = sharedRun('production');
    expect(r.stderr).not.toMatch(/\[ERROR\]|checkpoint/i);
    expect(r.code).toBe(0);
    expect(marker(r.outdir)).toEqual({ environment: 'production', hcl: false });
    expect(existsSync(join(r.outdir, 'stacks', 'region-eu-west', 'cdk.tf.json'))).toBe(true);
    expect(r.stdout).toMatch(
      /^Synthesized production \(\d+ stacks\) as Terraform JSON into \S+; deploy-readiness: \d+ facts proven/m,
    );
  },
  'PLATFORM_ENV=staging npm run synth': async () => {
    const r = sharedRun('staging');
    expect(r.stderr).not.toMatch(/\[ERROR\]|checkpoint/i);
    expect(r.code).toBe(0);
    expect(marker(r.outdir)).toEqual({ environment: 'staging', hcl: false });
    const manifest = JSON.parse(readFileSync(join(r.outdir, 'manifest.json'), 'utf8')) as { stacks: object };
    expect(Object.keys(manifest.stacks)).toEqual(expect.arrayContaining(['state-bootstrap', 'global', 'region-apac']));
  },
  'npm run synth:hcl': async () => {
    const r = sharedRun('production-hcl');
    expect(r.stderr).not.toMatch(/\[ERROR\]|checkpoint/i);
    expect(r.code).toBe(0);
    expect(marker(r.outdir)).toEqual({ environment: 'production', hcl: true });
    expect(existsSync(join(r.outdir, 'stacks', 'region-eu-west', 'cdk.tf'))).toBe(true);
  },
  'npm run deploy:plan': async () => {
    for (const outdir of [JSON_OUT(), HCL_OUT()]) {
      const r = await sh(`npm run --silent deploy:plan -- --outdir ${outdir}`);
      expect(r.code).toBe(0);
      const { order, manualSteps } = JSON.parse(r.stdout) as {
        order: string[];
        manualSteps: { after: string; before: string }[];
      };
      expect(order[0]).toBe('dns');
      // The README's first-deploy step: delegate the new zone before the regional stacks.
      expect(manualSteps).toEqual([expect.objectContaining({ after: 'dns', before: order[1] })]);
      expect(order.indexOf('global')).toBeGreaterThan(order.indexOf('region-eu-west'));
      expect(order).not.toContain('state-bootstrap');
    }
    // The output of one environment is refused for another, with the synth to run.
    const other = await sh(`npm run --silent deploy:plan -- --outdir ${JSON_OUT()}`, { PLATFORM_ENV: 'staging' });
    expect(other.code).toBe(1);
    expect(other.stderr).toContain(
      `holds production, but PLATFORM_ENV selects staging: run \`PLATFORM_ENV=staging npm run synth`,
    );
  },
  'npm run report': async () => {
    // On this run's synth (the README's synth writes cdktf.out; here it wrote JSON_OUT()).
    const r = await sh(`npm run --silent report -- --outdir ${JSON_OUT()}`);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/Failover budget, production/);
    expect(r.stdout).toMatch(/api-weighted weights, production/);
    expect(r.stdout).toContain(`Deploy readiness, production (${JSON_OUT()})`);
    expect(r.stdout).not.toMatch(/NOT READY/);
    expect(r.stderr).toBe('');
  },
  'npm run dr -- targets': async () => {
    const r = await sh('npm run --silent dr -- targets');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/Aurora global cluster: \S+/);
    expect(r.stderr).toBe('');
  },
  'npm run stack:vars -- --outdir cdktf.out region-eu-west': async () => {
    const githubEnv = join(work, 'github-env');
    writeFileSync(githubEnv, '');
    const r = await sh(`npm run --silent stack:vars -- --outdir ${HCL_OUT()} region-eu-west`, {
      GITHUB_ENV: githubEnv,
      MSK_SCRAM_PASSWORD_EU_WEST: 'a-scram-password-of-at-least-32-characters',
      ORIGIN_VERIFY_SECRET: 'an-origin-verify-value-of-32-characters-or-more',
    });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(readFileSync(githubEnv, 'utf8').split('\n').filter(Boolean).sort()).toEqual([
      'TF_VAR_msk_scram_password=a-scram-password-of-at-least-32-characters',
      'TF_VAR_origin_verify_secret=an-origin-verify-value-of-32-characters-or-more',
    ]);
  },
  './help': async () => {
    const r = await sh('./help');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/npm run deploy:plan/);
    expect(r.stdout).not.toMatch(/deploy in this order/i);
  },
};

/** The operator commands of the shared entry (src/cli/command.ts): each `--help` runs as a child once. */
const CLI_SCRIPTS = ['dr', 'report', 'deploy:plan', 'synth:diff', 'stack:vars'];

describe('README commands', () => {
  test('every command in a sh block is run here or skipped with a reason', () => {
    expect(commands.length).toBeGreaterThan(10);
    const unclassified = commands.filter((c) => !(c in RUN) && !SKIPPED.some(([pattern]) => pattern.test(c)));
    expect(unclassified).toEqual([]);
    // The commands run here are still in the README (a rename would otherwise run nothing).
    expect(Object.keys(RUN).filter((c) => !commands.includes(c))).toEqual([]);
  });

  test('the README names every operator command', () => {
    for (const script of CLI_SCRIPTS) expect(commands.some((c) => c.startsWith(`npm run ${script}`))).toBe(true);
  });

  test.each(Object.keys(RUN))('%s', async (command) => {
    await RUN[command]();
  });

  // Each operator script starts as a child at least once: the README commands above run most of
  // them; the others run here with --help (every command's usage is checked in-process in
  // test/commands.test.ts).
  const notRunAbove = CLI_SCRIPTS.filter(
    (script) => !Object.keys(RUN).some((c) => c === `npm run ${script}` || c.startsWith(`npm run ${script} `)),
  );

  test('the README commands above start every operator script but synth:diff', () => {
    expect(notRunAbove).toEqual(['synth:diff']);
  });

  test.each(notRunAbove)('npm run %s -- --help', async (script) => {
    const r = await sh(`npm run --silent ${script} -- --help`);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`Usage: npm run ${script} --`);
    expect(r.stderr).toBe('');
  });
});
