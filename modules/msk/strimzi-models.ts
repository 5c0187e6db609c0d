import { buildSync } from 'esbuild';
import { cached, lockfileContents } from '../common/build-cache';
import type { KafkaConnect } from '@kubernetes-models/strimzi-kafka-operator/kafka.strimzi.io/v1/KafkaConnect';
import type { KafkaConnector } from '@kubernetes-models/strimzi-kafka-operator/kafka.strimzi.io/v1/KafkaConnector';
import type { KafkaMirrorMaker2 } from '@kubernetes-models/strimzi-kafka-operator/kafka.strimzi.io/v1/KafkaMirrorMaker2';

/** The typed Strimzi `kafka.strimzi.io/v1` models used here; each validates against the CRD schema. */
export interface StrimziV1 {
  readonly KafkaMirrorMaker2: typeof KafkaMirrorMaker2;
  readonly KafkaConnect: typeof KafkaConnect;
  readonly KafkaConnector: typeof KafkaConnector;
}

let loaded: StrimziV1 | undefined;

/**
 * Loads @kubernetes-models/strimzi-kafka-operator, which ships ES modules behind an `import`-only
 * `exports` map that a CommonJS program (this app, Jest) cannot `require`. esbuild (offline, from
 * node_modules) re-bundles the three models and their validators as CommonJS once per process.
 */
export function strimziV1(): StrimziV1 {
  if (loaded) return loaded;
  const source = cached('strimzi-models', [lockfileContents()], () => Buffer.from(bundleModels())).toString('utf8');
  const mod = { exports: {} as StrimziV1 };
  // The bundle is generated from installed, lockfile-pinned packages (see bundleModels).
  new Function('module', 'exports', 'require', source)(mod, mod.exports, require);
  loaded = mod.exports;
  return loaded;
}

function bundleModels(): string {
  const result = buildSync({
    stdin: {
      contents:
        "export { KafkaMirrorMaker2, KafkaConnect, KafkaConnector } from '@kubernetes-models/strimzi-kafka-operator/kafka.strimzi.io/v1';",
      resolveDir: __dirname,
      loader: 'js',
    },
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    conditions: ['import'],
    write: false,
    logLevel: 'silent',
  });
  return result.outputFiles[0].text;
}
