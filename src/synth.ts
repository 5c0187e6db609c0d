import { buildPlatform } from './app';
import { synthAtomically } from './cdktf-workarounds';
import { writeSynthMarker } from './cli/synth-marker';
import type { PlatformPlan } from './plan/types';

export interface SynthOptions {
  /** Where cdktf expects the output (CDKTF_OUTDIR). */
  readonly outdir: string;
  readonly hclOutput: boolean;
}

/**
 * Synthesizes the platform into `outdir`. cdktf writes its output in place, so the App synthesizes
 * into a staging folder that is committed only once the whole app synthesized and validated
 * (`synthAtomically` in ./cdktf-workarounds: a failure never leaves a half-overwritten cdktf.out,
 * a JSON synth after an HCL one leaves no stale cdk.tf behind, terraform's own files stay). The
 * output records its environment and format (platform.json, ./cli/synth-marker.ts) for the tools.
 */
export function synthesizePlatform(plan: PlatformPlan, options: SynthOptions): void {
  synthAtomically(options.outdir, (staging) => {
    buildPlatform(plan, { outdir: staging, hclOutput: options.hclOutput }).app.synth();
    writeSynthMarker(staging, { environment: plan.environment, hcl: options.hclOutput });
  });
}
