import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigError } from '../src/config/errors';
import { production } from '../src/config/environments/production';
import { staging } from '../src/config/environments/staging';
import { loadConfig, STATE_COPY_VARIABLE } from '../src/config/load';
import type { PlatformConfig, StateCopy } from '../src/config/types';
import { STACK_IDS } from '../src/plan/naming';
import { resolvePlan } from '../src/plan/resolve';
import type { PlatformPlan } from '../src/plan/types';
import { issuesOf, variant } from './support/config';
import { defaultSynth } from './support/shared-synth';
import { synthPlatform, type StackJson, type SynthOutput } from './support/synth';

/**
 * The README's "If the state region is down" recipe: the `export` line is read from the README's
 * own text and handed to `loadConfig` as the environment, and the result is synthesized.
 */
function recipeEnvironment(): NodeJS.ProcessEnv {
  const readme = readFileSync(join(__dirname, '..', 'README.md'), 'utf8');
  const start = readme.indexOf('### If the state region is down');
  const section = readme.slice(start, readme.indexOf('\n## ', start));
  const assignment = /^export (\w+)=(\S+)$/m.exec(/```sh\n([\s\S]*?)```/.exec(section)?.[1] ?? '');
  if (start < 0 || !assignment) throw new Error('README: the "If the state region is down" recipe lost its export');
  return { [assignment[1]]: assignment[2] };
}

type RemoteState = { backend: string; config: Record<string, unknown> };
type Reader = { stack: string; name: string; source: string; read: RemoteState };

/** Every `terraform_remote_state` data source of every stack, with the stack it reads. */
function readers(synth: SynthOutput): Reader[] {
  return synth.stackIds.flatMap((stack) =>
    Object.entries((synth.stack(stack).data?.terraform_remote_state ?? {}) as Record<string, RemoteState>).map(
      ([name, read]) => ({ stack, name, source: name.replace(/^cross-stack-reference-input-/, ''), read }),
    ),
  );
}

/** The S3 backend of every stack that has one. */
function s3Backends(synth: SynthOutput): [string, Record<string, unknown>][] {
  return synth.stackIds.flatMap((id) => {
    const s3 = synth.stack(id).terraform.backend?.s3;
    return s3 ? [[id, s3] as [string, Record<string, unknown>]] : [];
  });
}

/** A stack's JSON without its backend and remote-state readers. */
function withoutState(stack: StackJson): unknown {
  const copy = structuredClone(stack);
  delete copy.terraform.backend;
  if (copy.data) delete copy.data.terraform_remote_state;
  return copy;
}

/**
 * The stacks each reader stack reads, from the plan (docs/architecture.md): global reads dns and
 * every regional stack; each workloads stack reads every regional stack, global and its data stack.
 */
function expectedSources(plan: PlatformPlan): Record<string, string[]> {
  const regional = plan.regions.map((r) => r.stackIds.regional);
  return {
    [plan.stackIds.global]: [plan.stackIds.dns, ...regional].sort(),
    ...Object.fromEntries(
      plan.regions.map((r) => [r.stackIds.workloads, [...regional, plan.stackIds.global, r.stackIds.data].sort()]),
    ),
  };
}

const replica = (config: PlatformConfig = production) => ({
  bucket: config.state.replicaBucket,
  region: config.state.replicaRegion,
});
const primary = (config: PlatformConfig = production) => ({ bucket: config.state.bucket, region: config.state.region });

