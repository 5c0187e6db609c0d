import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import { type Diagnostic, initAndValidate, mapLimit, type ValidateResult, validateStack } from './terraform';

/**
 * `terraform validate` of many synthesized stacks in ONE terraform run, with the same verdict and diagnostics
 * per stack as a separate `init -backend=false` + `validate` of each folder.
 *
 * Validating a stack costs little next to starting terraform against the aws provider: loading its schema takes
 * ~6 s and every provider configuration starts a plugin process of its own (~1 s). So a temporary root module
 * calls every stack as a child module and is validated once.
 *
 * A child module is judged by the same rules as a root module except for a few root-only ones; each difference
 * is handled so that the combined run is as strict as separate runs:
 * - backend/cloud: `terraform { backend | cloud }` is ignored in a child module, with a warning. It is removed
 *   from the copy: separate runs used `init -backend=false` and `validate` never looks at it either.
 * - input variables: `validate` treats every root-module variable as unknown. The root declares one variable per
 *   stack variable (no type or flags) and passes it, so the stack's variable is unknown as well, and its own
 *   declaration still applies its type, `sensitive`/`ephemeral` marks, `nullable` and validation rules.
 * - outputs: a root module rejects an output that refers to a sensitive value without `sensitive = true`
 *   ("Output refers to sensitive values"); a child module passes it through. Every such output of the copy
 *   gets the precondition `!issensitive(value)` (the value moves to a local so it is written once), which fails
 *   in exactly that case. An output declared `ephemeral = true` is rejected only in a root module, whatever its
 *   value: the root re-exports each one as an ephemeral root output, which terraform rejects the same way.
 * - provider blocks: allowed in a child module called without count/for_each/depends_on. Blocks whose body holds
 *   only literals (cdktf's `region = "…"`) move to the root instead, one block per distinct body, and reach the
 *   stack through the module call's `providers` (aliases declared as `configuration_aliases`): each distinct
 *   body is still validated, once, and the run starts one plugin process per distinct body (3 here, one per
 *   region) instead of one per stack and alias. A stack with any other provider block (references, nested
 *   blocks, duplicate names, an undeclared or non-hashicorp provider) keeps all of its blocks.
 * - files: every other entry of the stack folder (assets, …) is linked into the copy, and the `assets` trees are
 *   merged at the root too, since terraform resolves relative paths against the folder it runs in.
 * Stacks that cannot be a child module (`import` blocks are root-only), whose folder holds configuration files
 * besides cdk.tf.json/cdk.tf (they could not be rewritten), or whose assets clash with another stack's are
 * validated alone with {@link validateStack}.
 *
 * Each diagnostic is mapped back to its stack by its file (`<stack>/cdk.tf.json`, the root file of that stack's
 * module call, or a shared provider file: then to every stack using it) or by the `module.<stack>` address in it;
 * those that cannot be mapped come back as one more result, for the combined run. Terraform judges the combined
 * configuration as a whole, and an error in one stack can stop the checks of the others (a missing provider
 * configuration ends the run before any resource is checked), so when a run is invalid, the stacks without
 * errors of their own are validated again without the failed ones until each one has its own verdict.
 */
