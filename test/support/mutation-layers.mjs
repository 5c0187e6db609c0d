// The logic layers mutation testing covers (stryker.config.mjs, test/support/mutation.mjs):
// per layer, the files Stryker mutates and the fast suites that judge them. Each layer is judged by
// its own suites only, so a mutant that another layer's suite kills by chance does not count.

/** Files mutated and suites run, per layer (`MUTATION_LAYER`). */
export const LAYERS = {
  config: {
    mutate: ['src/config/validate.ts', 'src/config/sections/*.ts'],
    tests: ['test/config*.test.ts', 'test/failover-budget.test.ts'],
  },
  plan: {
    mutate: [
      'src/plan/maintenance.ts',
      'src/plan/budget.ts',
      'src/plan/traffic.ts',
      'src/plan/resolve.ts',
      'src/plan/placement.ts',
      'src/plan/naming.ts',
    ],
    tests: ['test/plan/*.test.ts', 'test/failover-budget.test.ts'],
  },
  dr: {
    mutate: ['src/dr/*.ts', '!src/dr/main.ts'],
    tests: ['test/dr/*.test.ts', 'test/dr-drill-records.test.ts'],
  },
  policy: {
    mutate: ['src/policy/engine.ts', 'src/policy/attributes.ts', 'src/policy/statements.ts', 'src/policy/rules/*.ts'],
    tests: ['test/policy/rules*.test.ts', 'test/policy/engine.test.ts', 'test/policy/docs.test.ts'],
  },
};
