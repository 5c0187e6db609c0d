/**
 * Import rules of the layout (test/architecture.test.ts runs them; `npx depcruise src modules`
 * does too). Layers, from the bottom:
 *
 *   modules/      reusable constructs; know nothing of this project's src/
 *   src/config    the configuration: types, environments, validation
 *   src/plan      pure facts derived from the configuration (no constructs, no providers)
 *   src/parts     pieces of stacks, composed from modules; src/parts/exports.ts: what stacks hand on
 *   src/stacks    the stack classes only
 *   src/app.ts    wires the stacks and parts into an App
 *   src/dr, src/tools, src/cli  operators' CLIs: read synthesized output and the plan, never build stacks
 *
 * @type {import('dependency-cruiser').IConfiguration}
 */
const CONSTRUCT_PACKAGES = '^node_modules/(cdktf|constructs|@cdktf/[^/]+)/';

module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'Import cycles (type-only imports included) hide the order modules load in and blur the layers.',
      from: {},
      to: { circular: true },
    },
    {
      name: 'modules-not-to-src',
      severity: 'error',
      comment: 'modules/ are reusable constructs: they take what they need as props, never from src/.',
      from: { path: '^modules/' },
      to: { path: '^src/' },
    },
    {
      name: 'config-is-the-base',
      severity: 'error',
      comment: 'The configuration knows nothing of what is derived or built from it.',
      from: { path: '^src/config/' },
      to: { path: '^src/(plan|stacks|parts|dr|tools|cli)/' },
    },
    {
      name: 'plan-not-to-builders',
      severity: 'error',
      comment: 'The plan is derived from the configuration alone: no stacks, parts or CLIs.',
      from: { path: '^src/plan/' },
      to: { path: '^src/(stacks|parts|dr|tools|cli)/' },
    },
    {
      name: 'plan-is-pure',
      severity: 'error',
      comment: 'The plan holds plain values: no constructs or providers (type-only imports are fine).',
      from: { path: '^src/plan/' },
      to: { path: CONSTRUCT_PACKAGES, dependencyTypesNot: ['type-only'] },
    },
    {
      name: 'builders-not-to-clis',
      severity: 'error',
      comment: 'Stacks and parts build the platform; the operator CLIs use their output, not the reverse.',
      from: { path: '^src/(stacks|parts)/' },
      to: { path: '^src/(dr|tools|cli)/' },
    },
    {
      name: 'clis-not-to-builders',
      severity: 'error',
      comment: 'The operator CLIs read the plan and the synthesized output; they never build stacks.',
      from: { path: '^src/(dr|tools|cli)/' },
      to: { path: '^src/((stacks|parts)/|app\\.ts$)' },
    },
    {
      name: 'parts-not-to-stacks',
      severity: 'error',
      comment:
        'Stacks compose parts: a part states what it needs of its scope (an interface of its own), ' +
        'so it never imports a stack.',
      from: { path: '^src/parts/' },
      to: { path: '^src/stacks/' },
    },
    {
      name: 'no-orphans',
      severity: 'error',
      comment: 'A file nothing imports and that imports nothing is dead (or an entry point to list here).',
      from: {
        orphan: true,
        path: '^(src|modules)/',
        pathNot: ['\\.d\\.ts$'],
      },
      to: {},
    },
    {
      name: 'no-dead-index',
      severity: 'error',
      comment:
        'An index.ts nothing in src/ or modules/ imports is a dead barrel: import the concrete files. ' +
        'Keep an index.ts only for real work (a registry such as src/policy/rules/index.ts).',
      module: { path: '(^|/)index\\.ts$', numberOfDependentsLessThan: 1 },
      from: {},
    },
  ],
  options: {
    // Packages stay in the graph (the plan rules look at them) but are not cruised into.
    doNotFollow: { path: 'node_modules' },
    exclude: { path: ['(^|/)cdktf\\.out/', '(^|/)\\.gen/'] },
    // Count `import type` too: a type-only cycle is still a cycle in the design.
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { extensions: ['.ts', '.js', '.cjs', '.mjs', '.json'] },
    skipAnalysisNotInRules: true,
  },
};
