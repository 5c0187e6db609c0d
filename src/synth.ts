import { TerraformStack } from 'cdktf';
import { buildPlatform } from './app';
import { synthAtomicallyAsync } from './cdktf-workarounds';
import { writeSynthMarker } from './cli/synth-marker';
import { writeAcceptedRisks, type AcceptedRisk } from './policy/accepted-risks';
import { acceptedFindings } from './policy/policy-aspect';
import type { PlatformPlan } from './plan/types';
import type * as Readiness from './readiness';
import { ReadinessError } from './readiness/errors';
import type { ReadinessInput, TerraformJson } from './readiness/types';

export interface SynthOptions {
  /** Where cdktf expects the output (CDKTF_OUTDIR). */
  readonly outdir: string;
  readonly hclOutput: boolean;
}

/**
 * Synthesizes the platform into `outdir`. cdktf writes its output in place, so the App synthesizes
 * into a staging folder that is committed only once the whole app synthesized and validated and the
 * deploy-readiness check (src/readiness: data paths open, workload IAM allows its calls, Kubernetes
 * objects fit the installed APIs, tool identifiers exist) found nothing (`synthAtomicallyAsync` in
 * ./cdktf-workarounds: a failure never leaves a half-overwritten cdktf.out, a JSON synth after an
 * HCL one leaves no stale cdk.tf behind, terraform's own files stay). The output records its
 * environment and format (platform.json, ./cli/synth-marker.ts) for the tools.
 *
 * Returns what the readiness check proved; throws a ReadinessError listing every finding.
 */
export async function synthesizePlatform(
  plan: PlatformPlan,
  options: SynthOptions,
): Promise<Readiness.ReadinessReport> {
  let report: Readiness.ReadinessReport | undefined;
  await synthAtomicallyAsync(options.outdir, async (staging) => {
    const { app } = buildPlatform(plan, { outdir: staging, hclOutput: options.hclOutput });
    app.synth();
    const input: ReadinessInput = { plan, stacks: synthesizedStacks(app.node.children) };
    // Loaded once the synth is done (its libraries are large: the IAM action data, the schemas).
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    report = await (require('./readiness') as typeof Readiness).checkReadiness(input);
    if (report.findings.length > 0) throw new ReadinessError(report.findings);
    writeSynthMarker(staging, { environment: plan.environment, hcl: options.hclOutput });
    writeAcceptedRisks(staging, acceptedRisks(app.node.children));
  });
  return report!;
}

/** What the policy pack's suppressions accepted in each stack (for `npm run report`). */
function acceptedRisks(children: readonly unknown[]): AcceptedRisk[] {
  return children
    .filter((c): c is TerraformStack => c instanceof TerraformStack)
    .flatMap((stack) =>
      acceptedFindings(stack).map((f) => ({
        stack: stack.node.id,
        ruleId: f.ruleId,
        address: f.address,
        suppressedAt: f.suppressedAt,
        reason: f.reason,
      })),
    );
}

/** Each stack's Terraform JSON, as synthesized (the stacks keep their resolved JSON). */
function synthesizedStacks(children: readonly unknown[]): Record<string, TerraformJson> {
  return Object.fromEntries(
    children
      .filter((c): c is TerraformStack => c instanceof TerraformStack)
      .map((stack) => [stack.node.id, stack.toTerraform() as TerraformJson]),
  );
}
