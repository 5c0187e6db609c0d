/**
 * Every place the project works around cdktf behaviour, in one file.
 *
 * Pinned to cdktf 0.21.0 (the final release). Each entry names the upstream code it works around
 * (a file under node_modules/cdktf/lib and the function there), why the project needs it, and the
 * test in test/cdktf-workarounds.test.ts that fails when upstream changes or the workaround stops
 * working. cdktf's own extension points (public options, escape hatches, overridable public
 * methods) are used wherever they exist; only `disableTokenStackTraces` and `followAppHclOutput`
 * reach into cdktf internals, because 0.21.0 offers no switch for either, and `FrozenTerraformStack`
 * reads a stack's own overrides (the private `rawOverrides`), which upstream exposes only through the
 * `toTerraform` it replaces.
 *
 * One related switch lives elsewhere: src/runtime.ts turns Node's source maps off (cdktf's modules
 * embed inline source maps). It must run before cdktf loads, and this file loads cdktf.
 */
import { existsSync, mkdirSync, mkdtempSync, readdirSync, renameSync, rmSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import {
  App,
  DataTerraformRemoteStateS3,
  LocalBackend,
  Manifest,
  NamedCloudWorkspace,
  S3Backend,
  TerraformElement,
  TerraformOutput,
  TerraformStack,
  Aspects,
  DefaultTokenResolver,
  StringConcat,
  Token,
  Tokenization,
  type IAspect,
  type S3BackendConfig,
  type TerraformRemoteState,
} from 'cdktf';
import { Construct, type IConstruct } from 'constructs';

/**
 * Turns off the stack trace cdktf records for every token it creates.
 *
 * Upstream: `Intrinsic`, `Lazy`, `ComplexComputedList` and the dynamic block/expression
 * constructors (cdktf/lib/tokens/private/intrinsic.js, cdktf/lib/tokens/lazy.js, ...) call
 * `captureStackTrace()` of cdktf/lib/tokens/private/stack-trace.js unconditionally and keep the
 * result as `creationStack`, only to quote it if the token later fails to resolve. cdktf 0.21.0 has
 * no switch for it: the App option `stackTraces: false` (context key
 * `@cdktf/disable_stack_trace_in_metadata`, cdktf/lib/annotations.js) covers annotations only, and
 * cdktf reads no environment variable for it.
 *
 * Why: a platform synth creates tens of thousands of tokens; capturing those traces is a third of
 * the synth time. The callers look the function up on the module's exports at each call, so
 * replacing that export takes effect for every module already loaded. PLATFORM_DEBUG=1 keeps them
 * (src/main.ts).
 *
 * Test: "disableTokenStackTraces: cdktf records a stack trace per token until the switch turns it off".
 *
 * @returns whether the switch was applied (false if cdktf's module layout differs: then cdktf keeps
 * its default behaviour)
 */
export function disableTokenStackTraces(): boolean {
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const stackTrace = require('cdktf/lib/tokens/private/stack-trace') as { captureStackTrace: () => string[] };
    stackTrace.captureStackTrace = () => [];
    return true;
  } catch {
    return false;
  }
}

/**
 * Makes a stack write the format the App's manifest announces (HCL `cdk.tf` or JSON `cdk.tf.json`).
 *
 * Upstream: the `TerraformStack` constructor (cdktf/lib/terraform-stack.js) creates its
 * `StackSynthesizer` (cdktf/lib/synthesize/synthesizer.js) with `hclOutput` read from the
 * SYNTH_HCL_OUTPUT environment variable only ("true" or "1"), while the `App` constructor
 * (cdktf/lib/app.js) gives the `Manifest` its `hclOutput` option, overridden by SYNTH_HCL_OUTPUT
 * when set ("true" only). An `App({ hclOutput: true })` without the variable therefore writes JSON
 * into files the manifest calls `cdk.tf`. cdktf 0.21.0 has no per-stack option and does not export
 * `StackSynthesizer`, so its flag is set in place; the public `stack.synthesizer` slot would take a
 * whole replacement synthesizer only.
 *
 * Why: the tests and src/synth.ts configure the App, not the environment; the App's value (which
 * already accounts for the variable) must decide for every stack.
 *
 * Test: "followAppHclOutput: stacks write the format of the App's manifest".
 */
