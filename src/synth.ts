import { TerraformStack } from 'cdktf';
import { Worker } from 'node:worker_threads';
import { join } from 'node:path';
import { buildPlatform } from './app';
import { synthAtomicallyAsync } from './cdktf-workarounds';
import { writeSynthMarker } from './cli/synth-marker';
import type { PlatformPlan } from './plan/types';
import { checkReadiness, ReadinessError, type ReadinessReport } from './readiness';
import type { ReadinessInput, TerraformJson } from './readiness/types';
import type { ReadinessRequest } from './readiness/worker';

export interface SynthOptions {
  /** Where cdktf expects the output (CDKTF_OUTDIR). */
  readonly outdir: string;
  readonly hclOutput: boolean;
  /**
   * Where the deploy-readiness check (src/readiness) runs: `inline` in this thread after the synth, or
   * `worker`: a worker thread loads the check's libraries while this thread synthesizes (the CLI's
   * choice: the check then adds little to the synth's time). Either way a finding fails the synth.
   * @default 'inline'
   */
  readonly readiness?: 'inline' | 'worker';
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
export async function synthesizePlatform(plan: PlatformPlan, options: SynthOptions): Promise<ReadinessReport> {
  const worker = options.readiness === 'worker' ? new ReadinessWorker() : undefined;
  try {
    let report: ReadinessReport | undefined;
    await synthAtomicallyAsync(options.outdir, async (staging) => {
      const { app } = buildPlatform(plan, { outdir: staging, hclOutput: options.hclOutput });
      app.synth();
      const input: ReadinessInput = { plan, stacks: synthesizedStacks(app.node.children) };
      report = worker ? await worker.check(input) : await checkReadiness(input);
      if (report.findings.length > 0) throw new ReadinessError(report.findings);
      writeSynthMarker(staging, { environment: plan.environment, hcl: options.hclOutput });
    });
    return report!;
  } finally {
    await worker?.stop();
  }
}

/** Each stack's Terraform JSON, as synthesized (the stacks keep their resolved JSON). */
function synthesizedStacks(children: readonly unknown[]): Record<string, TerraformJson> {
  return Object.fromEntries(
    children
      .filter((c): c is TerraformStack => c instanceof TerraformStack)
      .map((stack) => [stack.node.id, stack.toTerraform() as TerraformJson]),
  );
}

/** The readiness check in a worker thread (src/readiness/worker.ts), started before the synth. */
class ReadinessWorker {
  private readonly worker: Worker;
  private readonly answer: Promise<ReadinessReport>;

  constructor() {
    // The worker runs TypeScript the way this process does: through tsx's CommonJS hook.
    const source = [
      `require(${JSON.stringify(require.resolve('tsx/cjs/api'))}).register();`,
      `require(${JSON.stringify(join(__dirname, 'readiness', 'worker.ts'))});`,
    ].join('\n');
    this.worker = new Worker(source, { eval: true });
    this.answer = new Promise((resolve, reject) => {
      this.worker.once('error', reject);
      this.worker.once('exit', (code) => reject(new Error(`the readiness worker exited (${code}) before it answered`)));
      this.worker.once('message', (message: { report?: ReadinessReport; error?: string }) =>
        message.report ? resolve(message.report) : reject(new Error(`readiness worker: ${message.error}`)),
      );
    });
    // A synth that fails before it asks leaves the promise unobserved; its error is the synth's.
    this.answer.catch(() => undefined);
  }

  check(input: ReadinessInput): Promise<ReadinessReport> {
    const request: ReadinessRequest = { config: input.plan.config, stacks: { ...input.stacks } };
    this.worker.postMessage(request);
    return this.answer;
  }

  async stop(): Promise<void> {
    await this.worker.terminate();
  }
}
