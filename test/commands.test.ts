import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCommand, usageOf, type CommandSpec } from '../src/cli/command';
import { SYNTH_USAGE, synthTarget } from '../src/cli/synth-command';
import { drCommand } from '../src/dr/cli';
import { reportCommand } from '../src/report';
import { deployPlanCommand } from '../src/tools/deploy-plan-cli';
import { stackVarsCommand } from '../src/tools/stack-variables-cli';
import { synthDiffCommand } from '../src/tools/synth-diff-cli';
import { tempDir } from './support/synth';

/**
 * One command-line convention for every operator command (src/cli/command.ts), checked in-process
 * through the shared entry: `--help` exits 0 with the usage on stdout naming every option, a usage
 * error exits 2 with the usage on stderr, a configuration error exits 1 without a stack trace.
 */
const ROOT = join(__dirname, '..');

async function run(spec: CommandSpec, argv: string[], env: NodeJS.ProcessEnv = {}) {
  let stdout = '';
  let stderr = '';
  const code = await runCommand(spec, argv, {
    env,
    stdout: (t) => (stdout += t),
    stderr: (t) => (stderr += t),
  });
  return { code, stdout, stderr };
}

/** Every command and subcommand, with the argv that reaches it. */
function commandsOf(spec: CommandSpec, path: string[] = []): { spec: CommandSpec; path: string[] }[] {
  return [{ spec, path }, ...(spec.subcommands ?? []).flatMap((s) => commandsOf(s, [...path, s.name]))];
}

/** npm script -> the exported command its file runs. */
const COMMANDS: Record<string, CommandSpec> = {
  dr: drCommand(),
  report: reportCommand,
  'deploy:plan': deployPlanCommand,
  'synth:diff': synthDiffCommand,
  'stack:vars': stackVarsCommand,
};

/** One usage error per command: argv and what the message says. */
const USAGE_ERRORS: Record<string, [string[], RegExp]> = {
  dr: [['explode'], /unknown command 'explode'/],
  report: [['--bogus'], /unknown option '--bogus'/],
  'deploy:plan': [['extra'], /too many arguments/],
  'synth:diff': [[], /missing required argument 'base-ref'/],
  'stack:vars': [['--outdir'], /option '--outdir <dir>' argument missing/],
};

const scripts = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> })
  .scripts;