export async function validateStacksTogether(dirs: readonly string[]): Promise<ValidateResult[]> {
  const base = mkdtempSync(join(tmpdir(), 'tf-validate-'));
  try {
    const names = new Map(memberNames(dirs).map((name, i) => [dirs[i], name]));
    const prepared = new Map<string, PreparedStack>();
    const assets = new AssetTree();
    for (const dir of dirs) {
      const stack = prepareStack(dir);
      if (typeof stack !== 'string' && assets.add(join(dir, 'assets'))) prepared.set(dir, stack);
    }
    const results = new Map<string, ValidateResult>();
    const unattributed = new Map<string, Diagnostic>();
    let pending = dirs.filter((dir) => prepared.has(dir));
    for (let round = 1; pending.length > 0; round++) {
      const run = join(base, `run-${round}`);
      const members = new Map(pending.map((dir) => [names.get(dir)!, dir]));
      const report = await validateCombined(run, members, prepared);
      const failed = pending.filter((dir) => report.byDir.get(dir)!.some((d) => d.severity === 'error'));
      // Settled: everyone when the run is valid or when no stack can be blamed; otherwise those with errors.
      const settled = report.valid || failed.length === 0 ? pending : failed;
      for (const dir of settled) results.set(dir, { dir, valid: report.valid, diagnostics: report.byDir.get(dir)! });
      for (const d of report.unattributed) unattributed.set(JSON.stringify(d), d);
      pending = pending.filter((dir) => !settled.includes(dir));
    }
    for (const result of await mapLimit(
      dirs.filter((d) => !prepared.has(d)),
      2,
      validateStack,
    )) {
      results.set(result.dir, result);
    }
    const all = dirs.map((dir) => results.get(dir)!);
    if (unattributed.size > 0) {
      const valid = !all.some((r) => !r.valid) && ![...unattributed.values()].some((d) => d.severity === 'error');
      all.push({ dir: `(combined run of ${dirs.join(', ')})`, valid, diagnostics: [...unattributed.values()] });
    }
    return all;
  } finally {
    rmSync(base, { recursive: true, force: true });
  }
}

/** Folder name and module name of each stack in the combined root: `[A-Za-z0-9_-]`, unique. */
function memberNames(dirs: readonly string[]): string[] {
  const taken = new Set<string>();
  return dirs.map((dir) => {
    let name = basename(dir).replace(/[^A-Za-z0-9_-]/g, '_');
    if (!/^[A-Za-z_]/.test(name)) name = `s_${name}`;
    let unique = name;
    for (let n = 2; taken.has(unique); n++) unique = `${name}-${n}`;
    taken.add(unique);
    return unique;
  });
}

/** Writes the combined root for `members` (module name -> stack dir) in `root` and validates it. */
async function validateCombined(
  root: string,
  members: ReadonlyMap<string, string>,
  prepared: ReadonlyMap<string, PreparedStack>,
): Promise<{ valid: boolean; byDir: Map<string, Diagnostic[]>; unattributed: Diagnostic[] }> {
  mkdirSync(root);
  const providers = new ProviderPool();
  const assets = new AssetTree();
  for (const [name, dir] of members) {
    const stack = prepared.get(dir)!;
    const child = join(root, name);
    mkdirSync(child);
    writeFileSync(join(child, stack.file), stack.text);
    for (const entry of readdirSync(dir)) {
      if (entry !== stack.file && !entry.startsWith('.terraform') && !entry.startsWith('terraform.tfstate')) {
        symlinkSync(resolve(dir, entry), join(child, entry));
      }
    }
    assets.add(join(dir, 'assets'));
    const call: Record<string, unknown> = { source: `./${name}` };
    if (stack.providers) call.providers = providers.add(name, stack.providers);
    const variable: Record<string, object> = {};
    for (const v of stack.variables) {
      variable[`${name}__${v}`] = {};
      call[v] = `\${var.${name}__${v}}`;
    }
    const output: Record<string, object> = {};
    for (const o of stack.ephemeralOutputs) {
      output[`${name}__${o}`] = { value: `\${module.${name}.${o}}`, ephemeral: true };
    }
    const file: Record<string, unknown> = { module: { [name]: call } };
    if (stack.variables.length > 0) file.variable = variable;
    if (stack.ephemeralOutputs.length > 0) file.output = output;
    writeFileSync(join(root, `module-${name}.tf.json`), JSON.stringify(file, null, 2));
  }
  providers.write(root);
  assets.link(join(root, 'assets'));

  const report = await initAndValidate(root);
  const byDir = new Map<string, Diagnostic[]>([...members.values()].map((dir) => [dir, []]));
  const unattributed: Diagnostic[] = [];
  for (const d of report.diagnostics) {
    const owners = ownersOf(d, members, providers);
    if (owners.length === 0) unattributed.push(d);
    for (const owner of owners) byDir.get(members.get(owner)!)!.push(d);
  }
  return { valid: report.valid, byDir, unattributed };
}