describe('PLATFORM_STATE_COPY=replica (README: if the state region is down)', () => {
  let config: PlatformConfig;
  let before: SynthOutput;
  let after: SynthOutput;
  beforeAll(() => {
    config = loadConfig(recipeEnvironment());
    before = defaultSynth('production'); // the README's `npm run synth`, shared by the run
    after = synthPlatform(config);
  });

  test('the README recipe sets the variable loadConfig reads, to the replica', () => {
    expect(recipeEnvironment()).toEqual({ [STATE_COPY_VARIABLE]: 'replica' });
    expect(config.state.use).toBe('replica');
  });

  test('the default synth names the primary bucket, region and lock table in every backend and reader', () => {
    const backends = s3Backends(before);
    // Every stack but the bootstrap stack (local state until migrated).
    expect(backends.map(([id]) => id).sort()).toEqual(
      before.stackIds.filter((id) => id !== STACK_IDS.bootstrap).sort(),
    );
    for (const [id, s3] of backends) {
      expect(s3).toEqual({
        ...primary(),
        key: `production/${id}.tfstate`,
        encrypt: true,
        kms_key_id: production.state.kmsKeyAlias,
        dynamodb_table: production.state.lockTable,
        use_lockfile: true,
      });
    }
    const reads = readers(before);
    expect(reads.length).toBeGreaterThan(0);
    for (const { read, source } of reads) {
      expect(read).toEqual({
        backend: 's3',
        config: {
          ...primary(),
          key: `production/${source}.tfstate`,
          encrypt: true,
          kms_key_id: production.state.kmsKeyAlias,
        },
      });
    }
  });

  test('every stack with an S3 backend keeps its key and KMS alias on the replica, locked by the S3 lock file only', () => {
    const backends = s3Backends(after);
    expect(backends.map(([id]) => id)).toEqual(s3Backends(before).map(([id]) => id));
    expect(backends.length).toBe(after.stackIds.length - 1);
    for (const [id, s3] of backends) {
      expect(s3).toEqual({
        ...replica(),
        key: `production/${id}.tfstate`,
        encrypt: true,
        kms_key_id: production.state.kmsKeyAlias,
        use_lockfile: true,
      });
      expect(s3).not.toHaveProperty('dynamodb_table');
    }
  });

  test('every terraform_remote_state reader of every stack reads the replica', () => {
    const reads = readers(after);
    // The same readers as the default synth; global and every workloads stack read exactly the
    // stacks the plan says they read (three regions: global four stacks, each workloads stack five).
    expect(reads.map((r) => `${r.stack}/${r.name}`)).toEqual(readers(before).map((r) => `${r.stack}/${r.name}`));
    const expected = expectedSources(resolvePlan(config));
    expect(Object.keys(expected)).toHaveLength(1 + production.regions.length);
    for (const [stack, sources] of Object.entries(expected)) {
      expect([
        stack,
        reads
          .filter((r) => r.stack === stack)
          .map((r) => r.source)
          .sort(),
      ]).toEqual([stack, sources]);
    }
    for (const { read, source } of reads) {
      expect(after.stackIds).toContain(source);
      expect(read).toEqual({
        backend: 's3',
        config: {
          ...replica(),
          key: `production/${source}.tfstate`,
          encrypt: true,
          kms_key_id: production.state.kmsKeyAlias,
        },
      });
    }
  });

  test('no stack but the bootstrap stack (which creates them) names the primary bucket or the lock table', () => {
    for (const id of after.stackIds.filter((s) => s !== STACK_IDS.bootstrap)) {
      const text = JSON.stringify(after.stack(id));
      expect(text).not.toContain(`"${production.state.bucket}"`);
      expect(text).not.toContain(production.state.lockTable);
    }
  });

  test('apart from backends and readers, every stack is unchanged', () => {
    expect(after.stackIds).toEqual(before.stackIds);
    for (const id of after.stackIds) {
      expect(withoutState(after.stack(id))).toEqual(withoutState(before.stack(id)));
    }
  });

  test('the bootstrap stack keeps its local state', () => {
    expect(after.stack(STACK_IDS.bootstrap).terraform.backend).toEqual({
      local: { path: '../../../terraform.state-bootstrap.tfstate' },
    });
  });
});

describe('the replica switch in HCL output', () => {
  test('backends and readers name the replica and no lock table', () => {
    const config = variant((c) => (c.state.use = 'replica'));
    const synth = synthPlatform(config, { hclOutput: true });
    const hcl = readFileSync(join(synth.outdir, 'stacks', STACK_IDS.global, 'cdk.tf'), 'utf8');
    const blocks = [
      ...hcl.matchAll(/backend "s3" \{([^}]*)\}|data "terraform_remote_state" "[^"]+" \{[^}]*config = \{([^}]*)\}/g),
    ].map((m) => m[1] ?? m[2]);
    // The backend and a reader for every stack global reads (dns and every regional stack).
    const plan = resolvePlan(config);
    expect(blocks).toHaveLength(1 + expectedSources(plan)[plan.stackIds.global].length);
    for (const block of blocks) {
      expect(block).toContain(`bucket = "${production.state.replicaBucket}"`);
      expect(block).toContain(`region = "${production.state.replicaRegion}"`);
      expect(block).not.toContain('dynamodb_table');
    }
  });
});

