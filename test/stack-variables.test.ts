import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseDocument } from 'yaml';
import { ENVIRONMENTS } from '../src/config/environments';
import { STACK_IDS } from '../src/plan/naming';
import { resolvePlan } from '../src/plan/resolve';
import { deployOrder, parseManifest, planDeployment, type DeployPlan } from '../src/tools/deploy-plan';
import {
  declaredVariables,
  describeAssignments,
  fromSecrets,
  generated,
  githubEnvLines,
  secretName,
  type StackVariables,
} from '../src/tools/stack-variables';
import { runCommand } from '../src/cli/command';
import { writeSynthMarker } from '../src/cli/synth-marker';
import { stackVarsCommand } from '../src/tools/stack-variables-cli';
import { defaultSynth, type DefaultEnvironment } from './support/shared-synth';
import { tempDir } from './support/synth';

const REGIONS = ['us-east', 'eu-west', 'apac'];
const SCRAM = { type: 'string', sensitive: true, ephemeral: true };

/** cdk.tf.json text with the given `variable` block (or none). */
const stackJson = (variable?: Record<string, object>) => JSON.stringify({ terraform: {}, resource: {}, variable });

const region = (key: string) => declaredVariables(`region-${key}`, stackJson({ msk_scram_password: SCRAM }));
const workloads = (key: string) =>
  declaredVariables(
    `workloads-${key}`,
    stackJson(Object.fromEntries(REGIONS.map((r) => [`msk_scram_password_${r.replace(/-/g, '_')}`, SCRAM]))),
  );
const data = declaredVariables(
  'data-us-east',
  stackJson({ aurora_master_password: { type: 'string', sensitive: true, nullable: false, ephemeral: true } }),
);
const SECRETS = {
  AURORA_MASTER_PASSWORD: 'aurora-secret-value',
  MSK_SCRAM_PASSWORD_US_EAST: 'scram-us-east-value',
  MSK_SCRAM_PASSWORD_EU_WEST: 'scram-eu-west-value',
  MSK_SCRAM_PASSWORD_APAC: 'scram-apac-value',
};

describe('secret names', () => {
  test('a variable reads the secret of its name; a region-scoped one the secret of the stack region', () => {
    expect(secretName('data-us-east', 'aurora_master_password', REGIONS)).toBe('AURORA_MASTER_PASSWORD');
    expect(secretName('region-eu-west', 'msk_scram_password', REGIONS)).toBe('MSK_SCRAM_PASSWORD_EU_WEST');
    expect(secretName('workloads-apac', 'msk_scram_password_eu_west', REGIONS)).toBe('MSK_SCRAM_PASSWORD_EU_WEST');
  });

  test('declared variables: required unless they have a default, ephemeral flag kept', () => {
    const parsed = declaredVariables(
      'x',
      stackJson({ b: { type: 'string', default: 'd' }, a: { type: 'string', ephemeral: true } }),
    );
    expect(parsed).toEqual({
      stack: 'x',
      variables: [
        { name: 'a', required: true, ephemeral: true },
        { name: 'b', required: false, ephemeral: false },
      ],
    });
  });
});

