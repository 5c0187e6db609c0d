// The platform with ten regions (production plus seven catalog regions), run like main.ts.
import type * as Load from '../src/config/load';
import type * as Scale from '../src/config/scale';
import type * as App from '../src/main';
import { prepareRuntime } from '../src/runtime';

prepareRuntime();
/* eslint-disable @typescript-eslint/no-require-imports */
const { loadConfig } = require('../src/config/load') as typeof Load;
const { withExtraRegions } = require('../src/config/scale') as typeof Scale;
const { main } = require('../src/main') as typeof App;
/* eslint-enable @typescript-eslint/no-require-imports */

main([], () => withExtraRegions(loadConfig(), 7));
