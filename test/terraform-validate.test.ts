import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { production } from '../src/config/environments/production';
import { STACK_IDS } from '../src/plan/naming';
import { resolvePlan } from '../src/plan/resolve';
import { sharedSynth } from './support/shared-synth';
import { mskReplicatorConfig, terraformCloudConfig } from './support/config';
import { synthOnce, tempDir } from './support/synth';
import {
  describeDiagnostics,
  requiredProviders,
  terraformSettings,
  terraformVersion,
  type ValidateResult,
} from './support/terraform';
import { validateStacksTogether } from './support/terraform-combined';

/**
 * The one external judge available offline: terraform itself, against the real aws provider
 * schema (provider 5.100.0 from the local mirror). Every stack that needs only the aws provider
 * is validated; stacks with kubernetes/helm providers are checked on their JSON elsewhere.
 *
 * All of them are validated in one terraform run (validateStacksTogether): the provider schema is
 * loaded once instead of once per stack, with the same verdict per stack.
 */

/**
 * One line per diagnostic, prefixed with its stack folder: warnings count too (the HCL synth once
 * carried a deprecation warning per `depends_on` and `ignore_changes` entry, see unquoteReferences in src/cdktf-workarounds.ts).
 */
function problems(results: readonly ValidateResult[]): string[] {
  return results.flatMap((r) => describeDiagnostics(r).map((line) => `${r.dir}: ${line}`));
}

/**
 * The HCL renderer's output is validated on one stack of every kind and role: the shared stacks, the
 * primary region's regional and data stacks and one secondary data member. The other regions' stacks
 * are the same constructs with other values (their JSON is validated in full above), and each stack
 * validated costs time in a run whose CPU the whole suite shares.
 */
