/**
 * Differences between two synthesized apps (cdktf.out trees), per stack and per block, for review
 * without cloud credentials. Pure: callers read the trees (readSynthTree) and print the Markdown.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** Terraform JSON of one stack, as cdktf writes it to cdk.tf.json. */
export type StackDocument = Readonly<Record<string, unknown>>;

/** A synthesized app: stack id -> its Terraform JSON. */
export type SynthTree = ReadonlyMap<string, StackDocument>;

/** Reads every stack of a JSON synth (`cdktf.out`) through its manifest. */
export function readSynthTree(outdir: string): SynthTree {
  const manifest = JSON.parse(readFileSync(join(outdir, 'manifest.json'), 'utf8')) as {
    stacks: Record<string, { synthesizedStackPath: string }>;
  };
  const tree = new Map<string, StackDocument>();
  for (const [id, entry] of Object.entries(manifest.stacks)) {
    if (!entry.synthesizedStackPath.endsWith('.json')) {
      throw new Error(`stack ${id} was synthesized as HCL (${entry.synthesizedStackPath}); the diff reads JSON output`);
    }
    tree.set(id, JSON.parse(readFileSync(join(outdir, entry.synthesizedStackPath), 'utf8')) as StackDocument);
  }
  return tree;
}

/** One changed value inside a block: `path` like `tags.owner` or `ingress[0].cidr_blocks`. */
export interface AttributeChange {
  readonly path: string;
  /** Absent when the attribute was added. */
  readonly before?: unknown;
  /** Absent when the attribute was removed. */
  readonly after?: unknown;
}

/** A block that exists on both sides with different content. */
export interface BlockChange {
  readonly address: string;
  readonly attributes: readonly AttributeChange[];
}

export interface StackDiff {
  readonly stack: string;
  /** Block addresses: `aws_vpc.name`, `data.aws_iam_policy_document.name`, `output.name`, `provider.aws[1]`, `terraform`. */
  readonly added: readonly string[];
  readonly removed: readonly string[];
  readonly changed: readonly BlockChange[];
}

export interface SynthDiff {
  readonly stacksAdded: readonly string[];
  readonly stacksRemoved: readonly string[];
  /** Stacks present on both sides with at least one difference, sorted by id. */
  readonly stacks: readonly StackDiff[];
}

/** cdktf's metadata blocks (construct paths, unique ids, stack metadata): not infrastructure. */
const METADATA_KEY = '//';

/**
 * Splits a stack document into addressable blocks, like Terraform addresses them:
 * resources, data sources, outputs, variables, locals, modules, providers (by position, with the
 * alias when there is one) and the `terraform` settings (backend, required providers).
 */
export function stackBlocks(document: StackDocument): Map<string, unknown> {
  const blocks = new Map<string, unknown>();
  for (const [kind, body] of Object.entries(document)) {
    if (kind === METADATA_KEY || body === null || typeof body !== 'object') continue;
    const byName = body as Record<string, unknown>;
    switch (kind) {
      case 'resource':
      case 'data':
        for (const [type, instances] of Object.entries(byName)) {
          for (const [name, block] of Object.entries(instances as Record<string, unknown>)) {
            blocks.set(`${kind === 'data' ? 'data.' : ''}${type}.${name}`, block);
          }
        }
        break;
      case 'provider':
        for (const [name, configs] of Object.entries(byName)) {
          const list = Array.isArray(configs) ? configs : [configs];
          for (const config of list as Record<string, unknown>[]) {
            const alias = typeof config?.alias === 'string' ? `.${config.alias}` : '';
            blocks.set(`provider.${name}${alias}`, config);
          }
        }
        break;
      case 'terraform':
        blocks.set('terraform', body);
        break;
      default:
        for (const [name, block] of Object.entries(byName)) blocks.set(`${kind}.${name}`, block);
    }
  }
  return blocks;
}

/** Removes cdktf metadata (`//` keys) at every depth. */
function stripMetadata(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(stripMetadata);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.entries(value as Record<string, unknown>)
      .filter(([key]) => key !== METADATA_KEY)
      .map(([key, inner]) => [key, stripMetadata(inner)]),
  );
}

const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

function joinPath(path: string, key: string | number): string {
  if (typeof key === 'number') return `${path}[${key}]`;
  const part = /^[A-Za-z_][A-Za-z0-9_-]*$/.test(key) ? key : JSON.stringify(key);
  return path ? `${path}.${part}` : part;
}

/** Leaf-level differences between two JSON values; objects by key, arrays by position. */
export function diffValues(before: unknown, after: unknown, path = ''): AttributeChange[] {
  if (isObject(before) && isObject(after)) {
    const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])].sort();
    return keys.flatMap((key) => {
      const at = joinPath(path, key);
      if (!(key in after)) return [{ path: at, before: before[key] }];
      if (!(key in before)) return [{ path: at, after: after[key] }];
      return diffValues(before[key], after[key], at);
    });
  }
  if (Array.isArray(before) && Array.isArray(after)) {
    const changes: AttributeChange[] = [];
    for (let i = 0; i < Math.max(before.length, after.length); i++) {
      const at = joinPath(path, i);
      if (i >= after.length) changes.push({ path: at, before: before[i] });
      else if (i >= before.length) changes.push({ path: at, after: after[i] });
      else changes.push(...diffValues(before[i], after[i], at));
    }
    return changes;
  }
  return JSON.stringify(before) === JSON.stringify(after) ? [] : [{ path: path || '(value)', before, after }];
}