/** Members (module names) a diagnostic of the combined run belongs to; none when it cannot be told. */
function ownersOf(d: Diagnostic, members: ReadonlyMap<string, string>, providers: ProviderPool): string[] {
  const file = d.range?.filename;
  if (file) {
    const [first, ...rest] = file.split('/');
    if (rest.length > 0 && members.has(first)) return [first];
    const call = /^module-(.+)\.tf\.json$/.exec(file);
    if (call && members.has(call[1])) return [call[1]];
    const shared = providers.usersOfFile(file);
    if (shared) return shared;
  }
  for (const text of [d.address, d.detail]) {
    for (const m of (text ?? '').matchAll(/\bmodule\.([A-Za-z0-9_-]+)/g)) {
      if (members.has(m[1])) return [m[1]];
    }
  }
  return [];
}

/** A provider block that moved from a stack to the combined root. */
interface MovedProvider {
  /** Provider local name, e.g. `aws`. */
  readonly name: string;
  readonly alias?: string;
  /** The body without `alias`, as canonical JSON (keys sorted): blocks with the same settings share it. */
  readonly body: string;
}

/** The stack's configuration file rewritten for a child module, or why it must be validated alone. */
interface PreparedStack {
  readonly file: string;
  readonly text: string;
  readonly variables: string[];
  readonly ephemeralOutputs: string[];
  /** Provider blocks taken out of the copy; undefined when the stack keeps its own. */
  readonly providers?: MovedProvider[];
}

function prepareStack(dir: string): PreparedStack | string {
  const configs = readdirSync(dir).filter((f) => /\.tf(\.json)?$/.test(f));
  if (configs.length !== 1 || !['cdk.tf.json', 'cdk.tf'].includes(configs[0])) {
    return `configuration files ${configs.join(', ')}`;
  }
  const text = readFileSync(join(dir, configs[0]), 'utf8');
  return configs[0] === 'cdk.tf.json' ? prepareJson(text) : prepareHcl(text);
}

/** Sources under which a provider local name means the provider a root-module block of that name gets. */
function isDefaultSource(name: string, source: string | undefined): boolean {
  return (
    source === undefined || [name, `hashicorp/${name}`, `registry.terraform.io/hashicorp/${name}`].includes(source)
  );
}

/** JSON with object keys sorted, so that equal settings give equal text. */
function canonicalJson(value: unknown): string {
  const sorted = (v: unknown): unknown =>
    Array.isArray(v)
      ? v.map(sorted)
      : v !== null && typeof v === 'object'
        ? Object.fromEntries(
            Object.keys(v)
              .sort()
              .map((k) => [k, sorted((v as Json)[k])]),
          )
        : v;
  return JSON.stringify(sorted(value));
}

/** Name a local value that is not taken yet. */
function freshLocal(taken: Set<string>, output: string): string {
  let name = `combined_validate_output_${output}`;
  while (taken.has(name)) name += '_';
  taken.add(name);
  return name;
}

const SENSITIVE_OUTPUT_MESSAGE =
  'Output refers to sensitive values: a root module output derived from a sensitive value must be declared sensitive = true (check added by the combined validation, standing in for the root-module rule).';

type Json = Record<string, unknown>;