export function followAppHclOutput(stack: TerraformStack): void {
  Reflect.set(stack.synthesizer, 'hclOutput', App.of(stack).hclOutput);
}

/**
 * An S3 backend whose cross-stack readers (`terraform_remote_state`) get only what reading needs.
 *
 * Upstream: `S3Backend.getRemoteStateDataSource` (cdktf/lib/backends/s3-backend.js) copies every
 * backend setting into the reader, lock table included, and adds `workspace =
 * "${terraform.workspace}"`. Overriding this public method is cdktf's supported extension point.
 *
 * Why: lock settings are meaningless to a reader and `dynamodb_table` is deprecated in Terraform
 * 1.11; every stack uses the default workspace. The reader keeps the producing stack's bucket,
 * region, key and KMS alias, so it reads the copy of the state that stack's backend uses (primary or
 * replica: `state.use`, test/state-replica.test.ts).
 *
 * Test: "S3BackendWithPlainReaders: remote-state readers carry no lock settings".
 */
export class S3BackendWithPlainReaders extends S3Backend {
  constructor(
    scope: Construct,
    private readonly config: S3BackendConfig,
  ) {
    super(scope, config);
  }

  getRemoteStateDataSource(scope: Construct, name: string): TerraformRemoteState {
    const { bucket, key, region, encrypt, kmsKeyId } = this.config;
    return new DataTerraformRemoteStateS3(scope, name, { bucket, key, region, encrypt, kmsKeyId });
  }
}

/**
 * Turns on S3-native state locking (`use_lockfile`, Terraform >= 1.10) for a stack's S3 backend.
 *
 * Upstream: `S3BackendConfig` (cdktf/lib/backends/s3-backend.d.ts) has no `useLockfile`; the stack
 * escape hatch `TerraformStack.addOverride` (cdktf/lib/terraform-stack.js) is cdktf's supported way
 * to set an attribute it does not type. Set on the stack, not the backend, so the stack metadata
 * (`overrides.stack`) stays as it was.
 *
 * Test: "enableS3NativeLocking: the S3 backend gets use_lockfile in JSON and HCL" (its
 * `@ts-expect-error` fails type checking once cdktf types the option).
 */
export function enableS3NativeLocking(stack: TerraformStack): void {
  stack.addOverride('terraform.backend.s3.use_lockfile', true);
}

/**
 * A named Terraform Cloud workspace that keeps its `project` in HCL output.
 *
 * Upstream: `NamedCloudWorkspace.toHclTerraform` (cdktf/lib/backends/cloud-backend.js) renders the
 * name only, while its `toTerraform` (JSON) includes `project`; `CloudBackend.synthesizeHclAttributes`
 * builds the HCL `workspaces` block from it. Overriding the workspace's public `toHclTerraform` is
 * the supported extension point (`CloudWorkspace` is cdktf's abstract class for workspaces).
 *
 * Why: without `project`, `terraform init` of an HCL synth puts a new workspace in the
 * organization's default project.
 *
 * Test: "NamedCloudWorkspaceWithHclProject: the HCL cloud block keeps the workspace project".
 */
export class NamedCloudWorkspaceWithHclProject extends NamedCloudWorkspace {
  toHclTerraform(): Record<string, unknown> {
    const hcl = super.toHclTerraform() as Record<string, unknown>;
    if (this.project === undefined) return hcl;
    return { ...hcl, project: { value: this.project, type: 'simple', storageClassType: 'string' } };
  }
}

/**
 * The local backend of a stack on local state, with a path that is the same on every machine.
 *
 * Upstream: `TerraformStack.ensureBackendExists` (cdktf/lib/terraform-stack.js) adds a
 * `LocalBackend` whose default path (cdktf/lib/backends/local-backend.js, constructor) is
 * `path.join(process.cwd(), "terraform.<stack id>.tfstate")`: the synth's absolute working
 * directory ends up in the output. The backend's `path` option is the supported way around it.
 *
 * Why: relative to the stack folder (cdktf.out/stacks/<id>, where Terraform runs) this names the
 * same file beside cdktf.out, and the output stays byte-identical across machines.
 *
 * Test: "portableLocalBackend: the local state path is relative and names cdktf's default file".
 */
