import { join } from 'node:path';
import { production } from '../src/config/environments/production';
import { staging } from '../src/config/environments/staging';
import { STACK_IDS } from '../src/naming';
import { synthPlatform } from './support/synth';
import {
  describeDiagnostics,
  mapLimit,
  requiredProviders,
  terraformSettings,
  terraformVersion,
  validateStack,
} from './support/terraform';

/**
 * The one external judge available offline: terraform itself, against the real aws provider
 * schema (provider 5.100.0 from the local mirror). Every stack that needs only the aws provider
 * is validated; stacks with kubernetes/helm providers are checked on their JSON elsewhere.
 */
const PARALLELISM = 3;

/**
 * cdktf's HCL renderer writes `depends_on` entries as quoted strings, which Terraform accepts with
 * a deprecation warning. That is the only diagnostic tolerated, and only for HCL output.
 */
const TOLERATED_HCL_WARNINGS = ['Quoted references are deprecated'];

describe('terraform validate', () => {
  let version: string | undefined;

  beforeAll(async () => {
    version = await terraformVersion();
    if (!version && !terraformSettings.skip) {
      throw new Error(
        `terraform was not found (TERRAFORM_BIN=${terraformSettings.bin}). Install Terraform 1.11.4 (see .terraform-version) or set SKIP_TERRAFORM_VALIDATE=1 to skip this suite.`,
      );
    }
  });

  const cases: [string, () => { outdir: string; stackIds: string[] }, string[]][] = [
    ['production (JSON)', () => synthPlatform(production), []],
    ['staging (JSON)', () => synthPlatform(staging), []],
    ['production (HCL)', () => synthPlatform(production, { hclOutput: true }), TOLERATED_HCL_WARNINGS],
  ];

  test.each(cases)('every AWS-only stack of %s is valid', async (_name, synth, tolerated) => {
    if (!version) return; // skipped on request, see beforeAll
    const { outdir, stackIds } = synth();
    const dirs = stackIds.map((id) => join(outdir, 'stacks', id));
    const awsOnly = dirs.filter((dir) => {
      const providers = requiredProviders(dir);
      return providers.length === 0 || providers.every((p) => p === 'aws');
    });
    expect(awsOnly.length).toBeGreaterThan(0);
    const results = await mapLimit(awsOnly, PARALLELISM, validateStack);
    const problems = results.flatMap((r) =>
      describeDiagnostics({
        ...r,
        diagnostics: r.diagnostics.filter((d) => !(d.severity === 'warning' && tolerated.includes(d.summary))),
      }).map((line) => `${r.dir}: ${line}`),
    );
    expect(problems).toEqual([]);
    expect(results.every((r) => r.valid)).toBe(true);
  });

  // `init -backend=false` skips the cloud block, so this checks the rest: the remote-backend
  // terraform_remote_state sources cross-stack references read in Terraform Cloud mode.
  test('the global stack in Terraform Cloud mode is valid', async () => {
    if (!version) return; // skipped on request, see beforeAll
    const { outdir } = synthPlatform({
      ...production,
      state: {
        ...production.state,
        mode: 'terraform-cloud',
        terraformCloud: { organization: 'acme', project: 'platform', hostname: 'app.terraform.io' },
      },
    });
    const result = await validateStack(join(outdir, 'stacks', STACK_IDS.global));
    expect(describeDiagnostics(result)).toEqual([]);
    expect(result.valid).toBe(true);
  });
});
