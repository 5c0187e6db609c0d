// Jest configuration for mutation testing (stryker.config.mjs): the fast, pure suites of the logic
// layers only. Each surviving-or-killed verdict reruns the tests that cover a mutant, so a suite
// that synthesizes the platform (seconds) or runs `terraform validate` (minutes) would make a run
// take days; those layers are covered by `npm test`, not by mutation testing.
//
// No globalSetup/globalTeardown: the regular setup starts the README's background synths for the
// whole-platform suites, which none of these suites reads. No cdktf matchers (setup.ts) and jest's
// plain node environment: Stryker wraps the environment to record per-test coverage.
const base = require('./jest.config.js');

/** @type {import('jest').Config} */
module.exports = {
  transform: base.transform,
  // setup-env.ts loads cdktf (its token stack trace switch); only the policy layer synthesizes.
  setupFiles: process.env.MUTATION_LAYER === 'policy' ? base.setupFiles : ['<rootDir>/test/support/mutation-setup.js'],
  roots: ['<rootDir>/test'],
  testEnvironment: 'node',
  // The suites of every layer; stryker.config.mjs narrows it to one layer's (LAYERS[...].tests).
  testMatch: [
    '<rootDir>/test/config*.test.ts',
    '<rootDir>/test/failover-budget.test.ts',
    '<rootDir>/test/plan/*.test.ts',
    '<rootDir>/test/dr/*.test.ts',
    '<rootDir>/test/dr-drill-records.test.ts',
    '<rootDir>/test/policy/rules*.test.ts',
    '<rootDir>/test/policy/engine.test.ts',
    '<rootDir>/test/policy/docs.test.ts',
  ],
  testPathIgnorePatterns: ['/node_modules/'],
  testTimeout: 30000,
};
