// Light on purpose: the synth and its command line import this, while the checks and their libraries
// load only once a synth is done (src/synth.ts).
import type { Finding } from './types';

/**
 * The synth refuses output that would apply and then not work: each finding on a line of its own,
 * naming the check, what is at fault and why. Like a ConfigError, a person can act on it: exit 1
 * and no stack trace.
 */
export class ReadinessError extends Error {
  constructor(readonly findings: readonly Finding[]) {
    super(
      [
        `Deploy-readiness check failed (${findings.length} problem${findings.length === 1 ? '' : 's'}); nothing was written:`,
        ...findings.map((f) => `  - [${f.check}] ${f.subject}: ${f.problem}`),
        'See docs/architecture.md, "Deploy-readiness check".',
      ].join('\n'),
    );
    this.name = 'ReadinessError';
  }
}
