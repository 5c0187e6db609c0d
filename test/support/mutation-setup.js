// setupFiles of stryker.jest.config.js for the config, plan and dr layers: what
// test/support/setup-env.ts does, without loading cdktf for its synth-speed switch (these suites
// synthesize nothing). cdktf in every suite's module registry doubled the time each mutant's run
// spends loading suites. The policy layer, which synthesizes small stacks, keeps setup-env.ts.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
