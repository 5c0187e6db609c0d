/**
 * Synth-time performance switches for the cdktf runtime.
 *
 * cdktf records a full JavaScript stack trace for every token it creates (`creationStack`), only to
 * quote it if that token later fails to resolve. A platform synth creates tens of thousands of
 * tokens, and capturing (and, with source maps on, formatting) those traces is a third of the synth
 * time (PLATFORM_DEBUG=1 keeps them). cdktf 0.21 is the final release, so its internal module layout is stable; if the module is
 * ever missing the switch does nothing.
 */
export function disableTokenStackTraces(): void {
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const stackTrace = require('cdktf/lib/tokens/private/stack-trace') as { captureStackTrace: () => string[] };
    stackTrace.captureStackTrace = () => [];
  } catch {
    // A different cdktf layout: keep its default behaviour.
  }
}