export function portableLocalBackend(stack: TerraformStack): LocalBackend {
  return new LocalBackend(stack, { path: `../../../terraform.${stack.node.id}.tfstate` });
}

/** The resolver upstream's stacks use (`resolve` in cdktf/lib/_tokens.js). */
const TOKEN_RESOLVER = new DefaultTokenResolver(new StringConcat());

/** Resolves `value` in `stack` as upstream's stacks do; `preparing` for the preparing run. */
function resolveIn(stack: TerraformStack, value: unknown, preparing = false): unknown {
  return Tokenization.resolve(value, { scope: stack, preparing, resolver: TOKEN_RESOLVER }) as unknown;
}

/** cdktf's NUMBER_TOKEN_REGEX (cdktf/lib/tokens/private/encoding.js), without its global flag. */
const NUMBER_TOKEN_IN_STRING = /[-|\d|.+]+(e[-|\d|.|e|E|+]+)/;

/** Whether upstream's resolve could change or reject string `s` (a superset: it may also not). */
function mayHoldToken(s: string): boolean {
  return (
    s.includes('TfToken[') ||
    s === Token.STRING_MAP_TOKEN_VALUE ||
    s === Token.ANY_MAP_TOKEN_VALUE ||
    NUMBER_TOKEN_IN_STRING.test(s)
  );
}

/**
 * Whether `n` may be a token: cdktf encodes them as negative doubles below -1e289
 * (`createTokenDouble`), and rejects its map-token marker (a superset again).
 */
function mayBeTokenNumber(n: number): boolean {
  return Number.isNaN(n) || Math.abs(n) >= 1e280 || n === Token.NUMBER_MAP_TOKEN_VALUE;
}

/**
 * What `resolveIn(stack, value, preparing)` returns, without its per-value overhead on the plain
 * parts: upstream's `resolve` (cdktf/lib/tokens/private/resolve.js) builds a resolution context with
 * closures for every string, number and key it visits, tokens or not, which is most of a synth's
 * time and garbage. Here plain strings, numbers and booleans are returned as they are (upstream
 * returns them unchanged too), plain arrays and objects are walked (dropping `undefined`, as
 * upstream does), and every value that is or may hold a token (a token string or number, a list
 * or map token, a resolvable, a construct or function to reject) is resolved by upstream's
 * `resolve`, which gives it the same context a walk from the top would have (a plain walk passes
 * no context on), except the path: an error names the path inside the handed-over value only.
 * Test: "resolveLikeUpstream: the same result as upstream's resolve".
 */
export function resolveLikeUpstream(stack: TerraformStack, value: unknown, preparing = false, depth = 0): unknown {
  switch (typeof value) {
    case 'string':
      return mayHoldToken(value) ? resolveIn(stack, value, preparing) : value;
    case 'number':
      return mayBeTokenNumber(value) ? resolveIn(stack, value, preparing) : value;
    case 'object':
      break;
    case 'function':
      return resolveIn(stack, value, preparing);
    default:
      return value;
  }
  if (value === null || value instanceof Date) return value;
  // Below 100 levels the value goes to upstream whole, whose guard against cycles counts 200 more
  // (a cyclic value still fails; an acyclic one may nest 300 levels instead of 200).
  if (depth > 100 || Tokenization.isResolvable(value) || Construct.isConstruct(value)) {
    return resolveIn(stack, value, preparing);
  }
  if (Array.isArray(value)) {
    // Upstream's list tokens: a `#{TfToken[...]}` string or a list-token number among the elements.
    const listToken = value.some(
      (x) => (typeof x === 'string' && x.includes('#{TfToken[')) || (typeof x === 'number' && mayBeTokenNumber(x)),
    );
    if (listToken) return resolveIn(stack, value, preparing);
    const out: unknown[] = [];
    for (const x of value) {
      const resolved = resolveLikeUpstream(stack, x, preparing, depth + 1);
      if (resolved !== undefined) out.push(resolved);
    }
    return out;
  }
  const keys = Object.keys(value);
  if (keys.some(mayHoldToken)) return resolveIn(stack, value, preparing);
  const out: Record<string, unknown> = {};
  for (const key of keys) {
    const resolved = resolveLikeUpstream(stack, (value as Record<string, unknown>)[key], preparing, depth + 1);
    if (resolved !== undefined) out[key] = resolved;
  }
  return out;
}

