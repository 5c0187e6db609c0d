/**
 * Reading a synthesized output folder (cdktf.out) for the operator commands: it must exist, hold
 * the environment PLATFORM_ENV selects (./synth-marker.ts), and its stacks are read in either
 * format, Terraform JSON (`cdk.tf.json`) or HCL (`cdk.tf`, `npm run synth:hcl`).
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DEFAULT_ENVIRONMENT } from '../config/load';
import { CommandError } from './command';
import { SYNTH_MARKER_FILE, type SynthMarker } from './synth-marker';

export const DEFAULT_OUTDIR = 'cdktf.out';

/** The command that synthesizes `environment` into `outdir`, to quote in messages. */
export function synthCommand(environment: string, outdir: string = DEFAULT_OUTDIR, hcl = false): string {
  const env = environment === DEFAULT_ENVIRONMENT ? '' : `PLATFORM_ENV=${environment} `;
  const output = outdir.replace(/\/+$/, '') === DEFAULT_OUTDIR ? '' : ` -- --output ${outdir}`;
  return `${env}npm run synth${hcl ? ':hcl' : ''}${output}`;
}

export interface ManifestStack {
  readonly synthesizedStackPath: string;
  readonly dependencies?: readonly string[];
}

export interface SynthOutput {
  readonly outdir: string;
  readonly marker: SynthMarker;
  /** The text of manifest.json. */
  readonly manifestText: string;
  readonly stacks: Readonly<Record<string, ManifestStack>>;
}

/**
 * The output in `outdir`, refused with the command to run when it is missing, unmarked or holds
 * another environment than `environment`.
 */
export function readSynthOutput(outdir: string, environment: string): SynthOutput {
  const manifestFile = join(outdir, 'manifest.json');
  if (!existsSync(manifestFile)) {
    throw new CommandError(
      `no synthesized output in ${outdir} (${manifestFile} not found): run \`${synthCommand(environment, outdir)}\` first`,
    );
  }
  const markerFile = join(outdir, SYNTH_MARKER_FILE);
  if (!existsSync(markerFile)) {
    throw new CommandError(
      `${outdir} does not record which environment it holds (no ${SYNTH_MARKER_FILE}: synthesized by an older version of this project): run \`${synthCommand(environment, outdir)}\``,
    );
  }
  const marker = JSON.parse(readFileSync(markerFile, 'utf8')) as SynthMarker;
  if (marker.environment !== environment) {
    throw new CommandError(
      `${outdir} holds ${marker.environment}, but PLATFORM_ENV selects ${environment}: run \`${synthCommand(environment, outdir, marker.hcl)}\`, or set PLATFORM_ENV=${marker.environment} to use what is there`,
    );
  }
  const manifestText = readFileSync(manifestFile, 'utf8');
  const stacks = (JSON.parse(manifestText) as { stacks?: Record<string, ManifestStack> }).stacks ?? {};
  return { outdir, marker, manifestText, stacks };
}

/** The Terraform JSON `variable` blocks of a stack, from its JSON or HCL file. */
export function stackVariablesJson(output: SynthOutput, stackId: string): string {
  const entry = output.stacks[stackId];
  if (!entry) {
    throw new CommandError(
      `no synthesized stack ${stackId} in ${output.outdir}; it holds ${Object.keys(output.stacks).sort().join(', ') || 'no stack'}`,
    );
  }
  const file = join(output.outdir, entry.synthesizedStackPath);
  if (!existsSync(file)) {
    throw new CommandError(
      `${file} is missing although manifest.json lists it: run \`${synthCommand(output.marker.environment, output.outdir, output.marker.hcl)}\` again`,
    );
  }
  const text = readFileSync(file, 'utf8');
  if (file.endsWith('.json')) return text;
  return JSON.stringify({ variable: hclVariables(text) });
}

/** Top-level `variable "name" { ... }` blocks of HCL: whether each has a default and is ephemeral. */
export function hclVariables(text: string): Record<string, { default?: true; ephemeral?: boolean }> {
  const variables: Record<string, { default?: true; ephemeral?: boolean }> = {};
  let depth = 0;
  let current: { default?: true; ephemeral?: boolean } | undefined;
  let heredoc: string | undefined;
  for (const line of text.split('\n')) {
    if (heredoc !== undefined) {
      if (line.trim() === heredoc) heredoc = undefined;
      continue;
    }
    if (depth === 0) {
      const start = /^\s*variable\s+"([^"]+)"\s*\{/.exec(line);
      current = start ? (variables[start[1]] = {}) : undefined;
    } else if (depth === 1 && current) {
      if (/^\s*default\s*=/.test(line)) current.default = true;
      if (/^\s*ephemeral\s*=\s*true\s*$/.test(line)) current.ephemeral = true;
    }
    const marker = /<<-?\s*"?([A-Za-z_][A-Za-z0-9_]*)"?\s*$/.exec(stripStrings(line));
    depth += braceBalance(line);
    if (marker) heredoc = marker[1];
  }
  return variables;
}

/** The line with its string literals emptied (interpolations included). */
function stripStrings(line: string): string {
  return line.replace(/"(?:[^"\\]|\\.)*"/g, '""');
}

function braceBalance(line: string): number {
  const code = stripStrings(line).replace(/#.*$|\/\/.*$/, '');
  return (code.match(/\{/g) ?? []).length - (code.match(/\}/g) ?? []).length;
}
