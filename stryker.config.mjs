// Mutation testing of the logic layers (docs/testing.md). `npm run test:mutation` runs
// test/support/mutation.mjs, which runs Stryker once per layer (MUTATION_LAYER) and prints the
// score table; `npm run test:mutation -- dr` runs one layer. Not part of `npm test`: a full run
// takes hours on two cores; .github/workflows/mutation.yml runs it on pull requests touching these
// layers and nightly.
//
// Each layer is judged by its own fast suites only (a mutant another layer's suite happens to kill
// does not count), which also keeps a run affordable: a mutant in code the suites run while they
// load (a rule table, a plan computed in a describe block) is "static" and reruns every suite of
// the layer.
//
// Incremental: a run reuses the previous verdicts of mutants whose code and covering tests did not
// change, so a rerun after an edit tests only what changed. Each layer keeps its own file.

import { LAYERS } from './test/support/mutation-layers.mjs';

const layer = process.env.MUTATION_LAYER;
if (!(layer in LAYERS)) {
  throw new Error(
    `MUTATION_LAYER=${layer ?? ''}: expected one of ${Object.keys(LAYERS).join(', ')} (npm run test:mutation sets it)`,
  );
}

/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  packageManager: 'npm',
  testRunner: 'jest',
  // ./test/support/mutation-survivors.mjs: each survivor in reports/mutation/<layer>.survivors.txt as it is found.
  plugins: ['@stryker-mutator/jest-runner', './test/support/mutation-survivors.mjs'],
  jest: {
    projectType: 'custom',
    configFile: 'stryker.jest.config.js',
    config: { testMatch: LAYERS[layer].tests.map((glob) => `<rootDir>/${glob}`) },
    enableFindRelatedTests: false,
  },
  // Each mutant runs only the tests that executed its code.
  coverageAnalysis: 'perTest',
  mutate: LAYERS[layer].mutate,
  incremental: true,
  incrementalFile: `reports/mutation/${layer}.incremental.json`,
  thresholds: { high: 90, low: 85, break: 80 },
  // A mutant's run may take this much longer than the same tests took unmutated before it counts as
  // timed out (a loop the mutant made endless): generous, the machines running it are shared.
  timeoutMS: 15000,
  reporters: ['clear-text', 'progress', 'html', 'json', 'survivors'],
  htmlReporter: { fileName: `reports/mutation/${layer}.html` },
  jsonReporter: { fileName: `reports/mutation/${layer}.json` },
  clearTextReporter: { allowColor: false, logTests: false, maxTestsToLog: 0 },
  tempDirName: '.stryker-tmp',
  // The sandbox copy needs the sources and tests, not synth output or charts.
  ignorePatterns: ['cdktf.out*', 'reports', 'coverage', '.terraform', 'bench', 'charts'],
  // Type errors of a mutant are caught by the test run itself (swc strips types); no checker.
  checkers: [],
};
