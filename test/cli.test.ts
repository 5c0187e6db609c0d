import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { production } from '../src/config/environments/production';
import { synthesizePlatform } from '../src/synth';
import { tempDir } from './support/synth';
import { resolvePlan } from '../src/plan/resolve';

const ROOT = join(__dirname, '..');

/** Runs the app the way `cdktf synth` does (cdktf.json "app"), with the given environment. */
function runApp(env: Record<string, string>) {
  return spawnSync(process.execPath, ['--import', 'tsx', 'main.ts'], {
    cwd: ROOT,
    env: { ...process.env, ...env },
    encoding: 'utf8',
    timeout: 60_000,
  });
}

describe('the synth entry point', () => {
  test('refuses an unknown environment with exit 1, the allowed names and no stack trace, leaving cdktf.out alone', () => {
    const outdir = join(tempDir('cli'), 'cdktf.out');
    mkdirSync(outdir, { recursive: true });
    writeFileSync(join(outdir, 'manifest.json'), 'previous');

    const result = runApp({ PLATFORM_ENV: 'prod', CDKTF_OUTDIR: outdir });

    expect(result.status).toBe(1);
    expect(result.stderr).toContain('Invalid configuration (1 problem):');
    expect(result.stderr).toContain('PLATFORM_ENV: got "prod"; expected one of production, staging');
    expect(result.stderr).not.toMatch(/\n\s+at /);
    expect(readFileSync(join(outdir, 'manifest.json'), 'utf8')).toBe('previous');
    expect(readdirSync(dirname(outdir))).toEqual(['cdktf.out']);
  });

  // A successful run of the entry point: test/readme-commands.test.ts (`npm run synth` and
  // `PLATFORM_ENV=staging npm run synth`, run once per jest run as a newcomer runs them).
});

describe('synthesizePlatform', () => {
  test("replaces generated files but keeps terraform's own files from earlier runs", async () => {
    const outdir = join(tempDir('atomic'), 'cdktf.out');
    const providerCache = join(outdir, 'stacks', 'region-us-east', '.terraform');
    mkdirSync(providerCache, { recursive: true });
    writeFileSync(join(providerCache, 'marker'), 'keep');
    writeFileSync(join(outdir, 'stacks', 'region-us-east', 'cdk.tf.json'), 'stale');
    writeFileSync(join(outdir, 'stacks', 'region-us-east', 'cdk.tf'), 'stale HCL from an earlier --hcl synth');
    writeFileSync(join(outdir, 'stacks', 'region-us-east', '.terraform.lock.hcl'), 'lock');

    await synthesizePlatform(resolvePlan(production), { outdir, hclOutput: false });

    expect(readFileSync(join(providerCache, 'marker'), 'utf8')).toBe('keep');
    expect(readFileSync(join(outdir, 'stacks', 'region-us-east', '.terraform.lock.hcl'), 'utf8')).toBe('lock');
    // Terraform would read both files: the stale HCL must go.
    expect(existsSync(join(outdir, 'stacks', 'region-us-east', 'cdk.tf'))).toBe(false);
    expect(JSON.parse(readFileSync(join(outdir, 'stacks', 'region-us-east', 'cdk.tf.json'), 'utf8'))).toHaveProperty(
      'resource',
    );
    expect(readdirSync(dirname(outdir))).toEqual(['cdktf.out']);
  });

  test('a failure while building leaves the previous output untouched and no staging folder behind', async () => {
    const outdir = join(tempDir('atomic'), 'cdktf.out');
    mkdirSync(outdir, { recursive: true });
    writeFileSync(join(outdir, 'manifest.json'), 'previous');
    // Bypasses validation on purpose: 40 AZs cannot be carved out of a /16.
    const plan = resolvePlan(production);
    const broken = { ...plan, regions: plan.regions.map((r) => ({ ...r, azCount: 40 })) };

    await expect(synthesizePlatform(broken, { outdir, hclOutput: false })).rejects.toThrow(/has no subnet/);
    expect(readFileSync(join(outdir, 'manifest.json'), 'utf8')).toBe('previous');
    expect(readdirSync(dirname(outdir))).toEqual(['cdktf.out']);
    expect(existsSync(join(outdir, 'stacks'))).toBe(false);
  });
});
