import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { production } from '../src/config/environments/production';
import { resolvePlan } from '../src/plan/resolve';
import { sharedSynth } from './support/shared-synth';
import { terraformSettings, terraformVersion } from './support/terraform';

/**
 * cdktf's HCL renderer can write text that is not HCL: a string holding `${...}` keeps its double
 * quotes unescaped (JSON built with JSON.stringify around references), a multi-line string is a
 * heredoc that ends at its first line `EOF`. `terraform validate` (test/terraform-validate.test.ts)
 * only sees the AWS-only stacks; `terraform fmt` parses every file, providers or not, in seconds.
 */

/** `terraform fmt` of the files (relative to `cwd`): exit code and each error as `file line N: summary`. */
function parseErrors(cwd: string, files: readonly string[]): Promise<{ code: number | null; errors: string[] }> {
  return new Promise((resolve, reject) => {
    const child = spawn(terraformSettings.bin, ['fmt', '-no-color', '-write=false', '-list=false', ...files], {
      cwd,
      env: { ...process.env, CHECKPOINT_DISABLE: '1' },
      stdio: ['ignore', 'ignore', 'pipe'], // stdout: the formatted files
    });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      const errors = [...stderr.matchAll(/^Error: (.+)\n\s*\n\s*on (\S+) line (\d+)/gm)].map(
        ([, summary, file, line]) => `${file} line ${line}: ${summary}`,
      );
      resolve({ code, errors: errors.length > 0 || code === 0 ? [...new Set(errors)] : [stderr] });
    });
  });
}

describe('HCL output (npm run synth:hcl)', () => {
  let version: string | undefined;

  beforeAll(async () => {
    version = await terraformVersion();
    if (!version && !terraformSettings.skip) {
      throw new Error(
        `terraform was not found (TERRAFORM_BIN=${terraformSettings.bin}). Install Terraform 1.11.4 (see .terraform-version) or set SKIP_TERRAFORM_VALIDATE=1 to skip this suite.`,
      );
    }
  });

  test('every cdk.tf parses, the workloads stacks (kubernetes and helm providers) included', async () => {
    if (!version) return; // skipped on request, see beforeAll
    const { outdir, stackIds } = sharedSynth('production-hcl');
    const workloads = resolvePlan(production).regions.map((r) => r.stackIds.workloads);
    expect(stackIds).toEqual(expect.arrayContaining(workloads));
    const result = await parseErrors(
      join(outdir, 'stacks'),
      stackIds.map((id) => join(id, 'cdk.tf')),
    );
    expect(result).toEqual({ code: 0, errors: [] });
  });
});
