// Runs before each test file's modules load: the same synth-time switch the CLI uses
// (src/cdktf-workarounds.ts), so the many in-process synths of the suite stay fast.
import { disableTokenStackTraces } from '../../src/cdktf-workarounds';

disableTokenStackTraces();
