import { buildSync } from 'esbuild';
import { cached, lockfileContents } from '../common/build-cache';
import type { KafkaConnect } from '@kubernetes-models/strimzi-kafka-operator/kafka.strimzi.io/v1/KafkaConnect';
import type { KafkaConnector } from '@kubernetes-models/strimzi-kafka-operator/kafka.strimzi.io/v1/KafkaConnector';
import type { KafkaMirrorMaker2 } from '@kubernetes-models/strimzi-kafka-operator/kafka.strimzi.io/v1/KafkaMirrorMaker2';

/** The API group of the Strimzi custom resources. */
export const STRIMZI_GROUP = 'kafka.strimzi.io';

/** How the `v1` schema of a Strimzi release compares with the schema the models validate against. */
export type ModelSchemaMatch =
  /** The release's CRDs have exactly the models' `v1` schema (KafkaMirrorMaker2, KafkaConnect, KafkaConnector). */
  | 'same'
  /** The release only adds optional fields: what the models accept, it accepts. */
  | 'adds-fields'
  /** The `v1` shape differs (0.49-0.51: e.g. `spec.rack.topologyKey` required): the models prove nothing. */
  | 'differs'
  /** The release serves no `v1`. */
  | 'none';

export interface StrimziRelease {
  /** `kafka.strimzi.io` versions the release's CRDs serve for KafkaMirrorMaker2, KafkaConnect, KafkaConnector. */
  readonly served: readonly string[];
  readonly modelSchema: ModelSchemaMatch;
}

/**
 * Strimzi operator releases (= `strimzi-kafka-operator` chart versions, oci://quay.io/strimzi-helm) and
 * the `kafka.strimzi.io` versions their CRDs serve. Confirmed in the operator's repository
 * (github.com/strimzi/strimzi-kafka-operator) at each release tag: `served: true` entries of
 * packaging/helm-charts/helm3/strimzi-kafka-operator/crds/04{1,7,8}-Crd-*.yaml, the tag's
 * release.version and CHANGELOG.md ("0.49.0: Introduce the v1 API", "1.0.0: Remove the v1beta2 API").
 * `modelSchema` compares each release's `v1` schema of those three CRDs (descriptions ignored) with
 * @kubernetes-models/strimzi-kafka-operator 1.0.1, which is generated from the Strimzi 1.0.0 CRDs.
 * A release not listed here cannot be pinned: confirm it the same way and add it (docs/chart-versions.md).
 */
export const STRIMZI_RELEASES: Readonly<Record<string, StrimziRelease>> = {
  '0.47.0': { served: ['v1beta2'], modelSchema: 'none' },
  '0.48.0': { served: ['v1beta2'], modelSchema: 'none' },
  '0.49.0': { served: ['v1', 'v1beta2'], modelSchema: 'differs' },
  '0.49.1': { served: ['v1', 'v1beta2'], modelSchema: 'differs' },
  '0.50.0': { served: ['v1', 'v1beta2'], modelSchema: 'differs' },
  '0.50.1': { served: ['v1', 'v1beta2'], modelSchema: 'differs' },
  '0.51.0': { served: ['v1', 'v1beta2'], modelSchema: 'differs' },
  '1.0.0': { served: ['v1'], modelSchema: 'same' },
  '1.0.1': { served: ['v1'], modelSchema: 'same' },
  '1.1.0': { served: ['v1'], modelSchema: 'adds-fields' },
  '1.2.0': { served: ['v1'], modelSchema: 'adds-fields' },
};

/**
 * Why a Strimzi object cannot be applied to a cluster running `operatorVersion`, or undefined when its
 * apiVersion is served and the models validate the schema that release installs.
 */
export function strimziVersionProblem(operatorVersion: string, apiVersion: string): string | undefined {
  const release = STRIMZI_RELEASES[operatorVersion];
  if (!release) {
    return (
      `Strimzi operator ${operatorVersion} is not in STRIMZI_RELEASES (modules/msk/strimzi-models.ts): ` +
      `confirm which kafka.strimzi.io versions it serves and add it (known: ${Object.keys(STRIMZI_RELEASES).join(', ')})`
    );
  }
  const [group, version] = apiVersion.split('/');
  if (group !== STRIMZI_GROUP || !version) return `apiVersion ${apiVersion} is not a ${STRIMZI_GROUP} version`;
  if (!release.served.includes(version)) {
    return (
      `apiVersion ${apiVersion} is not served by the pinned Strimzi operator ${operatorVersion} ` +
      `(it serves ${release.served.map((v) => `${STRIMZI_GROUP}/${v}`).join(', ')})`
    );
  }
  if (version !== 'v1')
    return `no ${apiVersion} models in this project: only ${STRIMZI_GROUP}/v1 objects can be validated`;
  if (release.modelSchema === 'differs') {
    return (
      `Strimzi ${operatorVersion} serves a different ${apiVersion} schema than the models ` +
      `(@kubernetes-models/strimzi-kafka-operator, Strimzi 1.0.0 CRDs): pin a release whose modelSchema is 'same'`
    );
  }
  return undefined;
}

/** Throws, naming each object, when the pinned operator cannot take these Strimzi objects. */
export function assertServedByOperator(
  operatorVersion: string,
  objects: readonly { apiVersion: string; kind: string; metadata?: { name?: string } }[],
): void {
  const problems = objects
    .filter((o) => o.apiVersion.startsWith(`${STRIMZI_GROUP}/`))
    .flatMap((o) => {
      const problem = strimziVersionProblem(operatorVersion, o.apiVersion);
      return problem ? [`${o.kind} ${o.metadata?.name ?? '(unnamed)'}: ${problem}`] : [];
    });
  if (problems.length > 0) throw new Error(problems.join('\n'));
}

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
  loaded ??= requireEsmBundle<StrimziV1>(
    'strimzi-models',
    "export { KafkaMirrorMaker2, KafkaConnect, KafkaConnector } from '@kubernetes-models/strimzi-kafka-operator/kafka.strimzi.io/v1';",
  );
  return loaded;
}

/**
 * Re-bundles `entrySource` (ES module re-exports of installed, lockfile-pinned packages) as CommonJS
 * with esbuild, offline, cached by the lockfile, and evaluates it. For the ESM-only model packages.
 */
export function requireEsmBundle<T>(cacheName: string, entrySource: string): T {
  const source = cached(cacheName, [lockfileContents(), BUNDLE_OPTIONS, entrySource], () =>
    Buffer.from(bundle(entrySource)),
  ).toString('utf8');
  const mod = { exports: {} as T };
  // The bundle is generated from installed, lockfile-pinned packages (see bundle).
  new Function('module', 'exports', 'require', source)(mod, mod.exports, require);
  return mod.exports;
}

/**
 * re2-wasm (the validators' regular expressions) stays an ordinary `require`: it finds its .wasm file
 * next to itself through `__dirname`, which a bundle evaluated here does not have.
 */
const EXTERNAL = ['re2-wasm'];
/** Part of the cache key: a change of the bundle options must not reuse an old bundle. */
const BUNDLE_OPTIONS = JSON.stringify({ external: EXTERNAL, target: 'node20' });

function bundle(contents: string): string {
  const result = buildSync({
    stdin: { contents, resolveDir: __dirname, loader: 'js' },
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    conditions: ['import'],
    external: EXTERNAL,
    write: false,
    logLevel: 'silent',
  });
  return result.outputFiles[0].text;
}
