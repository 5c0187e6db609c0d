import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/**
 * Offline `terraform init` + `terraform validate` of synthesized stacks. Settings (read here, in
 * the test harness only):
 * - TERRAFORM_BIN: terraform executable (default `terraform` on PATH);
 * - TF_PLUGIN_DIR: provider mirror for `-plugin-dir` (default /opt/tf-plugins; when it does not
 *   exist, a normal `terraform init` downloads providers);
 * - SKIP_TERRAFORM_VALIDATE=1: skip instead of failing when terraform is missing.
 */
export const terraformSettings = {
  bin: process.env.TERRAFORM_BIN ?? 'terraform',
  pluginDir: process.env.TF_PLUGIN_DIR ?? '/opt/tf-plugins',
  skip: process.env.SKIP_TERRAFORM_VALIDATE === '1',
};

export async function terraformVersion(): Promise<string | undefined> {
  try {
    const { stdout } = await run(terraformSettings.bin, ['version', '-json'], { env: childEnv() });
    return (JSON.parse(stdout) as { terraform_version: string }).terraform_version;
  } catch {
    return undefined;
  }
}

function childEnv(): NodeJS.ProcessEnv {
  return { ...process.env, CHECKPOINT_DISABLE: '1', TF_IN_AUTOMATION: '1', TF_INPUT: '0' };
}

export interface Diagnostic {
  severity: 'error' | 'warning';
  summary: string;
  detail?: string;
  address?: string;
  /** Where in the configuration (file relative to the folder terraform ran in). */
  range?: { filename: string; start: { line: number; column: number } };
  /** The enclosing block, e.g. `resource.aws_s3_bucket.logs`. */
  snippet?: { context?: string | null };
}

export interface ValidateResult {
  readonly dir: string;
  readonly valid: boolean;
  readonly diagnostics: Diagnostic[];
}

/** Providers a synthesized stack requires (by local name). */
export function requiredProviders(stackDir: string): string[] {
  const file = join(stackDir, 'cdk.tf.json');
  if (!existsSync(file)) return requiredProvidersHcl(join(stackDir, 'cdk.tf'));
  const json = JSON.parse(readFileSync(file, 'utf8')) as {
    terraform?: { required_providers?: Record<string, unknown> };
  };
  return Object.keys(json.terraform?.required_providers ?? {});
}

/** Same for HCL output (`cdk.tf`): the top-level names of its `required_providers` block. */
function requiredProvidersHcl(file: string): string[] {
  if (!existsSync(file)) return [];
  const text = readFileSync(file, 'utf8');
  const at = text.search(/required_providers\s*\{/);
  if (at < 0) return [];
  const names: string[] = [];
  let depth = 0;
  for (const line of text.slice(text.indexOf('{', at)).split('\n')) {
    const name = depth === 1 ? /^\s*([A-Za-z0-9_-]+)\s*=\s*\{/.exec(line) : null;
    if (name) names.push(name[1]);
    depth += (line.match(/\{/g) ?? []).length - (line.match(/\}/g) ?? []).length;
    if (depth <= 0) break;
  }
  return names;
}

/** Runs init (backend off, providers from the mirror when present) and validate in `dir`. */
export async function validateStack(dir: string): Promise<ValidateResult> {
  return { dir, ...(await initAndValidate(dir)) };
}

/**
 * `terraform init -backend=false` (with `-plugin-dir` when the mirror exists) then `terraform validate -json` in
 * `dir`; an init failure is reported as an error diagnostic.
 */
export async function initAndValidate(dir: string): Promise<{ valid: boolean; diagnostics: Diagnostic[] }> {
  const init = ['init', '-backend=false', '-input=false', '-no-color'];
  if (existsSync(terraformSettings.pluginDir)) init.push(`-plugin-dir=${terraformSettings.pluginDir}`);
  try {
    await run(terraformSettings.bin, init, { cwd: dir, env: childEnv(), maxBuffer: 16 * 1024 * 1024 });
  } catch (error) {
    const e = error as { stderr?: string; stdout?: string };
    return {
      valid: false,
      diagnostics: [{ severity: 'error', summary: 'terraform init failed', detail: e.stderr || e.stdout }],
    };
  }
  let stdout: string;
  try {
    ({ stdout } = await run(terraformSettings.bin, ['validate', '-json', '-no-color'], {
      cwd: dir,
      env: childEnv(),
      maxBuffer: 64 * 1024 * 1024,
    }));
  } catch (error) {
    // validate exits 1 on an invalid configuration but still prints its JSON report.
    stdout = (error as { stdout?: string }).stdout ?? '';
  }
  const report = JSON.parse(stdout) as { valid: boolean; diagnostics: Diagnostic[] };
  return { valid: report.valid, diagnostics: report.diagnostics };
}

/** Runs `task` over `items` with at most `limit` at once. */
export async function mapLimit<T, R>(items: readonly T[], limit: number, task: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await task(items[i]);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

/** One line per diagnostic, for assertion messages. */
export function describeDiagnostics(result: ValidateResult): string[] {
  return result.diagnostics.map((d) => {
    const where = d.address ?? d.snippet?.context ?? d.range?.filename;
    return `${d.severity}: ${d.summary}${where ? ` (${where})` : ''}${d.detail ? ` - ${d.detail}` : ''}`;
  });
}