/** The Terraform elements of a stack, in construct order, not descending into nested stacks. */
function terraformElementsOf(stack: TerraformStack): TerraformElement[] {
  const into: TerraformElement[] = [];
  const visit = (node: IConstruct): void => {
    if (TerraformElement.isTerraformElement(node)) into.push(node);
    for (const child of node.node.children) if (!TerraformStack.isStack(child)) visit(child);
  };
  visit(stack);
  return into;
}

/**
 * Invokes the aspects of `root` and its descendants as the synthesizer does (`invokeAspects` in
 * cdktf/lib/synthesize/synthesizer.js): each construct gets its ancestors' aspects, then its own,
 * each aspect once.
 */
function invokeAspectsOf(root: IConstruct): void {
  const visit = (construct: IConstruct, inherited: readonly IAspect[]): void => {
    const aspects = [...new Set([...inherited, ...Aspects.of(construct).all])];
    for (const aspect of aspects) aspect.visit(construct);
    for (const child of construct.node.children) visit(child, aspects);
  };
  visit(root, []);
}

/**
 * `deepMerge` of cdktf/lib/util.js: objects merge key by key (a token object replaces), arrays
 * concatenate, any other value replaces, `undefined` deletes.
 */
function mergeJson(target: Record<string, unknown>, source: unknown): void {
  for (const [key, value] of Object.entries(source as Record<string, unknown>)) {
    if (Array.isArray(value)) {
      const existing = target[key];
      target[key] = Array.isArray(existing) ? [...(existing as unknown[]), ...value] : value;
    } else if (typeof value === 'object' && value !== null) {
      if (Tokenization.isResolvable(value)) {
        target[key] = value;
        continue;
      }
      if (typeof target[key] !== 'object' || target[key] === null) target[key] = {};
      mergeJson(target[key] as Record<string, unknown>, value);
    } else if (value === undefined) {
      delete target[key];
    } else {
      target[key] = value;
    }
  }
}

/**
 * A stack whose Terraform JSON is resolved once and shared by the policy pack and the synthesizer.
 *
 * Upstream: `App.synth` (cdktf/lib/app.js) first calls `prepareStack()` on every stack, which
 * resolves every element's JSON once in "preparing" mode (cdktf/lib/terraform-stack.js: that run is
 * how cross-stack references are found; a `Reference` resolved in another stack registers an output
 * in its own stack and a `terraform_remote_state` reader in the other, cdktf/lib/tfExpression.js).
 * Then `StackSynthesizer.synthesize` (cdktf/lib/synthesize/synthesizer.js) invokes the aspects, runs
 * the validations and calls `stack.toTerraform()`, which resolves every element again and then the
 * merged document a third time. `prepareStack` and `toTerraform` are public and overridable.
 *
 * Here:
 * - `prepareStack` invokes the stack's aspects first (as `invokeAspects` of the synthesizer does:
 *   from the stack down, inherited aspects first, each aspect once per construct), then does the
 *   preparing resolution and keeps each element's result. A preparing resolution returns what the
 *   final one would (a reference resolves to the same address in both; preparing only adds the
 *   cross-stack outputs and readers, which are new elements). cdktf invokes the aspects again in
 *   `synthesize`, so aspects on these stacks must be idempotent: the tagging aspect
 *   (test/aspects.test.ts), the policy pack (test/policy/pack.test.ts) and the network policies'
 *   ordering aspect (it adds a dependency once) are. An aspect that adds another aspect would have
 *   the added one applied by cdktf's second pass, after the preparation: none does.
 * - A stack's JSON frozen before (an earlier synth of the same app) is dropped by `prepareStack`.
 * - `freezeTerraform` (at validation time, after every stack was prepared) assembles the document
 *   as upstream `toTerraform` does, from the kept results; only elements created after this stack's
 *   preparation (the cross-stack outputs other stacks registered, its own remote-state readers) are
 *   resolved then. Of the merged document only the blocks stack-level overrides touch are resolved
 *   again (the only part that can still hold tokens); a resolved document resolves to itself.
 * - Both resolve with `resolveLikeUpstream`, which hands only the values that are or may hold tokens
 *   to upstream's resolver.
 *
 * HCL output (`synth:hcl`) is still written by upstream's `toHclTerraform` (a second resolution);
 * the policy pack reads the kept JSON of the same tree.
 *
 * Why: the security policy pack (src/policy) checks the resolved JSON from a validation, and each
 * resolution of a stack walks every value of every resource: one resolution instead of three, with
 * the plain values skipped, takes about a fifth of the default synth's time off and a quarter of the
 * ten-region one (`npm run bench`, docs/architecture.md).
 *
 * Tests: "FrozenTerraformStack: one resolution per stack, the JSON upstream would write" (upstream
 * still resolves twice; here once; cross-stack references, aspects and overrides as upstream) and
 * "resolveLikeUpstream: the same result as upstream's resolve"; test/app.test.ts compares every
 * stack of the default platform with upstream's `toTerraform`.
 */