describe.each(Object.entries(COMMANDS))('npm run %s', (name, spec) => {
  test('its script runs the file that declares this command through the shared entry', () => {
    expect(spec.name).toBe(name);
    const file = /^tsx (\S+\.ts)$/.exec(scripts[name])?.[1];
    expect(file).toBeDefined();
    const source = readFileSync(join(ROOT, file!), 'utf8');
    expect(source).toMatch(/\brunMain\(/);
  });

  test.each(commandsOf(spec).map(({ spec: s, path }) => [[...path, '--help'].join(' '), s, path] as const))(
    '%s exits 0 with the usage on stdout, naming every option',
    async (_label, command, path) => {
      const { code, stdout, stderr } = await run(spec, [...path, '--help']);
      expect(code).toBe(0);
      expect(stderr).toBe('');
      expect(stdout).toContain(`Usage: npm run ${[`${name} --`, ...path].join(' ')}`);
      expect(stdout).toContain(usageOf(spec, ...path));
      for (const option of command.options ?? []) expect(stdout).toContain(option.flags);
      for (const argument of command.arguments ?? []) expect(stdout).toContain(argument.name);
      for (const sub of command.subcommands ?? []) expect(stdout).toContain(sub.name);
      expect(stdout).toContain('-h, --help');
    },
  );

  test('a usage error exits 2 with the message and the usage on stderr', async () => {
    const [argv, message] = USAGE_ERRORS[name];
    const { code, stdout, stderr } = await run(spec, argv);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toMatch(message);
    expect(stderr).toContain(`Usage: npm run ${name} --`);
  });
});

describe('npm run synth', () => {
  // The spec without the synth: these tests check the command line only (src/main.ts adds the run).
  const synth: CommandSpec = {
    ...SYNTH_USAGE,
    run: () => {
      throw new Error('the synth must not run');
    },
  };

  test('its scripts run main.ts directly (no cdktf CLI), synth:hcl with --hcl', () => {
    // The young generation's semispaces at 8 MiB (V8's default is 16): about 20 MiB less peak
    // memory and no slower (docs/architecture.md).
    expect(scripts.synth).toBe('node --max-semi-space-size=8 --import tsx main.ts');
    expect(scripts['synth:hcl']).toBe(`${scripts.synth} --hcl`);
    expect(JSON.parse(readFileSync(join(ROOT, 'cdktf.json'), 'utf8'))).toMatchObject({ app: scripts.synth });
  });

  test('--help exits 0 with the usage naming every option; a usage error exits 2', async () => {
    const help = await run(synth, ['--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('Usage: npm run synth --');
    for (const option of SYNTH_USAGE.options ?? []) expect(help.stdout).toContain(option.flags);
    const wrong = await run(synth, ['--outdir', 'x']);
    expect(wrong.code).toBe(2);
    expect(wrong.stderr).toMatch(/unknown option '--outdir'/);
    expect(wrong.stdout).toBe('');
  });

  test('the options win over what the cdktf CLI sets; without either, cdktf.out as JSON, reported', () => {
    expect(synthTarget({}, {})).toEqual({ outdir: 'cdktf.out', hclOutput: false, report: true });
    expect(synthTarget({ output: 'out', hcl: true }, {})).toEqual({ outdir: 'out', hclOutput: true, report: true });
    // Run by the cdktf CLI (diff, deploy): its folder and format, and the CLI reports the stacks.
    const cli = { CDKTF_OUTDIR: '/w/cdktf.out', SYNTH_HCL_OUTPUT: 'true' };
    expect(synthTarget({}, cli)).toEqual({ outdir: '/w/cdktf.out', hclOutput: true, report: false });
    expect(synthTarget({ output: 'mine' }, cli)).toEqual({ outdir: 'mine', hclOutput: true, report: false });
    expect(synthTarget({}, { SYNTH_HCL_OUTPUT: 'false' }).hclOutput).toBe(false);
  });
});

describe('failures', () => {
  test('an unknown PLATFORM_ENV exits 1 with the configuration problem and no stack trace', async () => {
    const { code, stderr } = await run(reportCommand, [], { PLATFORM_ENV: 'moon' });
    expect(code).toBe(1);
    expect(stderr).toMatch(/PLATFORM_ENV: got "moon"; expected one of production, staging/);
    expect(stderr).not.toMatch(/\n\s+at /);
  });

  test('deploy:plan before a synth names the command to run', async () => {
    const outdir = join(tempDir('no-synth'), 'cdktf.out');
    const { code, stderr } = await run(deployPlanCommand, ['--outdir', outdir], { PLATFORM_ENV: 'staging' });
    expect(code).toBe(1);
    expect(stderr).toBe(
      `no synthesized output in ${outdir} (${outdir}/manifest.json not found): run \`PLATFORM_ENV=staging npm run synth -- --output ${outdir}\` first\n`,
    );
  });
});

describe('npm run report', () => {
  // Not the working directory's cdktf.out (whatever synth it holds): these tests are about the plan.
  const noSynth = () => ['--outdir', join(tempDir('no-synth'), 'cdktf.out')];

  test('prints the failover budgets and the api-weighted weight of each region with its source', async () => {
    const { code, stdout } = await run(reportCommand, noSynth(), { PLATFORM_ENV: 'production' });
    expect(code).toBe(0);
    expect(stdout).toMatch(/^Failover budget, production \(RTO \d+ s\)/);
    expect(stdout).toMatch(/^dns\s/m);
    expect(stdout).toMatch(/^cloudfront\s/m);
    expect(stdout).toMatch(/api-weighted weights, production/);
    expect(stdout).toMatch(/^us-east\s+us-east-1\s+\d+\s+[\d.]+%\s+(config|share)$/m);
  });

  test('--json carries the same facts as data', async () => {
    const { code, stdout } = await run(reportCommand, ['--json', ...noSynth()], { PLATFORM_ENV: 'staging' });
    expect(code).toBe(0);
    const report = JSON.parse(stdout) as {
      environment: string;
      budgets: { path: string }[];
      weights: { region: string; weight: number; source: string }[];
    };
    expect(report.environment).toBe('staging');
    expect(report.budgets.map((b) => b.path)).toEqual(['dns', 'cloudfront']);
    expect(report.weights.length).toBeGreaterThan(0);
    for (const w of report.weights) expect(['config', 'share']).toContain(w.source);
  });
});
