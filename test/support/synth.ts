import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildPlatform, type Platform } from '../../src/app';
import type { PlatformConfig } from '../../src/config/types';
import { resolvePlan } from '../../src/plan/resolve';

/** Synthesized Terraform JSON of one stack. */
export interface StackJson {
  terraform: { backend?: Record<string, Record<string, unknown>>; required_providers: Record<string, unknown> };
  provider?: Record<string, Record<string, unknown>[]>;
  resource?: Record<string, Record<string, Record<string, unknown>>>;
  data?: Record<string, Record<string, Record<string, unknown>>>;
  output?: Record<string, { value: unknown }>;
}

export interface SynthResult {
  readonly platform: Platform;
  readonly outdir: string;
  /** Stack ids in the manifest. */
  readonly stackIds: string[];
  stack(id: string): StackJson;
}

/** A fresh folder under the OS temp dir (this run's root, see global-setup.js). */
export function tempDir(label: string): string {
  return mkdtempSync(join(tmpdir(), `mrp-test-${label}-`));
}

/** Synthesizes the whole app once into a temp folder and reads stacks back from disk. */
export function synthPlatform(config: PlatformConfig, options: { hclOutput?: boolean } = {}): SynthResult {
  const outdir = tempDir('synth');
  const platform = buildPlatform(resolvePlan(config), { outdir, hclOutput: options.hclOutput ?? false });
  platform.app.synth();
  const manifest = JSON.parse(readFileSync(join(outdir, 'manifest.json'), 'utf8')) as {
    stacks: Record<string, { synthesizedStackPath: string }>;
  };
  const cache = new Map<string, StackJson>();
  return {
    platform,
    outdir,
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
