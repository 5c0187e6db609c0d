// Runtime switches first (see src/runtime.ts), then the app: a static import would load it earlier.
import type * as App from './src/main';
import { prepareRuntime } from './src/runtime';

prepareRuntime();
// eslint-disable-next-line @typescript-eslint/no-require-imports
void (require('./src/main') as typeof App).main();
