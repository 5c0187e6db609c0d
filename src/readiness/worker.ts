// The readiness check in a worker thread: it loads its libraries (the IAM simulator's action data,
// the Kubernetes schemas) while the main thread synthesizes, then checks the stacks it is sent.
// Started by src/synth.ts (`readiness: 'worker'`); the main thread's `--import tsx` is inherited.
// The plan holds functions (naming rules), which a message cannot carry: the worker resolves it again
// from the same configuration (pure and deterministic, a few milliseconds).
import { parentPort } from 'node:worker_threads';
import type { PlatformConfig } from '../config/types';
import { resolvePlan } from '../plan/resolve';
import { checkReadiness } from './index';
import type { TerraformJson } from './types';

/** What src/synth.ts sends: the configuration the plan was resolved from, and the synthesized stacks. */
export interface ReadinessRequest {
  readonly config: PlatformConfig;
  readonly stacks: Record<string, TerraformJson>;
}

parentPort!.once('message', ({ config, stacks }: ReadinessRequest) => {
  checkReadiness({ plan: resolvePlan(config), stacks }).then(
    (report) => parentPort!.postMessage({ report }),
    (error: unknown) =>
      parentPort!.postMessage({ error: error instanceof Error ? (error.stack ?? error.message) : String(error) }),
  );
});