function hclCoverage(synth: { outdir: string; stackIds: string[] }): { outdir: string; stackIds: string[] } {
  const plan = resolvePlan(production);
  const secondary = plan.regions.find((r) => !r.isPrimary)!;
  const kept = new Set([
    plan.primary.stackIds.regional,
    plan.primary.stackIds.data,
    secondary.stackIds.data,
    ...plan.regions.map((r) => r.stackIds.workloads), // not validated here: kubernetes/helm providers
  ]);
  const regional = new Set(plan.regions.flatMap((r) => [r.stackIds.regional, r.stackIds.data]));
  return { ...synth, stackIds: synth.stackIds.filter((id) => kept.has(id) || !regional.has(id)) };
}

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

  // The README's own synth commands (`npm run synth`, `PLATFORM_ENV=staging npm run synth`,
  // `npm run synth:hcl`), run once per jest run and shared (test/support/shared-synth.ts).
  const cases: [string, () => { outdir: string; stackIds: string[] }][] = [
    ['production (JSON)', () => sharedSynth('production')],
    ['staging (JSON)', () => sharedSynth('staging')],
    ['production (HCL)', () => hclCoverage(sharedSynth('production-hcl'))],
  ];
  /**
   * Two variants, each judged on the stacks it changes: Terraform Cloud state (the global stack's
   * remote-state readers) and MSK Replicator replication with ARC routing controls (the replicators,
   * the ARC cluster on its us-west-2 provider and the gated health checks in the global stack,
   * IAM-only clusters in the regional stacks). Their synths are the fixtures the backend and
   * msk-replicator suites read (`synthOnce`: made once per run, by whichever suite comes first).
   */
  const VARIANT = 'production in Terraform Cloud, MSK Replicator mode with ARC routing controls';

  /**
   * The stacks of every case above and the Terraform Cloud global stack, all validated in ONE terraform
   * run (the provider schema is loaded once), on first use. Each stack still gets its own verdict.
   */
  let validation: Promise<{ byCase: Map<string, string[]>; results: ValidateResult[] }> | undefined;
  function validate() {
    validation ??= (async () => {
      const byCase = new Map<string, string[]>();
      for (const [name, synth] of cases) {
        const { outdir, stackIds } = synth();
        const dirs = stackIds.map((id) => join(outdir, 'stacks', id));
        byCase.set(
          name,
          dirs.filter((dir) => {
            const providers = requiredProviders(dir);
            return providers.length === 0 || providers.every((p) => p === 'aws');
          }),
        );
      }
      const cloud = synthOnce(terraformCloudConfig()).outdir;
      const replicator = synthOnce(mskReplicatorConfig).outdir;
      byCase.set(VARIANT, [
        join(cloud, 'stacks', STACK_IDS.global),
        ...['global', 'region-eu-west'].map((id) => join(replicator, 'stacks', id)),
      ]);
      return { byCase, results: await validateStacksTogether([...byCase.values()].flat()) };
    })();
    return validation;
  }

  /** The case's stacks and their results, plus any result for the run as a whole (no stack to blame). */
  async function validated(name: string): Promise<{ dirs: string[]; results: ValidateResult[] }> {
    const { byCase, results } = await validate();
    const all = new Set([...byCase.values()].flat());
    const dirs = byCase.get(name)!;
    return { dirs, results: results.filter((r) => dirs.includes(r.dir) || !all.has(r.dir)) };
  }

  test.each(cases)('every AWS-only stack of %s is valid, without a warning', async (name) => {
    if (!version) return; // skipped on request, see beforeAll
    const { dirs, results } = await validated(name);
    expect(dirs.length).toBeGreaterThan(0);
    expect(problems(results)).toEqual([]);
    expect(results.map((r) => r.dir)).toEqual(dirs);
    expect(results.every((r) => r.valid)).toBe(true);
  });

  // `init -backend=false` skips the cloud block, so this checks the rest: the remote-backend
  // terraform_remote_state sources cross-stack references read in Terraform Cloud mode, and the
  // replicators with their IAM-only clusters.
  test('the global and a regional stack in Terraform Cloud and MSK Replicator mode are valid', async () => {
    if (!version) return; // skipped on request, see beforeAll
    const { dirs, results } = await validated(VARIANT);
    expect(problems(results)).toEqual([]);
    expect(results.map((r) => [r.dir, r.valid])).toEqual(dirs.map((dir) => [dir, true]));
  });

  // The combined run must stay as strict a judge as one run per stack: each broken stack fails under
  // its own name, including the rules terraform applies to root modules only, and the valid one passes.
  test('a stack terraform rejects fails under its own name, next to a valid one that passes', async () => {
    if (!version) return; // skipped on request, see beforeAll
    const root = tempDir('broken-stacks');
    const stack = (name: string, file: string, text: string) => {
      mkdirSync(join(root, name));
      writeFileSync(join(root, name, file), text);
      return join(root, name);
    };
    const json = (extra: object) =>
      JSON.stringify({
        terraform: {
          backend: { s3: { bucket: 'state', key: 'stack.tfstate', region: 'us-east-1' } },
          required_providers: { aws: { source: 'aws', version: '5.100.0' } },
        },
        provider: { aws: [{ region: 'us-east-1' }] },
        ...extra,
      });
    const valid = stack('valid', 'cdk.tf.json', json({ resource: { aws_s3_bucket: { logs: { bucket: 'logs' } } } }));
    const unknownAttribute = stack(
      'unknown-attribute',
      'cdk.tf.json',
      json({ resource: { aws_s3_bucket: { logs: { bucket: 'logs', not_an_argument: true } } } }),
    );
    const unknownType = stack(
      'unknown-type',
      'cdk.tf.json',
      json({ resource: { aws_no_such_resource_type: { logs: { bucket: 'logs' } } } }),
    );
    const rootOnly = stack(
      'root-module-rules',
      'cdk.tf.json',
      json({
        variable: { token: { type: 'string', sensitive: true }, session: { type: 'string', ephemeral: true } },
        output: {
          leaked: { value: 'token-${var.token}' },
          declared: { value: '${var.token}', sensitive: true },
          session: { value: '${var.session}', ephemeral: true },
        },
      }),
    );
    const hcl = stack(
      'hcl-unknown-attribute',
      'cdk.tf',
      [
        'terraform {',
        'required_providers {',
        'aws = {',
        'source = "aws"',
        'version = "5.100.0"',
        '}',
        '}',
        'backend "s3" {',
        'bucket = "state"',
        'key = "stack.tfstate"',
        'region = "us-east-1"',
        '}',
        '}',
        'provider "aws" {',
        'region = "eu-west-1"',
        'alias = "replica"',
        '}',
        'resource "aws_s3_bucket" "logs" {',
        'provider = aws.replica',
        'bucket = "logs"',
        'not_an_argument = true',
        '}',
        '',
      ].join('\n'),
    );

    const results = await validateStacksTogether([valid, unknownAttribute, unknownType, rootOnly, hcl]);
    const of = (dir: string) => results.find((r) => r.dir === dir)!;
    expect(results).toHaveLength(5);
    expect(of(valid)).toEqual({ dir: valid, valid: true, diagnostics: [] });
    for (const dir of [unknownAttribute, unknownType, rootOnly, hcl]) expect(of(dir).valid).toBe(false);
    expect(problems([of(unknownAttribute)])).toEqual([
      expect.stringMatching(/\/unknown-attribute: error: .*No argument or block type is named "not_an_argument"/),
    ]);
    expect(problems([of(unknownType)])).toEqual([
      expect.stringMatching(/\/unknown-type: error: Invalid resource type .*"aws_no_such_resource_type"/),
    ]);
    expect(problems([of(rootOnly)])).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/\/root-module-rules: error: .*\(output\.leaked.*Output refers to sensitive values/),
        expect.stringMatching(/\/root-module-rules: error: Ephemeral output not allowed/),
      ]),
    );
    expect(problems([of(rootOnly)])).toHaveLength(2);
    expect(problems([of(hcl)])).toEqual([
      expect.stringMatching(/\/hcl-unknown-attribute: error: Unsupported argument .*"not_an_argument"/),
    ]);
  });
});
