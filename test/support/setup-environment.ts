/**
 * The suite's test environment: jest's node environment, plus a prompt exit of each jest worker.
 *
 * Why: when the run ends, jest-worker asks every worker to end and force-kills one still alive
 * 500 ms later, printing "A worker process has failed to exit gracefully and has been force
 * exited ... tests leaking due to improper teardown" (jest-worker's FORCE_EXIT_DELAY, not
 * configurable). Measured here with a --require hook in each worker: no handle is left open, the
 * worker reaches its 'exit' event 10-20 ms after the end request. What takes longer is Node's own
 * teardown after that event (freeing an isolate that synthesized the platform, a few hundred MB):
 * 0.75-1.1 s on a loaded 2-core machine for a 500 MB heap, 0.35-0.5 s when the process exits at the
 * 'exit' event instead. So each worker process exits at its 'exit' event: the exit code is
 * final by then, results have been sent, and nothing else runs afterwards anyway.
 *
 * Runs in the worker's own context (unlike setupFiles, which run in the sandbox of a test file
 * and see a copy of `process`); installed once per process.
 */
import { TestEnvironment } from 'jest-environment-node';

const INSTALLED = Symbol.for('mrp.promptWorkerExit');

function exitPromptly(): void {
  const real = process as NodeJS.Process & { [INSTALLED]?: true };
  // Only in a jest-worker child (it talks to jest over IPC); never in a run in band.
  if (real[INSTALLED] || typeof real.send !== 'function') return;
  real[INSTALLED] = true;
  const earlier = new Set(real.listeners('exit'));
  const promptExit = (code: number) => {
    // Listeners added after this one have not run yet: run them first (there are none today).
    for (const listener of real.listeners('exit'))
      if (listener !== promptExit && !earlier.has(listener)) (listener as (code: number) => void).call(real, code);
    // Inside an 'exit' listener, process.exit() skips the event (already emitted) and ends the
    // process at once with the same code.
    real.exit(code);
  };
  real.on('exit', promptExit);
}

export default class PlatformTestEnvironment extends TestEnvironment {
  constructor(...args: ConstructorParameters<typeof TestEnvironment>) {
    super(...args);
    exitPromptly();
  }
}
