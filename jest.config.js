// SKIP_TERRAFORM_VALIDATE=1 (`npm run test:unit`) leaves out the `terraform validate` suite
// altogether, whether or not terraform is installed: it is the slowest suite by far.
const skipTerraformValidate = process.env.SKIP_TERRAFORM_VALIDATE === '1';

/** @type {import('jest').Config} */
module.exports = {
  // jest's node environment; each worker process exits promptly at the end (see the file).
  testEnvironment: '<rootDir>/test/support/setup-environment.ts',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  testPathIgnorePatterns: [
    '/node_modules/',
    ...(skipTerraformValidate ? ['/test/terraform-validate\\.test\\.ts$'] : []),
  ],
  transform: { '^.+\\.ts$': ['@swc/jest', { jsc: { parser: { syntax: 'typescript' }, target: 'es2022' } }] },
  setupFiles: ['<rootDir>/test/support/setup-env.ts'],
  setupFilesAfterEnv: ['<rootDir>/test/support/setup.ts'],
  globalSetup: '<rootDir>/test/support/global-setup.js',
  globalTeardown: '<rootDir>/test/support/teardown.js',
  testTimeout: 300000,
  // Suites are CPU-bound synths; use both cores (jest's default leaves one idle on 2-core machines).
  maxWorkers: 2,
};
