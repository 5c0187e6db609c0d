// Runs before each test file's modules load: the same synth-time switch the CLI uses
// (src/performance.ts), so the many in-process synths of the suite stay fast.
import { disableTokenStackTraces } from '../../src/performance';

disableTokenStackTraces();