function prepareJson(text: string): PreparedStack | string {
  const config = JSON.parse(text) as Json & {
    terraform?: Json & { required_providers?: Record<string, Json> };
    variable?: Json;
    output?: Record<string, Json>;
    locals?: Json | Json[];
    provider?: Record<string, Json | Json[]>;
  };
  if ('import' in config) return 'import blocks (root module only)';
  delete config.terraform?.backend;
  delete config.terraform?.cloud;

  const locals: Json = {};
  const taken = new Set((Array.isArray(config.locals) ? config.locals : [config.locals ?? {}]).flatMap(Object.keys));
  const ephemeralOutputs: string[] = [];
  for (const [name, output] of Object.entries(config.output ?? {})) {
    if (output.ephemeral === true) ephemeralOutputs.push(name);
    if (output.ephemeral === true || output.sensitive === true || !('value' in output)) continue;
    const local = freshLocal(taken, name);
    locals[local] = output.value;
    output.value = `\${local.${local}}`;
    const preconditions = output.precondition === undefined ? [] : [output.precondition].flat();
    output.precondition = [
      ...preconditions,
      { condition: `\${!issensitive(local.${local})}`, error_message: SENSITIVE_OUTPUT_MESSAGE },
    ];
  }
  if (Object.keys(locals).length > 0) {
    config.locals = Array.isArray(config.locals) ? [...config.locals, locals] : { ...config.locals, ...locals };
  }

  let providers: MovedProvider[] | undefined = [];
  const required = config.terraform?.required_providers ?? {};
  for (const [name, blocks] of Object.entries(config.provider ?? {})) {
    for (const block of [blocks].flat()) {
      const { alias, ...body } = block;
      const literal = !/[$%]\{/.test(JSON.stringify(body));
      // The stack must declare the provider (passing one to a module that does not is a warning).
      const movable =
        literal &&
        (alias === undefined || typeof alias === 'string') &&
        required[name] !== undefined &&
        isDefaultSource(name, required[name].source as string | undefined) &&
        !providers?.some((p) => p.name === name && p.alias === alias);
      if (!movable) providers = undefined;
      providers?.push({ name, alias: alias as string | undefined, body: canonicalJson(body) });
    }
  }
  if (providers) {
    delete config.provider;
    for (const p of providers.filter((m) => m.alias !== undefined)) {
      const entry = required[p.name];
      entry.configuration_aliases = [...((entry.configuration_aliases as string[]) ?? []), `${p.name}.${p.alias}`];
    }
  }
  return {
    file: 'cdk.tf.json',
    text: JSON.stringify(config, null, 2),
    variables: Object.keys(config.variable ?? {}),
    ephemeralOutputs,
    providers,
  };
}

function prepareHcl(text: string): PreparedStack | string {
  const hcl = new HclFile(text);
  const blocks = hcl.blocks();
  if (blocks.some((b) => b.type === 'import')) return 'import blocks (root module only)';
  const edits: Edit[] = [];
  const appended: string[] = [];
  const terraformBlocks = blocks.filter((b) => b.type === 'terraform');
  for (const t of terraformBlocks) {
    for (const nested of hcl.blocks(t)) {
      if (nested.type === 'backend' || nested.type === 'cloud') edits.push(hcl.removal(nested));
    }
  }

  const taken = new Set(blocks.filter((b) => b.type === 'locals').flatMap((b) => hcl.attributes(b).map((a) => a.name)));
  const ephemeralOutputs: string[] = [];
  for (const output of blocks.filter((b) => b.type === 'output')) {
    const attributes = hcl.attributes(output);
    const flag = (key: string) => attributes.some((a) => a.name === key && hcl.expression(a) === 'true');
    if (flag('ephemeral')) ephemeralOutputs.push(output.labels[0]);
    const value = attributes.find((a) => a.name === 'value');
    if (!value) return `output "${output.labels[0]}" (no value attribute found)`;
    if (flag('ephemeral') || flag('sensitive')) continue;
    const local = freshLocal(taken, output.labels[0]);
    appended.push(`locals {\n${local} = ${hcl.expression(value)}\n}\n`);
    edits.push({ from: value.exprStart, to: value.end, text: ` local.${local}` });
    edits.push({
      from: output.close,
      to: output.close,
      text: `precondition {\ncondition = !issensitive(local.${local})\nerror_message = ${JSON.stringify(SENSITIVE_OUTPUT_MESSAGE)}\n}\n`,
    });
  }

  // Provider blocks move only when every attribute is a literal and nothing else is in the block.
  const requiredProviders = terraformBlocks.flatMap((t) =>
    hcl.blocks(t).filter((b) => b.type === 'required_providers'),
  );
  const requirements = requiredProviders.flatMap((b) => hcl.attributes(b));
  let providers: MovedProvider[] | undefined = [];
  const providerEdits: Edit[] = [];
  for (const block of blocks.filter((b) => b.type === 'provider')) {
    const name = block.labels[0];
    const attributes = hcl.attributes(block);
    const alias = attributes.find((a) => a.name === 'alias');
    const aliasName = alias && /^"([A-Za-z_][\w-]*)"$/.exec(hcl.expression(alias))?.[1];
    const requirement = requirements.find((a) => a.name === name);
    const source = requirement && /\bsource\s*=\s*"([^"]*)"/.exec(hcl.expression(requirement))?.[1];
    const settings = attributes.filter((a) => a !== alias).map((a) => [a.name, hcl.expression(a)]);
    const movable =
      hcl.blocks(block).length === 0 &&
      hcl.onlyAttributes(block) &&
      // Literals whose HCL and JSON spellings are the same: strings without escapes or templates, bools, numbers.
      settings.every(([, value]) => /^("[^"$%\\]*"|true|false|-?\d+(\.\d+)?)$/.test(value)) &&
      (!alias || aliasName !== undefined) &&
      requirement !== undefined &&
      isDefaultSource(name, source) &&
      !providers?.some((p) => p.name === name && p.alias === aliasName);
    if (!movable) providers = undefined;
    const body = movable
      ? canonicalJson(Object.fromEntries(settings.map(([key, value]) => [key, JSON.parse(value)])))
      : '';
    providers?.push({ name, alias: aliasName, body });
    providerEdits.push(hcl.removal(block));
  }
  if (providers) {
    edits.push(...providerEdits);
    for (const requirement of requirements) {
      const aliases = providers.filter((p) => p.name === requirement.name && p.alias !== undefined);
      if (aliases.length === 0) continue;
      const close = hcl.masked.lastIndexOf('}', requirement.end);
      if (close < requirement.exprStart) return `required_providers.${requirement.name} is not an object`;
      const list = aliases.map((p) => `${p.name}.${p.alias}`).join(', ');
      edits.push({ from: close, to: close, text: `\nconfiguration_aliases = [${list}]\n` });
    }
  }
  let rewritten = applyEdits(text, edits);
  if (appended.length > 0) rewritten += `\n${appended.join('')}`;
  return {
    file: 'cdk.tf',
    text: rewritten,
    variables: blocks.filter((b) => b.type === 'variable').map((b) => b.labels[0]),
    ephemeralOutputs,
    providers,
  };
}