describe('values from secrets (deploys)', () => {
  test('a region stack gets msk_scram_password from its own region secret', () => {
    expect(fromSecrets([region('eu-west')], SECRETS, REGIONS)).toEqual([
      {
        name: 'TF_VAR_msk_scram_password',
        value: 'scram-eu-west-value',
        source: 'MSK_SCRAM_PASSWORD_EU_WEST',
        stacks: ['region-eu-west'],
      },
    ]);
  });

  test('a workloads stack gets every region password, each from that region secret, plus the data stack password', () => {
    const result = fromSecrets([data, workloads('apac')], SECRETS, REGIONS);
    expect(result.map((a) => [a.name, a.value, a.stacks.join(' ')])).toEqual([
      ['TF_VAR_aurora_master_password', 'aurora-secret-value', 'data-us-east'],
      ['TF_VAR_msk_scram_password_apac', 'scram-apac-value', 'workloads-apac'],
      ['TF_VAR_msk_scram_password_eu_west', 'scram-eu-west-value', 'workloads-apac'],
      ['TF_VAR_msk_scram_password_us_east', 'scram-us-east-value', 'workloads-apac'],
    ]);
  });

  test('a stack without variables needs nothing, even with no secret at all', () => {
    const dns = declaredVariables('dns', stackJson());
    expect(dns.variables).toEqual([]);
    expect(fromSecrets([dns], {}, REGIONS)).toEqual([]);
  });

  test('an optional variable keeps its default when its secret is unset', () => {
    const stack = declaredVariables('dns', stackJson({ extra: { type: 'string', default: 'x' } }));
    expect(fromSecrets([stack], {}, REGIONS)).toEqual([]);
    expect(fromSecrets([stack], { EXTRA: 'v' }, REGIONS).map((a) => a.name)).toEqual(['TF_VAR_extra']);
  });

  test.each<[string, StackVariables[], Record<string, string>, RegExp]>([
    [
      'a missing secret',
      [region('eu-west')],
      { MSK_SCRAM_PASSWORD_US_EAST: 'x' },
      /^stack region-eu-west needs the variable msk_scram_password: the secret MSK_SCRAM_PASSWORD_EU_WEST is missing or empty$/,
    ],
    [
      'an empty secret (what GitHub passes for an unset one)',
      [data],
      { AURORA_MASTER_PASSWORD: '' },
      /the secret AURORA_MASTER_PASSWORD is missing or empty/,
    ],
    [
      'every missing secret at once',
      [workloads('us-east')],
      { MSK_SCRAM_PASSWORD_US_EAST: 'x' },
      /MSK_SCRAM_PASSWORD_APAC is missing or empty\n.*MSK_SCRAM_PASSWORD_EU_WEST is missing or empty$/,
    ],
    [
      'a value with a line break',
      [data],
      { AURORA_MASTER_PASSWORD: 'a\nb' },
      /the secret AURORA_MASTER_PASSWORD \(variable aurora_master_password of data-us-east\) contains a line break/,
    ],
    [
      'a region-scoped variable in a stack of no region',
      [declaredVariables('global', stackJson({ msk_scram_password: SCRAM }))],
      SECRETS,
      /stack global declares msk_scram_password, which is per region, but belongs to no region/,
    ],
    [
      'two regions in one step (same TF_VAR_ name, different secrets)',
      [region('us-east'), region('eu-west')],
      SECRETS,
      /TF_VAR_msk_scram_password would need MSK_SCRAM_PASSWORD_US_EAST for region-us-east and MSK_SCRAM_PASSWORD_EU_WEST for region-eu-west/,
    ],
  ])('refuses %s', (_name, stacks, secrets, message) => {
    expect(() => fromSecrets(stacks, secrets, REGIONS)).toThrow(message);
  });

  test('the log lines name variables and secrets, never values', () => {
    const result = fromSecrets([data, workloads('us-east')], SECRETS, REGIONS);
    const log = describeAssignments(result).join('\n');
    expect(log).toContain('TF_VAR_aurora_master_password <- AURORA_MASTER_PASSWORD (data-us-east)');
    for (const value of Object.values(SECRETS)) expect(log).not.toContain(value);
    expect(githubEnvLines(result)).toContain('TF_VAR_aurora_master_password=aurora-secret-value\n');
  });
});

describe('throwaway values (speculative plans)', () => {
  let n = 0;
  const random = () => `generated-${++n}`;

  test('every required ephemeral variable gets a value; one value per TF_VAR_ name', () => {
    const result = generated([region('us-east'), region('eu-west'), data], random);
    expect(result.map((a) => [a.name, a.source, a.stacks.join(' ')])).toEqual([
      ['TF_VAR_msk_scram_password', 'generated', 'region-us-east region-eu-west'],
      ['TF_VAR_aurora_master_password', 'generated', 'data-us-east'],
    ]);
    expect(new Set(result.map((a) => a.value)).size).toBe(2);
  });

  test('refuses a variable that is not ephemeral: its value could change the plan', () => {
    const stack = declaredVariables('region-apac', stackJson({ instance_count: { type: 'number' } }));
    expect(() => generated([stack], random)).toThrow(
      /stack region-apac needs the variable instance_count, which is not ephemeral/,
    );
  });
});

