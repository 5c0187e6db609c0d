// Runs before each test file's modules load.
import { disableTokenStackTraces } from '../../src/cdktf-workarounds';

// The same synth-time switch the CLI uses (src/cdktf-workarounds.ts), so the many in-process
// synths of the suite stay fast.
disableTokenStackTraces();

// The AWS SDK warns once per process, on the first client it creates, that its releases after
// January 2027 need Node >= 22 (@aws-sdk/core emitWarningIfUnsupportedVersion). The project's
// supported Node is 22 (package.json engines, CI); on an older Node the 9-line warning would
// repeat in every test worker and child process and says nothing about the code under test, so the
// suite silences it with the SDK's own switch. `npm run dr` keeps it (README, "Known warnings").
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
