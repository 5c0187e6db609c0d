// One test per workaround in src/cdktf-workarounds.ts (and the runtime switch in src/runtime.ts).
// Each checks both halves: cdktf 0.21.0 still behaves the way the workaround assumes (so an upgrade
// that fixes it upstream shows up here and the workaround can go), and the workaround still works.
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import type * as Cdktf from 'cdktf';
import {
  App,
  Aspects,
  CloudBackend,
  DefaultTokenResolver,
  Fn,
  Lazy,
  StringConcat,
  Token,
  Tokenization,
  Manifest,
  NamedCloudWorkspace,
  S3Backend,
  TerraformLocal,
  TerraformOutput,
  TerraformStack,
  Testing,
  type IAspect,
  type S3BackendConfig,
} from 'cdktf';
import type { IConstruct } from 'constructs';
import {
  enableS3NativeLocking,
  followAppHclOutput,
  FrozenTerraformStack,
  NamedCloudWorkspaceWithHclProject,
  portableLocalBackend,
  resolveLikeUpstream,
  S3BackendWithPlainReaders,
  synthAtomically,
  unquoteReferences,
} from '../src/cdktf-workarounds';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { S3Bucket } from '@cdktf/provider-aws/lib/s3-bucket';
import type * as Workarounds from '../src/cdktf-workarounds';
import { prepareRuntime } from '../src/runtime';
import { tempDir } from './support/synth';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const S3: S3BackendConfig = {
  bucket: 'state',
  key: 'source.tfstate',
  region: 'us-east-1',
  encrypt: true,
  kmsKeyId: 'alias/state',
  dynamodbTable: 'locks',
};

/** Runs `body` with `name` removed from the environment (cdktf reads SYNTH_HCL_OUTPUT itself). */
function withoutEnv<T>(name: string, body: () => T): T {
  const saved = process.env[name];
  delete process.env[name];
  try {
    return body();
  } finally {
    if (saved !== undefined) process.env[name] = saved;
  }
}

/** Synthesizes `app` and reads one stack's output file, as named by the manifest. */
function synthStackFile(app: App, id: string): string {
  app.synth();
  const manifest = JSON.parse(readFileSync(join(app.outdir, Manifest.fileName), 'utf8')) as {
    stacks: Record<string, { synthesizedStackPath: string }>;
  };
  return readFileSync(join(app.outdir, manifest.stacks[id].synthesizedStackPath), 'utf8');
}

test('disableTokenStackTraces: cdktf records a stack trace per token until the switch turns it off', () => {
  // test/support/setup-env.ts already turned the switch on in this module registry: use a fresh one.
  jest.isolateModules(() => {
    /* eslint-disable @typescript-eslint/no-require-imports */
    const cdktf = require('cdktf') as typeof Cdktf;
    const workarounds = require('../src/cdktf-workarounds') as typeof Workarounds;
    /* eslint-enable @typescript-eslint/no-require-imports */
    const lazy = () => cdktf.Lazy.anyValue({ produce: () => 'value' }).creationStack;
    const expression = () => cdktf.rawString('value').creationStack; // an Intrinsic, like every reference

    expect(lazy().length).toBeGreaterThan(0);
    expect(expression().length).toBeGreaterThan(0);

    expect(workarounds.disableTokenStackTraces()).toBe(true);

    expect(lazy()).toEqual([]);
    expect(expression()).toEqual([]);
  });
});