describe('stack:vars command', () => {
  /** An output folder as `npm run synth` leaves it: manifest, marker, one file per stack. */
  function outdirWith(stacks: Record<string, string>, options: { hcl?: boolean; environment?: string } = {}): string {
    const outdir = tempDir('stack-vars');
    const file = options.hcl ? 'cdk.tf' : 'cdk.tf.json';
    const manifest: Record<string, object> = {};
    for (const [id, text] of Object.entries(stacks)) {
      mkdirSync(join(outdir, 'stacks', id), { recursive: true });
      writeFileSync(join(outdir, 'stacks', id, file), text);
      manifest[id] = { synthesizedStackPath: `stacks/${id}/${file}`, dependencies: [] };
    }
    writeFileSync(join(outdir, 'manifest.json'), JSON.stringify({ stacks: manifest }));
    writeSynthMarker(outdir, { environment: options.environment ?? 'production', hcl: options.hcl ?? false });
    return outdir;
  }
  const run = async (argv: string[], env: Record<string, string>) => {
    const githubEnv = join(tempDir('github-env'), 'env');
    writeFileSync(githubEnv, '');
    let stdout = '';
    let stderr = '';
    const code = await runCommand(stackVarsCommand, argv, {
      env: { PLATFORM_ENV: 'production', GITHUB_ENV: githubEnv, ...env },
      stdout: (t) => (stdout += t),
      stderr: (t) => (stderr += t),
    });
    return { code, lines: stdout.split('\n').filter(Boolean), stderr, written: readFileSync(githubEnv, 'utf8') };
  };
  const outdir = outdirWith({
    'region-apac': stackJson({ msk_scram_password: SCRAM }),
    dns: stackJson(),
    'data-us-east': stackJson({ aurora_master_password: SCRAM }),
  });

  test('writes TF_VAR_ lines to GITHUB_ENV and logs names only', async () => {
    const { code, lines, written } = await run(['--outdir', outdir, 'region-apac'], SECRETS);
    expect(code).toBe(0);
    expect(written).toBe('TF_VAR_msk_scram_password=scram-apac-value\n');
    expect(lines).toEqual(['TF_VAR_msk_scram_password <- MSK_SCRAM_PASSWORD_APAC (region-apac)']);
  });

  test('takes the space-separated stacks of one deploy step', async () => {
    const { written } = await run(['--outdir', outdir, 'dns data-us-east'], SECRETS);
    expect(written).toBe('TF_VAR_aurora_master_password=aurora-secret-value\n');
  });

  test('a stack without variables writes nothing', async () => {
    const { lines, written } = await run(['--outdir', outdir, 'dns'], {});
    expect(written).toBe('');
    expect(lines).toEqual(['dns: no input variables to supply']);
  });

  test('speculative: masks each generated value before anything else and reads no secret', async () => {
    const { lines, written } = await run(['--outdir', outdir, '--speculative', 'region-apac'], SECRETS);
    const value = /^TF_VAR_msk_scram_password=(.+)\n$/.exec(written)?.[1] ?? '';
    expect(value).toHaveLength(48);
    expect(value).not.toBe(SECRETS.MSK_SCRAM_PASSWORD_APAC);
    expect(lines[0]).toBe(`::add-mask::${value}`);
    expect(lines.slice(1).join('\n')).not.toContain(value);
  });

  test('reads HCL output (npm run synth:hcl) like JSON', async () => {
    const hcl = outdirWith(
      {
        'region-apac': [
          'variable "msk_scram_password" {',
          'description = "SCRAM password {of} this region"',
          'type = string',
          'validation {',
          'condition = "${length(var.msk_scram_password) >= 32}"',
          'ephemeral = false',
          '}',
          'ephemeral = true',
          '}',
          'variable "tuning" {',
          'default = 3',
          '}',
        ].join('\n'),
      },
      { hcl: true },
    );
    const { code, written } = await run(['--outdir', hcl, 'region-apac'], SECRETS);
    expect(code).toBe(0);
    expect(written).toBe('TF_VAR_msk_scram_password=scram-apac-value\n');
    const speculative = await run(['--outdir', hcl, '--speculative', 'region-apac'], {});
    expect(speculative.code).toBe(0);
  });

  test.each<[string, string[], Record<string, string>, number, RegExp]>([
    ['a missing secret', ['region-apac'], {}, 1, /the secret MSK_SCRAM_PASSWORD_APAC is missing or empty/],
    ['an unknown stack', ['region-mars'], SECRETS, 1, /no synthesized stack region-mars in .*; it holds data-us-east/],
    ['no stack', [], SECRETS, 2, /missing required argument 'stack'/],
    ['no GITHUB_ENV', ['dns'], { GITHUB_ENV: '' }, 1, /GITHUB_ENV is not set/],
    [
      'output of another environment',
      ['dns'],
      { PLATFORM_ENV: 'staging' },
      1,
      /holds production, but PLATFORM_ENV selects staging: run `PLATFORM_ENV=staging npm run synth -- --output /,
    ],
  ])('fails on %s', async (_name, stacks, env, exit, message) => {
    const { code, stderr } = await run(['--outdir', outdir, ...stacks], env);
    expect(code).toBe(exit);
    expect(stderr).toMatch(message);
    expect(stderr).not.toMatch(/\n\s+at /);
  });

  test('refuses a folder without synthesized output, naming the command to run', async () => {
    const { code, stderr } = await run(['--outdir', join(tempDir('empty'), 'cdktf.out'), 'dns'], SECRETS);
    expect(code).toBe(1);
    expect(stderr).toMatch(/no synthesized output in .*cdktf\.out .*: run `npm run synth -- --output .*` first/);
  });
});

/** The environments deploy.yml deploys, each read from the README's `npm run synth`, shared by the run. */
const DEPLOYED = Object.keys(ENVIRONMENTS) as DefaultEnvironment[];

describe.each(DEPLOYED)('the synthesized %s platform with the deploy workflow', (environment) => {
  const config = ENVIRONMENTS[environment];
  const regions = config.regions.map((r) => r.key);
  let stacks: StackVariables[];
  let plan: DeployPlan;

  beforeAll(() => {
    const synth = defaultSynth(environment);
    plan = planDeployment(parseManifest(readFileSync(join(synth.outdir, 'manifest.json'), 'utf8')), {
      regions,
      globalStack: STACK_IDS.global,
      bootstrapStack: STACK_IDS.bootstrap,
    });
    stacks = deployOrder(plan).map((id) => declaredVariables(id, JSON.stringify(synth.stack(id))));
  });

  /** Secret names the deploy workflow maps into its stack variables steps. */
  const mapped = () => {
    const text = readFileSync(join(__dirname, '..', '.github', 'workflows', 'deploy-environment.yml'), 'utf8');
    const workflow = parseDocument(text).toJS() as {
      jobs: Record<string, { steps?: { run?: string; env?: object }[] }>;
    };
    const steps = Object.values(workflow.jobs).flatMap((j) =>
      (j.steps ?? []).filter((s) => s.run?.includes('stack:vars')),
    );
    const names = steps.map((s) => Object.keys(s.env ?? {}).filter((k) => !/^STACKS?$/.test(k)));
    expect(names.length).toBe(3);
    return names;
  };

  /** The secrets the synthesized stacks need: one for each required variable (a region's own for a region-scoped one). */
  const needed = () =>
    [
      ...new Set(
        stacks.flatMap((s) => s.variables.filter((v) => v.required).map((v) => secretName(s.stack, v.name, regions))),
      ),
    ].sort();

  test('every stack it deploys gets all its variables from the secrets the workflow maps', () => {
    // Guard against a vacuous pass: the stacks do declare the variables this is about, for every
    // region of the plan (the primary's data stack, each region's own and every region's password
    // in every workloads stack).
    const declared = stacks.flatMap((s) => s.variables.map((v) => `${s.stack}:${v.name}`));
    const snake = (key: string) => key.replace(/-/g, '_');
    expect(declared).toEqual(
      expect.arrayContaining([
        `${STACK_IDS.data(resolvePlan(config).primary.key)}:aurora_master_password`,
        ...regions.map((key) => `${STACK_IDS.regional(key)}:msk_scram_password`),
        ...regions.flatMap((key) =>
          regions.map((other) => `${STACK_IDS.workloads(key)}:msk_scram_password_${snake(other)}`),
        ),
      ]),
    );
    // A region added to the configuration needs its secret in every stack variables step of
    // .github/workflows/deploy-environment.yml (README: adding a region); this names what is missing.
    expect(needed().length).toBeGreaterThan(regions.length);
    for (const [step, names] of mapped().entries()) {
      expect([step, needed().filter((n) => !names.includes(n))]).toEqual([step, []]);
    }
    for (const names of mapped()) {
      const secrets = Object.fromEntries(names.map((n) => [n, `value-of-${n}`]));
      for (const stack of stacks) expect(() => fromSecrets([stack], secrets, regions)).not.toThrow();
    }
  });

  test('a region stack and every workloads stack read the same secret for a region password', () => {
    const secrets = Object.fromEntries(mapped()[0].map((n) => [n, `value-of-${n}`]));
    const value = (stack: string, variable: string) =>
      fromSecrets([stacks.find((s) => s.stack === stack)!], secrets, regions).find(
        (a) => a.name === `TF_VAR_${variable}`,
      )?.value;
    for (const key of regions) {
      const own = value(STACK_IDS.regional(key), 'msk_scram_password');
      expect(own).toBe(`value-of-MSK_SCRAM_PASSWORD_${key.replace(/-/g, '_').toUpperCase()}`);
      for (const other of regions)
        expect(value(STACK_IDS.workloads(other), `msk_scram_password_${key.replace(/-/g, '_')}`)).toBe(own);
    }
  });

  test('each deploy step of the plan can take its stacks together, and pull-request plans need no secret', () => {
    const secrets = Object.fromEntries(mapped()[0].map((n) => [n, `value-of-${n}`]));
    const steps = [...plan.before, { name: 'global', stacks: plan.global }, ...plan.after];
    for (const step of steps) {
      const group = step.stacks.split(' ').map((id) => stacks.find((s) => s.stack === id)!);
      // No TF_VAR_ name would need two different secrets within one step.
      expect(() => fromSecrets(group, secrets, regions)).not.toThrow();
    }
    // Every variable is ephemeral, so speculative plans work for every stack.
    expect(() => generated(stacks, () => 'x'.repeat(48))).not.toThrow();
  });
});