/** The provider blocks moved to the combined root: one per distinct body, shared by the stacks that had it. */
class ProviderPool {
  private readonly bodies = new Map<string, { index: number; provider: MovedProvider; users: Set<string> }>();

  /** Registers a stack's moved blocks; returns the module call's `providers` argument. */
  add(member: string, moved: readonly MovedProvider[]): Record<string, string> {
    const passed: Record<string, string> = {};
    for (const p of moved) {
      const key = `${p.name}:${p.body}`;
      let entry = this.bodies.get(key);
      if (!entry) {
        entry = { index: this.bodies.size, provider: p, users: new Set() };
        this.bodies.set(key, entry);
      }
      entry.users.add(member);
      passed[p.alias === undefined ? p.name : `${p.name}.${p.alias}`] = `${p.name}.${this.alias(entry.index)}`;
    }
    return passed;
  }

  write(root: string): void {
    for (const { index, provider } of this.bodies.values()) {
      const body = { ...(JSON.parse(provider.body) as Json), alias: this.alias(index) };
      const file = { provider: { [provider.name]: [body] } };
      writeFileSync(join(root, `provider-${index}.tf.json`), JSON.stringify(file, null, 2));
    }
  }

  usersOfFile(file: string): string[] | undefined {
    const match = /^provider-(\d+)\.tf\.json$/.exec(file);
    if (!match) return undefined;
    const entry = [...this.bodies.values()].find((e) => e.index === Number(match[1]));
    return entry && [...entry.users];
  }

