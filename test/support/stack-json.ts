// The synthesized Terraform JSON of a stack and helpers to read it. No cdktf here: a test that only
// reads JSON (see ./shared-synth.ts) loads none of the app.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** Synthesized Terraform JSON of one stack. */
export interface StackJson {
  terraform: { backend?: Record<string, Record<string, unknown>>; required_providers: Record<string, unknown> };
  provider?: Record<string, Record<string, unknown>[]>;
  resource?: Record<string, Record<string, Record<string, unknown>>>;
  data?: Record<string, Record<string, Record<string, unknown>>>;
  output?: Record<string, { value: unknown }>;
}

/** The manifest.json of a synth: each stack's folder and the stacks it depends on. */
export interface Manifest {
  stacks: Record<string, { synthesizedStackPath: string; dependencies: string[] }>;
}

/** Bodies of every resource of a type in a stack. */
export function resources(stack: StackJson, type: string): Record<string, unknown>[] {
  return Object.values(stack.resource?.[type] ?? {});
}

/** Every resource of a stack with its type. */
export function allResources(stack: StackJson): { type: string; name: string; body: Record<string, unknown> }[] {
  return Object.entries(stack.resource ?? {}).flatMap(([type, byName]) =>
    Object.entries(byName).map(([name, body]) => ({ type, name, body })),
  );
}

/** Parses a JSON policy document attribute. */
export function policy(value: unknown): { Statement: Record<string, unknown>[] } {
  return JSON.parse(value as string) as { Statement: Record<string, unknown>[] };
}

/** A synth output folder read back from disk. */
export interface SynthOutput {
  readonly outdir: string;
  readonly manifest: Manifest;
  /** Stack ids in the manifest. */
  readonly stackIds: string[];
  stack(id: string): StackJson;
}

/** Reads the manifest of a synth output folder; stacks are read (once) when asked for. */
export function readSynthOutput(outdir: string): SynthOutput {
  const manifest = JSON.parse(readFileSync(join(outdir, 'manifest.json'), 'utf8')) as Manifest;
  const cache = new Map<string, StackJson>();
  return {
    outdir,
    manifest,
    stackIds: Object.keys(manifest.stacks),
    stack(id: string): StackJson {
      if (!cache.has(id)) {
        const entry = manifest.stacks[id];
        if (!entry) throw new Error(`no stack ${id} in ${Object.keys(manifest.stacks).join(', ')}`);
        cache.set(id, JSON.parse(readFileSync(join(outdir, entry.synthesizedStackPath), 'utf8')) as StackJson);
      }
      return cache.get(id)!;
    },
  };
}
