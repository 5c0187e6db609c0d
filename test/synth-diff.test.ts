import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { cidrOverlaps, formatCidr, parseCidr } from '../modules/common/cidr';
import { production } from '../src/config/environments/production';
import { withExtraRegions } from '../src/config/scale';
import type { PlatformConfig, RegionConfig } from '../src/config/types';
import { STACK_IDS } from '../src/plan/naming';
import { runCommand } from '../src/cli/command';
import { appNodeArguments, runSynthDiff, synthDiffCommand } from '../src/tools/synth-diff-cli';
import {
  diffStack,
  diffSynth,
  diffValues,
  hasChanges,
  readSynthTree,
  renderReport,
  REPORT_MARKER,
  stackBlocks,
  type StackDocument,
  type SynthTree,
} from '../src/tools/synth-diff';
import { defaultSynth } from './support/shared-synth';
import { synthPlatform, tempDir } from './support/synth';

const meta = (path: string) => ({ '//': { metadata: { path, uniqueId: path.replace(/\//g, '_') } } });

/** A small stack in the shape cdktf writes. */
function stack(overrides: Record<string, unknown> = {}): StackDocument {
  return {
    '//': { metadata: { backend: 's3', stackName: 'region-x', version: '0.21.0' }, outputs: {} },
    terraform: { backend: { s3: { bucket: 'state', key: 'production/region-x.tfstate' } } },
    provider: { aws: [{ region: 'us-east-1' }, { alias: 'replica', region: 'eu-west-1' }] },
    data: { aws_iam_policy_document: { trust: { ...meta('x/trust'), statement: [{ actions: ['sts:AssumeRole'] }] } } },
    resource: {
      aws_vpc: { vpc: { ...meta('x/vpc'), cidr_block: '10.0.0.0/16', tags: { owner: 'platform' } } },
      aws_s3_bucket: { logs: { ...meta('x/logs'), bucket: 'logs' } },
    },
    output: { vpc_id: { value: '${aws_vpc.vpc.id}' } },
    ...overrides,
  };
}

const tree = (entries: Record<string, StackDocument>): SynthTree => new Map(Object.entries(entries));

describe('block addresses', () => {
  test('resources, data sources, outputs, providers (by alias) and terraform settings are addressed like Terraform does', () => {
    expect([...stackBlocks(stack()).keys()].sort()).toEqual([
      'aws_s3_bucket.logs',
      'aws_vpc.vpc',
      'data.aws_iam_policy_document.trust',
      'output.vpc_id',
      'provider.aws',
      'provider.aws.replica',
      'terraform',
    ]);
  });
});

describe('attribute paths', () => {
  test.each<[string, unknown, unknown, { path: string; before?: unknown; after?: unknown }[]]>([
    ['a changed leaf', { a: { b: 1 } }, { a: { b: 2 } }, [{ path: 'a.b', before: 1, after: 2 }]],
    ['an added key', { a: {} }, { a: { c: 'x' } }, [{ path: 'a.c', after: 'x' }]],
    ['a removed key', { a: { c: 'x' } }, { a: {} }, [{ path: 'a.c', before: 'x' }]],
    [
      'a list element',
      { l: [{ p: 80 }, { p: 443 }] },
      { l: [{ p: 80 }, { p: 8443 }] },
      [{ path: 'l[1].p', before: 443, after: 8443 }],
    ],
    ['a longer list', { l: ['a'] }, { l: ['a', 'b'] }, [{ path: 'l[1]', after: 'b' }]],
    [
      'a key that is not an identifier',
      { tags: { 'kubernetes.io/role': '1' } },
      { tags: { 'kubernetes.io/role': '2' } },
      [{ path: 'tags."kubernetes.io/role"', before: '1', after: '2' }],
    ],
    ['a type change', { a: [1] }, { a: { 0: 1 } }, [{ path: 'a', before: [1], after: { 0: 1 } }]],
    ['equal values', { a: [1, { b: null }] }, { a: [1, { b: null }] }, []],
  ])('%s', (_name, before, after, expected) => {
    expect(diffValues(before, after)).toEqual(expected);
  });
});

describe('diff of crafted stacks', () => {
  test('identical trees have no changes', () => {
    const diff = diffSynth(tree({ a: stack() }), tree({ a: stack() }));
    expect(hasChanges(diff)).toBe(false);
    expect(diff).toEqual({ stacksAdded: [], stacksRemoved: [], stacks: [] });
  });

  test('cdktf metadata ("//") never counts as a change', () => {
    const moved = stack();
    const resource = moved.resource as Record<string, Record<string, Record<string, unknown>>>;
    resource.aws_vpc.vpc = { ...resource.aws_vpc.vpc, '//': { metadata: { path: 'y/vpc', uniqueId: 'other' } } };
    const after = { ...moved, '//': { metadata: { stackName: 'renamed' } } };
    expect(diffStack('a', stack(), after)).toEqual({ stack: 'a', added: [], removed: [], changed: [] });
  });

  test('added, removed and changed blocks are detected with attribute paths', () => {
    const before = stack();
    const after = stack({
      resource: {
        aws_vpc: { vpc: { ...meta('x/vpc'), cidr_block: '10.1.0.0/16', tags: { owner: 'platform', tier: 'core' } } },
        aws_kms_key: { key: { ...meta('x/key'), enable_key_rotation: true } },
      },
      output: { vpc_id: { value: '${aws_vpc.vpc.id}' }, key_arn: { value: '${aws_kms_key.key.arn}' } },
      provider: { aws: [{ region: 'us-east-1' }, { alias: 'replica', region: 'eu-central-1' }] },
    });
    const diff = diffStack('region-x', before, after);
    expect(diff.added).toEqual(['aws_kms_key.key', 'output.key_arn']);
    expect(diff.removed).toEqual(['aws_s3_bucket.logs']);
    expect(diff.changed).toEqual([
      {
        address: 'aws_vpc.vpc',
        attributes: [
          { path: 'cidr_block', before: '10.0.0.0/16', after: '10.1.0.0/16' },
          { path: 'tags.tier', after: 'core' },
        ],
      },
      { address: 'provider.aws.replica', attributes: [{ path: 'region', before: 'eu-west-1', after: 'eu-central-1' }] },
    ]);
  });

  test('stacks added and removed are listed, unchanged stacks are left out', () => {
    const diff = diffSynth(tree({ a: stack(), b: stack() }), tree({ a: stack(), c: stack() }));
    expect(diff).toEqual({ stacksAdded: ['c'], stacksRemoved: ['b'], stacks: [] });
  });

  test('a backend switch shows as a change of the terraform block', () => {
    const cloud = stack({ terraform: { cloud: { organization: 'acme', workspaces: { name: 'w' } } } });
    const { changed } = diffStack('a', stack(), cloud);
    expect(changed.map((c) => [c.address, c.attributes.map((a) => a.path)])).toEqual([
      ['terraform', ['backend', 'cloud']],
    ]);
  });
});

describe('Markdown report', () => {
  const diff = diffSynth(
    tree({ kept: stack(), gone: stack() }),
    tree({
      kept: stack({ resource: { aws_vpc: { vpc: { cidr_block: '10.9.0.0/16', tags: { owner: 'platform' } } } } }),
      fresh: stack(),
    }),
  );

  test('lists stacks and blocks with their attribute changes under a marker the pipeline finds', () => {
    const report = renderReport([{ environment: 'production', diff }], { base: 'origin/main', head: 'working tree' });
    expect(report.startsWith(REPORT_MARKER)).toBe(true);
    expect(report).toContain('## Synth diff: `origin/main` → `working tree`');
    expect(report).toContain('### production');
    expect(report).toContain('- 🆕 stack `fresh` added');
    expect(report).toContain('- 🗑️ stack `gone` removed');
    expect(report).toContain('#### `kept`: 0 added, 1 changed, 1 removed');
    expect(report).toContain('- ✏️ `aws_vpc.vpc`\n  - `cidr_block`: `"10.0.0.0/16"` → `"10.9.0.0/16"`');
    expect(report).toContain('- ➖ `aws_s3_bucket.logs`');
  });

  test('says so when nothing changed', () => {
    const none = diffSynth(tree({ a: stack() }), tree({ a: stack() }));
    const report = renderReport(
      [
        { environment: 'production', diff: none },
        { environment: 'staging', diff: none },
      ],
      {
        base: 'main',
        head: 'HEAD',
      },
    );
    expect(report).toContain('No changes in the synthesized Terraform (production, staging).');
    expect(report).not.toContain('####');
  });

  test('stays under the comment size limit and says it was cut', () => {
    const many = diffSynth(
      tree({ a: stack({ resource: {} }) }),
      tree({
        a: stack({
          resource: {
            aws_s3_bucket: Object.fromEntries(
              Array.from({ length: 500 }, (_, i) => [`bucket_${i}`, { bucket: `b${i}` }]),
            ),
          },
        }),
      }),
    );
    const report = renderReport([{ environment: 'production', diff: many }], { base: 'a', head: 'b', maxLength: 2000 });
    expect(report.length).toBeLessThanOrEqual(2000);
    expect(report).toMatch(/report truncated/);
  });

  test('elides long attribute lists per block', () => {
    const before = {
      a: stack({ resource: { aws_x: { y: Object.fromEntries(Array.from({ length: 30 }, (_, i) => [`k${i}`, 1])) } } }),
    };
    const after = {
      a: stack({ resource: { aws_x: { y: Object.fromEntries(Array.from({ length: 30 }, (_, i) => [`k${i}`, 2])) } } }),
    };
    const report = renderReport([{ environment: 'e', diff: diffSynth(tree(before), tree(after)) }], {
      base: 'a',
      head: 'b',
      maxAttributesPerBlock: 5,
    });
    expect(report).toContain('… and 25 more attributes');
  });
});

/**
 * A secondary region `config` does not have: the first catalog region it does not use
 * (withExtraRegions), under a key and in a 10.x.0.0/16 no region of it uses, so that adding it never
 * collides with whatever production lists.
 */
function regionNotIn(config: PlatformConfig): RegionConfig {
  const region = withExtraRegions(config, 1).regions.at(-1)!;
  const keys = new Set(config.regions.map((r) => r.key));
  let key = region.key;
  for (let n = 2; keys.has(key); n++) key = `${region.key}-${n}`;
  const used = config.regions.map((r) => parseCidr(r.vpcCidr)!);
  const free = Array.from({ length: 256 }, (_, n) => parseCidr(`10.${n}.0.0/16`)!).find(
    (cidr) => !used.some((u) => cidrOverlaps(u, cidr)),
  );
  if (!free) throw new Error('no free 10.x.0.0/16 left for another region');
  return { ...region, key, vpcCidr: formatCidr(free) };
}

describe('diff of two synthesized apps whose configs differ', () => {
  // GIVEN production, and a variant with longer flow-log retention and one more region
  const region = regionNotIn(production);
  const added = region.key;
  let before: SynthTree;
  let after: SynthTree;
  beforeAll(() => {
    const variant: PlatformConfig = {
      ...production,
      regions: [...production.regions, region],
      defaults: { ...production.defaults, network: { ...production.defaults.network, flowLogRetentionDays: 731 } },
    };
    before = readSynthTree(defaultSynth('production').outdir); // `npm run synth`, shared by the run
    after = readSynthTree(synthPlatform(variant).outdir);
  });

  test('reports the attributes a setting changed, and the stacks of a new region', () => {
    const diff = diffSynth(before, after);
    expect(diff.stacksAdded).toContain(STACK_IDS.regional(added));
    expect(diff.stacksRemoved).toEqual([]);
    const primary = diff.stacks.find((s) => s.stack === STACK_IDS.regional(production.regions[0].key));
    expect(primary?.changed).toEqual(
      expect.arrayContaining([
        {
          address: expect.stringMatching(/^aws_cloudwatch_log_group\./),
          attributes: [{ path: 'retention_in_days', before: 365, after: 731 }],
        },
      ]),
    );
    // the global stack peers every region with the new one
    const global = diff.stacks.find((s) => s.stack === STACK_IDS.global);
    expect(global?.added.some((address) => address.includes(added))).toBe(true);
  });

  test('the other way round, the stacks of the region and its blocks in the global stack are removed', () => {
    const diff = diffSynth(after, before);
    expect(diff.stacksRemoved).toContain(STACK_IDS.regional(added));
    expect(diff.stacksAdded).toEqual([]);
    const global = diff.stacks.find((s) => s.stack === STACK_IDS.global);
    expect(global?.removed.some((address) => address.includes(added))).toBe(true);
  });
});

describe('each side runs its own cdktf.json app command', () => {
  const appIn = (app: unknown) => {
    const dir = tempDir('app');
    writeFileSync(join(dir, 'cdktf.json'), JSON.stringify({ app }));
    return dir;
  };

  test('the node arguments of the app, whatever its options', () => {
    expect(appNodeArguments(resolve(__dirname, '..'))).toEqual([
      '--max-semi-space-size=8',
      '--import',
      'tsx',
      'main.ts',
    ]);
    expect(appNodeArguments(appIn(' node  --import tsx main.ts '))).toEqual(['--import', 'tsx', 'main.ts']);
  });

  test.each([['npx ts-node main.ts'], ['node'], [42]])('refuses an app that is not a node command: %p', (app) => {
    expect(() => appNodeArguments(appIn(app))).toThrow(/cdktf\.json: app is .*; expected a `node \.\.\.` command/);
  });
});

describe('synth:diff command', () => {
  const run = async (argv: string[]) => {
    let stdout = '';
    let stderr = '';
    const code = await runCommand(synthDiffCommand, argv, {
      stdout: (t) => (stdout += t),
      stderr: (t) => (stderr += t),
    });
    return { code, stdout, stderr };
  };

  test.each<[string[], RegExp]>([
    [[], /missing required argument 'base-ref'/],
    [['a', 'b'], /too many arguments/],
    [['main', '--env'], /option '--env <name>' argument missing/],
    [['main', '--env', 'qa'], /unknown environment qa; expected production, staging/],
    [['main', '--colour'], /unknown option '--colour'/],
  ])('refuses %j with exit 2 and the usage on stderr', async (argv, message) => {
    const { code, stdout, stderr } = await run(argv);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toMatch(message);
    expect(stderr).toMatch(/Usage: npm run synth:diff -- \[options\] <base-ref>/);
  });

  test('--help prints the usage on stdout and runs nothing', async () => {
    const { code, stdout, stderr } = await run(['--help']);
    expect(code).toBe(0);
    expect(stderr).toBe('');
    expect(stdout).toMatch(/--head <ref>[\s\S]*--env <name>[\s\S]*--output <file>/);
  });

  test('compares a ref with the working tree of a repository and reports a crafted change', () => {
    // GIVEN a throwaway repository holding this project, committed, then a config edit left uncommitted
    const root = resolve(__dirname, '..');
    const repo = tempDir('synth-diff-repo');
    const files = execFileSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], { cwd: root })
      .toString()
      .split('\0')
      .filter((f) => f && existsSync(join(root, f)));
    for (const file of files) cpSync(join(root, file), join(repo, file), { recursive: true });
    symlinkSync(join(root, 'node_modules'), join(repo, 'node_modules'), 'dir');
    const git = (...args: string[]) =>
      execFileSync('git', ['-c', 'user.name=test', '-c', 'user.email=test@example.org', ...args], { cwd: repo });
    writeFileSync(join(repo, '.gitignore'), 'node_modules\n');
    git('init', '--quiet');
    git('add', '-A');
    git('commit', '--quiet', '-m', 'base');
    const file = join(repo, 'src/config/environments/production.ts');
    const source = readFileSync(file, 'utf8');
    const edited = source.replace(/flowLogRetentionDays: \d+/, 'flowLogRetentionDays: 1096');
    expect(edited).not.toBe(source);
    writeFileSync(file, edited);

    // WHEN
    const report = runSynthDiff(repo, { base: 'HEAD', environments: ['production'] });

    // THEN the edit shows up as attribute changes, and the temporary worktree is gone
    expect(report).toContain('## Synth diff: `HEAD` → `working tree`');
    expect(report).toMatch(/- ✏️ `aws_cloudwatch_log_group\.[^`]+`\n {2}- `retention_in_days`: `\d+` → `1096`/);
    expect(report).not.toMatch(/stack `[^`]+` (added|removed)/);
    expect(execFileSync('git', ['worktree', 'list'], { cwd: repo, encoding: 'utf8' }).trim().split('\n')).toHaveLength(
      1,
    );
  });
});