  private alias(index: number): string {
    return `combined_${index}`;
  }
}

/** The `assets` folders of the stacks merged file by file. */
class AssetTree {
  private readonly files = new Map<string, string>(); // path relative to assets -> source file

  /** Adds a folder's files; false (adding none) when one has a path another stack holds other content at. */
  add(folder: string): boolean {
    const files = existsSync(folder) && statSync(folder).isDirectory() ? listFiles(folder) : [];
    const clash = files.some(([rel, file]) => {
      const other = this.files.get(rel);
      return other !== undefined && !readFileSync(other).equals(readFileSync(file));
    });
    if (clash) return false;
    for (const [rel, file] of files) if (!this.files.has(rel)) this.files.set(rel, file);
    return true;
  }

  /** Symlinks every file under `target`. */
  link(target: string): void {
    for (const [rel, file] of this.files) {
      mkdirSync(dirname(join(target, rel)), { recursive: true });
      symlinkSync(file, join(target, rel));
    }
  }
}

/** Files under a folder: [path relative to it, absolute path]. */
function listFiles(folder: string): [string, string][] {
  return readdirSync(folder, { recursive: true, encoding: 'utf8' })
    .filter((rel) => statSync(join(folder, rel)).isFile())
    .map((rel) => [rel, resolve(folder, rel)]);
}

interface Edit {
  readonly from: number;
  readonly to: number;
  readonly text: string;
}

function applyEdits(text: string, edits: readonly Edit[]): string {
  let out = text;
  for (const e of [...edits].sort((a, b) => b.from - a.from || b.to - a.to)) {
    out = out.slice(0, e.from) + e.text + out.slice(e.to);
  }
  return out;
}

interface HclBlock {
  readonly type: string;
  readonly labels: string[];
  /** Start of the header line. */
  readonly start: number;
  readonly open: number;
  /** Index of the closing brace. */
  readonly close: number;
}

interface HclAttribute {
  readonly name: string;
  readonly exprStart: number;
  /** End of the expression (the newline or closing brace after it). */
  readonly end: number;
}

/**
 * Just enough of HCL's native syntax to find blocks and attributes in cdktf's `cdk.tf`: `masked` is the text with
 * the inside of strings (and their `${…}`), heredocs and comments blanked out, so brackets and `=` in it are
 * structure.
 */
class HclFile {
  readonly masked: string;

  constructor(readonly text: string) {
    this.masked = mask(text);
  }

