/**
 * The record a synth leaves in its output folder (`cdktf.out/platform.json`): which environment
 * and which format the folder holds. Production and staging synthesize into the same cdktf.out,
 * so the operator commands that read it (./synth-output.ts) check this against PLATFORM_ENV
 * instead of acting on the other environment's stacks. Written by src/synth.ts, inside the
 * atomic commit of the output; kept to node:fs so the synth loads nothing more.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

export const SYNTH_MARKER_FILE = 'platform.json';

export interface SynthMarker {
  /** The environment synthesized (PLATFORM_ENV at synth time). */
  readonly environment: string;
  /** HCL output (`cdk.tf`, `npm run synth:hcl`) rather than Terraform JSON (`cdk.tf.json`). */
  readonly hcl: boolean;
}

/** Writes the marker into `outdir`; byte-identical for the same environment and format. */
export function writeSynthMarker(outdir: string, marker: SynthMarker): void {
  const body: SynthMarker = { environment: marker.environment, hcl: marker.hcl };
  writeFileSync(join(outdir, SYNTH_MARKER_FILE), `${JSON.stringify(body, null, 2)}\n`);
}