export abstract class FrozenTerraformStack extends TerraformStack {
  private frozenTerraform?: ReturnType<TerraformStack['toTerraform']>;
  /** Each element's JSON as this stack's preparing resolution returned it. */
  private prepared?: Map<TerraformElement, unknown>;

  prepareStack(): void {
    // A JSON frozen before this synth (a test's Testing.synth, an earlier app.synth) is stale now.
    this.frozenTerraform = undefined;
    invokeAspectsOf(this);
    this.ensureBackendExists();
    const prepared = new Map<TerraformElement, unknown>();
    for (const element of terraformElementsOf(this))
      prepared.set(element, resolveLikeUpstream(this, element.toTerraform(), true));
    this.prepared = prepared;
  }

  /**
   * The stack's Terraform JSON, resolved once the tree is final (validation time, after every aspect
   * ran and every stack was prepared) and kept, so the policy pack and the synthesizer share it.
   */
  freezeTerraform(): ReturnType<TerraformStack['toTerraform']> {
    this.frozenTerraform ??= this.prepared ? this.assemble(this.prepared) : super.toTerraform();
    return this.frozenTerraform;
  }

  /** The frozen JSON once the stack was prepared or frozen; before that, upstream's (not kept). */
  toTerraform(): ReturnType<TerraformStack['toTerraform']> {
    if (this.frozenTerraform === undefined && this.prepared === undefined) return super.toTerraform();
    return this.freezeTerraform();
  }

  /** Upstream `TerraformStack.toTerraform`, with the elements' JSON from the preparing resolution. */
  private assemble(prepared: ReadonlyMap<TerraformElement, unknown>): ReturnType<TerraformStack['toTerraform']> {
    const overrides = (this as unknown as { rawOverrides: Record<string, unknown> }).rawOverrides;
    const overridden = Object.keys(overrides);
    const elements = terraformElementsOf(this);
    const metadata: Record<string, unknown> = {
      version: this.node.tryGetContext('cdktfVersion') as unknown,
      stackName: this.node.id,
      backend: 'local',
      cloud: undefined,
      ...(overridden.length > 0 ? { overrides: { stack: overridden } } : {}),
    };
    for (const element of elements) mergeJson(metadata, resolveIn(this, element.toMetadata()));
    if (metadata.cloud === undefined) delete metadata.cloud;
    const outputs: Record<string, unknown> = {};
    for (const element of elements) {
      if (!TerraformOutput.isTerraformOutput(element)) continue;
      const leaf = element.node.path
        .split('/')
        .reduceRight<unknown>((inner, part) => ({ [part]: inner }), element.friendlyUniqueId);
      mergeJson(outputs, leaf);
    }
    const tf: Record<string, unknown> = { '//': { metadata, outputs } };
    for (const element of elements) {
      mergeJson(tf, prepared.has(element) ? prepared.get(element) : resolveLikeUpstream(this, element.toTerraform()));
    }
    // Stack-level overrides may hold tokens: the blocks they touch are resolved after the merge
    // (upstream resolves the whole document; the rest of it is resolved JSON already).
    mergeJson(tf, overrides);
    for (const key of overridden) if (key in tf) tf[key] = resolveIn(this, tf[key]);
    return tf;
  }