  /** Blocks at the top level of the file, or directly in `parent`'s body. */
  blocks(parent?: HclBlock): HclBlock[] {
    const from = parent ? parent.open + 1 : 0;
    const to = parent ? parent.close : this.text.length;
    const found: HclBlock[] = [];
    let depth = 0;
    let header: { type: string; labels: string[]; start: number; open: number } | undefined;
    for (let i = from; i < to; i++) {
      const c = this.masked[i];
      if (c === '{' || c === '[' || c === '(') {
        if (depth === 0 && c === '{') {
          const start = Math.max(from, this.masked.lastIndexOf('\n', i - 1) + 1);
          const m = /^\s*([A-Za-z_][\w-]*)((?:\s+"[^"\n]*")*)\s*$/.exec(this.text.slice(start, i));
          header = m
            ? { type: m[1], labels: [...m[2].matchAll(/"([^"\n]*)"/g)].map((l) => l[1]), start, open: i }
            : undefined;
        }
        depth++;
      } else if (c === '}' || c === ']' || c === ')') {
        depth--;
        if (depth === 0 && header) {
          found.push({ ...header, close: i });
          header = undefined;
        }
      }
    }
    return found;
  }

  /** Attributes directly in a block's body. */
  attributes(block: HclBlock): HclAttribute[] {
    const found: HclAttribute[] = [];
    const head = /[ \t]*([A-Za-z_][\w-]*)[ \t]*=(?!=)/y;
    let depth = 0;
    let current: { name: string; exprStart: number } | undefined;
    for (let i = block.open + 1; i < block.close; i++) {
      const c = this.masked[i];
      if (depth === 0 && !current && this.masked[i - 1] === '\n') {
        head.lastIndex = i;
        const m = head.exec(this.masked);
        if (m) current = { name: m[1], exprStart: i + m[0].length };
      }
      if (c === '{' || c === '[' || c === '(') depth++;
      else if (c === '}' || c === ']' || c === ')') depth--;
      else if (c === '\n' && depth === 0 && current) {
        found.push({ ...current, end: i });
        current = undefined;
      }
    }
    if (current) found.push({ ...current, end: block.close });
    return found;
  }

  /** True when the block's body holds attributes only (and blank lines). */
  onlyAttributes(block: HclBlock): boolean {
    const spans = this.attributes(block).map((a) => [a.exprStart, a.end]);
    let rest = '';
    let at = block.open + 1;
    for (const [from, to] of spans) {
      rest += this.masked.slice(at, from).replace(/[A-Za-z_][\w-]*[ \t]*=\s*$/, '');
      at = to;
    }
    rest += this.masked.slice(at, block.close);
    return rest.trim() === '';
  }

  expression(attribute: HclAttribute): string {
    return this.text.slice(attribute.exprStart, attribute.end).trim();
  }

  /** An edit deleting a whole block, with the line break after it. */
  removal(block: HclBlock): Edit {
    const end = this.text[block.close + 1] === '\n' ? block.close + 2 : block.close + 1;
    return { from: block.start, to: end, text: '' };
  }
}

/** Blanks what is inside strings, heredocs and comments (keeping line breaks, except in heredocs). */
function mask(text: string): string {
  const out = text.split('');
  // Open strings and, within them, `${…}`/`%{…}` sequences with their bracket depth.
  const nesting: ('string' | number)[] = [];
  let i = 0;
  const blank = (n: number, lineBreaks = false) => {
    for (const end = Math.min(i + n, text.length); i < end; i++) if (lineBreaks || out[i] !== '\n') out[i] = ' ';
  };
  const keep = (n: number) => {
    i += n;
  };
  while (i < text.length) {
    const c = text[i];
    const next = text[i + 1];
    const top = nesting[nesting.length - 1];
    if (top === 'string') {
      if (c === '\\') blank(2);
      else if (c === '"') {
        nesting.pop();
        if (nesting.length > 0) blank(1);
        else keep(1);
      } else if ((c === '$' || c === '%') && next === c && text[i + 2] === '{') blank(3);
      else if ((c === '$' || c === '%') && next === '{') {
        nesting.push(0);
        blank(2);
      } else blank(1);
      continue;
    }
    if (c === '"') {
      if (nesting.length > 0) blank(1);
      else keep(1);
      nesting.push('string');
      continue;
    }
    if (c === '#' || (c === '/' && next === '/')) {
      const end = text.indexOf('\n', i);
      blank((end < 0 ? text.length : end) - i);
      continue;
    }
    if (c === '/' && next === '*') {
      const end = text.indexOf('*/', i + 2);
      blank((end < 0 ? text.length : end + 2) - i);
      continue;
    }
    const heredoc = c === '<' && next === '<' ? /^<<-?([A-Za-z_][\w-]*)\r?\n/.exec(text.slice(i, i + 256)) : null;
    if (heredoc) {
      const bodyStart = i + heredoc[0].length;
      const close = new RegExp(`^[ \\t]*${heredoc[1]}[ \\t]*$`, 'm').exec(text.slice(bodyStart));
      // A heredoc becomes one (blank) line, so that line-based scanning sees it as one expression.
      blank((close ? bodyStart + close.index + close[0].length : text.length) - i, true);
      continue;
    }
    if (typeof top === 'number') {
      if (c === '{' || c === '[' || c === '(') nesting[nesting.length - 1] = top + 1;
      else if (c === '}' && top === 0) nesting.pop();
      else if (c === '}' || c === ']' || c === ')') nesting[nesting.length - 1] = top - 1;
      blank(1);
      continue;
    }
    keep(1);
  }
  return out.join('');
}