describe('the replica switch with the bootstrap stack migrated to S3', () => {
  test('the bootstrap stack follows the switch like every other stack', () => {
    const synth = synthPlatform(
      variant((c) => {
        c.state.bootstrapBackend = 's3';
        c.state.use = 'replica';
      }),
    );
    expect(synth.stack(STACK_IDS.bootstrap).terraform.backend).toEqual({
      s3: {
        ...replica(),
        key: `production/${STACK_IDS.bootstrap}.tfstate`,
        encrypt: true,
        kms_key_id: production.state.kmsKeyAlias,
        use_lockfile: true,
      },
    });
    expect(s3Backends(synth)).toHaveLength(synth.stackIds.length);
  });
});

describe('state.use validation', () => {
  const stateIssues = (config: PlatformConfig) => issuesOf(config).filter((i) => i.path.startsWith('state'));

  test.each<[StateCopy | undefined]>([[undefined], ['primary'], ['replica']])('%s is accepted in S3 mode', (use) => {
    expect(stateIssues(variant((c) => (c.state.use = use)))).toEqual([]);
  });

  test('an unknown copy is refused, naming the field', () => {
    const config = variant((c) => ((c.state as { use?: string }).use = 'secondary'));
    const issues = stateIssues(config);
    expect(issues.map((i) => i.path)).toEqual(['state.use']);
    expect(() => {
      throw new ConfigError(issues);
    }).toThrow(/state\.use: got "secondary"; expected one of primary, replica/);
  });

  test('the replica is refused in Terraform Cloud mode, primary is not', () => {
    const cloud = (use: StateCopy) =>
      variant((c) => {
        c.state.mode = 'terraform-cloud';
        c.state.terraformCloud = { organization: 'acme', project: 'platform', hostname: 'app.terraform.io' };
        c.state.use = use;
      });
    expect(stateIssues(cloud('primary'))).toEqual([]);
    const issues = stateIssues(cloud('replica'));
    expect(issues.map((i) => i.path)).toEqual(['state.use']);
    expect(issues[0]!.expected).toMatch(/"primary" when state\.mode is "terraform-cloud"/);
  });
});

describe('loadConfig reads PLATFORM_STATE_COPY', () => {
  test('unset or empty leaves the environment as it is (primary)', () => {
    expect(loadConfig({})).toBe(production);
    expect(loadConfig({ [STATE_COPY_VARIABLE]: '' })).toBe(production);
    expect(loadConfig({}).state.use).toBeUndefined();
  });

  test('replica and primary set state.use of the selected environment, nothing else', () => {
    const chosen = loadConfig({ PLATFORM_ENV: 'staging', [STATE_COPY_VARIABLE]: 'replica' });
    expect(chosen.state).toEqual({ ...staging.state, use: 'replica' });
    expect({ ...chosen, state: staging.state }).toEqual(staging);
    expect(staging.state.use).toBeUndefined(); // the environment's own object is not modified
    expect(loadConfig({ [STATE_COPY_VARIABLE]: 'primary' }).state.use).toBe('primary');
  });

  test('an unknown value is refused before anything is built, naming the variable', () => {
    expect(() => loadConfig({ [STATE_COPY_VARIABLE]: 'Replica' })).toThrow(ConfigError);
    expect(() => loadConfig({ [STATE_COPY_VARIABLE]: 'Replica' })).toThrow(
      /PLATFORM_STATE_COPY: got "Replica"; expected one of primary, replica/,
    );
  });

  test('problems with both variables are reported together', () => {
    try {
      loadConfig({ PLATFORM_ENV: 'prod', [STATE_COPY_VARIABLE]: 'dr' });
      throw new Error('expected a ConfigError');
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      expect((error as ConfigError).issues.map((i) => i.path)).toEqual(['PLATFORM_ENV', STATE_COPY_VARIABLE]);
    }
  });
});
