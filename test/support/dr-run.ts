import { runDr, type CliDeps } from '../../src/dr/cli';
import { drClients, fakeClock } from './dr-mocks';

/**
 * Runs one `npm run dr` command in-process against the mocked clients (test/support/dr-mocks.ts)
 * on a clock that jumps on every sleep; returns the exit code and what went to stdout and stderr.
 */
export async function runDrCaptured(argv: readonly string[], deps: Omit<CliDeps, 'out' | 'err'> = {}) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runDr(argv, {
    env: {},
    clients: drClients,
    clock: fakeClock(),
    ...deps,
    out: (l) => out.push(l),
    err: (l) => err.push(l),
  });
  return { code, out: out.join('\n'), err: err.join('\n') };
}