/** Block-level differences of one stack present on both sides. */
export function diffStack(stack: string, before: StackDocument, after: StackDocument): StackDiff {
  const a = stackBlocks(before);
  const b = stackBlocks(after);
  const added = [...b.keys()].filter((k) => !a.has(k)).sort();
  const removed = [...a.keys()].filter((k) => !b.has(k)).sort();
  const changed = [...a.keys()]
    .filter((k) => b.has(k))
    .sort()
    .map((address) => ({
      address,
      attributes: diffValues(stripMetadata(a.get(address)), stripMetadata(b.get(address))),
    }))
    .filter((c) => c.attributes.length > 0);
  return { stack, added, removed, changed };
}

export function diffSynth(before: SynthTree, after: SynthTree): SynthDiff {
  const stacksAdded = [...after.keys()].filter((id) => !before.has(id)).sort();
  const stacksRemoved = [...before.keys()].filter((id) => !after.has(id)).sort();
  const stacks = [...after.keys()]
    .filter((id) => before.has(id))
    .sort()
    .map((id) => diffStack(id, before.get(id)!, after.get(id)!))
    .filter((d) => d.added.length + d.removed.length + d.changed.length > 0);
  return { stacksAdded, stacksRemoved, stacks };
}

export function hasChanges(diff: SynthDiff): boolean {
  return diff.stacksAdded.length + diff.stacksRemoved.length + diff.stacks.length > 0;
}

/** One environment's diff, as rendered in a section of the report. */
export interface EnvironmentDiff {
  readonly environment: string;
  readonly diff: SynthDiff;
  /** Blocks of the stacks added (to list what they create). */
  readonly addedStackBlocks?: ReadonlyMap<string, readonly string[]>;
}

export interface ReportOptions {
  /** What the change is compared against, e.g. `origin/main`. */
  readonly base: string;
  /** What is compared, e.g. `working tree` or a commit. */
  readonly head: string;
  /** Notes shown above the diff (e.g. differing dependencies). */
  readonly notes?: readonly string[];
  /** GitHub comments hold at most 65536 characters. @default 60000 */
  readonly maxLength?: number;
  /** Attribute changes shown per block before eliding. @default 20 */
  readonly maxAttributesPerBlock?: number;
}

/** Marker the pipeline uses to find and update its earlier comment. */
export const REPORT_MARKER = '<!-- synth-diff -->';

function short(value: unknown): string {
  const text = value === undefined ? '' : JSON.stringify(value);
  const clipped = text.length > 80 ? `${text.slice(0, 77)}...` : text;
  return `\`${clipped.replace(/`/g, "'")}\``;
}

function describeChange(change: AttributeChange): string {
  if (!('before' in change) || change.before === undefined) return `\`${change.path}\`: added ${short(change.after)}`;
  if (!('after' in change) || change.after === undefined)
    return `\`${change.path}\`: removed (was ${short(change.before)})`;
  return `\`${change.path}\`: ${short(change.before)} → ${short(change.after)}`;
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/** Markdown for a pull-request comment. */
export function renderReport(environments: readonly EnvironmentDiff[], options: ReportOptions): string {
  const maxAttributes = options.maxAttributesPerBlock ?? 20;
  const lines: string[] = [REPORT_MARKER, `## Synth diff: \`${options.base}\` → \`${options.head}\``, ''];
  for (const note of options.notes ?? []) lines.push(`> ${note}`, '');
  if (environments.every((e) => !hasChanges(e.diff))) {
    lines.push(`No changes in the synthesized Terraform (${environments.map((e) => e.environment).join(', ')}).`);
    return lines.join('\n');
  }
  for (const { environment, diff, addedStackBlocks } of environments) {
    lines.push(`### ${environment}`, '');
    if (!hasChanges(diff)) {
      lines.push('No changes.', '');
      continue;
    }
    for (const id of diff.stacksAdded) {
      const blocks = addedStackBlocks?.get(id);
      lines.push(`- 🆕 stack \`${id}\` added${blocks ? ` (${plural(blocks.length, 'block')})` : ''}`);
    }
    for (const id of diff.stacksRemoved)
      lines.push(`- 🗑️ stack \`${id}\` removed: its resources are destroyed only by an explicit \`cdktf destroy\``);
    if (diff.stacksAdded.length + diff.stacksRemoved.length > 0) lines.push('');
    for (const stack of diff.stacks) {
      lines.push(
        `#### \`${stack.stack}\`: ${stack.added.length} added, ${stack.changed.length} changed, ${stack.removed.length} removed`,
        '',
      );
      for (const address of stack.added) lines.push(`- ➕ \`${address}\``);
      for (const change of stack.changed) {
        lines.push(`- ✏️ \`${change.address}\``);
        for (const attribute of change.attributes.slice(0, maxAttributes))
          lines.push(`  - ${describeChange(attribute)}`);
        if (change.attributes.length > maxAttributes) {
          lines.push(`  - … and ${plural(change.attributes.length - maxAttributes, 'more attribute')}`);
        }
      }
      for (const address of stack.removed) lines.push(`- ➖ \`${address}\``);
      lines.push('');
    }
  }
  return truncate(lines.join('\n').trimEnd(), options.maxLength ?? 60000);
}

function truncate(text: string, max: number): string {
  if (text.length <= max) return text;
  const note = '\n\n… report truncated: run `npm run synth:diff -- <base>` locally for the whole diff.';
  const cut = text.lastIndexOf('\n', max - note.length);
  return text.slice(0, cut > 0 ? cut : max - note.length) + note;
}