test("followAppHclOutput: stacks write the format of the App's manifest", () => {
  withoutEnv('SYNTH_HCL_OUTPUT', () => {
    const build = (follow: boolean) => {
      const app = new App({ outdir: tempDir('hcl-output'), hclOutput: true });
      const stack = new TerraformStack(app, 'stack');
      if (follow) followAppHclOutput(stack);
      new TerraformOutput(stack, 'greeting', { value: 'hello' });
      return app;
    };

    // Upstream: the manifest names cdk.tf, but the stack writes JSON into it.
    const upstream = build(false);
    expect(synthStackFile(upstream, 'stack')).toMatch(/^\{/);
    expect(existsSync(join(upstream.outdir, 'stacks', 'stack', 'cdk.tf'))).toBe(true);

    const fixed = build(true);
    const hcl = synthStackFile(fixed, 'stack');
    expect(existsSync(join(fixed.outdir, 'stacks', 'stack', 'cdk.tf'))).toBe(true);
    expect(hcl).toMatch(/^output "greeting" \{\s+value = "hello"\s+\}/m);
    expect(() => JSON.parse(hcl) as unknown).toThrow();
  });
});

describe('unquoteReferences: HCL meta-argument entries are references', () => {
  test("a stack's HCL: depends_on and ignore_changes unquoted, multi-line strings untouched", () => {
    withoutEnv('SYNTH_HCL_OUTPUT', () => {
      const build = (stackClass: typeof TerraformStack) => {
        const app = new App({ outdir: tempDir('hcl-depends-on'), hclOutput: true });
        const stack = new stackClass(app, 'stack');
        followAppHclOutput(stack);
        new AwsProvider(stack, 'aws', { region: 'us-east-1' });
        const first = new S3Bucket(stack, 'first', { bucket: 'first' });
        // A multi-line string (cdktf writes a heredoc) that looks like a depends_on list.
        new S3Bucket(stack, 'second', {
          bucket: 'second',
          tags: { note: 'depends_on = [\n"aws_s3_bucket.first",\n]' },
          dependsOn: [first],
          lifecycle: { ignoreChanges: ['tags'] },
        });
        return synthStackFile(app, 'stack');
      };
      class Plain extends FrozenTerraformStack {}
      const upstream = build(TerraformStack);
      expect(upstream.match(/^"aws_s3_bucket\.first",$/gm)).toHaveLength(2); // the list and the string
      const fixed = build(Plain);
      expect(fixed.match(/^aws_s3_bucket\.first,$/gm)).toHaveLength(1);
      expect(fixed).toMatch(/^ {2}ignore_changes = \[\ntags,\n\]$/m);
      // The heredoc keeps its text.
      expect(fixed).toMatch(/<<EOF\ndepends_on = \[\n"aws_s3_bucket\.first",\n\]\nEOF/);
      expect(fixed.replace(/^(aws_s3_bucket\.first|tags),$/gm, '"$1",')).toBe(upstream);
    });
  });

  test('only addresses in depends_on lists change', () => {
    const text = [
      'provider "aws" {',
      'region = "eu-west-1"',
      'default_tags {',
      'alias = "not-this"',
      '}',
      'alias = "eu-west"',
      '}',
      'resource "x" "y" {',
      'depends_on = [',
      '"aws_s3_bucket.a-b_1",',
      '"data.aws_region.current",',
      '"module.vpc",',
      '"not an address",',
      '"a.b.c.d",',
      '"${aws_s3_bucket.a.id}",',
      ']',
      'tags = [',
      '"aws_s3_bucket.a",',
      ']',
      'lifecycle {',
      '  ignore_changes = [',
      '"scaling_config[0].desired_size",',
      '"tags",',
      '"a b",',
      ']',
      '}',
      'policy = <<-POLICY',
      'depends_on = [',
      '"aws_s3_bucket.a",',
      ']',
      'POLICY',
      'provider = "aws.eu-west"',
      'provider = "aws.not-this"',
      'provider = "GITHUB"',
      '}',
    ].join('\n');
    const lines = unquoteReferences(text).split('\n').slice(7);
    expect(lines.slice(2, 8)).toEqual([
      'aws_s3_bucket.a-b_1,',
      'data.aws_region.current,',
      'module.vpc,',
      '"not an address",',
      '"a.b.c.d",',
      '"${aws_s3_bucket.a.id}",',
    ]);
    const given = text.split('\n').slice(7);
    expect(lines.slice(9, 13)).toEqual(given.slice(9, 13));
    expect(lines.slice(14, 17)).toEqual(['scaling_config[0].desired_size,', 'tags,', '"a b",']);
    expect(lines.slice(17, 24)).toEqual(given.slice(17, 24));
    // Only a declared provider alias: not a nested block's `alias`, not another attribute's string.
    expect(lines.slice(24)).toEqual([
      'provider = aws.eu-west',
      'provider = "aws.not-this"',
      'provider = "GITHUB"',
      '}',
    ]);
  });
});

test('S3BackendWithPlainReaders: remote-state readers carry no lock settings', () => {
  const readerConfig = (withWorkaround: boolean): Json => {
    const app = new App({ outdir: tempDir('s3-readers') });
    const source = new TerraformStack(app, 'source');
    if (withWorkaround) new S3BackendWithPlainReaders(source, S3);
    else new S3Backend(source, S3);
    const value = new TerraformLocal(source, 'value', 'shared');
    const reader = new TerraformStack(app, 'reader');
    new TerraformOutput(reader, 'copy', { value: value.asString });
    const json = JSON.parse(synthStackFile(app, 'reader')) as Json;
    const states = Object.values(json.data.terraform_remote_state as Json);
    expect(states).toHaveLength(1);
    return (states[0] as Json).config as Json;
  };

  // Upstream: S3Backend.getRemoteStateDataSource copies every backend setting into the reader.
  expect(readerConfig(false)).toEqual(expect.objectContaining({ dynamodb_table: 'locks' }));

  expect(readerConfig(true)).toEqual({
    bucket: 'state',
    key: 'source.tfstate',
    region: 'us-east-1',
    encrypt: true,
    kms_key_id: 'alias/state',
  });
});

test('enableS3NativeLocking: the S3 backend gets use_lockfile in JSON and HCL', () => {
  // Upstream: no typed option. When cdktf adds one, this stops type-checking: use it instead.
  // @ts-expect-error -- cdktf 0.21.0's S3BackendConfig has no useLockfile.
  const typed: S3BackendConfig = { ...S3, useLockfile: true };
  expect(typed).toBeDefined();

  const stack = new TerraformStack(Testing.app(), 'stack');
  new S3Backend(stack, S3);
  enableS3NativeLocking(stack);

  const json = JSON.parse(Testing.synth(stack)) as Json;
  expect(json.terraform.backend.s3).toEqual(expect.objectContaining({ use_lockfile: true, dynamodb_table: 'locks' }));
  expect(Testing.synthHcl(stack)).toMatch(/backend "s3" \{[^}]*use_lockfile\s*=\s*true/);
});

test('NamedCloudWorkspaceWithHclProject: the HCL cloud block keeps the workspace project', () => {
  const cloud = (workspace: NamedCloudWorkspace) => {
    const stack = new TerraformStack(Testing.app(), 'stack');
    new CloudBackend(stack, { organization: 'org', workspaces: workspace });
    const hcl = Testing.synthHcl(stack);
    const block = /cloud \{[\s\S]*?workspaces \{([^}]*)\}/.exec(hcl);
    expect(block).not.toBeNull();
    return { json: (JSON.parse(Testing.synth(stack)) as Json).terraform.cloud as Json, hclWorkspaces: block![1] };
  };

  // Upstream: JSON keeps the project, HCL drops it.
  const upstream = cloud(new NamedCloudWorkspace('ws', 'platform'));
  expect(upstream.json.workspaces).toEqual({ name: 'ws', project: 'platform' });
  expect(upstream.hclWorkspaces).not.toMatch(/project/);

  const fixed = cloud(new NamedCloudWorkspaceWithHclProject('ws', 'platform'));
  expect(fixed.json.workspaces).toEqual({ name: 'ws', project: 'platform' });
  expect(fixed.hclWorkspaces).toMatch(/name\s*=\s*"ws"/);
  expect(fixed.hclWorkspaces).toMatch(/project\s*=\s*"platform"/);
});

test("portableLocalBackend: the local state path is relative and names cdktf's default file", () => {
  const localPath = (portable: boolean): string => {
    const stack = new TerraformStack(Testing.app(), 'bootstrap');
    if (portable) portableLocalBackend(stack);
    stack.ensureBackendExists();
    return (JSON.parse(Testing.synth(stack)) as Json).terraform.backend.local.path as string;
  };

  // Upstream: the implicit local backend writes the synth's absolute working directory.
  const upstream = localPath(false);
  expect(upstream).toBe(join(process.cwd(), 'terraform.bootstrap.tfstate'));

  const portable = localPath(true);
  expect(portable).toBe('../../../terraform.bootstrap.tfstate');
  // Seen from the stack folder Terraform runs in (cdktf.out/stacks/<id>), the same file.
  expect(resolve(process.cwd(), 'cdktf.out', Manifest.stacksFolder, 'bootstrap', portable)).toBe(upstream);
});

describe('FrozenTerraformStack: one resolution per stack, the JSON upstream would write', () => {
  class Stack extends FrozenTerraformStack {}
  /** Adds a tag to every bucket, as the platform's tagging aspect does (idempotent). */
  class TeamTag implements IAspect {
    visit(node: IConstruct): void {
      if (node instanceof S3Bucket) node.tags = { ...(node.tagsInput ?? {}), team: 'core' };
    }
  }

  /** Two stacks, the second reading the first's bucket (a cross-stack reference), both tagged. */
  function twoStacks<S extends TerraformStack>(StackClass: new (scope: App, id: string) => S) {
    const app = new App({ outdir: tempDir('frozen') });
    const producer = new StackClass(app, 'producer');
    new AwsProvider(producer, 'aws', { region: 'us-east-1' });
    const bucket = new S3Bucket(producer, 'bucket', { bucket: 'logs' });
    const consumer = new StackClass(app, 'consumer');
    new AwsProvider(consumer, 'aws', { region: 'us-east-1' });
    const copy = new S3Bucket(consumer, 'copy', { bucket: 'copy', tags: { source: bucket.arn } });
    // A stack-level override holding a token.
    consumer.addOverride('locals.copy_arn', copy.arn);
    for (const stack of [producer, consumer]) Aspects.of(stack).add(new TeamTag());
    return { app, producer, consumer, bucket, copy };
  }

  test('upstream resolves every element twice: once preparing, once for the JSON', () => {
    const { app, bucket } = twoStacks(TerraformStack);
    const calls = jest.spyOn(S3Bucket.prototype, 'toTerraform');
    try {
      withoutEnv('SYNTH_HCL_OUTPUT', () => app.synth());
      expect(calls.mock.contexts.filter((context) => context === bucket)).toHaveLength(2);
    } finally {
      calls.mockRestore();
    }
  });

  test('each element is resolved once, and validation and synthesizer share the result', () => {
    const { app, producer, bucket } = twoStacks(Stack);
    let frozen: unknown;
    // Like the policy pack (src/policy/policy-aspect.ts): read the resolved JSON from a validation.
    producer.node.addValidation({
      validate: () => {
        frozen = producer.freezeTerraform();
        return [];
      },
    });
    const elementCalls = jest.spyOn(S3Bucket.prototype, 'toTerraform');
    const stackCalls = jest.spyOn(TerraformStack.prototype, 'toTerraform');
    try {
      const written = JSON.parse(withoutEnv('SYNTH_HCL_OUTPUT', () => synthStackFile(app, 'producer'))) as unknown;
      expect(elementCalls.mock.contexts.filter((context) => context === bucket)).toHaveLength(1);
      expect(stackCalls).not.toHaveBeenCalled();
      expect(written).toEqual(JSON.parse(JSON.stringify(frozen)));
    } finally {
      elementCalls.mockRestore();
      stackCalls.mockRestore();
    }
  });

  test("the JSON is upstream's: cross-stack outputs and readers, aspects' changes, stack overrides", () => {
    const { app, producer, consumer } = twoStacks(Stack);
    withoutEnv('SYNTH_HCL_OUTPUT', () => app.synth());
    for (const stack of [producer, consumer]) {
      const upstream = JSON.parse(JSON.stringify(TerraformStack.prototype.toTerraform.call(stack))) as Json;
      expect(JSON.parse(JSON.stringify(stack.toTerraform()))).toEqual(upstream);
    }
    const produced = stack(producer);
    const consumed = stack(consumer);
    // The output the consumer's reference registered in the producer after the producer's preparation.
    const [outputName] = Object.keys(produced.output as Json);
    expect(outputName).toMatch(/^cross-stack-output-aws_s3_bucket\.?bucket\.?arn$/);
    expect(produced.output[outputName]).toEqual({ sensitive: true, value: '${aws_s3_bucket.bucket.arn}' });
    expect(consumed.data.terraform_remote_state).toBeDefined();
    expect(consumed.resource.aws_s3_bucket.copy.tags).toEqual({
      source: `\${data.terraform_remote_state.cross-stack-reference-input-producer.outputs.${outputName}}`,
      team: 'core',
    });
    expect(produced.resource.aws_s3_bucket.bucket.tags).toEqual({ team: 'core' });
    expect(consumed.locals).toEqual({ copy_arn: '${aws_s3_bucket.copy.arn}' });
    expect(consumed['//'].metadata.overrides).toEqual({ stack: ['locals'] });
    expect(produced['//'].metadata).not.toHaveProperty('overrides');

    function stack(s: TerraformStack): Json {
      return JSON.parse(JSON.stringify(s.toTerraform())) as Json;
    }
  });

  test('a stack frozen outside App.synth (never prepared) resolves as upstream does, and a synth after it starts over', () => {
    const { app, producer, consumer, bucket } = twoStacks(Stack);
    const early = JSON.parse(JSON.stringify(consumer.freezeTerraform())) as Json;
    expect(early).toEqual(JSON.parse(JSON.stringify(TerraformStack.prototype.toTerraform.call(consumer))));
    // Before App.synth no cross-stack reference is known: the address is the producer's own.
    expect(early.resource.aws_s3_bucket.copy.tags.source).toBe('${aws_s3_bucket.bucket.arn}');
    producer.freezeTerraform();
    bucket.forceDestroy = true;
    const written = (id: string) => JSON.parse(withoutEnv('SYNTH_HCL_OUTPUT', () => synthStackFile(app, id))) as Json;
    const synthesized = written('consumer');
    expect(synthesized.resource.aws_s3_bucket.copy.tags.source).toMatch(/^\$\{data\.terraform_remote_state\./);
    expect(synthesized.data.terraform_remote_state).toBeDefined();
    expect(written('producer').resource.aws_s3_bucket.bucket.force_destroy).toBe(true);
  });
});

describe("resolveLikeUpstream: the same result as upstream's resolve", () => {
  const app = Testing.app();
  const stack = new TerraformStack(app, 'values');
  new AwsProvider(stack, 'aws', { region: 'us-east-1' });
  const bucket = new S3Bucket(stack, 'bucket', { bucket: 'logs' });
  const upstream = (value: unknown) =>
    Tokenization.resolve(value, { scope: stack, resolver: new DefaultTokenResolver(new StringConcat()) }) as unknown;
  let deep: Record<string, unknown> = { leaf: bucket.arn };
  for (let i = 0; i < 150; i++) deep = { [`level${i}`]: deep, [`list${i}`]: [i, undefined, 'x'] };
  const values: [string, unknown][] = [
    ['plain string', 'logs'],
    ['IAM policy variable (escape-like, no token)', '${aws:username}/*'],
    ['Terraform expression text', '${var.region}'],
    ['number-like text', 'version 1e5 and 2.5e+3'],
    ['string token', bucket.arn],
    ['string with tokens', `arn: ${bucket.arn}, id: ${bucket.id}`],
    ['number token in a string', `count=${Token.asNumber(bucket.id)}`],
    ['escaped token text', `\${${bucket.id}}`],
    ['number', 42],
    ['number token', Token.asNumber(bucket.id)],
    ['list token', Token.asList(bucket.id)],
    ['list of tokens and undefined', [bucket.arn, undefined, 'x', 7]],
    ['number list token', Token.asNumberList(bucket.id)],
    ['map token', Token.asStringMap(bucket.tagsAll)],
    ['map with token key', { [bucket.id]: 'value' }],
    ['object with undefined', { a: 1, b: undefined, c: { d: undefined, e: [undefined] } }],
    ['booleans, null, dates', { yes: true, no: false, none: null, when: new Date(0) }],
    ['lazy', Lazy.stringValue({ produce: () => `lazy ${bucket.id}` })],
    ['function call', Fn.jsonencode({ Statement: [{ Resource: bucket.arn, Action: ['s3:GetObject'] }] })],
    ['nested deeper than upstream walks in one piece', deep],
  ];
  test.each(values)('%s', (_name, value) => {
    expect(resolveLikeUpstream(stack, value)).toEqual(upstream(value));
  });

  const cyclic: Record<string, unknown> = { name: 'loop' };
  cyclic.self = { back: cyclic };
  test.each([
    ['a function', () => 'x'],
    ['a cyclic value', cyclic],
    ['a construct', bucket],
    ['the number map token marker', Token.NUMBER_MAP_TOKEN_VALUE],
    ['the string map token marker', Token.STRING_MAP_TOKEN_VALUE],
    ['a list token in a string', `x${Token.asList(bucket.id)[0]}`],
  ])('rejects %s as upstream does', (_name, value) => {
    expect(() => upstream(value)).toThrow();
    expect(() => resolveLikeUpstream(stack, value)).toThrow();
  });
});

test("synthAtomically: output is committed whole, stale files go, terraform's files stay", () => {
  const synth = (outdir: string, fail = false) => {
    const app = new App({ outdir });
    const stack = new TerraformStack(app, 'stack');
    new TerraformOutput(stack, 'greeting', { value: 'hello' });
    // The App's own validation runs after every stack was written (a stack's runs before).
    if (fail) app.node.addValidation({ validate: () => ['planted failure'] });
    app.synth();
  };
  const previousRun = (outdir: string) => {
    const stackDir = join(outdir, 'stacks', 'stack');
    mkdirSync(join(stackDir, '.terraform'), { recursive: true });
    writeFileSync(join(stackDir, '.terraform', 'marker'), 'keep');
    writeFileSync(join(stackDir, 'cdk.tf'), 'stale HCL from an earlier --hcl synth');
    writeFileSync(join(outdir, Manifest.fileName), 'previous');
    return stackDir;
  };

  withoutEnv('SYNTH_HCL_OUTPUT', () => {
    // Upstream: App.synth writes in place and removes nothing.
    const upstream = join(tempDir('atomic'), 'cdktf.out');
    const upstreamStack = previousRun(upstream);
    synth(upstream);
    expect(readFileSync(join(upstreamStack, 'cdk.tf'), 'utf8')).toMatch(/^stale/);
    // ...and a synth that fails has already written into the output.
    const failing = join(tempDir('atomic'), 'cdktf.out');
    const failingStack = previousRun(failing);
    expect(() => synth(failing, true)).toThrow(/planted failure/);
    expect(existsSync(join(failingStack, 'cdk.tf.json'))).toBe(true);

    const outdir = join(tempDir('atomic'), 'cdktf.out');
    const stackDir = previousRun(outdir);
    synthAtomically(outdir, (staging) => synth(staging));
    expect(existsSync(join(stackDir, 'cdk.tf'))).toBe(false);
    expect(JSON.parse(readFileSync(join(stackDir, 'cdk.tf.json'), 'utf8'))).toHaveProperty('output');
    expect(readFileSync(join(stackDir, '.terraform', 'marker'), 'utf8')).toBe('keep');
    expect(readFileSync(join(outdir, Manifest.fileName), 'utf8')).not.toBe('previous');
    expect(readdirSync(dirname(outdir))).toEqual(['cdktf.out']);

    const untouched = join(tempDir('atomic'), 'cdktf.out');
    const untouchedStack = previousRun(untouched);
    expect(() => synthAtomically(untouched, (staging) => synth(staging, true))).toThrow(/planted failure/);
    expect(readFileSync(join(untouched, Manifest.fileName), 'utf8')).toBe('previous');
    expect(readdirSync(untouchedStack).sort()).toEqual(['.terraform', 'cdk.tf']);
    expect(readdirSync(dirname(untouched))).toEqual(['cdktf.out']);
  });
});

test('prepareRuntime: source maps are off before cdktf loads', () => {
  // Upstream: cdktf's modules embed their source maps inline, which Node parses when they are on.
  expect(readFileSync(require.resolve('cdktf/lib/app.js'), 'utf8')).toMatch(
    /\/\/# sourceMappingURL=data:application\/json;base64,/,
  );
  const before = process.sourceMapsEnabled;
  try {
    process.setSourceMapsEnabled(true);
    withoutEnv('PLATFORM_DEBUG', () => prepareRuntime());
    expect(process.sourceMapsEnabled).toBe(false);
  } finally {
    process.setSourceMapsEnabled(before);
  }
});