  /** The HCL of the stack with its meta-argument references unquoted ({@link unquoteReferences}). */
  toHclTerraform(): ReturnType<TerraformStack['toHclTerraform']> {
    const rendered = super.toHclTerraform();
    return { ...rendered, hcl: unquoteReferences(rendered.hcl) };
  }
}

/**
 * The `provider` of a resource or data source and the entries of `depends_on` (resource, data and
 * module addresses) and `ignore_changes` (attribute paths) in cdktf's HCL output as references
 * (`aws.eu-west`, `aws_s3_bucket.logs`, `tags`) instead of quoted strings.
 *
 * Upstream: `TerraformStack.toHclTerraform` renders meta-arguments with `renderFuzzyJsonExpression`
 * (cdktf/lib/hcl/render.js), which quotes every plain string of a list. JSON takes strings there,
 * HCL takes references: Terraform accepts the quoted form with the warning "Quoted references are
 * deprecated" per entry (over a hundred per regional stack, in every `terraform validate|plan` of an
 * HCL synth), a form a later Terraform may refuse. cdktf 0.21 has no hook in its renderer, so the
 * rendered text is rewritten: only the entries of `depends_on = [` and `ignore_changes = [` lists,
 * each on its own line as cdktf writes them, and only entries that are an address (or attribute
 * path); only `provider = "<name>.<alias>"` lines naming a provider block of the file (an attribute
 * that happens to be called `provider`, as in `aws_glue_job`, keeps its string); heredoc bodies
 * (`<<EOF` ... `EOF`, cdktf's multi-line strings) are left alone.
 *
 * Test: "unquoteReferences: HCL meta-argument entries are references" (test/cdktf-workarounds.test.ts),
 * and the terraform-validate suite tolerates no warning on the HCL synth.
 */
export function unquoteReferences(hcl: string): string {
  const lines = hcl.split('\n');
  const aliases = providerAliases(lines);
  let heredoc: string | undefined;
  let entry: RegExp | undefined;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    if (heredoc !== undefined) {
      if (line.trim() === heredoc) heredoc = undefined;
      continue;
    }
    const opens = /<<-?([A-Za-z_][\w-]*)$/.exec(line);
    if (opens) {
      heredoc = opens[1];
      continue;
    }
    if (entry) {
      if (line.trim() === ']') entry = undefined;
      else lines[i] = line.replace(entry, '$1$2$3');
      continue;
    }
    const provider = /^provider = "([^"]+)"$/.exec(line)?.[1];
    if (provider !== undefined && aliases.has(provider)) {
      lines[i] = `provider = ${provider}`;
      continue;
    }
    const list = /^\s*(depends_on|ignore_changes) = \[$/.exec(line)?.[1];
    entry = list === 'depends_on' ? ADDRESS_ENTRY : list === 'ignore_changes' ? ATTRIBUTE_ENTRY : undefined;
  }
  return lines.join('\n');
}

