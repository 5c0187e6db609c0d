// Runs dependency-cruiser's API over src/ and modules/ with the project's rules
// (.dependency-cruiser.cjs) and prints, as JSON, the violations and the import graph (test/architecture.test.ts).
// A script of its own because dependency-cruiser is ESM only, which Jest's CommonJS runtime cannot load.
import { cruise } from 'dependency-cruiser';
import extractDepcruiseOptions from 'dependency-cruiser/config-utl/extract-depcruise-options';
import extractTSConfig from 'dependency-cruiser/config-utl/extract-ts-config';

const roots = process.argv.length > 2 ? process.argv.slice(2) : ['src', 'modules'];
const options = await extractDepcruiseOptions('./.dependency-cruiser.cjs');
const tsConfig = extractTSConfig(options.tsConfig?.fileName ?? 'tsconfig.json');
const { output } = await cruise(roots, options, undefined, { tsConfig });

process.stdout.write(
  JSON.stringify({
    totalCruised: output.summary.totalCruised,
    violations: output.summary.violations.map((v) => ({
      rule: v.rule.name,
      from: v.from,
      to: v.to,
      cycle: v.cycle?.map((step) => step.name),
      comment: output.summary.ruleSetUsed.forbidden?.find((rule) => rule.name === v.rule.name)?.comment,
    })),
    modules: output.modules.map((m) => ({
      source: m.source,
      dependencies: m.dependencies.map((d) => ({
        resolved: d.resolved,
        typeOnly: d.dependencyTypes.includes('type-only'),
      })),
    })),
  }),
);