/** `<name>.<alias>` of every aliased `provider "<name>"` block of the file (cdktf's layout: one attribute per line). */
function providerAliases(lines: readonly string[]): Set<string> {
  const found = new Set<string>();
  for (let i = 0; i < lines.length; i++) {
    const name = /^provider "([\w-]+)" \{$/.exec(lines[i])?.[1];
    if (name === undefined) continue;
    for (let depth = 1, j = i + 1; j < lines.length && depth > 0; j++) {
      const line = lines[j].trim();
      if (line.endsWith('{')) depth++;
      else if (line === '}') depth--;
      const alias = depth === 1 ? /^alias = "([\w-]+)"$/.exec(line)?.[1] : undefined;
      if (alias !== undefined) found.add(`${name}.${alias}`);
    }
  }
  return found;
}

/** One quoted address in a `depends_on` list: `type.name`, `data.type.name` or `module.name`. */
const ADDRESS_ENTRY = /^(\s*)"((?:data\.)?[A-Za-z_][\w-]*\.[A-Za-z_][\w-]*)"(,?)$/;
/** One quoted attribute path in an `ignore_changes` list: `tags`, `scaling_config[0].desired_size`. */
const ATTRIBUTE_ENTRY = /^(\s*)"([A-Za-z_][\w-]*(?:\[\d+\]|\.[A-Za-z_][\w-]*)*)"(,?)$/;

/**
 * What synth writes into a stack folder. Anything else there (`.terraform`, the lock file, saved
 * plans) comes from terraform runs and is kept. `assets` is `TerraformAsset`'s folder
 * (cdktf/lib/terraform-asset.js).
 */
const GENERATED_IN_STACK = ['cdk.tf', 'cdk.tf.json', Manifest.stackMetadataPath, 'assets'];

/**
 * Runs `synth` into a fresh sibling folder of `outdir` and moves the output into `outdir` only once
 * the whole app synthesized and validated.
 *
 * Upstream: `App.synth` (cdktf/lib/app.js) and `StackSynthesizer.synthesize`
 * (cdktf/lib/synthesize/synthesizer.js) write each stack into the output folder in place, before
 * the App's final validation, and never remove a file: a failure leaves a half-overwritten
 * cdktf.out, and a JSON synth after an HCL one leaves the stale `cdk.tf` beside `cdk.tf.json`
 * (Terraform reads both). cdktf-cli's `synth` (@cdktf/cli-core SynthStack.synth) only deletes
 * orphaned stack folders afterwards. cdktf 0.21.0 offers no supported way to stage or commit the
 * output, so the project does it here.
 *
 * In each existing stack folder the previous synth's files are replaced and terraform's own files
 * stay in place.
 *
 * Test: "synthAtomically: output is committed whole, stale files go, terraform's files stay".
 */
export function synthAtomically(outdir: string, synth: (stagingOutdir: string) => void): void {
  const { target, staging } = stagingFolder(outdir);
  try {
    synth(staging);
    commitOutput(staging, target);
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
}

/** {@link synthAtomically} for a synth that finishes asynchronously (a check after the App's synth). */
export async function synthAtomicallyAsync(
  outdir: string,
  synth: (stagingOutdir: string) => Promise<void>,
): Promise<void> {
  const { target, staging } = stagingFolder(outdir);
  try {
    await synth(staging);
    commitOutput(staging, target);
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
}

function stagingFolder(outdir: string): { target: string; staging: string } {
  const target = resolve(outdir);
  mkdirSync(dirname(target), { recursive: true });
  return { target, staging: mkdtempSync(`${target}.staging-`) };
}

function commitOutput(staging: string, outdir: string): void {
  if (!existsSync(outdir)) {
    // Nothing to keep: one rename moves the whole output.
    renameSync(staging, outdir);
    return;
  }
  for (const entry of readdirSync(staging)) {
    if (entry !== Manifest.stacksFolder) replace(join(staging, entry), join(outdir, entry));
  }
  const stagedStacks = join(staging, Manifest.stacksFolder);
  if (!existsSync(stagedStacks)) return;
  mkdirSync(join(outdir, Manifest.stacksFolder), { recursive: true });
  for (const stack of readdirSync(stagedStacks)) {
    const from = join(stagedStacks, stack);
    const to = join(outdir, Manifest.stacksFolder, stack);
    if (!existsSync(to)) {
      renameSync(from, to);
      continue;
    }
    for (const name of GENERATED_IN_STACK) rmSync(join(to, name), { recursive: true, force: true });
    for (const name of readdirSync(from)) renameSync(join(from, name), join(to, name));
  }
}

function replace(from: string, to: string): void {
  rmSync(to, { recursive: true, force: true });
  renameSync(from, to);
}
